import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  listCategoryPolicy,
  setCategoryLimits,
  updateCategory,
} from '../../app/territory/manage-categories.ts';
import {
  listMatrix,
  previewRouting,
  removeMatrixRow,
  saveDepartment,
  setDepartmentActive,
  setMatrixRow,
} from '../../app/territory/manage-organisation.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger, INT4_MAX } from '../input/index.ts';
import {
  CategoryAdminSchema,
  CategoryCodeSchema,
  CategoryLimitsBodySchema,
  CategoryPolicyListSchema,
  DepartmentBodySchema,
  DepartmentStateBodySchema,
  MatrixListSchema,
  MatrixRowBodySchema,
  MatrixRowSchema,
  RegionCodeSchema,
  RoutingPreviewSchema,
  UpdateCategoryBodySchema,
} from '../schemas/admin.ts';
import { errorResponses, NoContent, StringEnum } from '../schemas/common.ts';
import { DepartmentSchema } from '../schemas/territory.ts';

/**
 * Reference-data administration (issue 11, district admins): categories (police linkage, public, time
 * limits per stage), departments with their coverage, the responsibility matrix and its preview. Every
 * change is audited in its transaction (src/app/territory/manage-*.ts).
 */
const adminReferenceRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { database } = ctx;
  const now = ctx.now ?? (() => new Date());
  const errors = errorResponses(400, 401, 403, 404, 409);

  app.get(
    '/api/v1/categories/policy',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every category with its effective time limit per stage and urgency (admins)',
        response: { 200: CategoryPolicyListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listCategoryPolicy(database, requireActor(request)) }),
  );

  app.patch(
    '/api/v1/categories/:code',
    {
      schema: {
        tags: ['admin'],
        summary: "Change a category's police linkage, public flag or default urgency (admins, audited)",
        params: Type.Object({ code: CategoryCodeSchema }),
        body: UpdateCategoryBodySchema,
        response: { 200: CategoryAdminSchema, ...errors },
      },
    },
    async (request) =>
      updateCategory(database, requireActor(request), request.params.code, request.body, {
        address: request.ip,
        now: now(),
      }),
  );

  app.put(
    '/api/v1/categories/:code/limits',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set the time limits of a category per stage and urgency (admins, audited)',
        description:
          'Replaces the limits set on the category itself; stages left out inherit (大类, handling limit, default). ' +
          'Each amount is above zero and at most a quarter year in its unit. The next case of the category gets them.',
        params: Type.Object({ code: CategoryCodeSchema }),
        body: CategoryLimitsBodySchema,
        response: { 200: CategoryAdminSchema, ...errors },
      },
    },
    async (request) =>
      setCategoryLimits(database, requireActor(request), request.params.code, request.body.limits, {
        address: request.ip,
        now: now(),
      }),
  );

  app.put(
    '/api/v1/departments/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create or change a department and the territory it covers (admins, audited)',
        params: Type.Object({
          id: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
        }),
        body: DepartmentBodySchema,
        response: { 200: DepartmentSchema, ...errors },
      },
    },
    async (request) =>
      saveDepartment(
        database,
        requireActor(request),
        { id: request.params.id, ...request.body, phone: request.body.phone ?? null },
        { address: request.ip, now: now() },
      ),
  );

  app.patch(
    '/api/v1/departments/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable or re-enable a department (admins, audited)',
        description:
          'A disabled department keeps its records, but no new case goes to it: routing by the responsibility ' +
          'matrix passes over the rows it leads, and sending a case or setting a matrix row to it is refused ' +
          '(`department_disabled`).',
        params: Type.Object({
          id: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
        }),
        body: DepartmentStateBodySchema,
        response: { 200: DepartmentSchema, ...errors },
      },
    },
    async (request) =>
      setDepartmentActive(database, requireActor(request), request.params.id, request.body.active, {
        address: request.ip,
        now: now(),
      }),
  );

  app.get(
    '/api/v1/responsibility-matrix',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rows of the responsibility matrix (权责清单), by category and territory prefix (admins)',
        querystring: Type.Object({
          category: Type.Optional(CategoryCodeSchema),
          region: Type.Optional(RegionCodeSchema),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: MatrixListSchema, ...errors },
      },
    },
    async (request) => listMatrix(database, requireActor(request), request.query),
  );

  app.put(
    '/api/v1/responsibility-matrix',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Set the row of one category × region: lead, assisting departments, police mode (admins, audited)',
        body: MatrixRowBodySchema,
        response: { 200: MatrixRowSchema, ...errors },
      },
    },
    async (request) =>
      setMatrixRow(database, requireActor(request), request.body, { address: request.ip, now: now() }),
  );

  app.delete(
    '/api/v1/responsibility-matrix/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Remove one row of the responsibility matrix (admins, audited)',
        params: Type.Object({ id: BoundedInteger({ minimum: 1, maximum: INT4_MAX }) }),
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await removeMatrixRow(database, requireActor(request), request.params.id, {
        address: request.ip,
        now: now(),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/responsibility-matrix/preview',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Where a new case of this category at this place would go, with which police linkage and limits',
        querystring: Type.Object({
          category: CategoryCodeSchema,
          region: RegionCodeSchema,
          urgency: Type.Optional(StringEnum(['normal', 'urgent'] as const)),
        }),
        response: { 200: RoutingPreviewSchema, ...errors },
      },
    },
    async (request) => previewRouting(database, requireActor(request), request.query),
  );
};

export default adminReferenceRoutes;
