import { Type } from 'typebox';
import { Nullable } from './common.ts';

/** Open311 GeoReport v2 (JSON shapes; the .xml twins carry the same fields as elements). */
export const Open311ErrorsSchema = Type.Array(
  Type.Object({ code: Type.Integer(), description: Type.String() }),
  { $id: 'Open311Errors', description: 'the specification’s error list' },
);

export const Open311DiscoverySchema = Type.Object(
  {
    changeset: Type.String(),
    contact: Type.String(),
    key_service: Type.String(),
    endpoints: Type.Array(
      Type.Object({
        specification: Type.String(),
        url: Type.String(),
        changeset: Type.String(),
        type: Type.String(),
        formats: Type.Array(Type.String()),
      }),
    ),
  },
  { $id: 'Open311Discovery' },
);

export const Open311ServiceListSchema = Type.Array(
  Type.Object({
    service_code: Type.String(),
    service_name: Type.String(),
    description: Type.String(),
    metadata: Type.Boolean(),
    type: Type.String(),
    keywords: Type.String(),
    group: Type.String(),
  }),
  { $id: 'Open311ServiceList' },
);

export const Open311ServiceDefinitionSchema = Type.Object(
  {
    service_code: Type.String(),
    attributes: Type.Array(
      Type.Object({
        variable: Type.Boolean(),
        code: Type.String(),
        datatype: Type.String(),
        required: Type.Boolean(),
        datatype_description: Nullable(Type.String()),
        order: Type.Integer(),
        description: Type.String(),
        values: Type.Optional(Type.Array(Type.Object({ key: Type.String(), name: Type.String() }))),
      }),
    ),
  },
  { $id: 'Open311ServiceDefinition' },
);

export const Open311RequestListSchema = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    status: Type.String(),
    status_notes: Nullable(Type.String()),
    service_name: Nullable(Type.String()),
    service_code: Nullable(Type.String()),
    description: Type.String(),
    agency_responsible: Nullable(Type.String()),
    service_notice: Nullable(Type.String()),
    requested_datetime: Type.String(),
    updated_datetime: Type.String(),
    expected_datetime: Nullable(Type.String()),
    address: Nullable(Type.String()),
    address_id: Nullable(Type.String()),
    zipcode: Nullable(Type.String()),
    lat: Type.Number(),
    long: Type.Number(),
    media_url: Nullable(Type.String()),
  }),
  { $id: 'Open311RequestList' },
);

/** POST requests: the specification's fields (form-encoded, or JSON); `attribute[code]` keys beside them. */
const text = (maxLength: number, description?: string) =>
  Type.Optional(Type.String({ maxLength, ...(description ? { description } : {}) }));
export const Open311PostRequestBody = Type.Object(
  {
    api_key: text(200, 'the client system’s key (required)'),
    jurisdiction_id: text(64),
    service_code: text(20, 'required'),
    lat: text(40, 'WGS84 latitude; with long, or address_string, or address_id'),
    long: text(40, 'WGS84 longitude'),
    address_string: text(200, 'matched exactly (after normalisation) to one standard address, never guessed'),
    address_id: text(64, 'a standard address id or code'),
    email: text(200),
    device_id: text(200),
    account_id: text(200),
    first_name: text(50),
    last_name: text(50),
    phone: text(40),
    description: text(4000, 'required'),
    media_url: text(2000, 'stored as given, never fetched'),
    attribute: Type.Optional(
      Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 500 }), {
        description: 'JSON alternative to attribute[code]=value',
      }),
    ),
  },
  {
    $id: 'Open311PostRequestBody',
    additionalProperties: true,
    description: 'attribute[code]=value pairs answer the service definition',
  },
);

export const Open311CreatedSchema = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    service_notice: Type.String(),
    account_id: Nullable(Type.String()),
    follow_up_code: Nullable(
      Type.String({
        description: '查询码: with the number, the citizen follows the case on the public page',
      }),
    ),
  }),
  { $id: 'Open311Created' },
);

export const Open311ClientSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    source: Type.Union([Type.Literal('citizen'), Type.Literal('hotline')]),
    keyHint: Type.String(),
    enabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    requestCount: Type.Integer(),
  },
  { $id: 'Open311Client' },
);

export const Open311ClientListSchema = Type.Object(
  { items: Type.Array(Open311ClientSchema) },
  { $id: 'Open311ClientList' },
);

export const RegisterOpen311ClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    source: Type.Union([Type.Literal('citizen'), Type.Literal('hotline')]),
  },
  { $id: 'RegisterOpen311ClientBody', additionalProperties: false },
);

export const Open311ClientKeySchema = Type.Object(
  { client: Open311ClientSchema, key: Type.String({ description: 'shown once; only its hash is kept' }) },
  { $id: 'Open311ClientKey' },
);

export const SetOpen311ClientEnabledBody = Type.Object(
  { enabled: Type.Boolean() },
  { $id: 'SetOpen311ClientEnabledBody', additionalProperties: false },
);
