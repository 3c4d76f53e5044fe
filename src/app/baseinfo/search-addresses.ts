import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { addressQueryTokens, normalizeAddress } from '../../core/baseinfo/address.ts';
import type { AddressLevel } from '../../core/baseinfo/types.ts';
import type { Database } from '../../db/database.ts';
import { addressScopeSql, loadBaseInfoAccess } from './access.ts';
import { ADDRESS_COLUMNS, presentAddress, type AddressView } from './present.ts';

export interface AddressSearchInput {
  query: string;
  level?: AddressLevel | undefined;
  limit?: number | undefined;
}

/** Escapes LIKE wildcards in user text. */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Address search (issue 12 §5) within the actor's territory, tolerant of how operators type: the query
 * is normalised like the stored text (full-width digits, 號/栋/座 variants, spaces, 室), every token the
 * operator separated must appear (`like`, served by the trigram index), and the best matches come
 * first (trigram similarity to the whole query, then shorter addresses — the building before its rooms).
 * When no address holds every token, near misses by trigram similarity are offered instead.
 */
export async function searchAddresses(
  deps: { database: Database },
  actor: Actor,
  input: AddressSearchInput,
): Promise<AddressView[]> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  if (!access.slice.addresses) return [];
  const tokens = addressQueryTokens(input.query);
  if (tokens.length === 0) return [];
  const whole = normalizeAddress(input.query);
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const base = () => {
    let q = db
      .selectFrom('base_addresses as a')
      .select(ADDRESS_COLUMNS)
      .where(addressScopeSql(access.regions, 'a'));
    if (input.level) q = q.where('a.level', '=', input.level);
    return q;
  };
  let q = base();
  for (const token of tokens) q = q.where(sql<boolean>`a.normalized like ${`%${likeEscape(token)}%`}`);
  const exact = await q
    .orderBy(sql`similarity(a.normalized, ${whole})`, 'desc')
    .orderBy(sql`length(a.normalized)`)
    .orderBy('a.code')
    .limit(limit)
    .execute();
  if (exact.length > 0 || whole.length < 3) return exact.map(presentAddress);
  const near = await base()
    .where(sql<boolean>`a.normalized % ${whole}`)
    .orderBy(sql`similarity(a.normalized, ${whole})`, 'desc')
    .orderBy('a.code')
    .limit(limit)
    .execute();
  return near.map(presentAddress);
}
