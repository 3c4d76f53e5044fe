import { ESCALATION_ACTION } from '../deadlines/escalation.ts';

/**
 * The case event types a webhook subscription chooses from (DESIGN §8), mapped from the actions of the
 * case event log. Actions without a type of their own (comments, extensions, suspensions, checks…) are
 * `case.updated`; the payload always names the action itself.
 */
export const WEBHOOK_EVENT_TYPES = [
  'case.created', // 上报: a case was reported (any source)
  'case.registered', // 立案
  'case.rejected', // 不予立案
  'case.dispatched', // 派遣
  'case.signed', // 签收
  'case.handled', // 处置反馈 / 就地处置
  'case.closed', // 结案
  'case.cancelled', // 作废
  'case.escalated', // 上报上级, or an overdue escalation by the deadline sweeper
  'case.reopened', // 重新办理
  'case.merged', // 合并重复
  'case.updated', // every other action
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const BY_ACTION = new Map<string, WebhookEventType>(
  Object.entries({
    report: 'case.created',
    register: 'case.registered',
    reject: 'case.rejected',
    dispatch: 'case.dispatched',
    sign: 'case.signed',
    handle: 'case.handled',
    handle_locally: 'case.handled',
    close: 'case.closed',
    cancel: 'case.cancelled',
    escalate: 'case.escalated',
    [ESCALATION_ACTION]: 'case.escalated',
    reopen: 'case.reopened',
    merge: 'case.merged',
  } satisfies Record<string, WebhookEventType>),
);

/** The webhook event type of a case event log action. */
export function webhookEventType(action: string): WebhookEventType {
  return BY_ACTION.get(action) ?? 'case.updated';
}

/** The stable id of the message for one case event (the `webhook-id` header; receivers de-duplicate by it). */
export function webhookMessageId(eventId: number): string {
  return `evt_${eventId}`;
}
