import type { WebhookEventType } from './events.ts';

/** One case event and the case it belongs to, as read when the delivery is made. */
export interface WebhookEventSource {
  messageId: string;
  type: WebhookEventType;
  event: {
    seq: number;
    at: Date;
    action: string;
    fromState: string | null;
    toState: string;
    actorRole: string;
    actorUnit: string;
    actorName: string | null;
    payload: unknown;
  };
  case: {
    id: string;
    caseNo: string;
    source: string;
    categoryCode: string | null;
    urgency: string;
    description: string;
    address: string | null;
    lon: number;
    lat: number;
    districtCode: string;
    streetCode: string | null;
    committeeCode: string | null;
    gridCode: string | null;
    leadDepartmentId: string | null;
    reporterName: string | null;
    reporterPhone: string | null;
  };
}

/**
 * The body of a webhook (Standard Webhooks shape: `type`, `timestamp`, `data`). Without `includePersonal`
 * it carries no personal data: no reporter name or phone, no names of the staff who acted, and not the
 * action's free payload (notes and comments may name people); the action, the states and the case's
 * place and category are always there.
 */
export function buildWebhookPayload(source: WebhookEventSource, includePersonal: boolean): object {
  const { event, case: c } = source;
  return {
    type: source.type,
    timestamp: event.at.toISOString(),
    data: {
      id: source.messageId,
      caseId: c.id,
      caseNo: c.caseNo,
      seq: event.seq,
      action: event.action,
      fromState: event.fromState,
      toState: event.toState,
      at: event.at.toISOString(),
      actor: {
        role: event.actorRole,
        unit: event.actorUnit,
        ...(includePersonal ? { name: event.actorName } : {}),
      },
      case: {
        source: c.source,
        categoryCode: c.categoryCode,
        urgency: c.urgency,
        description: c.description,
        address: c.address,
        lon: c.lon,
        lat: c.lat,
        districtCode: c.districtCode,
        streetCode: c.streetCode,
        committeeCode: c.committeeCode,
        gridCode: c.gridCode,
        leadDepartmentId: c.leadDepartmentId,
      },
      ...(includePersonal
        ? { reporter: { name: c.reporterName, phone: c.reporterPhone }, details: event.payload ?? null }
        : {}),
    },
  };
}
