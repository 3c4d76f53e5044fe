import { booleanPointInPolygon } from '@turf/turf';
import type { Insertable } from 'kysely';
import { addressCode, addressText, normalizeAddress, type AddressSegment } from '../core/baseinfo/address.ts';
import type {
  BaseUnit,
  DwellingUse,
  HukouCategory,
  Industry,
  LicenceStatus,
  Occupancy,
  Person,
  UnitKind,
} from '../core/baseinfo/types.ts';
import { creditCodeCheckChar, residentIdCheckChar } from '../core/baseinfo/validate.ts';
import { samplePointsInside, type Random } from '../core/geo/partition.ts';
import type { AreaGeometry, Position } from '../core/geo/types.ts';
import { piiKeyring, type PiiKeyring } from '../app/baseinfo/pii.ts';
import { insertJsonRows, personRow, unitRow } from '../app/baseinfo/records.ts';
import type { Database } from '../db/database.ts';
import type { BaseAddressesTable, BaseDwellingsTable, BaseHistoryTable } from '../db/schema/baseinfo.ts';
import { GIVEN, GUMEI_ROADS, INDUSTRY_MIX, SHOP_PREFIXES, SURNAMES } from './base-info-names.ts';
import { seededRandom } from './territory.ts';

/**
 * Synthetic base information (一标三实) for 古美街道 (issue 12 §7): standard addresses in lanes off the
 * area's roads — one residential compound (a lane, 弄) per committee with its buildings (号) and rooms,
 * and shop fronts (号) on the roads — dwellings, registered people and businesses, placed inside the
 * committees and grids of the demo territory. Deterministic: the same seed gives the same rows.
 *
 * It also plants what the next issues must find: rented flats with far more registered occupants than
 * their area allows (群租), catering businesses and clinics without licences, workshops in residential
 * buildings.
 *
 * Demo ID numbers can never be a real person's: they start with region code 990112 — the province
 * code 99 was never assigned by GB/T 2260 — and still carry a valid GB 11643 check digit, so the
 * validator accepts them. Demo credit codes use the same unassigned region segment (990112), demo
 * mobile numbers the 140 block (13-digit IoT numbers; no 11-digit subscriber number starts with 140).
 */
/** Trades the warning rules check for a licence (core/warnings/rules.ts). */
const WARNED_TRADES: ReadonlySet<string> = new Set(['catering', 'food_workshop', 'clinic']);

export const DEMO_BASEINFO_STREET = '310112006'; // 古美街道
export const DEMO_ID_REGION = '990112';
/** The fixed "today" of the generated dates (births, moves, licences), so every run gives the same rows. */
export const DEMO_BASEINFO_DATE = '2026-06-30';

export interface DemoRegion {
  code: string;
  name: string;
  geometry: AreaGeometry;
}

export interface DemoBaseInfo {
  addresses: Insertable<BaseAddressesTable>[];
  dwellings: Insertable<BaseDwellingsTable>[];
  people: Person[];
  units: BaseUnit[];
  history: Insertable<BaseHistoryTable>[];
  /** Ids of the planted anomalies, for tests and the next issues' checks. */
  anomalies: { crowded: string[]; unlicensed: string[]; workshops: string[] };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

function dateKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
const DAY = 86_400_000;
const TODAY_MS = Date.parse(`${DEMO_BASEINFO_DATE}T00:00:00Z`);

/** Deterministic generator of the demo's base information over 古美's committees and grids. */
export function generateDemoBaseInfo(
  committees: readonly DemoRegion[],
  grids: readonly (DemoRegion & { parent: string })[],
  seed = 12,
): DemoBaseInfo {
  const random = seededRandom(seed);
  const out: DemoBaseInfo = {
    addresses: [],
    dwellings: [],
    people: [],
    units: [],
    history: [],
    anomalies: { crowded: [], unlicensed: [], workshops: [] },
  };
  const ids = new Set<string>();
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}-${pad(++seq, 6)}`;

  const gridOf = (committee: DemoRegion, point: Position): string | null => {
    const mine = grids.filter((g) => g.parent === committee.code);
    return (mine.find((g) => booleanPointInPolygon(point, g.geometry)) ?? mine[0])?.code ?? null;
  };
  const addAddress = (
    committee: DemoRegion,
    parentId: string | null,
    segments: AddressSegment[],
    point: Position,
    grid: string | null,
  ): string => {
    const id = nextId('addr');
    const last = segments[segments.length - 1]!;
    const fullText = addressText(segments);
    out.addresses.push({
      id,
      code: addressCode(DEMO_BASEINFO_STREET, segments),
      level: last.level,
      parent_id: parentId,
      name: last.level === 'room' ? `${last.name}室` : last.name,
      full_text: fullText,
      normalized: normalizeAddress(fullText),
      street_code: DEMO_BASEINFO_STREET,
      committee_code: committee.code,
      grid_code: grid,
      lon: Number(point[0].toFixed(6)),
      lat: Number(point[1].toFixed(6)),
    });
    return id;
  };
  const addDwelling = (
    addressId: string,
    use: DwellingUse,
    occupancy: Occupancy,
    area: number,
    rooms: number | null,
  ) => {
    const id = nextId('dwl');
    out.dwellings.push({ id, address_id: addressId, use, occupancy, area_m2: area, rooms, note: null });
    return id;
  };

  const newIdNumber = (birth: string, male: boolean): string => {
    for (;;) {
      const order = between(random, 0, 499) * 2 + (male ? 1 : 0);
      const first17 = `${DEMO_ID_REGION}${birth.replace(/-/g, '')}${pad(order, 3)}`;
      const id = `${first17}${residentIdCheckChar(first17)}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const phone = () => `140${pad(between(random, 0, 99_999_999), 8)}`;
  const personName = () =>
    pick(random, SURNAMES) + pick(random, GIVEN) + (random() < 0.6 ? pick(random, GIVEN) : '');
  const addPerson = (
    dwellingId: string,
    options: { minAge: number; maxAge: number; hukou?: HukouCategory },
  ) => {
    const male = random() < 0.5;
    const age = between(random, options.minAge, options.maxAge);
    const birth = dateKey(TODAY_MS - (age * 365 + between(random, 0, 364)) * DAY);
    const hukou: HukouCategory =
      options.hukou ?? (random() < 0.55 ? 'local' : random() < 0.93 ? 'migrant' : 'overseas');
    const overseas = hukou === 'overseas';
    const movedIn = dateKey(TODAY_MS - between(random, 30, 20 * 365) * DAY);
    const left = random() < 0.04;
    out.people.push({
      id: nextId('psn'),
      name: personName(),
      idType: overseas ? 'passport' : 'resident_id',
      // passports of the demo: "ZZ" + 7 digits, a prefix no issuing state uses
      idNumber: overseas ? `ZZ${pad(between(random, 0, 9_999_999), 7)}` : newIdNumber(birth, male),
      sex: male ? 'male' : 'female',
      birthDate: birth,
      phone: age >= 16 && random() < 0.75 ? phone() : null,
      hukou,
      dwellingId,
      movedInOn: movedIn,
      leftOn: left
        ? dateKey(
            Math.min(TODAY_MS - DAY, Date.parse(`${movedIn}T00:00:00Z`) + between(random, 30, 2000) * DAY),
          )
        : null,
      status: left ? 'left' : 'present',
    });
  };

  const weights = INDUSTRY_MIX.reduce((n, i) => n + i.weight, 0);
  const industryPick = () => {
    let r = random() * weights;
    for (const mix of INDUSTRY_MIX) {
      r -= mix.weight;
      if (r < 0) return mix;
    }
    return INDUSTRY_MIX[0];
  };
  const creditCode = (kind: UnitKind): string => {
    const head = kind === 'individual' ? '92' : kind === 'company' ? '91' : '52';
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let org = '';
    for (let i = 0; i < 9; i++) org += chars[Math.floor(random() * (i === 0 ? 10 : chars.length))];
    const first17 = `${head}${DEMO_ID_REGION}${org}`;
    return `${first17}${creditCodeCheckChar(first17)}`;
  };
  const addUnit = (
    addressId: string,
    mix: (typeof INDUSTRY_MIX)[number],
    licence?: LicenceStatus,
  ): string => {
    const industry: Industry = mix.industry;
    const kind: UnitKind =
      industry === 'office'
        ? 'company'
        : industry === 'education' && random() < 0.3
          ? 'organisation'
          : random() < 0.6
            ? 'individual'
            : 'company';
    // the trades the warning rules check hold a valid licence unless planted below (so the 古美 centre has
    // a handful of 无证经营 / 非法行医 warnings, not a hundred); the draw is made anyway (same sequence)
    const drawn: LicenceStatus = random() < 0.9 ? 'valid' : random() < 0.7 ? 'expired' : 'none';
    const licenced = licence ?? (WARNED_TRADES.has(industry) ? 'valid' : drawn);
    const id = nextId('unit');
    // (the checked trades' licences run at least two more years: the demo's "now" moves on, they stay valid)
    const expires =
      licenced === 'valid'
        ? dateKey(TODAY_MS + between(random, WARNED_TRADES.has(industry) ? 2 * 365 : 30, 5 * 365) * DAY)
        : licenced === 'expired'
          ? dateKey(TODAY_MS - between(random, 1, 700) * DAY)
          : null;
    out.units.push({
      id,
      name: `${pick(random, SHOP_PREFIXES)}${pick(random, SHOP_PREFIXES)}${pick(random, mix.endings)}`,
      creditCode: random() < 0.97 ? creditCode(kind) : null,
      kind,
      industry,
      licenceStatus: licenced,
      licenceNo: licenced === 'none' ? null : `JY3${DEMO_ID_REGION}${pad(between(random, 0, 9_999_999), 7)}`,
      licenceExpiresOn: expires,
      addressId,
      responsiblePerson: personName(),
      phone: phone(),
      employees: between(random, 1, industry === 'office' ? 60 : 12),
      status: 'active',
    });
    return id;
  };
  const mixOf = (industry: Industry) => INDUSTRY_MIX.find((m) => m.industry === industry)!;

  // the roads themselves (level road), placed in the committee of their first lane
  const roadIds = new Map<string, string>();
  committees.forEach((committee, ci) => {
    const road = GUMEI_ROADS[ci % GUMEI_ROADS.length]!;
    if (roadIds.has(road)) return;
    const [spot] = samplePointsInside(committee.geometry, 1, random);
    roadIds.set(
      road,
      addAddress(committee, null, [{ level: 'road', name: road }], spot!, gridOf(committee, spot!)),
    );
  });

  committees.forEach((committee, ci) => {
    const road = GUMEI_ROADS[ci % GUMEI_ROADS.length]!;
    const lane = 100 + ci * 37 + between(random, 0, 20);
    const laneSegments: AddressSegment[] = [{ level: 'road', name: `${road}${lane}弄` }];
    const points = samplePointsInside(committee.geometry, 1, random);
    const centre = points[0]!;
    const laneId = addAddress(committee, null, laneSegments, centre, gridOf(committee, centre));
    // the compound: 22–32 buildings of 5–6 floors, two flats a floor (a few high-rises: 2 units × 14 floors)
    const buildings = between(random, 22, 32);
    const spots = samplePointsInside(committee.geometry, buildings, random);
    for (let b = 1; b <= buildings; b++) {
      const spot = spots[b - 1]!;
      const grid = gridOf(committee, spot);
      const numberSeg: AddressSegment = { level: 'number', name: `${b}号` };
      const buildingId = addAddress(committee, laneId, [...laneSegments, numberSeg], spot, grid);
      const highRise = random() < 0.08;
      const floors = highRise ? 14 : between(random, 5, 6);
      const perFloor = 2;
      for (let f = 1; f <= floors; f++) {
        for (let k = 1; k <= perFloor; k++) {
          const room = `${f}0${k}`;
          const roomId = addAddress(
            committee,
            buildingId,
            [...laneSegments, numberSeg, { level: 'room', name: room }],
            spot,
            grid,
          );
          const area = Math.round((highRise ? 70 : 38) + random() * 50);
          const r = random();
          // a few flats become 群租 (group renting): 12–20 registered occupants in a small flat
          // (in every 3rd compound, one flat in about 500: a handful in 古美, each a 疑似群租 warning)
          if (r < 0.002 && ci % 3 === 0) {
            const dwellingId = addDwelling(roomId, 'residential', 'rented', Math.min(area, 55), 2);
            const n = between(random, 12, 20);
            for (let i = 0; i < n; i++) addPerson(dwellingId, { minAge: 18, maxAge: 45, hukou: 'migrant' });
            out.anomalies.crowded.push(dwellingId);
            out.history.push({
              entity: 'dwelling',
              entity_id: dwellingId,
              action: 'update',
              changes: { occupancy: { from: 'owner_occupied', to: 'rented' } },
              actor_id: null,
              source: 'visit',
              source_ref: 'demo-screening-2026-05',
              at: new Date(TODAY_MS - between(random, 5, 60) * DAY),
            });
            continue;
          }
          // and a few ground-floor flats house a workshop (住改工: a workshop in a residential building)
          if (f === 1 && r < 0.02) {
            const dwellingId = addDwelling(roomId, 'workshop', 'rented', area, null);
            out.anomalies.workshops.push(dwellingId);
            addUnit(roomId, mixOf(random() < 0.1 ? 'food_workshop' : 'repair'), 'none');
            continue;
          }
          const occupancy: Occupancy = r < 0.62 ? 'owner_occupied' : r < 0.92 ? 'rented' : 'vacant';
          const dwellingId = addDwelling(roomId, 'residential', occupancy, area, between(random, 1, 3));
          if (occupancy === 'vacant') continue;
          const household = between(random, 1, occupancy === 'rented' ? 4 : 5);
          for (let i = 0; i < household; i++)
            addPerson(dwellingId, i === 0 ? { minAge: 22, maxAge: 88 } : { minAge: 0, maxAge: 88 });
        }
      }
    }
    // shop fronts on the road: numbers 1–N (odd side), one or two businesses each
    const shops = between(random, 26, 34);
    const fronts = samplePointsInside(committee.geometry, shops, random);
    for (let s = 0; s < shops; s++) {
      const spot = fronts[s]!;
      const number = (ci % 5) * 400 + s * 2 + 1;
      const frontId = addAddress(
        committee,
        roadIds.get(road) ?? null,
        [
          { level: 'road', name: road },
          { level: 'number', name: `${number}号` },
        ],
        spot,
        gridOf(committee, spot),
      );
      const mix = industryPick();
      const use: DwellingUse =
        mix.industry === 'office' ? 'office' : mix.industry === 'logistics' ? 'warehouse' : 'shop';
      addDwelling(
        frontId,
        use,
        random() < 0.8 ? 'rented' : 'owner_occupied',
        Math.round(20 + random() * 180),
        null,
      );
      // in every 8th compound, every 6th catering place, and in every 6th every 3rd clinic, trades without a
      // licence (无证经营 / 非法行医): a handful of warnings for the street, not a hundred
      const unlicensed =
        (mix.industry === 'catering' && s % 6 === 0 && ci % 8 === 0) ||
        (mix.industry === 'clinic' && s % 3 === 0 && ci % 6 === 0);
      const unitId = addUnit(frontId, mix, unlicensed ? 'none' : undefined);
      if (unlicensed) out.anomalies.unlicensed.push(unitId);
      if (random() < 0.15) addUnit(frontId, industryPick());
    }
  });
  return out;
}

export interface DemoBaseInfoReport {
  addresses: number;
  dwellings: number;
  people: number;
  units: number;
  ms: number;
}

/**
 * Writes the demo base information of 古美街道 (once: nothing happens when base addresses exist) with
 * bulk multi-row inserts in one transaction; ID and phone numbers encrypted with the process keyring.
 */
export async function seedDemoBaseInfo(
  database: Database,
  options: { keyring?: PiiKeyring; log?: (message: string) => void } = {},
): Promise<DemoBaseInfoReport> {
  const started = performance.now();
  const { db } = database;
  const empty = { addresses: 0, dwellings: 0, people: 0, units: 0 };
  const existing = await db.selectFrom('base_addresses').select('id').limit(1).execute();
  if (existing.length > 0) return { ...empty, ms: 0 };
  const regions = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', 'geometry'])
    .where('code', 'like', `${DEMO_BASEINFO_STREET}%`)
    .where('level', 'in', ['committee', 'grid'])
    .orderBy('code')
    .execute();
  const committees = regions
    .filter((r) => r.level === 'committee' && r.geometry)
    .map((r) => ({ code: r.code, name: r.name, geometry: r.geometry as AreaGeometry }));
  if (committees.length === 0) return { ...empty, ms: 0 };
  const grids = regions
    .filter((r) => r.level === 'grid' && r.geometry && r.parent_code)
    .map((r) => ({
      code: r.code,
      name: r.name,
      geometry: r.geometry as AreaGeometry,
      parent: r.parent_code!,
    }));
  const data = generateDemoBaseInfo(committees, grids);
  const keyring = options.keyring ?? piiKeyring();
  options.log?.(
    `writing demo base information for 古美街道: ${data.addresses.length} addresses, ${data.dwellings.length} dwellings, ${data.people.length} people, ${data.units.length} businesses…`,
  );
  await db.transaction().execute(async (trx) => {
    await insertJsonRows(trx, 'base_addresses', data.addresses);
    await insertJsonRows(trx, 'base_dwellings', data.dwellings);
    await insertJsonRows(
      trx,
      'base_people',
      data.people.map((p) => personRow(keyring, p)),
    );
    await insertJsonRows(
      trx,
      'base_units',
      data.units.map((u) => unitRow(keyring, u)),
    );
    await insertJsonRows(trx, 'base_history', data.history);
  });
  return {
    addresses: data.addresses.length,
    dwellings: data.dwellings.length,
    people: data.people.length,
    units: data.units.length,
    ms: Math.round(performance.now() - started),
  };
}
