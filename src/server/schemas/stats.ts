import { Type, type Static } from 'typebox';
import type { NotificationView } from '../../app/cases/list-notifications.ts';
import type { NotificationGroupView } from '../../app/cases/list-notification-groups.ts';
import type { StatsOverview } from '../../app/stats/overview.ts';
import { DateTime, Nullable, type SameKeys } from './common.ts';

/** Counts for the consoles, and notifications. */

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description });

export const QueueCountsSchema = Type.Object(
  { byState: Counts('open cases per state'), open: Type.Integer(), overdue: Type.Integer() },
  { $id: 'QueueCounts' },
);

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
export const StatsOverviewSchema = Type.Object(
  {
    generatedAt: DateTime,
    scope: Type.Object({
      level: Type.String(),
      code: Nullable(Type.String()),
      name: Nullable(Type.String()),
    }),
    today: Type.Object({
      intake: Type.Integer(),
      closed: Type.Integer(),
      bySource: Counts('intake per source'),
    }),
    openByState: Counts('open cases per state'),
    openByStreet: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        open: Type.Integer(),
        overdue: Type.Integer(),
      }),
    ),
    overdue: Type.Object({ total: Type.Integer(), byStage: Counts('overdue clocks per stage') }),
    onTimeByDepartment: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        handled: Type.Integer(),
        onTime: Type.Integer(),
        overdueOpen: Type.Integer(),
        rate: Rate,
      }),
      { description: '按时处置率 per lead department' },
    ),
    onTimeByStreet: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        closed: Type.Integer(),
        onTime: Type.Integer(),
        rate: Rate,
      }),
      { description: '按期结案率 per street' },
    ),
    trend: Type.Array(Type.Object({ date: Type.String(), intake: Type.Integer(), closed: Type.Integer() })),
    periodDays: Type.Integer(),
  },
  { $id: 'StatsOverview', description: 'the leader overview (领导总览)' },
);

export const NotificationSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.String(),
    caseId: Nullable(Type.String()),
    payload: Type.Unsafe<unknown>(
      Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'what the notice is about' })),
    ),
    createdAt: DateTime,
    readAt: Nullable(DateTime),
    readBy: Nullable(Type.String()),
    caseUrgent: Nullable(
      Type.Boolean({ description: 'the case is urgent (紧急) now; null when no visible case is named' }),
    ),
    recipient: Type.Object({
      userId: Nullable(Type.String()),
      departmentId: Nullable(Type.String()),
      regionCode: Nullable(Type.String()),
      role: Nullable(Type.String()),
    }),
  },
  { $id: 'Notification' },
);

export const NotificationListSchema = Type.Object(
  {
    items: Type.Array(NotificationSchema),
    unreadCount: Type.Integer(),
    nextCursor: Nullable(Type.String()),
  },
  { $id: 'NotificationList' },
);

export const NotificationGroupSchema = Type.Object(
  {
    key: Type.String({
      description: '`case:<id>` for one case’s notices, `notification:<id>` for a notice alone',
    }),
    caseId: Nullable(Type.String()),
    latest: NotificationSchema,
    count: Type.Integer({ minimum: 1, description: 'notices in the group (after the filters)' }),
    unreadCount: Type.Integer({ minimum: 0 }),
    kinds: Type.Array(Type.String()),
  },
  { $id: 'NotificationGroup', description: 'the notices of one case, newest first, as one row' },
);

export const NotificationGroupListSchema = Type.Object(
  {
    groups: Type.Array(NotificationGroupSchema),
    unreadCount: Type.Integer({ description: 'all your unread notices, whatever the filters' }),
    nextCursor: Nullable(Type.String()),
  },
  { $id: 'NotificationGroupList' },
);

export const NotificationsMarkedSchema = Type.Object(
  { marked: Type.Integer({ minimum: 0, description: 'how many unread notifications were marked read' }) },
  { $id: 'NotificationsMarked' },
);

export const MarkAllReadBodySchema = Type.Object(
  {
    kind: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$', description: 'only this kind of notice' })),
    caseId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'only the notices of this case' }),
    ),
  },
  { additionalProperties: false, $id: 'MarkAllReadBody' },
);

export const statsChecks: [
  SameKeys<StatsOverview, Static<typeof StatsOverviewSchema>>,
  SameKeys<NotificationView, Static<typeof NotificationSchema>>,
  SameKeys<NotificationGroupView, Static<typeof NotificationGroupSchema>>,
] = [true, true, true];
