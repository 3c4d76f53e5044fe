import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { validateMobile, normalizeIdNumber } from '../../core/baseinfo/validate.ts';
import type { HukouCategory, IdType, PersonStatus } from '../../core/baseinfo/types.ts';
import type { Database } from '../../db/database.ts';
import { addressScopeSql, loadBaseInfoAccess } from './access.ts';
import { piiKeyring, piiLookupHashes } from './pii.ts';
import { PERSON_COLUMNS, presentPerson, type PersonView } from './present.ts';
import { PHONE_HASH_KIND } from './records.ts';

export interface Page<T> {
  items: T[];
  /** Rows matching the filters in the actor's territory. */
  total: number;
  offset: number;
  limit: number;
}

export interface PeopleFilter {
  /** Part of a name (within scope). */
  name?: string | undefined;
  /** A whole ID number: exact match through the keyed hash. */
  idNumber?: string | undefined;
  idType?: IdType | undefined;
  /** A whole mobile number: exact match through the keyed hash. */
  phone?: string | undefined;
  hukou?: HukouCategory | undefined;
  status?: PersonStatus | undefined;
  /** A street, committee or grid code inside the actor's territory. */
  region?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const regionFilter = (code: string | undefined) => (code ? [code] : null);

/**
 * People (实有人口) in the actor's territory, masked, filtered (issue 12 §5): by part of a name, by a
 * whole ID or phone number (the keyed hash, so the database never sees the number), by 户籍 category,
 * status and region. Actors whose slice shows no named people get an empty page.
 */
export async function listPeople(
  deps: { database: Database },
  actor: Actor,
  filter: PeopleFilter,
): Promise<Page<PersonView>> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  const offset = Math.max(filter.offset ?? 0, 0);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const empty = { items: [], total: 0, offset, limit };
  if (access.slice.people !== 'masked' && access.slice.people !== 'household') return empty;
  const keyring = piiKeyring();
  let q = db
    .selectFrom('base_people as p')
    .innerJoin('base_dwellings as d', 'd.id', 'p.dwelling_id')
    .innerJoin('base_addresses as a', 'a.id', 'd.address_id')
    .where(addressScopeSql(access.regions, 'a'));
  const region = regionFilter(filter.region);
  if (region) q = q.where(addressScopeSql(region, 'a'));
  if (filter.name?.trim()) q = q.where('p.name', 'like', `%${likeEscape(filter.name.trim())}%`);
  if (filter.idNumber?.trim()) {
    const number = normalizeIdNumber(filter.idNumber);
    const types: IdType[] = filter.idType
      ? [filter.idType]
      : ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent', 'other'];
    q = q.where(
      'p.id_number_hash',
      'in',
      types.flatMap((t) => piiLookupHashes(keyring, t, number)),
    );
  }
  if (filter.phone?.trim()) {
    const phone = validateMobile(filter.phone);
    if (!phone.ok) return empty;
    q = q.where('p.phone_hash', 'in', piiLookupHashes(keyring, PHONE_HASH_KIND, phone.value));
  }
  if (filter.hukou) q = q.where('p.hukou', '=', filter.hukou);
  if (filter.status) q = q.where('p.status', '=', filter.status);
  const [{ total } = { total: 0 }] = await q.select(sql<number>`count(*)::int`.as('total')).execute();
  const rows = await q
    .select([
      ...PERSON_COLUMNS,
      sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
      sql<string | null>`to_char(p.moved_in_on, 'YYYY-MM-DD')`.as('moved_in_on'),
      sql<string | null>`to_char(p.left_on, 'YYYY-MM-DD')`.as('left_on'),
      'a.id as address_id',
      'a.full_text as address_text',
    ])
    .orderBy('a.code')
    .orderBy('p.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return {
    items: rows.map((r) => presentPerson(keyring, r, access.slice)),
    total: Number(total),
    offset,
    limit,
  };
}
