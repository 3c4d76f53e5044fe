import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';

/** A subscription as administrators see it: never its secret (shown once, at creation and rotation). */
export interface WebhookSubscriptionView {
  id: string;
  name: string;
  url: string;
  eventTypes: string[];
  regionCodes: string[];
  categoryCodes: string[];
  includePersonal: boolean;
  enabled: boolean;
  /** Until when the previous secret still signs (a rotation in progress), else null. */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
}

/** Reads subscriptions (all, or the one named) with their delivery counts, newest first. */
export async function readSubscriptionViews(
  db: Kysely<DB>,
  now: Date,
  id?: string,
): Promise<WebhookSubscriptionView[]> {
  let query = db
    .selectFrom('webhook_subscriptions as s')
    .select([
      's.id',
      's.name',
      's.url',
      's.event_types',
      's.region_codes',
      's.category_codes',
      's.include_personal',
      's.enabled',
      's.previous_secret_until',
      's.created_at',
      's.updated_at',
    ])
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id');
  if (id !== undefined) query = query.where('s.id', '=', id);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('webhook_deliveries')
    .select(['subscription_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'subscription_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy(['subscription_id', 'status'])
    .execute();
  return rows.map((r) => {
    const deliveries = { pending: 0, delivered: 0, failed: 0 };
    for (const c of counts) if (c.subscription_id === r.id) deliveries[c.status] = Number(c.n);
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      eventTypes: r.event_types,
      regionCodes: r.region_codes,
      categoryCodes: r.category_codes,
      includePersonal: r.include_personal,
      enabled: r.enabled,
      previousSecretUntil:
        r.previous_secret_until && r.previous_secret_until > now
          ? r.previous_secret_until.toISOString()
          : null,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      deliveries,
    };
  });
}

export async function readSubscriptionView(
  db: Kysely<DB>,
  now: Date,
  id: string,
): Promise<WebhookSubscriptionView> {
  const [view] = await readSubscriptionViews(db, now, id);
  if (!view) throw new AppError('not_found', `No webhook subscription ${id}`);
  return view;
}
