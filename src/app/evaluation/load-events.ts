import { sql, type Kysely } from 'kysely';
import type { EvaluationEvent } from '../../core/evaluation/index.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';

/** Case ids per query of their events. */
const CHUNK = 2000;

/**
 * The event rows an evaluation needs: every event before `end` of the cases that have an event in
 * [from, end) — earlier events say who the lead department was and whether the case had gone overdue —
 * with the case attributes fixed at intake. `street` narrows to the cases of one street. The payload
 * fields the indicators read are extracted in SQL, so payloads never leave the database.
 */
export async function loadEvaluationEvents(
  database: Database,
  range: { from: Date; end: Date; street?: string | null },
): Promise<EvaluationEvent[]> {
  const { db } = database;
  // the active cases first (from the index on case_events.at), then their events by (case_id, seq): the
  // planner never has to hash the whole log
  let active = db
    .selectFrom('case_events as a')
    .select('a.case_id')
    .distinct()
    .where('a.at', '>=', range.from)
    .where('a.at', '<', range.end);
  if (range.street) {
    active = active.innerJoin('cases as ac', 'ac.id', 'a.case_id').where('ac.street_code', '=', range.street);
  }
  const ids = (await active.execute()).map((r) => r.case_id);
  const rows: EvaluationEvent[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    rows.push(...(await caseEvaluationEvents(database.db, ids.slice(i, i + CHUNK), range.end)));
  return rows;
}

/** Every event (before `end`, if given) of the cases `ids`, as the evaluation reads them. */
export async function caseEvaluationEvents(
  db: Kysely<DB>,
  ids: readonly string[],
  end: Date | null = null,
): Promise<EvaluationEvent[]> {
  if (ids.length === 0) return [];
  const rows = await eventsOf(db, ids, end);
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: r.case_id,
    caseNo: r.case_no,
    at: new Date(r.at),
    action: r.action,
    toState: r.to_state,
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role,
    actorUnit: r.actor_unit,
    stage: r.stage,
    onTime: r.on_time,
    leadDepartmentId: r.lead,
    passed: r.passed === null ? null : r.passed === 'true',
    escalatedStage: r.esc,
    satisfaction: r.satisfaction,
    source: r.source,
    street: r.street_code,
    committee: r.committee_code,
    grid: r.grid_code,
  }));
}

function eventsOf(db: Kysely<DB>, ids: readonly string[], end: Date | null) {
  let q = db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .where('e.case_id', '=', sql<string>`any(${ids}::text[])`);
  if (end) q = q.where('e.at', '<', end);
  return q
    .select([
      'e.id',
      'e.case_id',
      'c.case_no',
      'e.at',
      'e.action',
      'e.to_state',
      'e.actor_user_id',
      'e.actor_role',
      'e.actor_unit',
      'e.stage',
      'e.on_time',
      sql<string | null>`e.payload->>'leadDepartmentId'`.as('lead'),
      sql<string | null>`e.payload->>'passed'`.as('passed'),
      sql<string | null>`case when e.action = 'overdue_escalation' then e.payload->>'stage' end`.as('esc'),
      sql<string | null>`case when e.action = 'follow_up' then e.payload->>'satisfaction' end`.as(
        'satisfaction',
      ),
      'c.source',
      'c.street_code',
      'c.committee_code',
      'c.grid_code',
    ])
    .execute();
}
