import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { placeInRegions, placeOfAddress, type BaseInfoSlice } from '../../core/policy/base-info.ts';
import type { Database } from '../../db/database.ts';
import { loadBaseInfoAccess } from './access.ts';
import { ADDRESS_FILE_SOURCES, addressSubtree, type TimelineEntry } from './address-file-sources.ts';
import { piiKeyring } from './pii.ts';
import {
  ADDRESS_COLUMNS,
  PERSON_COLUMNS,
  presentAddress,
  presentPerson,
  presentUnit,
  UNIT_COLUMNS,
  type AddressView,
  type DwellingView,
  type PersonView,
  type UnitView,
} from './present.ts';

export interface AddressFile {
  address: AddressView;
  /** Region names of the address's street, committee and grid. */
  regions: { street: string | null; committee: string | null; grid: string | null };
  /** From the road down to the parent. */
  ancestors: { id: string; level: AddressView['level']; name: string }[];
  /** The levels below (a building's units or rooms), each with its dwelling summary when the slice allows. */
  children: (AddressView & { dwelling: DwellingView | null })[];
  /** The dwelling at this address (null when none or the slice hides dwellings). */
  dwelling: DwellingView | null;
  /** Registered occupants present at the address and below (the `count` slice sees this number only). */
  occupantCount: number | null;
  /** The occupants, masked (null when the slice shows no people). */
  occupants: PersonView[] | null;
  units: UnitView[] | null;
  /** Cases, base-information changes (and later screening visits and warnings), newest first. */
  timeline: TimelineEntry[];
  slice: BaseInfoSlice;
}

const LIST_LIMIT = 200;

/**
 * The one-address file (一址一档, issue 12): everything known at one standard address, in one view, each
 * part cut to the actor's slice (src/core/policy/base-info.ts). An address outside the actor's
 * territory, or an actor who sees no addresses, gets not_found (its existence is not revealed).
 */
export async function getAddressFile(
  deps: { database: Database },
  actor: Actor,
  addressId: string,
): Promise<AddressFile> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  const { slice } = access;
  const address = await db
    .selectFrom('base_addresses as a')
    .select([...ADDRESS_COLUMNS, 'a.parent_id'])
    .where('a.id', '=', addressId)
    .executeTakeFirst();
  if (!address || !slice.addresses || !placeInRegions(access.regions, placeOfAddress(address)))
    throw new AppError('not_found', `No address ${addressId}`);

  const keyring = piiKeyring();
  const addressIds = await addressSubtree(db, address.id);
  const ancestors = (
    await sql<{ id: string; level: AddressView['level']; name: string; depth: number }>`
      with recursive up (id, level, name, parent_id, depth) as (
        select id, level, name, parent_id, 0 from base_addresses where id = ${address.parent_id}
        union all
        select a.id, a.level, a.name, a.parent_id, up.depth + 1 from base_addresses a join up on a.id = up.parent_id where up.depth < 6
      )
      select id, level, name, depth from up`.execute(db)
  ).rows
    .sort((a, b) => b.depth - a.depth)
    .map(({ id, level, name }) => ({ id, level, name }));

  const regionRows = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('code', 'in', [address.street_code, address.committee_code ?? '', address.grid_code ?? ''])
    .execute();
  const regionName = (code: string | null) => regionRows.find((r) => r.code === code)?.name ?? null;

  const dwellings = await db
    .selectFrom('base_dwellings as d')
    .select([
      'd.id',
      'd.address_id',
      'd.use',
      'd.occupancy',
      'd.area_m2',
      'd.rooms',
      (eb) =>
        eb
          .selectFrom('base_people as p')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('p.dwelling_id', '=', 'd.id')
          .where('p.status', '=', 'present')
          .as('occupants'),
    ])
    .where('d.address_id', 'in', addressIds)
    .limit(5000)
    .execute();
  const dwellingView = (d: (typeof dwellings)[number]): DwellingView => ({
    id: d.id,
    addressId: d.address_id,
    use: d.use,
    occupancy: d.occupancy,
    areaM2: d.area_m2,
    rooms: d.rooms,
    occupants: Number(d.occupants ?? 0),
  });
  const dwellingByAddress = new Map(dwellings.map((d) => [d.address_id, dwellingView(d)]));
  const dwellingIds = dwellings.map((d) => d.id);

  const children = await db
    .selectFrom('base_addresses as a')
    .select(ADDRESS_COLUMNS)
    .where('a.parent_id', '=', address.id)
    .orderBy(sql`length(a.name)`)
    .orderBy('a.name')
    .limit(LIST_LIMIT)
    .execute();

  const occupantCount =
    slice.people === 'none' ? null : dwellings.reduce((n, d) => n + Number(d.occupants ?? 0), 0);
  let occupants: PersonView[] | null = null;
  let personIds: string[] = [];
  if ((slice.people === 'masked' || slice.people === 'household') && dwellingIds.length > 0) {
    const rows = await db
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
      ])
      .where('p.dwelling_id', 'in', dwellingIds)
      .orderBy(sql`case when p.status = 'present' then 0 else 1 end`)
      .orderBy('a.code')
      .orderBy('p.id')
      .limit(LIST_LIMIT)
      .execute();
    occupants = rows.map((r) => presentPerson(keyring, r, slice));
    personIds = rows.map((r) => r.id);
  }

  let units: UnitView[] | null = null;
  let unitIds: string[] = [];
  if (slice.units !== 'none') {
    const rows = await db
      .selectFrom('base_units as u')
      .innerJoin('base_addresses as a', 'a.id', 'u.address_id')
      .select([...UNIT_COLUMNS])
      .where('u.address_id', 'in', addressIds)
      .orderBy('u.name')
      .limit(LIST_LIMIT)
      .execute();
    units = rows.map((r) => presentUnit(keyring, r, slice));
    unitIds = rows.map((r) => r.id);
  }

  const context = {
    db,
    actor,
    access,
    address,
    addressIds,
    dwellingIds: slice.dwellings ? dwellingIds : [],
    unitIds,
    personIds,
    limit: 100,
  };
  const timeline = (await Promise.all(ADDRESS_FILE_SOURCES.map((source) => source(context))))
    .flat()
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 200);

  return {
    address: presentAddress(address),
    regions: {
      street: regionName(address.street_code),
      committee: regionName(address.committee_code),
      grid: regionName(address.grid_code),
    },
    ancestors,
    children: children.map((c) => ({
      ...presentAddress(c),
      dwelling: slice.dwellings ? (dwellingByAddress.get(c.id) ?? null) : null,
    })),
    dwelling: slice.dwellings ? (dwellingByAddress.get(address.id) ?? null) : null,
    occupantCount,
    occupants,
    units,
    timeline,
    slice,
  };
}
