import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { distanceMetres } from '../../core/geo/crs.ts';
import type { BaseInfoAccess } from '../../core/policy/base-info.ts';
import { patrolStreetsOf } from '../../core/patrol/access.ts';
import { campaignOverlaps } from '../../core/screening/access.ts';
import { warningStreetsOf } from '../../core/warnings/access.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import type { DB } from '../../db/schema/index.ts';
import type { AddressRow } from './present.ts';

/**
 * The timeline of a one-address file (一址一档) is assembled from sources, one per kind of record kept
 * at an address: cases (linked to the address or reported within a few metres) and base-information
 * changes, screening visits (滚动排摸), early warnings (预警) and patrol check-ins (巡查打卡) near it: one
 * entry of `ADDRESS_FILE_SOURCES` each — each source applies its own module's access rules and returns its
 * entries; the file merges them newest first.
 */
export type TimelineKind = 'case' | 'change' | 'visit' | 'warning' | 'checkin';

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
  /** Cases and check-ins found by distance rather than by link: how far from the address point. */
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

/** A box of ±`metres` around a point (the index-friendly first cut before the exact distance). */
function boxAround(point: { lon: number; lat: number }, metres: number) {
  const dLat = metres / 111_320;
  const dLon = metres / (111_320 * Math.max(0.01, Math.cos((point.lat * Math.PI) / 180)));
  return {
    minLon: point.lon - dLon,
    maxLon: point.lon + dLon,
    minLat: point.lat - dLat,
    maxLat: point.lat + dLat,
  };
}

/** Cases the actor may see, linked to the address (or below) or reported within ADDRESS_CASE_RADIUS_M of it. */
export const casesAtAddress: AddressFileSource = async ({ db, actor, address, addressIds, limit }) => {
  const point = address.lon !== null && address.lat !== null ? { lon: address.lon, lat: address.lat } : null;
  const box = point ? boxAround(point, ADDRESS_CASE_RADIUS_M) : null;
  const q = db
    .selectFrom('cases')
    .select(['id', 'case_no', 'state', 'description', 'reported_at', 'lon', 'lat', 'address_id'])
    .where((eb) => {
      const linked = eb('address_id', 'in', [...addressIds]);
      if (!box) return linked;
      return eb.or([
        linked,
        eb.and([
          eb('lat', '>=', box.minLat),
          eb('lat', '<=', box.maxLat),
          eb('lon', '>=', box.minLon),
          eb('lon', '<=', box.maxLon),
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

/**
 * Screening visits (滚动排摸走访) to targets at the address or below it. They follow the screening module's
 * rule (core/screening/access.ts: a campaign is seen by whoever's base-information regions meet its
 * territory — the file's address is already inside the actor's regions), cut further to the slice: a visit
 * to a dwelling needs the dwellings slice, a visit to a business the units slice. The entry names the
 * campaign, the outcome and the visitor — never the form's answers (they may hold personal data); a
 * finding's case is on the timeline as a case.
 */
export const screeningVisitsAtAddress: AddressFileSource = async ({ db, access, addressIds, limit }) => {
  const kinds = [
    ...(access.slice.dwellings ? ['dwelling' as const] : []),
    ...(access.slice.units !== 'none' ? ['unit' as const] : []),
  ];
  if (!access.slice.addresses || kinds.length === 0 || addressIds.length === 0) return [];
  const rows = await db
    .selectFrom('screening_visits as v')
    .innerJoin('screening_tasks as t', 't.id', 'v.task_id')
    .innerJoin('screening_campaigns as c', 'c.id', 'v.campaign_id')
    .innerJoin('users as w', 'w.id', 'v.visitor_id')
    .select(['v.id', 'v.at', 'v.outcome', 'c.name', 'c.territory', 'w.display_name'])
    .where('t.address_id', 'in', [...addressIds])
    .where('t.target_kind', 'in', kinds)
    .orderBy('v.at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(limit)
    .execute();
  return rows
    .filter((r) => campaignOverlaps(access.regions, r.territory))
    .map((r) => ({
      kind: 'visit' as const,
      at: new Date(r.at).toISOString(),
      ref: r.id,
      title: r.name,
      status: r.outcome,
      detail: r.display_name,
      distanceM: null,
    }));
};

/**
 * Patrol check-ins (巡查打卡) within ADDRESS_CASE_RADIUS_M of the address point (a check-in is a free
 * point, not linked to an address). They follow the patrol module's rule (core/patrol/access.ts: tracks
 * are personal data): the patroller sees their own, the street centre its street's, the district all;
 * nobody else any.
 */
export const checkinsNearAddress: AddressFileSource = async ({ db, actor, address, limit }) => {
  if (address.lon === null || address.lat === null) return [];
  const point = { lon: address.lon, lat: address.lat };
  const streets = patrolStreetsOf(actor);
  const box = boxAround(point, ADDRESS_CASE_RADIUS_M);
  let q = db
    .selectFrom('patrol_checkins as k')
    .innerJoin('patrols as p', 'p.id', 'k.patrol_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['k.id', 'k.patrol_id', 'k.at', 'k.lon', 'k.lat', 'k.note', 'u.display_name'])
    .where('k.lat', '>=', box.minLat)
    .where('k.lat', '<=', box.maxLat)
    .where('k.lon', '>=', box.minLon)
    .where('k.lon', '<=', box.maxLon);
  if (streets !== null)
    q = q.where((eb) =>
      streets.length === 0
        ? eb('p.user_id', '=', actor.userId)
        : eb.or([eb('p.user_id', '=', actor.userId), eb('p.street_code', 'in', streets)]),
    );
  const rows = await q
    .orderBy('k.at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(limit * 2)
    .execute();
  return rows
    .map((r) => ({ r, d: distanceMetres([point.lon, point.lat], [r.lon, r.lat]) }))
    .filter(({ d }) => d <= ADDRESS_CASE_RADIUS_M)
    .slice(0, limit)
    .map(({ r, d }) => ({
      kind: 'checkin' as const,
      at: r.at.toISOString(),
      ref: r.patrol_id,
      title: r.display_name,
      status: null,
      detail: r.note === '' ? null : r.note,
      distanceM: Math.round(d),
    }));
};

/** Every source of the one-address file, in no particular order (the file sorts the merged entries). */
export const ADDRESS_FILE_SOURCES: readonly AddressFileSource[] = [
  casesAtAddress,
  changesAtAddress,
  warningsAtAddress,
  screeningVisitsAtAddress,
  checkinsNearAddress,
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
