import type { Kysely, Selectable, Updateable } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { CaseScopeRow } from '../../core/policy/case-scope.ts';
import type { CaseSnapshot, PendingRequest } from '../../core/workflow/snapshot.ts';
import type { CasesTable } from '../../db/schema/cases.ts';
import type { DB } from '../../db/schema/index.ts';
import { CASE_NUMBER } from './case-number.ts';
import type { CaseChange } from './events.ts';

/** A row of the cases table as read. */
export type CaseRow = Selectable<CasesTable>;

interface PendingRequestJson extends Omit<PendingRequest, 'requestedDueAt' | 'at'> {
  requestedDueAt: string | null;
  at: string;
}

const requestsFromJson = (json: unknown): PendingRequest[] =>
  (Array.isArray(json) ? (json as PendingRequestJson[]) : []).map((r) => ({
    ...r,
    requestedDueAt: r.requestedDueAt ? new Date(r.requestedDueAt) : null,
    at: new Date(r.at),
  }));

const requestsToJson = (requests: readonly PendingRequest[]): string =>
  JSON.stringify(
    requests.map((r) => ({
      ...r,
      requestedDueAt: r.requestedDueAt?.toISOString() ?? null,
      at: r.at.toISOString(),
    })),
  );

/** The workflow's view of a stored case. */
export function toSnapshot(row: CaseRow): CaseSnapshot {
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    source: row.source,
    categoryCode: row.category_code,
    policeLinkage: row.police_mode,
    urgency: row.urgency,
    priority: row.priority,
    supervised: row.supervised,
    selfHandled: row.self_handled,
    ownerLevel: row.owner_level,
    ownerCode: row.owner_code,
    districtCode: row.district_code,
    streetCode: row.street_code ?? row.district_code,
    committeeCode: row.committee_code,
    gridCode: row.grid_code,
    policeDepartmentId: row.police_department_id,
    leadDepartmentId: row.lead_department_id,
    assistingDepartmentIds: row.assisting_department_ids,
    assigneeId: row.assignee_user_id,
    reporterIds: row.reporter_ids,
    verification: row.verification,
    pendingRequests: requestsFromJson(row.pending_requests),
    counters: {
      returns: row.return_count,
      reworks: row.rework_count,
      reopens: row.reopen_count,
      escalations: row.escalation_count,
      supervisions: row.supervision_count,
    },
    awaitingArbitration: row.awaiting_arbitration,
    arbitrated: row.arbitrated,
    deadline: row.deadline_stage ? { stage: row.deadline_stage, dueAt: row.due_at } : null,
    overdue: row.overdue,
    closureType: row.closure_type,
    mergedIntoCaseId: row.merged_into,
    satisfaction: row.satisfaction,
  };
}

/**
 * The columns to write for a workflow change set. The deadline is not copied: the stage clocks
 * (case_deadlines) are the truth and `syncCaseDeadline` copies them onto the row.
 */
export function columnsOf(changes: Partial<CaseSnapshot>): Updateable<CasesTable> {
  const set: Updateable<CasesTable> = {};
  const c = changes;
  if (c.version !== undefined) set.version = c.version;
  if (c.state !== undefined) set.state = c.state;
  if (c.categoryCode !== undefined) set.category_code = c.categoryCode;
  if (c.policeLinkage !== undefined) set.police_mode = c.policeLinkage;
  if (c.urgency !== undefined) set.urgency = c.urgency;
  if (c.priority !== undefined) set.priority = c.priority;
  if (c.supervised !== undefined) set.supervised = c.supervised;
  if (c.selfHandled !== undefined) set.self_handled = c.selfHandled;
  if (c.ownerLevel !== undefined) set.owner_level = c.ownerLevel;
  if (c.ownerCode !== undefined) set.owner_code = c.ownerCode;
  if (c.policeDepartmentId !== undefined) set.police_department_id = c.policeDepartmentId;
  if (c.leadDepartmentId !== undefined) set.lead_department_id = c.leadDepartmentId;
  if (c.assistingDepartmentIds !== undefined) set.assisting_department_ids = [...c.assistingDepartmentIds];
  if (c.assigneeId !== undefined) set.assignee_user_id = c.assigneeId;
  if (c.reporterIds !== undefined) set.reporter_ids = [...c.reporterIds];
  if (c.verification !== undefined) set.verification = c.verification;
  if (c.pendingRequests !== undefined) set.pending_requests = requestsToJson(c.pendingRequests);
  if (c.counters !== undefined) {
    set.return_count = c.counters.returns;
    set.rework_count = c.counters.reworks;
    set.reopen_count = c.counters.reopens;
    set.escalation_count = c.counters.escalations;
    set.supervision_count = c.counters.supervisions;
    set.escalated = c.counters.escalations > 0;
  }
  if (c.awaitingArbitration !== undefined) set.awaiting_arbitration = c.awaitingArbitration;
  if (c.arbitrated !== undefined) set.arbitrated = c.arbitrated;
  if (c.overdue !== undefined) set.overdue = c.overdue;
  if (c.closureType !== undefined) set.closure_type = c.closureType;
  if (c.mergedIntoCaseId !== undefined) set.merged_into = c.mergedIntoCaseId;
  if (c.satisfaction !== undefined) set.satisfaction = c.satisfaction;
  return set;
}

/** The columns the access policy reads (src/core/policy/case-scope.ts). */
export const scopeRowOf = (row: CaseRow): CaseScopeRow => ({
  street_code: row.street_code,
  committee_code: row.committee_code,
  grid_code: row.grid_code,
  owner_level: row.owner_level,
  owner_code: row.owner_code,
  lead_department_id: row.lead_department_id,
  assisting_department_ids: row.assisting_department_ids,
  police_department_id: row.police_department_id,
  police_mode: row.police_mode,
  reporter_user_id: row.reporter_user_id,
  reporter_ids: row.reporter_ids,
  assignee_user_id: row.assignee_user_id,
  escalated: row.escalated,
});

/** A case is named by its id (UUID) or its case number (310112-2026-000123). */
export const isCaseNumber = (ref: string): boolean => CASE_NUMBER.test(ref);
/** Case ids are UUIDs from createCase; imports and fixtures may use other short word-like ids. */
const CASE_ID = /^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/;
/** A well-formed case reference: anything else names no case and is answered `not_found` unasked. */
export const isCaseRef = (ref: string): boolean => CASE_ID.test(ref) || isCaseNumber(ref);

/**
 * Reads one case by id or number, optionally locking it (FOR UPDATE) for the rest of the transaction.
 * Missing or malformed (neither a UUID nor a case number: checked before the query) → `not_found`;
 * a database failure propagates as itself, never as 404.
 */
export async function loadCase(
  db: Kysely<DB>,
  ref: string,
  options: { lock?: boolean } = {},
): Promise<CaseRow> {
  if (!isCaseRef(ref)) throw new AppError('not_found', `No case ${ref.slice(0, 80)}`);
  let q = db
    .selectFrom('cases')
    .selectAll()
    .where(isCaseNumber(ref) ? 'case_no' : 'id', '=', ref);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('not_found', `No case ${ref}`);
  return row;
}

/** The live-update message for a case row just committed. */
export const changeOf = (row: CaseRow, action: string, at: Date): CaseChange => ({
  caseId: row.id,
  caseNo: row.case_no,
  action,
  state: row.state,
  version: row.version,
  at: at.toISOString(),
  scope: scopeRowOf(row),
});
