import {
  buildWebhookPayload,
  matchesWebhookFilter,
  webhookEventType,
  webhookMessageId,
} from '../../core/webhooks/index.ts';
import type { WebhookDeps } from './deps.ts';

export interface FanOutOptions {
  /** Outbox rows claimed per transaction. */
  batchSize?: number;
  /** Upper bound on transactions per pass, so one pass always ends. */
  maxBatches?: number;
}

/**
 * Turns outbox rows (one per committed case event, written by appendCaseEvents) into one delivery per
 * enabled subscription that wants the event, and removes the rows — in one transaction per batch, with the
 * rows claimed FOR UPDATE SKIP LOCKED, so several processes share the work and an event is fanned out once
 * (a crash before commit leaves the rows for the next pass; `unique (subscription_id, event_id)` is the
 * backstop). The body is built here, once, from the case as it is now, so every retry sends the same bytes.
 * Returns the number of events fanned out.
 */
export async function fanOutWebhookEvents(deps: WebhookDeps, options: FanOutOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const now = deps.now();
    const n = await deps.database.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('webhook_outbox as o')
        .innerJoin('case_events as e', 'e.id', 'o.event_id')
        .innerJoin('cases as c', 'c.id', 'e.case_id')
        .select([
          'o.event_id',
          'e.seq',
          'e.at',
          'e.action',
          'e.from_state',
          'e.to_state',
          'e.actor_role',
          'e.actor_unit',
          'e.actor_name',
          'e.payload',
          'c.id as case_id',
          'c.case_no',
          'c.source',
          'c.category_code',
          'c.urgency',
          'c.description',
          'c.address',
          'c.lon',
          'c.lat',
          'c.district_code',
          'c.street_code',
          'c.committee_code',
          'c.grid_code',
          'c.lead_department_id',
          'c.reporter_name',
          'c.reporter_phone',
        ])
        .orderBy('o.event_id')
        .limit(batchSize)
        .forUpdate(['o'])
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const subscriptions = await trx
        .selectFrom('webhook_subscriptions')
        .select(['id', 'event_types', 'region_codes', 'category_codes', 'include_personal'])
        .where('enabled', '=', true)
        .execute();
      const deliveries = [];
      for (const r of rows) {
        const eventId = Number(r.event_id);
        const type = webhookEventType(r.action);
        const facts = {
          categoryCode: r.category_code,
          districtCode: r.district_code,
          streetCode: r.street_code,
          committeeCode: r.committee_code,
          gridCode: r.grid_code,
        };
        const wanting = subscriptions.filter((s) =>
          matchesWebhookFilter(
            { eventTypes: s.event_types, regionCodes: s.region_codes, categoryCodes: s.category_codes },
            type,
            facts,
          ),
        );
        if (wanting.length === 0) continue;
        const messageId = webhookMessageId(eventId);
        const source = {
          messageId,
          type,
          event: {
            seq: r.seq,
            at: r.at,
            action: r.action,
            fromState: r.from_state,
            toState: r.to_state,
            actorRole: r.actor_role,
            actorUnit: r.actor_unit,
            actorName: r.actor_name,
            payload: r.payload,
          },
          case: {
            id: r.case_id,
            caseNo: r.case_no,
            source: r.source,
            categoryCode: r.category_code,
            urgency: r.urgency,
            description: r.description,
            address: r.address,
            lon: r.lon,
            lat: r.lat,
            districtCode: r.district_code,
            streetCode: r.street_code,
            committeeCode: r.committee_code,
            gridCode: r.grid_code,
            leadDepartmentId: r.lead_department_id,
            reporterName: r.reporter_name,
            reporterPhone: r.reporter_phone,
          },
        };
        const bodies = new Map<boolean, string>();
        for (const s of wanting) {
          let body = bodies.get(s.include_personal);
          if (body === undefined) {
            body = JSON.stringify(buildWebhookPayload(source, s.include_personal));
            bodies.set(s.include_personal, body);
          }
          deliveries.push({
            subscription_id: s.id,
            event_id: eventId,
            case_id: r.case_id,
            event_type: type,
            message_id: messageId,
            body,
            window_start: now,
            next_attempt_at: now,
            created_at: now,
          });
        }
      }
      for (let i = 0; i < deliveries.length; i += 500) {
        await trx
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + 500))
          .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
          .execute();
      }
      await trx
        .deleteFrom('webhook_outbox')
        .where(
          'event_id',
          'in',
          rows.map((r) => r.event_id),
        )
        .execute();
      return rows.length;
    });
    total += n;
    if (n < batchSize) break;
  }
  return total;
}
