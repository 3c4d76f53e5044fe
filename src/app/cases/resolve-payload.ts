import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { refusal, type RefusalReason } from '../../core/errors.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import type { CaseTransitionAction, TransitionFacts } from '../../core/workflow/index.ts';
import type { DB } from '../../db/schema/index.ts';
import { isCaseNumber, isCaseRef, scopeRowOf, type CaseRow } from './case-record.ts';
import {
  assertDepartments,
  loadCategory,
  loadDepartmentCoverage,
  resolveRouting,
  traitsOf,
} from './routing.ts';

type Payload = Record<string, unknown>;
const isObject = (v: unknown): v is Payload => typeof v === 'object' && v !== null && !Array.isArray(v);
const problem = (path: string, message: string, reason: RefusalReason) =>
  refusal('validation_failed', reason, message, { problems: [{ path, message }] });

/**
 * Fills in what the client may leave to the platform before the workflow sees the payload:
 * - register: `category` as a code ("0101") becomes the category's traits (police linkage by the matrix);
 * - dispatch: no `leadDepartmentId` → the responsibility matrix's lead and assisting departments;
 * - merge: `masterCaseId` may be a case number; it must name a case the actor can see.
 * Payloads of the wrong shape are passed through for the workflow's schema to reject.
 */
export async function resolvePayload(
  trx: Kysely<DB>,
  actor: Actor,
  row: CaseRow,
  action: CaseTransitionAction,
  payload: unknown,
): Promise<unknown> {
  if (payload !== undefined && !isObject(payload)) return payload;
  const p: Payload = { ...(payload ?? {}) };
  const regionCodes = [row.grid_code, row.committee_code, row.street_code, row.district_code];
  switch (action) {
    case 'register': {
      const given = p.category;
      const code =
        typeof given === 'string'
          ? given
          : isObject(given) && typeof given.code === 'string'
            ? given.code
            : null;
      if (code === null) return p;
      const category = await loadCategory(trx, code);
      const routing = await resolveRouting(trx, {
        category,
        regionCodes,
        policeDepartmentId: row.police_department_id,
      });
      const { code: c, policeLinkage } = traitsOf(category, routing);
      return { ...p, category: { code: c, policeLinkage } };
    }
    case 'dispatch': {
      if (p.leadDepartmentId !== undefined || !row.category_code) return p;
      const category = await loadCategory(trx, row.category_code);
      const routing = await resolveRouting(trx, {
        category,
        regionCodes,
        policeDepartmentId: row.police_department_id,
      });
      if (!routing.leadDepartmentId) {
        throw problem(
          '/leadDepartmentId',
          'The responsibility matrix names no department here: choose the lead department',
          'no_matrix_department',
        );
      }
      return {
        ...p,
        leadDepartmentId: routing.leadDepartmentId,
        assistingDepartmentIds: p.assistingDepartmentIds ?? routing.assistingDepartmentIds,
      };
    }
    case 'merge': {
      if (typeof p.masterCaseId !== 'string') return p;
      const ref = p.masterCaseId;
      if (!isCaseRef(ref)) throw problem('/masterCaseId', `No case ${ref.slice(0, 80)}`, 'unknown_case');
      const master = await trx
        .selectFrom('cases')
        .selectAll()
        .where(isCaseNumber(ref) ? 'case_no' : 'id', '=', ref)
        .executeTakeFirst();
      if (!master || !isCaseInScope(scopeRowOf(master), actor))
        throw problem('/masterCaseId', `No case ${ref}`, 'unknown_case');
      return { ...p, masterCaseId: master.id };
    }
    default:
      return p;
  }
}

/**
 * Checks what a valid payload refers to, after the workflow accepted it: departments exist and are
 * active; the patroller sent to verify or check is an active patroller of the case's street.
 */
export async function checkReferences(
  trx: Kysely<DB>,
  row: CaseRow,
  action: CaseTransitionAction,
  p: Payload,
): Promise<void> {
  if (action === 'dispatch' || action === 'arbitrate') {
    const assisting = Array.isArray(p.assistingDepartmentIds) ? (p.assistingDepartmentIds as string[]) : [];
    await assertDepartments(trx, [String(p.leadDepartmentId)], '/leadDepartmentId');
    await assertDepartments(trx, assisting, '/assistingDepartmentIds');
  }
  if (action === 'request_verification' || action === 'assign_check') {
    const id = String(p.patrollerId);
    const user = await trx
      .selectFrom('users')
      .select(['role', 'unit_code', 'disabled'])
      .where('id', '=', id)
      .executeTakeFirst();
    const street = row.street_code ?? row.district_code;
    if (!user || user.role !== 'patroller' || user.disabled || !(user.unit_code ?? '').startsWith(street)) {
      throw problem('/patrollerId', `No active patroller ${id} in this street`, 'no_patroller_in_street');
    }
  }
}

/**
 * The reference data the workflow's rules need for this payload: for dispatch and arbitrate, the coverage
 * of the named departments (unknown or inactive ones are refused first, as `validation_failed`).
 */
export async function transitionFacts(
  trx: Kysely<DB>,
  action: CaseTransitionAction,
  payload: unknown,
): Promise<TransitionFacts> {
  if ((action !== 'dispatch' && action !== 'arbitrate') || !isObject(payload)) return {};
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const lead = typeof payload.leadDepartmentId === 'string' ? [payload.leadDepartmentId] : [];
  const assisting = strings(payload.assistingDepartmentIds);
  await assertDepartments(trx, lead, '/leadDepartmentId');
  await assertDepartments(trx, assisting, '/assistingDepartmentIds');
  return { departmentCoverage: await loadDepartmentCoverage(trx, [...lead, ...assisting]) };
}
