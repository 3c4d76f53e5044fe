import type { Kysely } from 'kysely';
import {
  parseEscalationPolicy,
  type EscalationLevel,
  type EscalationPolicy,
} from '../../core/deadlines/escalation.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { changeOf } from '../cases/case-record.ts';
import { NO_CHANGES, type CaseChangePublisher } from '../cases/events.ts';
import { claimDue, ESCALATION_ACTION, sweepClock } from './sweep-clock.ts';
import { SILENT, type Logger } from '../logger.ts';

export { ESCALATION_ACTION, ESCALATION_ACTION_NAME, WARNING_KIND } from './sweep-clock.ts';

export interface SweepDeps {
  database: Database;
  now: () => Date;
  /** Live updates for consoles; escalations change the case (version, overdue flag). */
  changes?: CaseChangePublisher;
  /** Where a clock that cannot be measured is reported (it is skipped, and retried next pass). */
  log?: Logger;
}

export interface SweepOptions {
  /** Clocks claimed per transaction (each transaction holds its rows' locks until it commits). */
  batchSize?: number;
  /** Upper bound on transactions per pass, so one pass always ends. */
  maxBatches?: number;
}

export interface SweepReport {
  at: string;
  /** Clocks claimed and measured. */
  examined: number;
  /** Clocks that turned yellow. */
  warned: number;
  /** Clocks that turned red (the case is flagged overdue). */
  overdue: number;
  /** Escalation events written, per level. */
  escalations: Record<EscalationLevel, number>;
  /** Clocks the calendar could not measure (e.g. a limit decades long); left as they were. */
  failed: number;
  batches: number;
}

/** Reads the escalation policy (app_settings 'escalation_policy'), defaulting when absent or malformed. */
export async function loadEscalationPolicy(db: Kysely<DB>): Promise<EscalationPolicy> {
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', 'escalation_policy')
    .executeTakeFirst();
  return parseEscalationPolicy(row?.value ?? null);
}

/**
 * One pass of the deadline sweeper (DESIGN §5). Finds running stage clocks that have turned yellow or
 * red, measures each with the working calendar (suspensions and extensions included), records its
 * colour, flags the case overdue, and escalates it level by level — 1: the responsible unit's lead,
 * 2: the street sub-centre, 3: the district centre — writing for each level an event row (actor: the
 * system) and its notifications in the same transaction as the level marker.
 *
 * Safe with many processes sweeping at once: each batch claims its rows with FOR UPDATE … SKIP LOCKED
 * (a clock and its case), so a row is handled by one process at a time, and each level is raised by a
 * conditional update (`escalation_level < n`), so no level is ever written twice.
 */
export async function sweepDeadlines(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 50;
  const now = deps.now();
  const changes = deps.changes ?? NO_CHANGES;
  // read before any transaction: PGlite has one connection, nothing may read beside an open transaction
  const { calendar } = await loadCalendar(deps.database);
  const policy = await loadEscalationPolicy(deps.database.db);
  const report: SweepReport = {
    at: now.toISOString(),
    examined: 0,
    warned: 0,
    overdue: 0,
    escalations: { 1: 0, 2: 0, 3: 0 },
    failed: 0,
    batches: 0,
  };
  // a pass walks the clocks once in id order: a clock it could not settle waits for the next pass
  let afterId = 0;

  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await deps.database.db.transaction().execute(async (trx) => {
      const rows = await claimDue(trx, now, batchSize, afterId);
      const escalated = new Set<string>();
      for (const row of rows) {
        afterId = Math.max(afterId, Number(row.id));
        const outcome = await sweepClock(trx, { calendar, policy, now, log: deps.log ?? SILENT }, row);
        report.examined++;
        if (!outcome) {
          report.failed++;
          continue;
        }
        if (outcome.warned) report.warned++;
        if (outcome.turnedRed) report.overdue++;
        for (const level of outcome.levels) report.escalations[level]++;
        if (outcome.levels.length > 0) escalated.add(row.case_id);
      }
      const cases =
        escalated.size > 0
          ? await trx
              .selectFrom('cases')
              .selectAll()
              .where('id', 'in', [...escalated])
              .execute()
          : [];
      return { claimed: rows.length, cases };
    });
    report.batches++;
    changes.publish(done.cases.map((row) => changeOf(row, ESCALATION_ACTION, now)));
    if (done.claimed < batchSize) break;
  }
  return report;
}
