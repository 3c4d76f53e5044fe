import { sql, type Kysely } from 'kysely';
import { dateKeyOf, MS_PER_DAY, MS_PER_MINUTE } from '../../core/calendar/time.ts';
import {
  caseWindowDays,
  evaluateWarnings,
  newWarnings,
  recurrenceWarnings,
  repeatedDisputeWarnings,
  stabilityWarnings,
  type OpenWarning,
  type WarningCase,
  type WarningDraft,
  type WarningDwelling,
  type WarningUnit,
} from '../../core/warnings/rules.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { CaseChangePublisher, WarningChange } from '../cases/events.ts';
import { SILENT, type Logger } from '../logger.ts';
import { loadWarningPolicy } from './warning-policy.ts';
import { newRecordId } from '../ids.ts';

export interface WarningRunReport {
  at: string;
  /** false: another process held the run, or it was not due yet */
  ran: boolean;
  drafts: number;
  raised: { id: string; rule: string; ownerCode: string }[];
}

/**
 * The early-warning job (预警研判). One row (`warning_runs`) is claimed with FOR UPDATE SKIP LOCKED: one
 * process evaluates at a time, the others skip. A run is due every `intervalMinutes`, or at once when
 * `due` was set (after case intake: `markWarningsDue`). It reads the cases of the rules' window and the
 * base information, asks the core which situations deserve a warning, drops those an open warning
 * already covers, and inserts the rest with their `raise` events — all in the claiming transaction, so a
 * killed run leaves nothing and the next pass does it again; the partial unique index on open
 * `dedup_key`s is the net below the dedup check.
 */
export async function evaluateWarningRules(
  deps: { database: Database; now: () => Date; changes?: CaseChangePublisher },
  options: { force?: boolean } = {},
): Promise<WarningRunReport> {
  const now = deps.now();
  const { db } = deps.database;
  const done = await db.transaction().execute(async (trx) => {
    const report: WarningRunReport = { at: now.toISOString(), ran: false, drafts: 0, raised: [] };
    const claimed = await sql<{
      last_run_at: Date | null;
      due: boolean;
    }>`select last_run_at, due from warning_runs where id for update skip locked`.execute(trx);
    const run = claimed.rows[0];
    if (!run) return report;
    const policy = await loadWarningPolicy(trx);
    const lastRun = run.last_run_at ? new Date(run.last_run_at).getTime() : null;
    const notYet = lastRun !== null && now.getTime() - lastRun < policy.intervalMinutes * MS_PER_MINUTE;
    if (!options.force && !run.due && notYet) return report;

    const inputs = {
      cases: await readCases(trx, now, caseWindowDays(policy)),
      dwellings: await readDwellings(trx),
      units: await readUnits(trx),
      now,
      today: dateKeyOf(now),
    };
    const drafts = evaluateWarnings(inputs, policy);
    const open = await readOpenWarnings(trx);
    const fresh = newWarnings(drafts, open);
    report.ran = true;
    report.drafts = drafts.length;
    report.raised = await raise(trx, fresh, now);
    await sql`update warning_runs set last_run_at = ${now}, due = false, runs = runs + 1 where id`.execute(
      trx,
    );
    return report;
  });
  announce(deps.changes, done.raised, now);
  return done;
}

/** After commit: the owning centres' consoles learn of the new warnings (live, best effort). */
function announce(changes: CaseChangePublisher | undefined, raised: WarningRunReport['raised'], now: Date) {
  if (raised.length === 0) return;
  changes?.publishWarnings?.(
    raised.map((r): WarningChange => ({
      warningId: r.id,
      rule: r.rule,
      action: 'raise',
      state: 'new',
      ownerCode: r.ownerCode,
      at: now.toISOString(),
    })),
  );
}

/** Inserts the drafts that have an owning centre, with their `raise` events. */
async function raise(trx: Kysely<DB>, fresh: WarningDraft[], now: Date): Promise<WarningRunReport['raised']> {
  const raised: WarningRunReport['raised'] = [];
  for (const draft of fresh) {
    const place = await placeOf(trx, draft);
    if (!place) continue; // outside every street: no centre owns it
    const id = newRecordId();
    await trx
      .insertInto('warnings')
      .values({
        id,
        rule: draft.rule,
        dedup_key: draft.dedupKey,
        category_code: draft.categoryCode,
        case_ids: draft.caseIds,
        record_ids: draft.recordIds,
        facts: JSON.stringify(draft.facts) as unknown as Record<string, number | string>,
        lat: draft.lat,
        lon: draft.lon,
        address_id: draft.addressId,
        ...place,
        owner_code: place.street_code,
        raised_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('warning_events')
      .values({ warning_id: id, action: 'raise', actor_id: null, at: now, note: null })
      .execute();
    raised.push({ id, rule: draft.rule, ownerCode: place.street_code });
  }
  return raised;
}

/** The case actions after which the place's case rules are evaluated at once (new or re-categorised evidence). */
export const TRIGGERING_ACTIONS: ReadonlySet<string> = new Set(['report', 'register', 'reopen']);

export interface NearbyRunReport {
  /** false: the case is gone, or another process held the run (the scheduled pass covers it: `due` is set) */
  ran: boolean;
  drafts: number;
  raised: WarningRunReport['raised'];
}

/**
 * Triggered evaluation (issue 13: rules run "as cases change"): after a case is reported, registered or
 * reopened, the rules about places — recurrence, stability signals, repeated disputes — are evaluated
 * for the cases around it, at once rather than at the next scheduled pass. Only drafts that contain the
 * case are raised (the situation it changed). It claims the same `warning_runs` row with SKIP LOCKED, so
 * it never runs beside another evaluation (exactly once across processes); when the row is held it
 * leaves the work to the scheduled pass, which `markWarningsDue` makes due first. Hot spots need every
 * cell's baseline and stay with the scheduled pass. Never throws: the caller's intake has committed.
 */
export async function evaluateWarningsNear(
  deps: { database: Database; now: () => Date; changes?: CaseChangePublisher; log?: Logger },
  caseId: string,
): Promise<NearbyRunReport> {
  const log = deps.log ?? SILENT;
  const none: NearbyRunReport = { ran: false, drafts: 0, raised: [] };
  try {
    const { db } = deps.database;
    await markWarningsDue(db); // whatever happens below, the next scheduled pass looks again
    const now = deps.now();
    const report = await db.transaction().execute(async (trx) => {
      const claimed = await sql`select id from warning_runs where id for update skip locked`.execute(trx);
      if (claimed.rows.length === 0) return none;
      const kase = await trx
        .selectFrom('cases')
        .select(['lat', 'lon', 'source'])
        .where('id', '=', caseId)
        .executeTakeFirst();
      if (!kase || kase.source === 'warning') return none;
      const policy = await loadWarningPolicy(trx);
      const days = Math.max(policy.recurrenceDays, policy.disputeDays, policy.stabilityDays);
      // a cluster's members lie within one radius of its seed, so two radii hold every cluster the case can join;
      // a third catches seeds whose own gathering changes the greedy order nearby
      const reach = 3 * Math.max(policy.recurrenceRadiusM, policy.stabilityRadiusM);
      const cases = await readCases(trx, now, days, { lat: kase.lat, lon: kase.lon, metres: reach });
      const drafts = [
        ...recurrenceWarnings(cases, now, policy),
        ...repeatedDisputeWarnings(cases, now, policy),
        ...stabilityWarnings(cases, now, policy),
      ].filter((d) => d.caseIds.includes(caseId));
      const fresh = newWarnings(drafts, await readOpenWarnings(trx));
      return { ran: true, drafts: drafts.length, raised: await raise(trx, fresh, now) };
    });
    announce(deps.changes, report.raised, now);
    return report;
  } catch (error) {
    log.error({ err: error, caseId }, 'warning rules after a case change failed; the scheduled pass retries');
    return none;
  }
}

/** After case intake: the next pass of the job evaluates at once (cheap: one row update). */
export async function markWarningsDue(db: Kysely<DB>): Promise<void> {
  await sql`update warning_runs set due = true where id and not due`.execute(db);
}

async function readCases(
  db: Kysely<DB>,
  now: Date,
  days: number,
  near?: { lat: number; lon: number; metres: number },
): Promise<WarningCase[]> {
  let q = db
    .selectFrom('cases')
    .leftJoin('categories', 'categories.code', 'cases.category_code')
    .select([
      'cases.id',
      'cases.category_code',
      'categories.stability',
      'cases.lat',
      'cases.lon',
      'cases.address_id',
      'cases.reported_at',
      'cases.source',
    ])
    .where('cases.reported_at', '>', new Date(now.getTime() - days * MS_PER_DAY))
    .where('cases.reported_at', '<=', now);
  if (near) {
    // a box around the place (the rules measure exact distances); 110 km per degree errs on the wide side
    const dLat = near.metres / 110_000;
    const dLon = dLat / Math.cos((Math.min(89, Math.abs(near.lat)) * Math.PI) / 180);
    q = q
      .where('cases.lat', '>=', near.lat - dLat)
      .where('cases.lat', '<=', near.lat + dLat)
      .where('cases.lon', '>=', near.lon - dLon)
      .where('cases.lon', '<=', near.lon + dLon);
  }
  const rows = await q.execute();
  return rows
    .filter((r) => r.source !== 'warning') // a warning turned into a case is not evidence of itself
    .map((r) => ({
      id: r.id,
      categoryCode: r.category_code,
      stability: r.stability ?? false,
      lat: r.lat,
      lon: r.lon,
      addressId: r.address_id,
      reportedAt: new Date(r.reported_at),
    }));
}

async function readDwellings(db: Kysely<DB>): Promise<WarningDwelling[]> {
  const rows = await sql<{
    id: string;
    address_id: string;
    lat: number;
    lon: number;
    area_m2: number | null;
    occupants: number;
  }>`select d.id, d.address_id, a.lat, a.lon, d.area_m2, count(p.id)::int as occupants
    from base_dwellings d
    join base_addresses a on a.id = d.address_id and a.lat is not null
    join base_people p on p.dwelling_id = d.id and p.status = 'present'
    where d.use in ('residential', 'mixed')
    group by d.id, d.address_id, a.lat, a.lon, d.area_m2
    having count(p.id) >= 2`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    addressId: r.address_id,
    lat: r.lat,
    lon: r.lon,
    areaM2: r.area_m2,
    occupants: r.occupants,
  }));
}

async function readUnits(db: Kysely<DB>): Promise<WarningUnit[]> {
  const rows = await db
    .selectFrom('base_units as u')
    .leftJoin('base_addresses as a', 'a.id', 'u.address_id')
    .select([
      'u.id',
      'u.address_id',
      'a.lat',
      'a.lon',
      'u.industry',
      'u.licence_status',
      sql<string | null>`to_char(u.licence_expires_on, 'YYYY-MM-DD')`.as('expires'),
      'u.status',
    ])
    .where('u.industry', 'in', ['catering', 'food_workshop', 'clinic'])
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    addressId: r.address_id,
    lat: r.lat,
    lon: r.lon,
    industry: r.industry,
    licenceStatus: r.licence_status,
    licenceExpiresOn: r.expires,
    status: r.status,
  }));
}

async function readOpenWarnings(db: Kysely<DB>): Promise<OpenWarning[]> {
  const rows = await db
    .selectFrom('warnings')
    .select(['rule', 'dedup_key', 'category_code', 'case_ids', 'record_ids'])
    .where('state', 'in', ['new', 'acknowledged'])
    .execute();
  return rows.map((r) => ({
    rule: r.rule,
    dedupKey: r.dedup_key,
    categoryCode: r.category_code,
    caseIds: r.case_ids,
    recordIds: r.record_ids,
  }));
}

interface Place {
  district_code: string | null;
  street_code: string;
  committee_code: string | null;
  grid_code: string | null;
}

/** The region codes of a warning: its standard address's, else those of its first evidence case. */
async function placeOf(db: Kysely<DB>, draft: WarningDraft): Promise<Place | null> {
  if (draft.addressId) {
    const a = await db
      .selectFrom('base_addresses')
      .select(['street_code', 'committee_code', 'grid_code'])
      .where('id', '=', draft.addressId)
      .executeTakeFirst();
    if (a) return { district_code: a.street_code.slice(0, 6), ...a };
  }
  const caseId = draft.caseIds[0];
  if (!caseId) return null;
  const c = await db
    .selectFrom('cases')
    .select(['district_code', 'street_code', 'committee_code', 'grid_code'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  return c?.street_code ? { ...c, street_code: c.street_code } : null;
}
