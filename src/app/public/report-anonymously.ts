import { AppError, refusal } from '../../core/errors.ts';
import { isPublicCategory } from '../../core/policy/public-follow-up.ts';
import { parsePublicContact } from '../../core/public/index.ts';
import { piiKeyring } from '../baseinfo/pii.ts';
import { createCase } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { checkProofOfWork } from './proof-of-work.ts';
import { contactColumns, PUBLIC_REPORTER, PUBLIC_REPORTER_PREFIX } from './public-contact.ts';

export interface AnonymousReportInput {
  category: string;
  description: string;
  /** WGS84, from the map or the phone's GPS. */
  location: { lon: number; lat: number };
  /** Ids returned by POST /api/v1/public/attachments. */
  photos?: string[] | undefined;
  /** A phone number or an e-mail address. */
  contact: string;
  challenge: string;
  nonce: string;
  /** The honeypot: a field people do not see and bots fill in. Must be empty. */
  website?: string | undefined;
}

export interface AnonymousReportResult {
  caseNo: string;
  followUpCode: string;
  replayed: boolean;
}

/**
 * A report from the public page without an account (issue 15). Abuse controls first — honeypot, proof of
 * work (one report per solved challenge), a valid contact, a public category (never stability, dispute or
 * sensitive ones) — then the real intake (`createCase`) as the anonymous reporter: source 'citizen', so
 * it is verified on site before registration like any citizen report; routed, clocked, notified,
 * audited. In the same transaction: the contact, encrypted (`public_reports`), and the case's reporter
 * id `public:<case id>`, which lets the holder of number + code rate the case after closure.
 */
export async function reportAnonymously(
  deps: CaseDeps,
  input: AnonymousReportInput,
  options: { idempotencyKey?: string | undefined; clientAddress?: string | undefined } = {},
): Promise<AnonymousReportResult> {
  const db = deps.database.db;
  const now = deps.now();
  const keyring = piiKeyring();
  if (input.website !== undefined && input.website.trim() !== '') {
    deps.log?.warn({ clientAddress: options.clientAddress }, 'public report refused: honeypot filled');
    throw refusal('validation_failed', 'proof_of_work_failed', 'The report was not accepted');
  }
  // a retry of a report already made (same Idempotency-Key) answers with its case, whatever the challenge
  const earlier = options.idempotencyKey
    ? await db
        .selectFrom('idempotency_keys')
        .select('case_id')
        .where('actor_id', '=', PUBLIC_REPORTER.userId)
        .where('key', '=', options.idempotencyKey)
        .executeTakeFirst()
    : undefined;
  if (!earlier) {
    checkProofOfWork(keyring, input.challenge, input.nonce, now);
    const used = await db
      .selectFrom('public_reports')
      .select('case_id')
      .where('challenge', '=', input.challenge)
      .executeTakeFirst();
    if (used)
      throw refusal('validation_failed', 'proof_of_work_failed', 'This challenge was used already', {
        problems: [{ path: '/challenge', message: 'ask for a new challenge' }],
      });
  }
  const contact = parsePublicContact(input.contact);
  if (!contact)
    throw refusal('validation_failed', 'invalid_contact', 'Give a phone number or an e-mail address', {
      problems: [{ path: '/contact', message: 'not a phone number or an e-mail address' }],
    });
  const category = await db
    .selectFrom('categories')
    .select(['code', 'sensitive', 'stability'])
    .where('code', '=', input.category)
    .where('active', '=', true)
    .where('parent_code', 'is not', null)
    .executeTakeFirst();
  if (!category)
    throw refusal('validation_failed', 'unknown_category', `No category ${input.category}`, {
      problems: [{ path: '/category', message: 'unknown category' }],
    });
  if (!isPublicCategory(category))
    throw refusal(
      'validation_failed',
      'stability_category_not_public',
      'This category is reported in person, not on the public page',
      { problems: [{ path: '/category', message: 'not a public category' }] },
    );

  const created = await createCase(
    deps,
    PUBLIC_REPORTER,
    {
      source: 'citizen',
      category: category.code,
      description: input.description,
      location: { lon: input.location.lon, lat: input.location.lat, crs: 'wgs84' },
      ...(input.photos?.length ? { photos: input.photos } : {}),
      reporter: {},
    },
    {
      idempotencyKey: options.idempotencyKey,
      clientAddress: options.clientAddress,
      alsoWrite: async (trx, caseId, at) => {
        await trx
          .insertInto('public_reports')
          .values({
            case_id: caseId,
            ...contactColumns(keyring, contact),
            challenge: input.challenge,
            created_at: at,
          })
          .execute();
        await trx
          .updateTable('cases')
          .set({ reporter_ids: [`${PUBLIC_REPORTER_PREFIX}${caseId}`] })
          .where('id', '=', caseId)
          .execute();
      },
    },
  );
  if (!created.followUpCode) throw new AppError('internal', 'A new case has no follow-up code');
  return { caseNo: created.case.caseNo, followUpCode: created.followUpCode, replayed: created.replayed };
}
