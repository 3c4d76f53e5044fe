import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createCase } from '../../app/cases/create-case.ts';
import { getCase } from '../../app/cases/get-case.ts';
import { IDEMPOTENCY_KEY } from '../../app/cases/idempotency.ts';
import { listCases } from '../../app/cases/list-cases.ts';
import { performCaseAction } from '../../app/cases/perform-case-action.ts';
import { AppError } from '../../core/errors.ts';
import {
  CASE_ACTIONS,
  CASE_SOURCES,
  CASE_STATE_LIST,
  CASE_STATES,
  type CaseState,
} from '../../core/workflow/index.ts';
import type { CaseSource } from '../../db/schema/cases.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import { ProblemSchema } from '../problem.ts';
import {
  CaseActionResultSchema,
  CaseDetailSchema,
  CaseListSchema,
  CreateCaseResultSchema,
} from '../schemas/cases.ts';

const literals = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
export const SOURCES = Object.keys(CASE_SOURCES) as CaseSource[];
const Source = literals(SOURCES, {
  description: Object.entries(CASE_SOURCES)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · '),
});
const Urgency = literals(['normal', 'urgent'] as const);
const CategoryCode = Type.String({
  pattern: '^[0-9]{2}([0-9]{2})?$',
  description: '大类 (2 digits) or 小类 (4 digits)',
});
const AttachmentId = Type.String({ minLength: 1, maxLength: 100 });
const Photos = (minItems = 0) => Type.Array(AttachmentId, { minItems, maxItems: 30, uniqueItems: true });
const CaseRef = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'case id (UUID) or case number (310112-2026-000123)',
});

const CreateCaseBody = Type.Object(
  {
    source: Type.Optional(Source),
    category: Type.Optional(Type.Union([CategoryCode, Type.Null()])),
    urgency: Type.Optional(Urgency),
    description: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    location: Type.Object(
      {
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        crs: Type.Optional(
          literals(['wgs84', 'gcj02', 'bd09'] as const, { description: 'datum of lon/lat (default wgs84)' }),
        ),
      },
      { additionalProperties: false },
    ),
    address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    addressId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
        description:
          'the standard address (一址一档, /api/v1/base/addresses) the case is at; must lie in the street of the location',
      }),
    ),
    photos: Type.Optional(Photos()),
    selfHandled: Type.Optional(
      Type.Object(
        { result: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }), afterPhotos: Photos(1) },
        {
          additionalProperties: false,
          description: '自行处置: fixed on the spot; `photos` are the before photos',
        },
      ),
    ),
    reporter: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100 })),
          phone: Type.Optional(Type.String({ maxLength: 40 })),
        },
        { additionalProperties: false, description: 'whom to contact (the caller of a hotline report)' },
      ),
    ),
  },
  { additionalProperties: false, $id: 'CreateCaseBody' },
);

export const ListQuery = Type.Object({
  state: Type.Optional(
    Type.Array(Type.String({ maxLength: 200 }), {
      description: 'one or more states (repeat or comma-separate)',
    }),
  ),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  committee: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  grid: Type.Optional(Type.String({ pattern: '^[0-9]{14}$' })),
  category: Type.Optional(CategoryCode),
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  overdue: Type.Optional(Type.Boolean()),
  colour: Type.Optional(literals(['green', 'yellow', 'red'] as const)),
  source: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
  urgency: Type.Optional(Urgency),
  supervised: Type.Optional(Type.Boolean()),
  text: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(literals(['deadline', 'newest'] as const)),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};

/** Splits repeated and comma-separated values and checks each against the allowed ones. */
export function listOf<T extends string>(
  values: string[] | undefined,
  allowed: readonly T[],
  name: string,
): T[] | undefined {
  if (!values) return undefined;
  const items = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0) {
    throw new AppError('validation_failed', `Unknown ${name}: ${bad.join(', ')}`, {
      problems: [{ path: `/${name}`, message: `allowed: ${allowed.join(', ')}` }],
    });
  }
  return items as T[];
}

const actionList = Object.entries(CASE_ACTIONS)
  .filter(([a]) => a !== 'report')
  .map(([a, zh]) => `\`${a}\` ${zh}`)
  .join(' · ');

/** Cases: intake, queues, detail with timeline and allowed actions, and workflow actions. */
const caseRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = caseServices(ctx, app);

  app.post(
    '/api/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Report a case (上报)',
        description:
          'The location decides grid, committee, street and owning centre; the category decides police linkage and ' +
          'the departments (responsibility matrix). Upload photos first (POST /api/v1/attachments) and name them here. ' +
          'Send an `Idempotency-Key` header so a retry never creates a second case: the same key and body answer ' +
          'with the first case (header `Idempotent-Replayed: true`); the same key with another body is 409.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: CreateCaseBody,
        response: {
          201: CreateCaseResultSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new AppError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters');
      }
      const result = await createCase(deps, actor, request.body, {
        idempotencyKey: key,
        clientAddress: request.ip,
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases in your scope, filtered, ordered by deadline (cursor pagination)',
        description: `States: ${CASE_STATE_LIST.map((s) => `${s} ${CASE_STATES[s]}`).join(' · ')}.`,
        querystring: ListQuery,
        response: { 200: CaseListSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { state, source, ...rest } = request.query;
      return listCases(deps, actor, {
        ...rest,
        state: listOf<CaseState>(state, CASE_STATE_LIST, 'state'),
        source: listOf<CaseSource>(source, SOURCES, 'source'),
      });
    },
  );

  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with its timeline (events), deadlines and the actions you may take',
        params: Type.Object({ id: CaseRef }),
        response: { 200: CaseDetailSchema, ...errors },
      },
    },
    async (request) => getCase(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/actions/:action',
    {
      schema: {
        tags: ['cases'],
        summary: 'Perform a workflow action on a case',
        // published as one operation per action with its own body schema (../openapi.ts, ../schemas/actions.ts)
        description:
          `Actions: ${actionList}. The body is the action's payload plus the case \`version\` you saw ` +
          '(a newer version answers 409 with `currentVersion`). `register` takes `category` as a code; `dispatch` ' +
          'without `leadDepartmentId` follows the responsibility matrix. 422 `invalid_transition` when the state does ' +
          'not allow the action, 403 when your role or unit may not take it.',
        params: Type.Object({ id: CaseRef, action: Type.String({ pattern: '^[a-z_]{1,40}$' }) }),
        body: Type.Object({ version: BoundedInteger({ minimum: 1 }) }, { additionalProperties: true }),
        response: { 200: CaseActionResultSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { version, ...payload } = request.body as { version: number } & Record<string, unknown>;
      return performCaseAction(
        deps,
        actor,
        { caseRef: request.params.id, action: request.params.action, version, payload },
        { clientAddress: request.ip },
      );
    },
  );
};

export default caseRoutes;
