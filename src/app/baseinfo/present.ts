import { sql } from 'kysely';
import type { BaseInfoSlice } from '../../core/policy/base-info.ts';
import { maskIdNumber, maskName, maskPhone } from '../../core/policy/personal-data.ts';
import type {
  AddressLevel,
  DwellingUse,
  HukouCategory,
  IdType,
  Industry,
  LicenceStatus,
  Occupancy,
  PersonStatus,
  Sex,
  UnitKind,
  UnitStatus,
} from '../../core/baseinfo/types.ts';
import { decryptContact } from './records.ts';
import type { PiiKeyring } from './pii.ts';

/** How base information leaves the app layer: always masked, cut to the actor's slice. */

export interface AddressView {
  id: string;
  code: string;
  level: AddressLevel;
  name: string;
  fullText: string;
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
  lon: number | null;
  lat: number | null;
}

export const ADDRESS_COLUMNS = [
  'a.id',
  'a.code',
  'a.level',
  'a.name',
  'a.full_text',
  'a.street_code',
  'a.committee_code',
  'a.grid_code',
  'a.lon',
  'a.lat',
] as const;

export interface AddressRow {
  id: string;
  code: string;
  level: AddressLevel;
  name: string;
  full_text: string;
  street_code: string;
  committee_code: string | null;
  grid_code: string | null;
  lon: number | null;
  lat: number | null;
}

export const presentAddress = (a: AddressRow): AddressView => ({
  id: a.id,
  code: a.code,
  level: a.level,
  name: a.name,
  fullText: a.full_text,
  streetCode: a.street_code,
  committeeCode: a.committee_code,
  gridCode: a.grid_code,
  lon: a.lon,
  lat: a.lat,
});

export interface DwellingView {
  id: string;
  addressId: string;
  use: DwellingUse;
  occupancy: Occupancy;
  areaM2: number | null;
  rooms: number | null;
  /** Registered occupants present (status `present`). */
  occupants: number;
}

/** The person columns every person query selects (`p` = base_people). */
export const PERSON_COLUMNS = [
  'p.id',
  'p.name',
  'p.id_type',
  'p.id_number_cipher',
  'p.sex',
  'p.hukou',
  'p.status',
  'p.phone_cipher',
  'p.dwelling_id',
] as const;

export interface PersonRow {
  id: string;
  name: string;
  id_type: IdType;
  id_number_cipher: string;
  sex: Sex | null;
  hukou: HukouCategory;
  status: PersonStatus;
  phone_cipher: string | null;
  dwelling_id: string | null;
  birth_date: string | null;
  moved_in_on: string | null;
  left_on: string | null;
  address_id: string | null;
  address_text: string | null;
}

export interface PersonView {
  id: string;
  name: string;
  idType: IdType;
  idNumber: string | null;
  phone: string | null;
  sex: Sex | null;
  hukou: HukouCategory;
  status: PersonStatus;
  /** Household details (police slice): birth date, moved in/left dates. */
  birthDate: string | null;
  movedInOn: string | null;
  leftOn: string | null;
  dwellingId: string | null;
  addressId: string | null;
  address: string | null;
  masked: boolean;
  /** The actor may ask to see this person unmasked (with a reason, audited). */
  canUnmask: boolean;
}

/** A person as the slice allows: masked unless `unmasked` (after an audited unmask). */
export function presentPerson(
  keyring: PiiKeyring,
  row: PersonRow,
  slice: BaseInfoSlice,
  unmasked = false,
): PersonView {
  const clear = decryptContact(keyring, row);
  const household = slice.people === 'household';
  return {
    id: row.id,
    name: unmasked ? row.name : (maskName(row.name) ?? ''),
    idType: row.id_type,
    idNumber: unmasked ? clear.idNumber : maskIdNumber(clear.idNumber),
    phone: unmasked ? clear.phone : maskPhone(clear.phone),
    sex: row.sex,
    hukou: row.hukou,
    status: row.status,
    birthDate: household || unmasked ? row.birth_date : null,
    movedInOn: household || unmasked ? row.moved_in_on : null,
    leftOn: household || unmasked ? row.left_on : null,
    dwellingId: row.dwelling_id,
    addressId: row.address_id,
    address: row.address_text,
    masked: !unmasked,
    canUnmask: !unmasked && slice.unmaskPeople,
  };
}

/** The unit columns every unit query selects (`u` = base_units joined to its address `a`). */
export const UNIT_COLUMNS = [
  'u.id',
  'u.name',
  'u.credit_code',
  'u.kind',
  'u.industry',
  'u.licence_status',
  'u.licence_no',
  sql<string | null>`to_char(u.licence_expires_on, 'YYYY-MM-DD')`.as('licence_expires_on'),
  'u.responsible_person',
  'u.phone_cipher',
  'u.employees',
  'u.status',
  'a.id as address_id',
  'a.full_text as address_text',
] as const;

export interface UnitRow {
  id: string;
  name: string;
  credit_code: string | null;
  kind: UnitKind;
  industry: Industry;
  licence_status: LicenceStatus;
  licence_no: string | null;
  licence_expires_on: string | null;
  responsible_person: string | null;
  phone_cipher: string | null;
  employees: number | null;
  status: UnitStatus;
  address_id: string | null;
  address_text: string | null;
}

export interface UnitView {
  id: string;
  name: string;
  creditCode: string | null;
  kind: UnitKind;
  industry: Industry;
  licenceStatus: LicenceStatus;
  /** `licences` slice only. */
  licenceNo: string | null;
  licenceExpiresOn: string | null;
  responsiblePerson: string | null;
  phone: string | null;
  employees: number | null;
  status: UnitStatus;
  addressId: string | null;
  address: string | null;
  masked: boolean;
  canUnmask: boolean;
}

export function presentUnit(
  keyring: PiiKeyring,
  row: UnitRow,
  slice: BaseInfoSlice,
  unmasked = false,
): UnitView {
  const licences = slice.units === 'licences';
  const phone = licences || unmasked ? decryptContact(keyring, row).phone : null;
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    kind: row.kind,
    industry: row.industry,
    licenceStatus: row.licence_status,
    licenceNo: licences || unmasked ? row.licence_no : null,
    licenceExpiresOn: licences || unmasked ? row.licence_expires_on : null,
    responsiblePerson:
      licences || unmasked ? (unmasked ? row.responsible_person : maskName(row.responsible_person)) : null,
    phone: unmasked ? phone : maskPhone(phone),
    employees: row.employees,
    status: row.status,
    addressId: row.address_id,
    address: row.address_text,
    masked: !unmasked,
    canUnmask:
      !unmasked && slice.unmaskUnits && (row.responsible_person !== null || row.phone_cipher !== null),
  };
}
