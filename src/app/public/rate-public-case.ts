import { refusal } from '../../core/errors.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { performCaseAction } from '../cases/perform-case-action.ts';
import {
  findPublicCase,
  lookupPublicCase,
  type PublicCaseView,
  type Satisfaction,
} from './lookup-public-case.ts';
import { PUBLIC_REPORTER_PREFIX, publicReporterOf } from './public-contact.ts';

/**
 * The anonymous reporter rates the result after closure (issue 15 §3). Authorised by the case number and
 * follow-up code (the same `not_found` as the lookup for anything else), performed as the case's
 * anonymous reporter (`public:<case id>`) through the workflow's own `follow_up` action — the event the
 * hotline's 回访 and the satisfaction indicator read — so it is checked (closed only), versioned,
 * notified (unsatisfied → the owning centre) and audited like any action. Once: a second rating is
 * `conflict` / `already_rated`; before closure it is `unprocessable` / `case_not_closed`. A case reported
 * with an account or by phone is rated by its reporter or the hotline, not here (`forbidden`).
 */
export async function ratePublicCase(
  deps: CaseDeps,
  input: { caseNo: string; code: string; satisfaction: Satisfaction; note?: string | undefined },
  options: { clientAddress?: string | undefined } = {},
): Promise<PublicCaseView> {
  const found = await findPublicCase(deps.database, input.caseNo, input.code);
  const actor = publicReporterOf(found.asked.id);
  const row = await deps.database.db
    .selectFrom('cases')
    .select(['id', 'state', 'version', 'reporter_ids'])
    .where('id', '=', found.row.id)
    .executeTakeFirstOrThrow();
  if (!row.reporter_ids.includes(`${PUBLIC_REPORTER_PREFIX}${found.asked.id}`))
    throw refusal(
      'forbidden',
      'not_anonymous_report',
      'Only an anonymous report is rated on the public page',
    );
  const earlier = await deps.database.db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', row.id)
    .where('action', '=', 'follow_up')
    .where('actor_user_id', '=', actor.userId)
    .executeTakeFirst();
  if (earlier) throw refusal('conflict', 'already_rated', 'This case was rated already');
  if (row.state !== 'closed') throw refusal('unprocessable', 'case_not_closed', 'The case is not closed yet');
  const note = input.note?.trim();
  await performCaseAction(
    deps,
    actor,
    {
      caseRef: row.id,
      action: 'follow_up',
      version: row.version,
      payload: { satisfaction: input.satisfaction, ...(note ? { note } : {}) },
    },
    { clientAddress: options.clientAddress },
  );
  return lookupPublicCase(deps.database, input.caseNo, input.code);
}
