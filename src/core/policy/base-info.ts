import type { Actor, Role } from '../actor.ts';

/**
 * Who sees which slice of the base information (一标三实, issue 12), as data. Access is role × territory,
 * like cases: the territory is the actor's region (a centre, committee or grid) or, for a department,
 * the regions it covers (`department_coverage`); the slice depends on the role and, for department
 * roles, on the department's type (公安 sees households, 市场监管 sees businesses and licences, 房管 sees
 * dwellings, grid staff see addresses, dwellings and masked people).
 */

/**
 * - `none`: no people at all;
 * - `count`: how many registered occupants a dwelling has, nobody named;
 * - `masked`: each occupant with name, ID and phone masked, sex, age band and 户籍 category;
 * - `household`: `masked` plus the household details police work with (birth date, moved in/left dates,
 *   status) — still masked until unmasked with a reason.
 */
export type PeopleSlice = 'none' | 'count' | 'masked' | 'household';
/** `basic`: name, kind, industry, licence status, employees; `licences`: plus licence number and expiry, responsible person (masked). */
export type UnitsSlice = 'none' | 'basic' | 'licences';

export interface BaseInfoSlice {
  addresses: boolean;
  dwellings: boolean;
  people: PeopleSlice;
  units: UnitsSlice;
  /** May unmask one person's ID/phone/name with a reason (audited). */
  unmaskPeople: boolean;
  /** May unmask one unit's responsible person and phone with a reason (audited). */
  unmaskUnits: boolean;
}

const NOTHING: BaseInfoSlice = {
  addresses: false,
  dwellings: false,
  people: 'none',
  units: 'none',
  unmaskPeople: false,
  unmaskUnits: false,
};

const GRID_STAFF: BaseInfoSlice = {
  addresses: true,
  dwellings: true,
  people: 'masked',
  units: 'basic',
  unmaskPeople: false,
  unmaskUnits: false,
};

const CENTRE: BaseInfoSlice = {
  addresses: true,
  dwellings: true,
  people: 'masked',
  units: 'licences',
  unmaskPeople: true,
  unmaskUnits: true,
};

/** The slice of a region-bound role. */
export const REGION_ROLE_SLICES: Readonly<
  Record<Exclude<Role, 'police' | 'dept_handler' | 'dept_lead'>, BaseInfoSlice>
> = {
  patroller: GRID_STAFF,
  coordinator: GRID_STAFF,
  // the committee work-station keeps the base information of its committee (登记, 排摸 follow-up)
  station_operator: { ...GRID_STAFF, units: 'licences', unmaskPeople: true, unmaskUnits: true },
  dispatcher: CENTRE,
  shift_lead: CENTRE,
  leader: { ...CENTRE, unmaskPeople: false, unmaskUnits: false },
  // administers imports; sees what the tables hold, never unmasked
  admin: { ...CENTRE, unmaskPeople: false, unmaskUnits: false },
  citizen: NOTHING,
  system: { ...CENTRE, people: 'household' },
};

/** The slice of a department role by the department's type (`departments.type`). Types not listed see addresses only. */
export const DEPARTMENT_SLICES: Readonly<Record<string, BaseInfoSlice>> = {
  // 公安 (the community police of a station): households
  police: {
    addresses: true,
    dwellings: true,
    people: 'household',
    units: 'basic',
    unmaskPeople: true,
    unmaskUnits: false,
  },
  // 市场监管: businesses and their licences
  market_regulation: { ...NOTHING, addresses: true, units: 'licences', unmaskUnits: true },
  // 卫健: clinics and their licences
  health: { ...NOTHING, addresses: true, units: 'licences', unmaskUnits: true },
  // 房管: dwellings and how many live in them
  housing: { ...NOTHING, addresses: true, dwellings: true, people: 'count' },
  // 消防: who is where (occupancy of workshops and warehouses), no names
  fire: { ...NOTHING, addresses: true, dwellings: true, people: 'count', units: 'basic' },
};

const DEPARTMENT_DEFAULT: BaseInfoSlice = { ...NOTHING, addresses: true };

/** The department facts the policy needs for a department-bound actor (loaded by the app layer). */
export interface ActorDepartment {
  type: string;
  /** Region codes the department serves (department_coverage). */
  coverage: readonly string[];
}

export interface BaseInfoAccess {
  slice: BaseInfoSlice;
  /**
   * Region codes whose base information the actor sees: an address is in scope when its most specific
   * place (grid, else committee, else street) starts with one of them. Empty = nothing.
   */
  regions: readonly string[];
}

/**
 * What base information an actor sees and where (DESIGN §2, §6). Department roles (police, dept_handler,
 * dept_lead) need their department's type and coverage; without it they see nothing (fail closed).
 */
export function baseInfoAccess(actor: Actor, department: ActorDepartment | null): BaseInfoAccess {
  const { unit } = actor;
  if (actor.role === 'police' || actor.role === 'dept_handler' || actor.role === 'dept_lead') {
    if (unit.kind !== 'department' || department === null) return { slice: NOTHING, regions: [] };
    const slice = DEPARTMENT_SLICES[department.type] ?? DEPARTMENT_DEFAULT;
    // a police officer of a station is a community officer (社区民警): the station's slice; any other
    // role in a police department sees addresses only
    const effective = actor.role === 'police' || department.type !== 'police' ? slice : DEPARTMENT_DEFAULT;
    return { slice: effective, regions: department.coverage.filter((c) => /^[0-9]{6,14}$/.test(c)) };
  }
  const slice = REGION_ROLE_SLICES[actor.role];
  if (unit.kind !== 'region' || slice === NOTHING) return { slice: NOTHING, regions: [] };
  return { slice, regions: [unit.code] };
}

/** Whether a place (grid, committee or street code) lies in the access's territory. */
export const placeInRegions = (regions: readonly string[], place: string | null): boolean =>
  place !== null && regions.some((code) => code.length > 0 && place.startsWith(code));

/** The most specific known place of an address row. */
export const placeOfAddress = (a: {
  grid_code: string | null;
  committee_code: string | null;
  street_code: string;
}): string => a.grid_code ?? a.committee_code ?? a.street_code;
