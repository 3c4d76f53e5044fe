import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { distanceMetres } from '../../core/geo/crs.ts';
import type { BaseInfoAccess } from '../../core/policy/base-info.ts';
import { warningStreetsOf } from '../../core/warnings/access.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import type { DB } from '../../db/schema/index.ts';
import type { AddressRow } from './present.ts';

/**
 * The timeline of a one-address file (一址一档) is assembled from sources, one per kind of record kept
 * at an address: cases (linked to the address or reported within a few metres) and base-information
 * changes today. Screening visits (滚动排摸) and early warnings plug in here as more entries of
 * `ADDRESS_FILE_SOURCES` — each source applies its own access rules and returns its entries; the file
 * merges them newest first.
 */
export type TimelineKind = 'case' | 'change' | 'visit' | 'warning';

export interface TimelineEntry {
  kind: TimelineKind;
  at: string; // ISO time
  /** The record it points to (a case id, an entity id…). */
  ref: string | null;
  /** A short label: the case number, the changed entity… */
  title: string;
  /** A state, an action… (the UI translates by kind). */
  status: string | null;
  detail: string | null;
  /** Cases found by distance rather than by link: how far from the address point. */
  distanceM: number | null;
}

export interface AddressFileContext {
  db: Kysely<DB>;
  actor: Actor;
  access: BaseInfoAccess;
  address: AddressRow;
  /** The address and every address below it (a building's rooms). */
  addressIds: readonly string[];
  dwellingIds: readonly string[];
  unitIds: readonly string[];
  personIds: readonly string[];
  limit: number;
}

export type AddressFileSource = (ctx: AddressFileContext) => Promise<TimelineEntry[]>;

/** Cases within this many metres of an address belong to its file even when not linked. */
export const ADDRESS_CASE_RADIUS_M = 30;

/** Cases the actor may see, linked to the address (or below) or reported within ADDRESS_CASE_RADIUS_M of it. */
export const casesAtAddress: AddressFileSource = async ({ db, actor, address, addressIds, limit }) => {
  const point = address.lon !== null && address.lat !== null ? { lon: address.lon, lat: address.lat } : null;
  const dLat = ADDRESS_CASE_RADIUS_M / 111_320;
  const dLon = point
    ? ADDRESS_CASE_RADIUS_M / (111_320 * Math.max(0.01, Math.cos((point.lat * Math.PI) / 180)))
    : 0;
  const q = db
    .selectFrom('cases')
    .select(['id', 'case_no', 'state', 'description', 'reported_at', 'lon', 'lat', 'address_id'])
    .where((eb) => {
      const linked = eb('address_id', 'in', [...addressIds]);
      if (!point) return linked;
      return eb.or([
        linked,
        eb.and([
          eb('lat', '>=', point.lat - dLat),
          eb('lat', '<=', point.lat + dLat),
          eb('lon', '>=', point.lon - dLon),
          eb('lon', '<=', point.lon + dLon),
        ]),
      ]);
    })
    .orderBy('reported_at', 'desc')
    .limit(limit * 2);
  const rows = await applyCaseScope(q, actor).execute();
  const linkedIds = new Set(addressIds);
  return rows
    .map((r) => {
      const linked = r.address_id !== null && linkedIds.has(r.address_id);
      const d = point ? distanceMetres([point.lon, point.lat], [r.lon, r.lat]) : null;
      return { r, linked, d };
    })
    .filter(({ linked, d }) => linked || (d !== null && d <= ADDRESS_CASE_RADIUS_M))
    .slice(0, limit)
    .map(({ r, linked, d }) => ({
      kind: 'case' as const,
      at: r.reported_at.toISOString(),
      ref: r.id,
      title: r.case_no,
      status: r.state,
      detail: r.description.slice(0, 120),
      distanceM: linked || d === null ? null : Math.round(d),
    }));
};

/** Changes to the base information at the address (who changed what, from which import or visit). */
export const changesAtAddress: AddressFileSource = async (ctx) => {
  const { db, access } = ctx;
  const targets: { entity: 'address' | 'dwelling' | 'unit' | 'person'; ids: readonly string[] }[] = [
    { entity: 'address' as const, ids: ctx.addressIds },
    ...(access.slice.dwellings ? [{ entity: 'dwelling' as const, ids: ctx.dwellingIds }] : []),
    ...(access.slice.units !== 'none' ? [{ entity: 'unit' as const, ids: ctx.unitIds }] : []),
    ...(access.slice.people === 'masked' || access.slice.people === 'household'
      ? [{ entity: 'person' as const, ids: ctx.personIds }]
      : []),
  ].filter((t) => t.ids.length > 0);
  if (targets.length === 0) return [];
  const rows = await db
    .selectFrom('base_history as h')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .select([
      'h.id',
      'h.entity',
      'h.entity_id',
      'h.action',
      'h.source',
      'h.source_ref',
      'h.at',
      'h.changes',
      'u.display_name',
    ])
    .where((eb) =>
      eb.or(targets.map((t) => eb.and([eb('h.entity', '=', t.entity), eb('h.entity_id', 'in', [...t.ids])]))),
    )
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(ctx.limit)
    .execute();
  return rows.map((r) => ({
    kind: 'change' as const,
    at: r.at.toISOString(),
    ref: r.entity_id,
    title: r.entity,
    status: r.action,
    // which fields changed, never their values (a person's changes may hold personal data)
    detail: [
      r.source + (r.source_ref ? `:${r.source_ref}` : ''),
      r.display_name ?? '',
      Object.keys((r.changes ?? {}) as Record<string, unknown>)
        .slice(0, 12)
        .join(','),
    ]
      .filter((s) => s !== '')
      .join(' · '),
    distanceM: null,
  }));
};

/**
 * Early warnings (预警) raised at the address or below it — for the centres that see them (the owning
 * street and the district, core/warnings/access.ts); others get none.
 */
export const warningsAtAddress: AddressFileSource = async ({ db, actor, addressIds, limit }) => {
  const streets = warningStreetsOf(actor);
  if ((streets !== null && streets.length === 0) || addressIds.length === 0) return [];
  let q = db
    .selectFrom('warnings')
    .select(['id', 'rule', 'state', 'raised_at', 'dismiss_reason', 'case_id'])
    .where('address_id', 'in', [...addressIds]);
  if (streets !== null) q = q.where('owner_code', 'in', streets);
  const rows = await q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    kind: 'warning' as const,
    at: r.raised_at.toISOString(),
    ref: r.id,
    title: r.rule,
    status: r.state,
    detail: r.dismiss_reason ?? r.case_id,
    distanceM: null,
  }));
};

/** Every source of the one-address file, in no particular order (the file sorts the merged entries). */
export const ADDRESS_FILE_SOURCES: readonly AddressFileSource[] = [
  casesAtAddress,
  changesAtAddress,
  warningsAtAddress,
];

/** The address and everything below it (at most `max` ids). */
export async function addressSubtree(db: Kysely<DB>, id: string, max = 5000): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive sub (id, depth) as (
      select id, 0 from base_addresses where id = ${id}
      union all
      select a.id, sub.depth + 1 from base_addresses a join sub on a.parent_id = sub.id where sub.depth < 6
    )
    select id from sub limit ${max}`.execute(db);
  return rows.map((r) => r.id);
}
