import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { getAddressFile } from '../../app/baseinfo/get-address-file.ts';
import { listPeople } from '../../app/baseinfo/list-people.ts';
import { listUnits } from '../../app/baseinfo/list-units.ts';
import {
  EXPORT_FORMATS,
  exportPeople,
  exportUnits,
  type ExportFile,
} from '../../app/baseinfo/export-base-list.ts';
import { baseInfoMapLayers } from '../../app/baseinfo/map-layers.ts';
import { BaseMapLayersSchema } from '../schemas/base-map.ts';
import { nearestAddresses } from '../../app/baseinfo/nearest-addresses.ts';
import { searchAddresses } from '../../app/baseinfo/search-addresses.ts';
import { unmaskPerson, unmaskUnit } from '../../app/baseinfo/unmask-base-record.ts';
import { VISIBLE_TEXT_PATTERN } from '../../core/text.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import {
  AddressFileSchema,
  AddressListSchema,
  NearbyAddressListSchema,
  PersonPageSchema,
  PersonSchema,
  UnitPageSchema,
  UnitSchema,
} from '../schemas/baseinfo.ts';
import { errorResponses, StringEnum } from '../schemas/common.ts';
import {
  ADDRESS_LEVELS,
  HUKOU_CATEGORIES,
  ID_TYPES,
  INDUSTRIES,
  LICENCE_STATUSES,
  PERSON_STATUSES,
  UNIT_KINDS,
} from '../../core/baseinfo/types.ts';

// query parameters are published one by one: plain enums, not the named schemas of the answers
const AddressLevelSchema = StringEnum(ADDRESS_LEVELS);
const HukouSchema = StringEnum(HUKOU_CATEGORIES);
const IdTypeSchema = StringEnum(ID_TYPES);
const PersonStatusSchema = StringEnum(PERSON_STATUSES);
const UnitKindSchema = StringEnum(UNIT_KINDS);
const IndustrySchema = StringEnum(INDUSTRIES);
const LicenceStatusSchema = StringEnum(LICENCE_STATUSES);
const RecordId = Type.String({ minLength: 1, maxLength: 100 });
const RegionCode = Type.String({
  pattern: '^[0-9]{6}([0-9]{3})?([0-9]{3})?([0-9]{2})?$',
  description: 'a street, committee or grid inside your territory',
});
const Offset = BoundedInteger({ maximum: 1_000_000, description: 'rows to skip' });
const Limit = BoundedInteger({ minimum: 1, maximum: 200 });
const PeopleFilterQuery = {
  name: Type.Optional(Type.String({ maxLength: 60 })),
  idNumber: Type.Optional(Type.String({ maxLength: 40 })),
  idType: Type.Optional(IdTypeSchema),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  hukou: Type.Optional(HukouSchema),
  status: Type.Optional(PersonStatusSchema),
  region: Type.Optional(RegionCode),
};
const UnitsFilterQuery = {
  q: Type.Optional(Type.String({ maxLength: 120, description: 'part of the name, or a whole credit code' })),
  kind: Type.Optional(UnitKindSchema),
  industry: Type.Optional(IndustrySchema),
  licenceStatus: Type.Optional(LicenceStatusSchema),
  region: Type.Optional(RegionCode),
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ExportFormatQuery = Type.Optional(
  StringEnum(EXPORT_FORMATS, { description: 'xlsx (default: frozen Chinese header, typed columns) or csv' }),
);
const ExportFileSchema = Type.Unsafe<string>({
  type: 'string',
  format: 'binary',
  description: 'the list as .xlsx or CSV (UTF-8 with BOM), Chinese headers, masked as the list',
});

/** Sends an export as a download. */
const sendFile = (reply: FastifyReply, file: ExportFile) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('cache-control', 'no-store')
    .header('x-export-rows', String(file.rows))
    .send(file.body);

const UnmaskBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500, pattern: VISIBLE_TEXT_PATTERN }) },
  { $id: 'UnmaskBaseRecordBody', additionalProperties: false },
);

/**
 * Base information (一标三实) and the one-address file (一址一档), issue 12: search and lists inside the
 * caller's territory, each cut to the role's slice (src/core/policy/base-info.ts), personal data masked;
 * unmasking one record takes a reason and is audited.
 */
const baseInfoRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = { database: ctx.database, now: ctx.now ?? (() => new Date()) };

  app.get(
    '/api/v1/base/addresses',
    {
      schema: {
        tags: ['base information'],
        summary:
          'Search standard addresses in your territory (tolerant of 号/弄/幢/栋 variants, full-width digits, spaces)',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100 }),
          level: Type.Optional(AddressLevelSchema),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: AddressListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({
      items: await searchAddresses(deps, requireActor(request), {
        query: request.query.q,
        level: request.query.level,
        limit: request.query.limit,
      }),
    }),
  );

  app.get(
    '/api/v1/base/addresses/nearest',
    {
      schema: {
        tags: ['base information'],
        summary: 'The standard addresses nearest a point (WGS84), for a report on the phone',
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          radius: Type.Optional(BoundedInteger({ minimum: 1, maximum: 1000, description: 'metres (150)' })),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 50 })),
        }),
        response: { 200: NearbyAddressListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({
      items: await nearestAddresses(deps, requireActor(request), {
        lon: request.query.lon,
        lat: request.query.lat,
        radiusM: request.query.radius,
        limit: request.query.limit,
      }),
    }),
  );

  app.get(
    '/api/v1/base/map',
    {
      schema: {
        tags: ['base information'],
        summary:
          'Map layers in a bounding box: businesses by industry and licence, dwellings with risk flags',
        description:
          'Compact GeoJSON (WGS84), at most 2000 features per layer (`truncated` says to zoom in), cut to your ' +
          "role's slice and territory; no personal data. `risks=only` keeps only flagged businesses.",
        querystring: Type.Object({
          minLon: Type.Number({ minimum: -180, maximum: 180 }),
          minLat: Type.Number({ minimum: -90, maximum: 90 }),
          maxLon: Type.Number({ minimum: -180, maximum: 180 }),
          maxLat: Type.Number({ minimum: -90, maximum: 90 }),
          risks: Type.Optional(StringEnum(['all', 'only'] as const)),
        }),
        response: { 200: BaseMapLayersSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { risks, ...box } = request.query;
      return baseInfoMapLayers(deps, requireActor(request), box, { onlyRisks: risks === 'only' });
    },
  );

  app.get(
    '/api/v1/base/addresses/:id',
    {
      schema: {
        tags: ['base information'],
        summary:
          'The one-address file (一址一档): address, dwelling, occupants (masked), businesses, cases, history',
        description:
          'Outside your territory, or when your role sees no addresses, the address does not exist (404).',
        params: Type.Object({ id: RecordId }),
        response: { 200: AddressFileSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getAddressFile(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/v1/base/people',
    {
      schema: {
        tags: ['base information'],
        summary: 'People (实有人口) in your territory, masked; a whole ID or phone number matches exactly',
        querystring: Type.Object({
          ...PeopleFilterQuery,
          offset: Type.Optional(Offset),
          limit: Type.Optional(Limit),
        }),
        response: { 200: PersonPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listPeople(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/v1/base/people/export',
    {
      schema: {
        tags: ['base information'],
        summary: 'The people list with its filters as .xlsx or CSV, masked as the list (audited)',
        querystring: Type.Object({ ...PeopleFilterQuery, format: ExportFormatQuery }),
        produces: [XLSX, 'text/csv'],
        response: { 200: ExportFileSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const exportDeps = { ...deps, logger: request.log };
      return sendFile(
        reply,
        await exportPeople(exportDeps, requireActor(request), filter, format ?? 'xlsx', {
          address: request.ip,
        }),
      );
    },
  );

  app.post(
    '/api/v1/base/people/:id/unmask',
    {
      schema: {
        tags: ['base information'],
        summary: "Show one person's name, ID and phone unmasked (audited, with a reason)",
        params: Type.Object({ id: RecordId }),
        body: UnmaskBody,
        response: { 200: PersonSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      unmaskPerson(deps, requireActor(request), {
        id: request.params.id,
        reason: request.body.reason,
        address: request.ip,
      }),
  );

  app.get(
    '/api/v1/base/units',
    {
      schema: {
        tags: ['base information'],
        summary:
          'Businesses and organisations (实有单位) in your territory by name or credit code, industry, licence',
        querystring: Type.Object({
          ...UnitsFilterQuery,
          offset: Type.Optional(Offset),
          limit: Type.Optional(Limit),
        }),
        response: { 200: UnitPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { q, ...rest } = request.query;
      return listUnits(deps, requireActor(request), { ...rest, query: q });
    },
  );

  app.get(
    '/api/v1/base/units/export',
    {
      schema: {
        tags: ['base information'],
        summary: 'The units list with its filters as .xlsx or CSV, masked as the list (audited)',
        querystring: Type.Object({ ...UnitsFilterQuery, format: ExportFormatQuery }),
        produces: [XLSX, 'text/csv'],
        response: { 200: ExportFileSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { format, q, ...rest } = request.query;
      const exportDeps = { ...deps, logger: request.log };
      return sendFile(
        reply,
        await exportUnits(exportDeps, requireActor(request), { ...rest, query: q }, format ?? 'xlsx', {
          address: request.ip,
        }),
      );
    },
  );

  app.post(
    '/api/v1/base/units/:id/unmask',
    {
      schema: {
        tags: ['base information'],
        summary: "Show one business's responsible person and phone unmasked (audited, with a reason)",
        params: Type.Object({ id: RecordId }),
        body: UnmaskBody,
        response: { 200: UnitSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      unmaskUnit(deps, requireActor(request), {
        id: request.params.id,
        reason: request.body.reason,
        address: request.ip,
      }),
  );
};

export default baseInfoRoutes;
