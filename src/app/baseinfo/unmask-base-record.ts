import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { placeInRegions, placeOfAddress } from '../../core/policy/base-info.ts';
import { hasVisibleText } from '../../core/text.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { loadBaseInfoAccess } from './access.ts';
import { piiKeyring } from './pii.ts';
import {
  PERSON_COLUMNS,
  presentPerson,
  presentUnit,
  UNIT_COLUMNS,
  type PersonView,
  type UnitView,
} from './present.ts';

export interface UnmaskBaseInput {
  id: string;
  reason: string;
  address?: string | null | undefined;
}

function checkReason(reason: string): string {
  const text = reason.trim();
  if (text.length < 2 || !hasVisibleText(text))
    throw new AppError('validation_failed', 'Say why you need the personal data');
  return text.slice(0, 500);
}

/**
 * One person's name, ID and phone numbers unmasked for a stated reason (issue 12 §3), written to the
 * audit log (`baseinfo.person.unmask`) in the same transaction, as for case reporters. A person outside
 * the actor's territory, or one the actor's slice does not show, is not_found; a slice without the right
 * to unmask is forbidden.
 */
export async function unmaskPerson(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  input: UnmaskBaseInput,
): Promise<PersonView> {
  const reason = checkReason(input.reason);
  return deps.database.db.transaction().execute(async (trx) => {
    const access = await loadBaseInfoAccess(trx, actor);
    const row = await trx
      .selectFrom('base_people as p')
      .innerJoin('base_dwellings as d', 'd.id', 'p.dwelling_id')
      .innerJoin('base_addresses as a', 'a.id', 'd.address_id')
      .select([
        ...PERSON_COLUMNS,
        sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
        sql<string | null>`to_char(p.moved_in_on, 'YYYY-MM-DD')`.as('moved_in_on'),
        sql<string | null>`to_char(p.left_on, 'YYYY-MM-DD')`.as('left_on'),
        'a.id as address_id',
        'a.full_text as address_text',
        'a.street_code',
        'a.committee_code',
        'a.grid_code',
      ])
      .where('p.id', '=', input.id)
      .executeTakeFirst();
    const visible = access.slice.people === 'masked' || access.slice.people === 'household';
    if (!row || !visible || !placeInRegions(access.regions, placeOfAddress(row)))
      throw new AppError('not_found', `No person ${input.id}`);
    if (!access.slice.unmaskPeople)
      throw new AppError('forbidden', 'Your role may not see personal data unmasked');
    const view = presentPerson(piiKeyring(), row, access.slice, true);
    await appendAudit(trx, {
      actor,
      action: 'baseinfo.person.unmask',
      target: `person:${row.id}`,
      address: input.address ?? null,
      payload: {
        reason,
        fields: ['name', 'idNumber', ...(view.phone ? ['phone'] : [])],
        addressId: row.address_id,
      },
      at: deps.now(),
    });
    return view;
  });
}

/** A unit's responsible person and phone unmasked for a reason, audited (`baseinfo.unit.unmask`). */
export async function unmaskUnit(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  input: UnmaskBaseInput,
): Promise<UnitView> {
  const reason = checkReason(input.reason);
  return deps.database.db.transaction().execute(async (trx) => {
    const access = await loadBaseInfoAccess(trx, actor);
    const row = await trx
      .selectFrom('base_units as u')
      .innerJoin('base_addresses as a', 'a.id', 'u.address_id')
      .select([...UNIT_COLUMNS, 'a.street_code', 'a.committee_code', 'a.grid_code'])
      .where('u.id', '=', input.id)
      .executeTakeFirst();
    if (!row || access.slice.units === 'none' || !placeInRegions(access.regions, placeOfAddress(row)))
      throw new AppError('not_found', `No unit ${input.id}`);
    if (!access.slice.unmaskUnits)
      throw new AppError('forbidden', 'Your role may not see personal data unmasked');
    const view = presentUnit(piiKeyring(), row, access.slice, true);
    await appendAudit(trx, {
      actor,
      action: 'baseinfo.unit.unmask',
      target: `unit:${row.id}`,
      address: input.address ?? null,
      payload: {
        reason,
        fields: ['responsiblePerson', ...(view.phone ? ['phone'] : [])],
        addressId: row.address_id,
      },
      at: deps.now(),
    });
    return view;
  });
}
