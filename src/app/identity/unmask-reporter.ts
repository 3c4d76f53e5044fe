import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { hasVisibleText } from '../../core/text.ts';
import { isCaseInScope, type CaseScopeRow } from '../../core/policy/case-scope.ts';
import { canUnmaskReporter, type PersonContact } from '../../core/policy/personal-data.ts';
import type { DB } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/append-audit.ts';

export interface UnmaskInput {
  /** The case as loaded by the caller (its scope columns and id). */
  caseRow: CaseScopeRow & { id: string };
  /** The reporter's stored contact details. */
  contact: PersonContact;
  /** Why the actor needs them (kept in the audit log). */
  reason: string;
  address?: string | null | undefined;
  at: Date;
}

/**
 * Reveals a reporter's contact details to an actor who may ask for them (`canUnmaskReporter`), writing
 * a `reporter.unmask` audit record in the given transaction. A case outside the actor's scope answers
 * not_found, so this route does not reveal that the case exists.
 */
export async function unmaskReporter(
  trx: Kysely<DB>,
  actor: Actor,
  input: UnmaskInput,
): Promise<PersonContact> {
  if (!isCaseInScope(input.caseRow, actor)) throw new AppError('not_found', `No case ${input.caseRow.id}`);
  if (!canUnmaskReporter(actor, input.caseRow)) {
    throw new AppError('forbidden', 'Your role may not see the reporter’s contact details');
  }
  const reason = input.reason.trim();
  if (reason.length < 2 || !hasVisibleText(reason))
    throw new AppError('validation_failed', 'Say why you need the reporter’s contact details');
  await appendAudit(trx, {
    actor,
    action: 'reporter.unmask',
    target: `case:${input.caseRow.id}`,
    address: input.address ?? null,
    payload: {
      reason: reason.slice(0, 500),
      fields: Object.keys(input.contact).filter((k) => input.contact[k as keyof PersonContact]),
    },
    at: input.at,
  });
  return input.contact;
}
