import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  getRegion,
  listCategories,
  listDepartments,
  listRegions,
} from '../../app/territory/query-territory.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  CategoryListSchema,
  DepartmentListSchema,
  RegionDetailSchema,
  RegionListSchema,
} from '../schemas/territory.ts';

const Level = Type.Union([
  Type.Literal('district'),
  Type.Literal('street'),
  Type.Literal('committee'),
  Type.Literal('grid'),
]);
const RegionCode = Type.String({
  pattern: '^[0-9]{6}([0-9]{3})?([0-9]{3})?([0-9]{2})?$',
  description: '6/9/12/14-digit region code',
});

/** Territory reference data: regions (区/街镇/居村/网格), categories, departments. Readable without login. */
const territoryRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/v1/regions',
    {
      schema: {
        tags: ['territory'],
        summary: 'List regions (filter by level and parent)',
        querystring: Type.Object({ level: Type.Optional(Level), parent: Type.Optional(RegionCode) }),
        response: { 200: RegionListSchema, ...errorResponses(400) },
      },
    },
    async (request) => ({ items: await listRegions(ctx.database, request.query) }),
  );

  app.get(
    '/api/v1/regions/:code',
    {
      schema: {
        tags: ['territory'],
        summary: 'One region with its path; `geometry=true` adds the GeoJSON geometry (WGS84)',
        params: Type.Object({ code: RegionCode }),
        querystring: Type.Object({ geometry: Type.Optional(Type.Boolean()) }),
        response: { 200: RegionDetailSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => getRegion(ctx.database, request.params.code, request.query.geometry ?? false),
  );

  app.get(
    '/api/v1/categories',
    {
      schema: {
        tags: ['territory'],
        summary: 'Case categories (大类/小类) with urgency, limits and police linkage',
        response: { 200: CategoryListSchema, ...errorResponses(400) },
      },
    },
    async () => ({ items: await listCategories(ctx.database) }),
  );

  app.get(
    '/api/v1/departments',
    {
      schema: {
        tags: ['territory'],
        summary: 'Departments (条线) with their coverage',
        querystring: Type.Object({
          type: Type.Optional(Type.String({ pattern: '^[a-z_]+$' })),
          region: Type.Optional(RegionCode),
          includeDisabled: Type.Optional(
            Type.Boolean({ description: 'also the departments an administrator disabled (admin pages)' }),
          ),
        }),
        response: { 200: DepartmentListSchema, ...errorResponses(400) },
      },
    },
    async (request) => ({ items: await listDepartments(ctx.database, request.query) }),
  );
};

export default territoryRoutes;
