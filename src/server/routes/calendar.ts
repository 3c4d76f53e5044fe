import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { importCalendarYear } from '../../app/calendar/import-calendar-year.ts';
import {
  calculateDue,
  calendarYearsStatus,
  listCalendarDays,
  listCalendarOverrides,
} from '../../app/calendar/query-calendar.ts';
import { removeCalendarOverride } from '../../app/calendar/remove-calendar-override.ts';
import { setCalendarOverride } from '../../app/calendar/set-calendar-override.ts';
import { setCalendarSettings } from '../../app/calendar/set-calendar-settings.ts';
import { formatShanghai, parseInstant } from '../../core/calendar/time.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { requireActor } from '../auth.ts';
import { BoundedInteger, DateKey as InputDateKey } from '../input/index.ts';
import { ProblemSchema } from '../problem.ts';

// a date that exists (no 2026-02-30, 2026-13-01, 0000-01-01), within the years the calendar holds
const DateKey = InputDateKey();
const Unit = Type.Union(
  [
    Type.Literal('urgent_hour'),
    Type.Literal('work_hour'),
    Type.Literal('work_day'),
    Type.Literal('natural_day'),
  ],
  { description: '紧急时 clock hours · 工作时 working hours · 工作日 working days · 自然日 calendar days' },
);
const Day = Type.Object(
  {
    date: Type.String(),
    kind: Type.Union([
      Type.Literal('workday'),
      Type.Literal('weekend'),
      Type.Literal('holiday'),
      Type.Literal('makeup_workday'),
    ]),
    workday: Type.Boolean(),
    source: Type.Union([
      Type.Literal('official'),
      Type.Literal('override'),
      Type.Literal('statutory_fallback'),
      Type.Literal('weekday_rule'),
    ]),
    name: Type.Union([Type.String(), Type.Null()]),
    provisional: Type.Boolean({ description: 'the year has no published schedule yet: may change' }),
  },
  { $id: 'CalendarDay' },
);
const Segment = Type.Object({
  start: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
  end: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
});
const Override = Type.Object(
  {
    date: Type.String(),
    kind: Type.Union([Type.Literal('workday'), Type.Literal('holiday')]),
    note: Type.String(),
    updatedBy: Type.String(),
    updatedAt: Type.String({ description: 'ISO 8601 with +08:00' }),
  },
  { $id: 'CalendarOverride' },
);
const Settings = Type.Object(
  {
    segments: Type.Array(Segment),
    confirmedYears: Type.Array(Type.Integer()),
    version: Type.Integer(),
  },
  { $id: 'CalendarSettings' },
);

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * The working calendar (工作日历) and deadline arithmetic. Reading (due dates, days) needs no login: the
 * calendar is public information. Overrides and settings are for administrators.
 */
const calendarRoutes: FastifyPluginAsyncTypebox<{ database: Database; now?: () => Date }> = async (
  app,
  opts,
) => {
  const { database } = opts;
  const now = opts.now ?? (() => new Date());

  app.get(
    '/api/v1/calendar/due',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Due date of a time limit started at `start` (Asia/Shanghai working calendar)',
        querystring: Type.Object({
          start: Type.String({ description: 'ISO 8601 date-time; without an offset it is Beijing time' }),
          amount: Type.Number({ minimum: 0, maximum: 100_000 }),
          unit: Unit,
        }),
        response: {
          200: Type.Object(
            {
              due: Type.String({ description: 'ISO 8601 with +08:00' }),
              provisional: Type.Boolean({ description: 'depends on a year without a published schedule' }),
            },
            { $id: 'DueDate' },
          ),
          400: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request) => {
      const start = parseInstant(request.query.start);
      if (!start) {
        throw new AppError(
          'validation_failed',
          `start must be an ISO 8601 date-time, got ${request.query.start}`,
        );
      }
      const { due, provisional } = await calculateDue(database, {
        start,
        amount: request.query.amount,
        unit: request.query.unit,
      });
      return { due: formatShanghai(due), provisional };
    },
  );

  app.get(
    '/api/v1/calendar/days',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Each day of a range (at most 366 days): workday / weekend / holiday / make-up workday (调休)',
        querystring: Type.Object({ from: DateKey, to: DateKey }),
        response: {
          200: Type.Object(
            { from: Type.String(), to: Type.String(), items: Type.Array(Day) },
            { $id: 'CalendarDays' },
          ),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return { from, to, items: await listCalendarDays(database, from, to) };
    },
  );

  app.get(
    '/api/v1/calendar/overrides',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Admin overrides of the official schedule, and the calendar settings (admin)',
        querystring: Type.Object({ from: Type.Optional(DateKey), to: Type.Optional(DateKey) }),
        response: {
          200: Type.Object({ items: Type.Array(Override), settings: Settings }, { $id: 'CalendarOverrides' }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { items, settings } = await listCalendarOverrides(database, requireActor(request), request.query);
      return { items: items.map((o) => ({ ...o, updatedAt: formatShanghai(o.updatedAt) })), settings };
    },
  );

  app.put(
    '/api/v1/calendar/overrides/:date',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Set the override of one date: workday (上班, 调休) or holiday (放假) (admin)',
        params: Type.Object({ date: DateKey }),
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('workday'), Type.Literal('holiday')]),
            note: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { $id: 'CalendarOverrideBody' },
        ),
        response: { 200: Day, ...errors },
      },
    },
    async (request) =>
      setCalendarOverride(
        database,
        requireActor(request),
        { date: request.params.date, ...request.body },
        new Date(),
      ),
  );

  app.delete(
    '/api/v1/calendar/overrides/:date',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Remove the override of one date (admin)',
        params: Type.Object({ date: DateKey }),
        response: { 200: Day, ...errors },
      },
    },
    async (request) => removeCalendarOverride(database, requireActor(request), request.params.date, now()),
  );

  app.put(
    '/api/v1/calendar/settings',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Working segments and the years entered completely as overrides (admin)',
        body: Type.Object(
          {
            segments: Type.Optional(Type.Array(Segment, { minItems: 1, maxItems: 8 })),
            confirmedYears: Type.Optional(
              Type.Array(BoundedInteger({ minimum: 2000, maximum: 2100 }), { maxItems: 100 }),
            ),
          },
          { $id: 'CalendarSettingsBody' },
        ),
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => setCalendarSettings(database, requireActor(request), request.body, now()),
  );

  app.get(
    '/api/v1/calendar/years',
    {
      schema: {
        tags: ['calendar'],
        summary: 'The current and next year: is their holiday schedule known, or provisional?',
        description:
          'A provisional year knows only its statutory holidays; bridge days and make-up working weekends ' +
          '(调休) come with the official schedule, which an administrator loads with POST /api/v1/calendar/import.',
        response: {
          200: Type.Object(
            {
              items: Type.Array(
                Type.Object({
                  year: Type.Integer(),
                  provisional: Type.Boolean(),
                  source: Type.Union([
                    Type.Literal('package'),
                    Type.Literal('confirmed'),
                    Type.Literal('statutory'),
                  ]),
                }),
              ),
            },
            { $id: 'CalendarYears', description: 'whether the current and next year are provisional' },
          ),
          ...errors,
        },
      },
    },
    async () => ({ items: await calendarYearsStatus(database, now()) }),
  );

  app.post(
    '/api/v1/calendar/import',
    {
      schema: {
        tags: ['calendar'],
        summary: "Load a year's official holiday schedule in one step (admin)",
        description:
          'The file as text: CSV lines `date,kind,name` (kind holiday/休 or workday/班) or JSON ' +
          '`{"year", "holidays": [...], "workdays": [...]}`. Any problem (impossible date, duplicate, a date ' +
          'both holiday and workday, another year) answers 400 with every problem and writes nothing. ' +
          "Otherwise the year's overrides are replaced, the year is confirmed (no longer provisional) and " +
          'running deadlines that depend on it are recomputed, in one transaction.',
        body: Type.Object(
          {
            content: Type.String({ minLength: 1, maxLength: 100_000, description: 'the CSV or JSON text' }),
            year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
          },
          { $id: 'CalendarImportBody' },
        ),
        response: {
          200: Type.Object(
            {
              year: Type.Integer(),
              holidays: Type.Integer(),
              workdays: Type.Integer(),
              replaced: Type.Integer({ description: "the year's overrides before, now replaced" }),
              recomputedClocks: Type.Integer({ description: 'running deadlines whose due date changed' }),
            },
            { $id: 'CalendarImportResult' },
          ),
          ...errors,
        },
      },
    },
    async (request) => importCalendarYear(database, requireActor(request), request.body, now()),
  );
};

export default calendarRoutes;
