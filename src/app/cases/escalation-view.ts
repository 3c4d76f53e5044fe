/**
 * The timeline's reading of the sweeper's escalation events (issue 11 §6): each event row is one level
 * reached on one stage clock, and the timeline shows it as one entry with its level, the stage whose
 * limit ran out, the time used against that limit and who was told — the recorded recipients resolved to
 * the names of the centres, departments and people they are. The event log stays the only source.
 */
import type { Kysely } from 'kysely';
import {
  ESCALATION_ACTION,
  ESCALATION_LEVEL_NAMES,
  escalationFacts,
  type EscalationFacts,
  type EscalationLevel,
  type RecordedRecipient,
} from '../../core/deadlines/escalation.ts';
import type { DB } from '../../db/schema/index.ts';

export interface EscalationRecipientView {
  kind: RecordedRecipient['kind'];
  id: string;
  /** The role the notice was narrowed to (e.g. dept_lead), or the person's role for a user. */
  role: string | null;
  /** The centre's, department's or person's name; null when it is no longer known. */
  name: string | null;
}

export interface EscalationView {
  level: EscalationLevel;
  levelName: string;
  stage: string;
  used: number | null;
  limit: number | null;
  unit: string | null;
  overrunMultiple: number | null;
  dueAt: string | null;
  clockId: number | null;
  notified: EscalationRecipientView[];
}

/** The escalation facts of the events that are escalations, by event id, with their recipients named. */
export async function escalationViews(
  db: Kysely<DB>,
  events: readonly { id: number | string; action: string; payload: unknown }[],
): Promise<Map<number, EscalationView>> {
  const facts = new Map<number, EscalationFacts>();
  for (const e of events) {
    if (e.action !== ESCALATION_ACTION) continue;
    const f = escalationFacts(e.payload);
    if (f) facts.set(Number(e.id), f);
  }
  if (facts.size === 0) return new Map();
  const ids = (kind: RecordedRecipient['kind']) => [
    ...new Set(
      [...facts.values()].flatMap((f) => f.notified.filter((r) => r.kind === kind).map((r) => r.id)),
    ),
  ];
  const [regionCodes, departmentIds, userIds] = [ids('region'), ids('department'), ids('user')];
  const [regions, departments, users] = await Promise.all([
    regionCodes.length > 0
      ? db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute()
      : Promise.resolve([]),
    departmentIds.length > 0
      ? db.selectFrom('departments').select(['id', 'name']).where('id', 'in', departmentIds).execute()
      : Promise.resolve([]),
    userIds.length > 0
      ? db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', 'in', userIds).execute()
      : Promise.resolve([]),
  ]);
  const regionName = new Map(regions.map((r) => [r.code, r.name]));
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const user = new Map(users.map((u) => [u.id, u]));
  const named = (r: RecordedRecipient): EscalationRecipientView => {
    switch (r.kind) {
      case 'region':
        return { ...r, name: regionName.get(r.id) ?? null };
      case 'department':
        return { ...r, name: departmentName.get(r.id) ?? null };
      case 'user': {
        const u = user.get(r.id);
        return { ...r, role: u?.role ?? null, name: u?.display_name ?? null };
      }
      case 'police':
      case 'reporters':
        return { ...r, name: null };
    }
  };
  return new Map(
    [...facts].map(([id, f]) => [
      id,
      { ...f, levelName: ESCALATION_LEVEL_NAMES[f.level], notified: f.notified.map(named) },
    ]),
  );
}
