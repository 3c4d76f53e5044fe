import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { changeCampaign, createCampaign, getCampaign, listCampaigns } from '../../app/screening/campaigns.ts';
import { exportCampaign, listFindings, listTargetPoints } from '../../app/screening/reports.ts';
import { listScreeningTasks, submitVisit } from '../../app/screening/visits.ts';
import { TASK_STATUSES } from '../../core/screening/tasks.ts';
import { SCREENING_THEMES, THEMES } from '../../core/screening/themes.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import { errorResponses, StringEnum } from '../schemas/common.ts';
import {
  CampaignBodySchema,
  CampaignChangeBodySchema,
  CampaignDetailSchema,
  CampaignListSchema,
  CampaignSchema,
  FindingListSchema,
  ScreeningThemesSchema,
  TargetPointsSchema,
  TaskListSchema,
  VisitBodySchema,
  VisitSchema,
} from '../schemas/screening.ts';

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'id (UUID)' }) });
const RoundQuery = Type.Object({ round: Type.Optional(BoundedInteger({ minimum: 1, maximum: 24 })) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxFile = Type.Unsafe<string>({
  type: 'string',
  format: 'binary',
  description: 'the tasks and their last visits as .xlsx: frozen Chinese header, typed columns',
});
const errors = errorResponses(400, 401, 403, 404);

const sendXlsx = (reply: FastifyReply, file: { filename: string; body: Buffer; rows: number }) =>
  reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('cache-control', 'no-store')
    .header('x-export-rows', String(file.rows))
    .send(file.body);

/**
 * Rolling screening (滚动排摸, issue 13): campaigns for the street and district centres, the task list
 * and visit form for coordinators and patrollers. Results follow the base-information scopes.
 */
const screeningRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { database } = ctx;
  const now = ctx.now ?? (() => new Date());
  const deps = () => ({ database, now, log: app.log });

  app.get(
    '/api/v1/screening/themes',
    {
      schema: {
        tags: ['screening'],
        summary: 'The themes, their target rules and visit forms (field definitions)',
        response: { 200: ScreeningThemesSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireActor(request);
      return {
        items: SCREENING_THEMES.map((t) => ({
          ...THEMES[t],
          rules: [...THEMES[t].rules],
          fields: [...THEMES[t].fields],
        })),
      };
    },
  );

  app.get(
    '/api/v1/screening/campaigns',
    {
      schema: {
        tags: ['screening'],
        summary: 'Campaigns reaching into your territory, newest first, with current-round figures',
        querystring: Type.Object({ state: Type.Optional(StringEnum(['active', 'closed'])) }),
        response: { 200: CampaignListSchema, ...errors },
      },
    },
    async (request) => listCampaigns({ database }, requireActor(request), request.query),
  );

  app.post(
    '/api/v1/screening/campaigns',
    {
      schema: {
        tags: ['screening'],
        summary: 'Create a campaign over your territory (street/district centre); its tasks are generated',
        body: CampaignBodySchema,
        response: { 201: CampaignSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createCampaign(deps(), requireActor(request), request.body);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/screening/campaigns/:id',
    {
      schema: {
        tags: ['screening'],
        summary: 'A campaign with the round’s progress per committee and grid, rounds compared, cases',
        params: Id,
        querystring: RoundQuery,
        response: { 200: CampaignDetailSchema, ...errors },
      },
    },
    async (request) =>
      getCampaign({ database, now }, requireActor(request), request.params.id, request.query),
  );

  app.patch(
    '/api/v1/screening/campaigns/:id',
    {
      schema: {
        tags: ['screening'],
        summary: 'Change a campaign (name, end date), start its next round, or close it (the owning centre)',
        params: Id,
        body: CampaignChangeBodySchema,
        response: { 200: CampaignSchema, ...errors, ...errorResponses(409) },
      },
    },
    async (request) => changeCampaign(deps(), requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/screening/campaigns/:id/findings',
    {
      schema: {
        tags: ['screening'],
        summary: 'The campaign’s findings (problems found) with their cases',
        params: Id,
        querystring: RoundQuery,
        response: { 200: FindingListSchema, ...errors },
      },
    },
    async (request) => listFindings({ database }, requireActor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/screening/campaigns/:id/targets',
    {
      schema: {
        tags: ['screening'],
        summary: 'The round’s targets with their status, for the map',
        params: Id,
        querystring: Type.Object({
          round: Type.Optional(BoundedInteger({ minimum: 1, maximum: 24 })),
          status: Type.Optional(StringEnum([...TASK_STATUSES])),
        }),
        response: { 200: TargetPointsSchema, ...errors },
      },
    },
    async (request) =>
      listTargetPoints({ database }, requireActor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/screening/campaigns/:id/export',
    {
      schema: {
        tags: ['screening'],
        summary: 'The campaign’s tasks and visits as .xlsx (audited)',
        params: Id,
        querystring: RoundQuery,
        produces: [XLSX],
        response: { 200: XlsxFile, ...errors },
      },
    },
    async (request, reply) => {
      const file = await exportCampaign(
        { database, now },
        requireActor(request),
        request.params.id,
        request.query,
      );
      return sendXlsx(reply, file);
    },
  );

  app.get(
    '/api/v1/screening/tasks',
    {
      schema: {
        tags: ['screening'],
        summary: 'Your open visit tasks, nearest first from the given point (coordinators, patrollers)',
        querystring: Type.Object({
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: TaskListSchema, ...errors },
      },
    },
    async (request) => listScreeningTasks({ database }, requireActor(request), request.query),
  );

  app.post(
    '/api/v1/screening/tasks/:id/visits',
    {
      schema: {
        tags: ['screening'],
        summary: 'Record a visit (form, photos, GPS); a problem found opens a case (source screening)',
        params: Id,
        body: VisitBodySchema,
        response: { 201: VisitSchema, ...errors, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const visit = await submitVisit(caseServices(ctx, app), requireActor(request), {
        taskId: request.params.id,
        ...request.body,
      });
      return reply.code(201).send(visit);
    },
  );
};

export default screeningRoutes;
