import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { validateCreditCode } from '../../core/baseinfo/validate.ts';
import type { Industry, LicenceStatus, UnitKind } from '../../core/baseinfo/types.ts';
import type { Database } from '../../db/database.ts';
import { addressScopeSql, loadBaseInfoAccess } from './access.ts';
import { likeEscape, regionFilter, type Page } from './list-people.ts';
import { piiKeyring } from './pii.ts';
import { presentUnit, UNIT_COLUMNS, type UnitView } from './present.ts';

export interface UnitsFilter {
  /** Part of the name, or a whole unified social credit code. */
  query?: string | undefined;
  kind?: UnitKind | undefined;
  industry?: Industry | undefined;
  licenceStatus?: LicenceStatus | undefined;
  region?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/**
 * Businesses and organisations (实有单位) in the actor's territory, by name or credit code, kind,
 * industry, licence status and region; licence details and the responsible person only in the
 * `licences` slice, masked.
 */
export async function listUnits(
  deps: { database: Database },
  actor: Actor,
  filter: UnitsFilter,
): Promise<Page<UnitView>> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  const offset = Math.max(filter.offset ?? 0, 0);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  if (access.slice.units === 'none') return { items: [], total: 0, offset, limit };
  let q = db
    .selectFrom('base_units as u')
    .innerJoin('base_addresses as a', 'a.id', 'u.address_id')
    .where(addressScopeSql(access.regions, 'a'));
  const region = regionFilter(filter.region);
  if (region) q = q.where(addressScopeSql(region, 'a'));
  const text = filter.query?.trim();
  if (text) {
    const code = validateCreditCode(text);
    q = code.ok
      ? q.where('u.credit_code', '=', code.value)
      : q.where('u.name', 'like', `%${likeEscape(text)}%`);
  }
  if (filter.kind) q = q.where('u.kind', '=', filter.kind);
  if (filter.industry) q = q.where('u.industry', '=', filter.industry);
  if (filter.licenceStatus) q = q.where('u.licence_status', '=', filter.licenceStatus);
  const [{ total } = { total: 0 }] = await q.select(sql<number>`count(*)::int`.as('total')).execute();
  const rows = await q
    .select([...UNIT_COLUMNS])
    .orderBy('u.name')
    .orderBy('u.id')
    .offset(offset)
    .limit(limit)
    .execute();
  const keyring = piiKeyring();
  return {
    items: rows.map((r) => presentUnit(keyring, r, access.slice)),
    total: Number(total),
    offset,
    limit,
  };
}
