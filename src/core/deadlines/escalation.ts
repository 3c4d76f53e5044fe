/**
 * Escalation of overdue stage clocks (DESIGN §5): "overdue cases are escalated per policy (notify the
 * department lead, then the sub-centre, then the district), each escalation exactly once". Pure: the
 * sweeper (src/app/deadlines) measures the clock with the calendar core and asks these functions which
 * level is due and who hears of it.
 */
import { isOverdue } from '../calendar/deadline.ts';
import type { NotifyTarget } from '../workflow/effects.ts';
import type { OwnerLevel } from '../workflow/snapshot.ts';

/** The event row's action for a sweeper escalation (not a workflow action: it changes no state). */
export const ESCALATION_ACTION = 'overdue_escalation';
export const ESCALATION_ACTION_NAME = '超时升级';
/** The notification kind when a clock turns yellow (80 % of its limit used). */
export const WARNING_KIND = 'deadline_warning';
export const WARNING_KIND_NAME = '临期预警';

export type EscalationLevel = 1 | 2 | 3;
export const ESCALATION_LEVELS: readonly EscalationLevel[] = [1, 2, 3];

/** Chinese names of the levels, for timelines and notifications. */
export const ESCALATION_LEVEL_NAMES: Readonly<Record<EscalationLevel, string>> = {
  1: '超时提醒责任单位',
  2: '升级至街镇分中心',
  3: '升级至区中心',
};

export interface EscalationPolicy {
  /**
   * The overrun multiple (超时倍数 = (used − limit) / limit) at which each level is reached, ascending.
   * Level 1 additionally needs the clock to be overdue, so a threshold of 0 means "as soon as overdue".
   */
  thresholds: readonly [number, number, number];
}

/** Level 1 when overdue, level 2 at 50 % over the limit, level 3 at twice the limit. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = { thresholds: [0, 0.5, 1] };

/**
 * Reads a stored policy (app_settings 'escalation_policy'); anything malformed falls back to the default
 * rather than stopping the sweeper.
 */
export function parseEscalationPolicy(value: unknown): EscalationPolicy {
  const t = (value as { thresholds?: unknown } | null)?.thresholds;
  if (!Array.isArray(t) || t.length !== 3) return DEFAULT_ESCALATION_POLICY;
  const [a, b, c] = t as unknown[];
  const valid = [a, b, c].every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
  if (!valid || !((a as number) <= (b as number) && (b as number) <= (c as number)))
    return DEFAULT_ESCALATION_POLICY;
  return { thresholds: [a as number, b as number, c as number] };
}

/** The highest level a clock has reached: 0 while on time. */
export function levelReached(policy: EscalationPolicy, limit: number, used: number): 0 | EscalationLevel {
  if (!isOverdue(limit, used)) return 0;
  const overrun = limit > 0 ? (used - limit) / limit : Infinity;
  let level: 0 | EscalationLevel = 0;
  for (const l of ESCALATION_LEVELS) if (overrun >= (policy.thresholds[l - 1] ?? Infinity)) level = l;
  // overdue always reaches level 1, whatever the first threshold says
  return level === 0 ? 1 : level;
}

/**
 * The amount of time (in the limit's unit, counted from the clock's start) at which the level after
 * `level` is reached; null when `level` is the last one.
 */
export function nextLevelAmount(
  policy: EscalationPolicy,
  limit: number,
  level: EscalationLevel,
): number | null {
  const next = policy.thresholds[level as 1 | 2];
  return level >= 3 || next === undefined ? null : limit * (1 + next);
}

/** Where an escalation notice goes: the workflow's notification targets (one target type for all notices). */
export type EscalationRecipient = NotifyTarget;

/** The facts about a case and its clock that decide who is told. */
export interface EscalationSubject {
  stage: string;
  ownerLevel: OwnerLevel;
  ownerCode: string;
  streetCode: string | null;
  districtCode: string;
  leadDepartmentId: string | null;
  assigneeId: string | null;
}

/** Stages the lead department is responsible for (signing for and handling the case). */
const DEPARTMENT_STAGES = new Set(['sign', 'handle']);

/**
 * Who hears of a level (or of a clock turning yellow, `level` 1):
 * 1 — the unit responsible for the stage: the lead department's lead (部门负责人) for signing and
 *     handling, else the centre that owns the case (and the patroller sent to verify or check);
 * 2 — the street sub-centre of the case's street;
 * 3 — the district centre.
 */
export function escalationRecipients(level: EscalationLevel, s: EscalationSubject): EscalationRecipient[] {
  switch (level) {
    case 1: {
      const responsible: EscalationRecipient[] =
        DEPARTMENT_STAGES.has(s.stage) && s.leadDepartmentId
          ? [{ kind: 'department', id: s.leadDepartmentId, role: 'dept_lead' }]
          : [{ kind: 'centre', level: s.ownerLevel, code: s.ownerCode }];
      if ((s.stage === 'verify' || s.stage === 'check') && s.assigneeId && s.assigneeId !== 'system') {
        responsible.push({ kind: 'user', userId: s.assigneeId });
      }
      return responsible;
    }
    case 2:
      return s.streetCode
        ? [{ kind: 'centre', level: 'street', code: s.streetCode }]
        : [{ kind: 'centre', level: 'district', code: s.districtCode }];
    case 3:
      return [{ kind: 'centre', level: 'district', code: s.districtCode }];
  }
}

/**
 * How an escalation event records who was told (payload `notified`): `region:<code>` (a centre),
 * `dept:<id>` or `dept:<id>#<role>` (a department's inbox, narrowed to one role), `user:<id>`,
 * `police:<committee>` (the committee's community police), `reporters`. One spelling, written by the
 * sweeper and read back by the timeline.
 */
export function describeEscalationRecipient(r: EscalationRecipient): string {
  switch (r.kind) {
    case 'user':
      return `user:${r.userId}`;
    case 'department':
      return `dept:${r.id}${r.role ? `#${r.role}` : ''}`;
    case 'centre':
      return `region:${r.code}`;
    case 'police_station':
      return `dept:${r.departmentId}`;
    case 'community_police':
      return `police:${r.committeeCode}`;
    case 'reporters':
      return 'reporters';
  }
}

/** A recorded recipient read back: what kind of inbox, its id or code, and the role it was narrowed to. */
export interface RecordedRecipient {
  kind: 'region' | 'department' | 'user' | 'police' | 'reporters';
  id: string;
  role: string | null;
}

/** Reads one entry of an escalation's `notified` list; null for anything it does not recognise. */
export function parseEscalationRecipient(value: unknown): RecordedRecipient | null {
  if (typeof value !== 'string') return null;
  if (value === 'reporters') return { kind: 'reporters', id: '', role: null };
  const m = /^(region|dept|user|police):([^#]+)(?:#(.+))?$/.exec(value);
  if (!m) return null;
  const kind = ({ region: 'region', dept: 'department', user: 'user', police: 'police' } as const)[
    m[1] as 'region' | 'dept' | 'user' | 'police'
  ];
  return { kind, id: m[2]!, role: m[3] ?? null };
}

/** What an escalation event says, read from its payload (see sweep-clock.ts); null if it is not one. */
export interface EscalationFacts {
  level: EscalationLevel;
  /** The stage whose limit ran out. */
  stage: string;
  /** Time used and the limit (extensions included), in the limit's unit. */
  used: number | null;
  limit: number | null;
  unit: string | null;
  overrunMultiple: number | null;
  /** The deadline that ran out (ISO). */
  dueAt: string | null;
  /** The stage clock (case_deadlines.id); absent on events written before it was recorded. */
  clockId: number | null;
  notified: RecordedRecipient[];
}

export function escalationFacts(payload: unknown): EscalationFacts | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const level = p.level;
  if (level !== 1 && level !== 2 && level !== 3) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  return {
    level,
    stage: str(p.stage) ?? 'unknown',
    used: num(p.used),
    limit: num(p.limit),
    unit: str(p.unit),
    overrunMultiple: num(p.overrunMultiple),
    dueAt: str(p.dueAt),
    clockId: num(p.clockId),
    notified: (Array.isArray(p.notified) ? p.notified : [])
      .map(parseEscalationRecipient)
      .filter((r): r is RecordedRecipient => r !== null),
  };
}
