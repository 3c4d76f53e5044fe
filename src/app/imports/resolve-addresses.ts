import type { AddressRef, ImportRowReason } from '../../core/imports/rows.ts';
import type { BatchContext } from './batch.ts';

export interface ResolvedAddress {
  id: string;
  code: string;
  streetCode: string;
}

export type Resolution = { ok: true; address: ResolvedAddress } | { ok: false; reason: ImportRowReason };

const refKey = (ref: AddressRef): string => ('code' in ref ? `c:${ref.code}` : `t:${ref.normalized}`);

/**
 * Matches a batch's address references against the standard address list: by code, or by the
 * normalised text (exact, within the run's street when it has one). No match is `unknown_address`, more
 * than one `ambiguous_address`, a code in another street `outside_street` — reported, never guessed.
 */
export async function resolveAddresses(
  ctx: BatchContext,
  refs: readonly AddressRef[],
): Promise<(ref: AddressRef) => Resolution> {
  const codes = [...new Set(refs.flatMap((r) => ('code' in r ? [r.code] : [])))];
  const texts = [...new Set(refs.flatMap((r) => ('normalized' in r ? [r.normalized] : [])))];
  const found = new Map<string, ResolvedAddress[]>();
  const add = (key: string, a: ResolvedAddress) => found.set(key, [...(found.get(key) ?? []), a]);
  if (codes.length > 0) {
    const rows = await ctx.db
      .selectFrom('base_addresses')
      .select(['id', 'code', 'street_code'])
      .where('code', 'in', codes)
      .execute();
    for (const r of rows) add(`c:${r.code}`, { id: r.id, code: r.code, streetCode: r.street_code });
  }
  if (texts.length > 0) {
    let query = ctx.db
      .selectFrom('base_addresses')
      .select(['id', 'code', 'street_code', 'normalized'])
      .where('normalized', 'in', texts);
    if (ctx.streetCode !== null) query = query.where('street_code', '=', ctx.streetCode);
    for (const r of await query.execute())
      add(`t:${r.normalized}`, { id: r.id, code: r.code, streetCode: r.street_code });
  }
  return (ref) => {
    const matches = found.get(refKey(ref)) ?? [];
    const [only] = matches;
    if (!only) return { ok: false, reason: 'unknown_address' };
    if (matches.length > 1) return { ok: false, reason: 'ambiguous_address' };
    if (ctx.streetCode !== null && only.streetCode !== ctx.streetCode)
      return { ok: false, reason: 'outside_street' };
    return { ok: true, address: only };
  };
}
