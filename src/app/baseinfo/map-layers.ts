import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import {
  CROWDED_M2_PER_PERSON,
  dwellingRisks,
  unitRisks,
  type DwellingRisk,
  type UnitRisk,
} from '../../core/baseinfo/risk.ts';
import {
  LICENSED_INDUSTRIES,
  type DwellingUse,
  type Industry,
  type LicenceStatus,
} from '../../core/baseinfo/types.ts';
import type { Database } from '../../db/database.ts';
import { addressScopeSql, loadBaseInfoAccess } from './access.ts';

/** At most this many features per layer in one answer: zoom in for the rest (`truncated`). */
export const MAP_FEATURE_CAP = 2000;

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

type Point = { type: 'Point'; coordinates: [number, number] };

export interface UnitFeature {
  type: 'Feature';
  geometry: Point;
  properties: {
    id: string;
    name: string;
    industry: Industry;
    licenceStatus: LicenceStatus;
    addressId: string;
    risks: UnitRisk[];
  };
}

export interface DwellingFeature {
  type: 'Feature';
  geometry: Point;
  properties: {
    id: string;
    addressId: string;
    address: string;
    use: DwellingUse;
    areaM2: number | null;
    occupants: number | null;
    risks: DwellingRisk[];
  };
}

export interface BaseMapLayers {
  units: { type: 'FeatureCollection'; features: UnitFeature[] };
  dwellings: { type: 'FeatureCollection'; features: DwellingFeature[] };
  /** A layer had more features in the box than the cap. */
  truncated: boolean;
}

/**
 * The base-information map layers in a bounding box (issue 12 §8): businesses by industry and licence
 * status, and only the dwellings with a risk flag (群租, 住改工). Cut to the actor's slice and territory;
 * no personal data (names of people, ID or phone numbers) is ever in a feature.
 */
export async function baseInfoMapLayers(
  deps: { database: Database },
  actor: Actor,
  box: BBox,
  options: { onlyRisks?: boolean | undefined } = {},
): Promise<BaseMapLayers> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  const answer: BaseMapLayers = {
    units: { type: 'FeatureCollection', features: [] },
    dwellings: { type: 'FeatureCollection', features: [] },
    truncated: false,
  };

  if (access.slice.units !== 'none') {
    let q = db
      .selectFrom('base_units as u')
      .innerJoin('base_addresses as a', 'a.id', 'u.address_id')
      .select(['u.id', 'u.name', 'u.industry', 'u.licence_status', 'a.id as address_id', 'a.lon', 'a.lat'])
      .where(addressScopeSql(access.regions, 'a'))
      .where('u.status', '=', 'active')
      .where('a.lon', '>=', box.minLon)
      .where('a.lon', '<=', box.maxLon)
      .where('a.lat', '>=', box.minLat)
      .where('a.lat', '<=', box.maxLat);
    if (options.onlyRisks)
      q = q.where('u.industry', 'in', [...LICENSED_INDUSTRIES]).where('u.licence_status', '<>', 'valid');
    const rows = await q
      .orderBy('u.id')
      .limit(MAP_FEATURE_CAP + 1)
      .execute();
    if (rows.length > MAP_FEATURE_CAP) answer.truncated = true;
    answer.units.features = rows.slice(0, MAP_FEATURE_CAP).map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.lon ?? 0, r.lat ?? 0] },
      properties: {
        id: r.id,
        name: r.name,
        industry: r.industry,
        licenceStatus: r.licence_status,
        addressId: r.address_id,
        risks: unitRisks({ industry: r.industry, licenceStatus: r.licence_status }),
      },
    }));
  }

  if (access.slice.dwellings) {
    const countsPeople = access.slice.people !== 'none';
    const occupants = sql<number>`(select count(*)::int from base_people p where p.dwelling_id = d.id and p.status = 'present')`;
    const neighbours = sql<number>`(select count(*)::int from base_dwellings n inner join base_addresses na on na.id = n.address_id where na.parent_id = a.parent_id and n.use = 'residential' and n.id <> d.id)`;
    // the SQL narrows to candidates with the core's threshold; the core decides (dwellingRisks)
    const candidate = countsPeople
      ? sql<boolean>`(d.use = 'workshop' or (d.use = 'residential' and d.area_m2 > 0 and ${occupants} * ${CROWDED_M2_PER_PERSON} > d.area_m2))`
      : sql<boolean>`d.use = 'workshop'`;
    const rows = await db
      .selectFrom('base_dwellings as d')
      .innerJoin('base_addresses as a', 'a.id', 'd.address_id')
      .select([
        'd.id',
        'd.use',
        'd.area_m2',
        'a.id as address_id',
        'a.full_text',
        'a.lon',
        'a.lat',
        occupants.as('occupants'),
        neighbours.as('neighbours'),
      ])
      .where(addressScopeSql(access.regions, 'a'))
      .where('a.lon', '>=', box.minLon)
      .where('a.lon', '<=', box.maxLon)
      .where('a.lat', '>=', box.minLat)
      .where('a.lat', '<=', box.maxLat)
      .where(candidate)
      .orderBy('d.id')
      .limit(MAP_FEATURE_CAP + 1)
      .execute();
    if (rows.length > MAP_FEATURE_CAP) answer.truncated = true;
    for (const r of rows.slice(0, MAP_FEATURE_CAP)) {
      const area = r.area_m2 === null ? null : Number(r.area_m2);
      const count = countsPeople ? Number(r.occupants) : null;
      const risks = dwellingRisks({
        use: r.use,
        areaM2: area,
        occupants: count,
        residentialNeighbours: Number(r.neighbours),
      });
      if (risks.length === 0) continue;
      answer.dwellings.features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [r.lon ?? 0, r.lat ?? 0] },
        properties: {
          id: r.id,
          addressId: r.address_id,
          address: r.full_text,
          use: r.use,
          areaM2: area,
          occupants: count,
          risks,
        },
      });
    }
  }
  return answer;
}
