import type { Kysely } from 'kysely';
import type { Actor, Role } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import type { Crs } from '../../core/geo/crs.ts';
import type { DB } from '../../db/schema/index.ts';
import { filesOnBehalf, openCase, type CaseSource, type Urgency } from '../../core/workflow/index.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { locatePoint } from '../territory/locate.ts';
import { withNextCaseNumber } from './case-number.ts';
import { changeOf, loadCase } from './case-record.ts';
import { withDatabaseErrors } from './db-errors.ts';
import type { CaseDeps } from './deps.ts';
import { duplicateRadius, findDuplicates, type DuplicateSuggestion } from './find-duplicates.ts';
import { bodyHash, claimIdempotencyKey } from './idempotency.ts';
import { linkAttachments } from './link-attachments.ts';
import { policeStationFor } from './notify.ts';
import { presentSummary, type CaseSummary } from './present-case.ts';
import { citizenSummary } from './present-citizen-view.ts';
import { seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import { loadCategory, resolveRouting, traitsOf, type Routing } from './routing.ts';
import { writeCreationOutput } from './write-output.ts';
import { refreshCaseEvaluation } from '../evaluation/rollups.ts';
import { newFollowUpCode } from '../public/follow-up-code.ts';
import { newRecordId } from '../ids.ts';

export interface CreateCaseInput {
  /** Defaults from the reporter's role (patroller → patrol, coordinator → screening, …). */
  source?: CaseSource | undefined;
  /** Category code (小类, 4 digits); citizens may leave it to intake. */
  category?: string | null | undefined;
  urgency?: Urgency | undefined;
  description: string;
  location: { lon: number; lat: number; crs?: Crs | undefined };
  address?: string | null | undefined;
  /** The standard address (一址一档) the case is at; it must lie in the street the location falls in. */
  addressId?: string | null | undefined;
  /** Attachment ids uploaded first (POST /api/v1/attachments); the "before" photos of a self-handled report. */
  photos?: string[] | undefined;
  /** 自行处置: a patroller fixed it on the spot. */
  selfHandled?: { result: string; afterPhotos: string[] } | undefined;
  /** Who to contact: the caller of a hotline report; others default to the reporter's account. */
  reporter?: { name?: string | undefined; phone?: string | undefined } | undefined;
  /** The 12345 hotline ticket number (工单号) the case is taken from: unique per district (issue 11). */
  ticketNo?: string | null | undefined;
}

export interface CreateCaseResult {
  case: CaseSummary;
  /** Open cases of the same category nearby the reporter may see (DESIGN §4 duplicates). */
  duplicates: DuplicateSuggestion[];
  /** How the case is routed by the responsibility matrix (the dispatcher's default). */
  routing: Routing | null;
  /** An earlier request with the same Idempotency-Key created this case; nothing new was written. */
  replayed: boolean;
  /** 查询码: with the case number, the reporter follows the case on the public page (issue 9 §8). */
  followUpCode: string | null;
}

const DEFAULT_SOURCE: Partial<Record<Role, CaseSource>> = {
  patroller: 'patrol',
  coordinator: 'screening',
  station_operator: 'station',
  citizen: 'citizen',
  dispatcher: 'hotline',
  shift_lead: 'hotline',
  dept_handler: 'department',
  dept_lead: 'department',
  police: 'department',
  leader: 'leader',
  system: 'warning',
};

/**
 * Intake from every source (DESIGN §4): the location decides grid, committee, street and the covering
 * police station; the category decides (through the responsibility matrix) the police linkage and the
 * departments to suggest; the workflow (openCase) decides the first state, the owning centre, the
 * linkage notices and the first clock. Everything — case, number, event, clock, notifications,
 * attachment links, audit — is written in one transaction; with an Idempotency-Key a retry returns the
 * case of the first request instead of creating another.
 */
export async function createCase(
  deps: CaseDeps,
  actor: Actor,
  input: CreateCaseInput,
  options: {
    idempotencyKey?: string | undefined;
    clientAddress?: string | undefined;
    /** More rows that belong to the new case, written in its transaction (e.g. an Open311 request's). */
    alsoWrite?: ((trx: Kysely<DB>, caseId: string, now: Date) => Promise<void>) | undefined;
  } = {},
): Promise<CreateCaseResult> {
  const { database } = deps;
  const now = deps.now();
  const source = input.source ?? DEFAULT_SOURCE[actor.role];
  if (!source)
    throw new AppError('forbidden', `The role ${actor.role} cannot report cases`, { action: 'report' });

  const placement = await locatePoint(database, input.location);
  const street = placement.street;
  if (!placement.inside || !street) {
    throw refusal('validation_failed', 'outside_territory', 'The location is outside the territory', {
      problems: [{ path: '/location', message: 'outside every street of the territory' }],
    });
  }
  const territory = {
    districtCode: placement.district?.code ?? street.code.slice(0, 6),
    streetCode: street.code,
    committeeCode: placement.committee?.code ?? null,
    gridCode: placement.grid?.code ?? null,
    policeDepartmentId: await policeStationFor(database.db, placement.committee?.code ?? street.code),
  };
  const standardAddress = input.addressId
    ? await caseAddress(database.db, input.addressId, street.code)
    : null;
  const category = input.category ? await loadCategory(database.db, input.category) : null;
  const routing = category
    ? await resolveRouting(database.db, {
        category,
        regionCodes: [
          territory.gridCode,
          territory.committeeCode,
          territory.streetCode,
          territory.districtCode,
        ],
        policeDepartmentId: territory.policeDepartmentId,
      })
    : null;
  const urgency = input.urgency ?? category?.urgency ?? 'normal';
  const report = {
    source,
    description: input.description,
    urgency,
    ...(input.photos ? { photos: input.photos } : {}),
    ...(input.selfHandled ? { selfHandled: input.selfHandled } : {}),
  };
  const caseId = newRecordId();
  const opened = openCase(
    { caseId, territory, category: category && routing ? traitsOf(category, routing) : null, report },
    actor,
    now,
  );
  if (!opened.ok) throw opened.error;
  const output = opened.value;
  const { next } = output;

  const contact = await reporterContact(deps, actor, source, input.reporter);
  const ticketNo = input.ticketNo?.trim() || null;
  if (ticketNo) await assertTicketFree(database.db, territory.districtCode, ticketNo);
  const { calendar } = await loadCalendar(database);
  const hash = bodyHash({ ...input, source });
  const position = placement.position;

  const written = await withDatabaseErrors(() =>
    database.db.transaction().execute(async (trx) => {
      if (options.idempotencyKey) {
        const existing = await claimIdempotencyKey(trx, {
          actorId: actor.userId,
          key: options.idempotencyKey,
          hash,
          caseId,
          at: now,
        });
        if (existing) return { replayedId: existing };
      }
      // everything that does not need the case number first: clocks, events, attachment links (their
      // keys to the case row are checked at commit, migration 0012)
      const created = await writeCreationOutput(
        trx,
        { calendar, now, actor, description: input.description },
        output,
      );
      await linkAttachments(trx, actor, { caseId, eventId: created.eventIds[0]! }, [
        { ids: input.photos ?? [], purpose: input.selfHandled ? 'before' : 'evidence' },
        { ids: input.selfHandled?.afterPhotos ?? [], purpose: 'after' },
      ]);
      // then the number and the case row in one statement: the district's counter row is locked from
      // here to COMMIT (the notices and the audit record, which carry the number), no longer
      // a report made during a patrol links to it (issue 13)
      const patrol =
        actor.role === 'patroller'
          ? await trx
              .selectFrom('patrols')
              .select('id')
              .where('user_id', '=', actor.userId)
              .where('ended_at', 'is', null)
              .executeTakeFirst()
          : undefined;
      const numbered = withNextCaseNumber(trx, next.districtCode, now);
      const { case_no: caseNo } = await numbered.db
        .insertInto('cases')
        .values({
          id: caseId,
          case_no: numbered.caseNo,
          follow_up_code: newFollowUpCode(),
          ticket_no: ticketNo,
          state: next.state,
          version: next.version,
          source: next.source,
          category_code: next.categoryCode,
          urgency: next.urgency,
          priority: next.priority,
          description: input.description,
          address: input.address ?? standardAddress?.full_text ?? null,
          address_id: standardAddress?.id ?? null,
          lon: position.lon,
          lat: position.lat,
          district_code: next.districtCode,
          street_code: next.streetCode,
          committee_code: next.committeeCode,
          grid_code: next.gridCode,
          owner_level: next.ownerLevel,
          owner_code: next.ownerCode,
          police_department_id: next.policeDepartmentId,
          police_mode: next.policeLinkage,
          stability: category?.stability ?? false,
          reporter_user_id: next.reporterIds[0] ?? null,
          reporter_ids: [...next.reporterIds],
          reporter_name: contact.name,
          reporter_phone: contact.phone,
          verification: next.verification,
          self_handled: next.selfHandled,
          patrol_id: patrol?.id ?? null,
          ...created.deadline,
          reported_at: now,
          updated_at: now,
        })
        .returning('case_no')
        .executeTakeFirstOrThrow();
      await refreshCaseEvaluation(trx, [caseId]);
      await created.notify(caseNo);
      if (options.alsoWrite) await options.alsoWrite(trx, caseId, now);
      await appendAudit(trx, {
        actor,
        action: 'case.report',
        target: `case:${caseId}`,
        address: options.clientAddress ?? null,
        payload: {
          caseNo,
          state: next.state,
          source,
          category: next.categoryCode,
          ...(ticketNo ? { ticketNo } : {}),
        },
        at: now,
      });
      return { replayedId: null };
    }),
  );

  const row = await loadCase(database.db, written.replayedId ?? caseId);
  if (!written.replayedId) {
    deps.changes.publish([changeOf(row, 'report', now)]);
  }
  const duplicates =
    row.category_code && !written.replayedId
      ? await findDuplicates(database.db, actor, {
          categoryCode: row.category_code,
          lon: row.lon,
          lat: row.lat,
          radiusM: deps.duplicateRadiusM ?? (await duplicateRadius(database.db)),
          excludeId: row.id,
        })
      : [];
  const summary = presentSummary(row, now, calendar);
  // a citizen's own report comes back in the public view: no departments, police or clock (issue 11 §5)
  const citizen = seesPublicViewOnly(actor);
  return {
    case: citizen ? citizenSummary(summary) : summary,
    duplicates,
    routing: citizen ? null : routing,
    replayed: written.replayedId !== null,
    followUpCode: row.follow_up_code,
  };
}

/**
 * The standard address a case names: it must exist and lie in the street of the case's location (a
 * patroller picks among the nearest addresses, so a few metres over a street border is still refused:
 * the case would be filed under one street and its address under another).
 */
async function caseAddress(
  db: CaseDeps['database']['db'],
  addressId: string,
  streetCode: string,
): Promise<{ id: string; full_text: string }> {
  const row = await db
    .selectFrom('base_addresses')
    .select(['id', 'full_text', 'street_code'])
    .where('id', '=', addressId)
    .executeTakeFirst();
  if (!row)
    throw refusal('validation_failed', 'unknown_address', `No standard address ${addressId}`, {
      problems: [{ path: '/addressId', message: 'no such address' }],
    });
  if (row.street_code !== streetCode)
    throw refusal(
      'validation_failed',
      'address_outside_case_territory',
      'The address is not in the street of the location',
      {
        problems: [{ path: '/addressId', message: 'not in the street of the location' }],
      },
    );
  return row;
}

/**
 * A 12345 ticket becomes one case per district: a second report with the same ticket number is refused
 * with the case that has it (the desk opens that one). The partial unique index of migration 0027 keeps
 * it so under concurrent requests too (the loser gets `conflict`).
 */
async function assertTicketFree(
  db: CaseDeps['database']['db'],
  districtCode: string,
  ticketNo: string,
): Promise<void> {
  const taken = await db
    .selectFrom('cases')
    .select(['id', 'case_no'])
    .where('district_code', '=', districtCode)
    .where('ticket_no', '=', ticketNo)
    .executeTakeFirst();
  if (taken)
    throw refusal('conflict', 'ticket_taken', `The ticket ${ticketNo} is already case ${taken.case_no}`, {
      caseId: taken.id,
      caseNo: taken.case_no,
    });
}

/** The reporter's name and phone: given explicitly (hotline caller), else from the reporter's account. */
async function reporterContact(
  deps: CaseDeps,
  actor: Actor,
  source: CaseSource,
  given: CreateCaseInput['reporter'],
): Promise<{ name: string | null; phone: string | null }> {
  if (given?.name || given?.phone || filesOnBehalf(actor, source)) {
    return { name: given?.name ?? null, phone: given?.phone ?? null };
  }
  const user = await deps.database.db
    .selectFrom('users')
    .select(['display_name', 'phone'])
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  return { name: user?.display_name ?? actor.displayName, phone: user?.phone ?? null };
}
