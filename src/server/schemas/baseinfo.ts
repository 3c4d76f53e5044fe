import { Type, type Static } from 'typebox';
import type { TimelineEntry } from '../../app/baseinfo/address-file-sources.ts';
import type { AddressFile } from '../../app/baseinfo/get-address-file.ts';
import type { AddressView, DwellingView, PersonView, UnitView } from '../../app/baseinfo/present.ts';
import {
  ADDRESS_LEVELS,
  DWELLING_USES,
  HUKOU_CATEGORIES,
  ID_TYPES,
  INDUSTRIES,
  LICENCE_STATUSES,
  OCCUPANCIES,
  PERSON_STATUSES,
  SEXES,
  UNIT_KINDS,
  UNIT_STATUSES,
} from '../../core/baseinfo/types.ts';
import { Nullable, StringEnum, type SameKeys } from './common.ts';

/** Base information (一标三实) and the one-address file (一址一档), issue 12: the published shapes. */

export const AddressLevelSchema = StringEnum(ADDRESS_LEVELS, { $id: 'AddressLevel' });
export const HukouSchema = StringEnum(HUKOU_CATEGORIES, {
  $id: 'HukouCategory',
  description: '户籍: local 本市户籍 · migrant 来沪人员 · overseas 境外人员',
});
export const IdTypeSchema = StringEnum(ID_TYPES, { $id: 'IdType' });
export const PersonStatusSchema = StringEnum(PERSON_STATUSES, { $id: 'PersonStatus' });
export const UnitKindSchema = StringEnum(UNIT_KINDS, {
  $id: 'UnitKind',
  description: 'company 公司 · individual 个体工商户 · organisation 机关事业单位/社会组织',
});
export const IndustrySchema = StringEnum(INDUSTRIES, { $id: 'Industry' });
export const LicenceStatusSchema = StringEnum(LICENCE_STATUSES, { $id: 'LicenceStatus' });

const addressProperties = {
  id: Type.String(),
  code: Type.String({ description: 'the stable address code (natural key of imports)' }),
  level: AddressLevelSchema,
  name: Type.String({ description: 'this level: 古美路1弄 / 3号 / 5幢 / 2单元 / 502室' }),
  fullText: Type.String(),
  streetCode: Type.String(),
  committeeCode: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
};
export const AddressSchema = Type.Object(addressProperties, { $id: 'BaseAddress' });
export const AddressListSchema = Type.Object(
  { items: Type.Array(AddressSchema) },
  { $id: 'BaseAddressList' },
);
export const NearbyAddressSchema = Type.Object(
  { ...addressProperties, distanceM: Type.Number({ description: 'metres from the given point' }) },
  { $id: 'NearbyAddress' },
);
export const NearbyAddressListSchema = Type.Object(
  { items: Type.Array(NearbyAddressSchema) },
  { $id: 'NearbyAddressList' },
);

export const DwellingSchema = Type.Object(
  {
    id: Type.String(),
    addressId: Type.String(),
    use: StringEnum(DWELLING_USES),
    occupancy: StringEnum(OCCUPANCIES, { description: '自住 owner_occupied · 出租 rented · 空置 vacant' }),
    areaM2: Nullable(Type.Number()),
    rooms: Nullable(Type.Integer()),
    occupants: Type.Integer({ description: 'registered occupants present' }),
  },
  { $id: 'Dwelling' },
);

export const PersonSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'masked unless `masked` is false' }),
    idType: IdTypeSchema,
    idNumber: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    sex: Nullable(StringEnum(SEXES)),
    hukou: HukouSchema,
    status: PersonStatusSchema,
    birthDate: Nullable(Type.String({ description: 'household slice (police) or unmasked only' })),
    movedInOn: Nullable(Type.String()),
    leftOn: Nullable(Type.String()),
    dwellingId: Nullable(Type.String()),
    addressId: Nullable(Type.String()),
    address: Nullable(Type.String()),
    masked: Type.Boolean(),
    canUnmask: Type.Boolean({ description: 'POST …/unmask with a reason shows this person (audited)' }),
  },
  { $id: 'BasePerson' },
);

export const UnitSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Nullable(Type.String({ description: '统一社会信用代码' })),
    kind: UnitKindSchema,
    industry: IndustrySchema,
    licenceStatus: LicenceStatusSchema,
    licenceNo: Nullable(Type.String({ description: 'licence slice only' })),
    licenceExpiresOn: Nullable(Type.String()),
    responsiblePerson: Nullable(Type.String({ description: 'licence slice, masked' })),
    phone: Nullable(Type.String()),
    employees: Nullable(Type.Integer()),
    status: StringEnum(UNIT_STATUSES),
    addressId: Nullable(Type.String()),
    address: Nullable(Type.String()),
    masked: Type.Boolean(),
    canUnmask: Type.Boolean(),
  },
  { $id: 'BaseUnit' },
);

const page = <T extends typeof PersonSchema | typeof UnitSchema>(item: T, id: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ description: 'rows matching the filters in your territory' }),
      offset: Type.Integer(),
      limit: Type.Integer(),
    },
    { $id: id },
  );
export const PersonPageSchema = page(PersonSchema, 'BasePersonPage');
export const UnitPageSchema = page(UnitSchema, 'BaseUnitPage');

export const TimelineEntrySchema = Type.Object(
  {
    kind: StringEnum(['case', 'change', 'visit', 'warning', 'checkin'] as const, {
      description:
        'case (linked or within 30 m), change (base information), visit (screening), warning, checkin (patrol, within 30 m)',
    }),
    at: Type.String({ format: 'date-time' }),
    ref: Nullable(Type.String({ description: 'a case id, a changed record id…' })),
    title: Type.String(),
    status: Nullable(Type.String({ description: 'a case state, a change action…' })),
    detail: Nullable(Type.String()),
    distanceM: Nullable(Type.Number({ description: 'a case or check-in found by distance, not by link' })),
  },
  { $id: 'AddressTimelineEntry' },
);

export const BaseInfoSliceSchema = Type.Object(
  {
    addresses: Type.Boolean(),
    dwellings: Type.Boolean(),
    people: StringEnum(['none', 'count', 'masked', 'household'] as const),
    units: StringEnum(['none', 'basic', 'licences'] as const),
    unmaskPeople: Type.Boolean(),
    unmaskUnits: Type.Boolean(),
  },
  { $id: 'BaseInfoSlice', description: 'what your role sees of the base information' },
);

export const AddressFileSchema = Type.Object(
  {
    address: AddressSchema,
    regions: Type.Object({
      street: Nullable(Type.String()),
      committee: Nullable(Type.String()),
      grid: Nullable(Type.String()),
    }),
    ancestors: Type.Array(Type.Object({ id: Type.String(), level: AddressLevelSchema, name: Type.String() })),
    children: Type.Array(Type.Object({ ...addressProperties, dwelling: Nullable(DwellingSchema) })),
    dwelling: Nullable(DwellingSchema),
    occupantCount: Nullable(Type.Integer()),
    occupants: Nullable(Type.Array(PersonSchema)),
    units: Nullable(Type.Array(UnitSchema)),
    timeline: Type.Array(TimelineEntrySchema),
    slice: BaseInfoSliceSchema,
  },
  { $id: 'AddressFile', description: '一址一档: everything known at one standard address, cut to your role' },
);

export const baseInfoChecks: [
  SameKeys<AddressView, Static<typeof AddressSchema>>,
  SameKeys<DwellingView, Static<typeof DwellingSchema>>,
  SameKeys<PersonView, Static<typeof PersonSchema>>,
  SameKeys<UnitView, Static<typeof UnitSchema>>,
  SameKeys<TimelineEntry, Static<typeof TimelineEntrySchema>>,
  SameKeys<AddressFile, Static<typeof AddressFileSchema>>,
] = [true, true, true, true, true, true];
