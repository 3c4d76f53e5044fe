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
