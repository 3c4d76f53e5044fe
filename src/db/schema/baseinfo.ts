import type { ColumnType, Generated } from 'kysely';
import type {
  AddressLevel,
  BaseEntity,
  ChangeAction,
  ChangeSource,
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

/**
 * Base information (migration 0014, issue 12): addresses, dwellings, people, units and their history.
 * The enums are the core's (src/core/baseinfo/types.ts). `*_cipher` columns hold AES-256-GCM ciphertext
 * (`<keyId>:<iv>:<data>`), `*_hash` the HMAC lookup hash: see src/app/baseinfo/pii.ts.
 */
/**
 * A PostgreSQL `date`: written as YYYY-MM-DD, read back as a Date (host zone) or a string depending on the
 * driver, so reads cast it with `to_char(…, 'YYYY-MM-DD')` (as the calendar does).
 */
type DateColumn = ColumnType<Date | string, string, string>;

export interface BaseAddressesTable {
  id: string;
  code: string;
  level: AddressLevel;
  parent_id: string | null;
  name: string;
  full_text: string;
  normalized: string;
  street_code: string;
  committee_code: string | null;
  grid_code: string | null;
  lon: number | null;
  lat: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BaseDwellingsTable {
  id: string;
  address_id: string;
  use: DwellingUse;
  occupancy: Occupancy;
  area_m2: number | null;
  rooms: number | null;
  note: string | null;
  /** counted on the last screening visit (migration 0023) */
  occupants_counted: number | null;
  occupants_counted_on: DateColumn | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BasePeopleTable {
  id: string;
  name: string;
  id_type: IdType;
  id_number_cipher: string;
  id_number_hash: string;
  sex: Sex | null;
  birth_date: DateColumn | null;
  phone_cipher: string | null;
  phone_hash: string | null;
  pii_key_id: string;
  hukou: HukouCategory;
  dwelling_id: string | null;
  moved_in_on: DateColumn | null;
  left_on: DateColumn | null;
  status: Generated<PersonStatus>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BaseUnitsTable {
  id: string;
  name: string;
  credit_code: string | null;
  kind: UnitKind;
  industry: Industry;
  licence_status: LicenceStatus;
  licence_no: string | null;
  licence_expires_on: DateColumn | null;
  address_id: string | null;
  responsible_person: string | null;
  phone_cipher: string | null;
  phone_hash: string | null;
  pii_key_id: string | null;
  employees: number | null;
  status: Generated<UnitStatus>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BaseHistoryTable {
  id: Generated<number>;
  entity: BaseEntity;
  entity_id: string;
  action: ChangeAction;
  /** field → { from, to } (encrypted fields: { changed: true }). */
  changes: Generated<unknown>;
  actor_id: string | null;
  source: ChangeSource;
  source_ref: string | null;
  at: Generated<Date>;
}

export interface BaseInfoTables {
  base_addresses: BaseAddressesTable;
  base_dwellings: BaseDwellingsTable;
  base_people: BasePeopleTable;
  base_units: BaseUnitsTable;
  base_history: BaseHistoryTable;
}
