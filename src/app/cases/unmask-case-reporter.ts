import type { Actor } from '../../core/actor.ts';
import type { PersonContact } from '../../core/policy/personal-data.ts';
import type { Database } from '../../db/database.ts';
import { unmaskReporter } from '../identity/unmask-reporter.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import { piiKeyring } from '../baseinfo/pii.ts';
import { reporterContactOf } from '../public/public-contact.ts';
import { loadCase, scopeRowOf } from './case-record.ts';

/**
 * The reporter's contact details of one case, unmasked for a stated reason (audited in the same
 * transaction). An unknown case, or one outside the actor's scope, is `not_found`.
 */
export async function unmaskCaseReporter(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  input: { caseRef: string; reason: string; address?: string | undefined },
): Promise<PersonContact> {
  return deps.database.db.transaction().execute(async (trx) => {
    // a malformed reference is as unknown as a missing one (loadCase checks it before the query)
    const row = await loadCase(trx, input.caseRef);
    // an anonymous report's contact is decrypted only here, after the scope check below passes
    const stored = isCaseInScope(scopeRowOf(row), actor)
      ? await reporterContactOf(trx, piiKeyring, row)
      : { name: null, phone: null };
    return unmaskReporter(trx, actor, {
      caseRow: row,
      contact: { name: stored.name, phone: stored.phone, idNumber: null },
      reason: input.reason,
      address: input.address,
      at: deps.now(),
    });
  });
}
