import { Type } from 'typebox';
import { DESK_SOURCES } from '../../core/intake/desk.ts';
import { CaseSummarySchema, CreateCaseResultSchema, DuplicateSuggestionSchema } from './cases.ts';
import { Nullable, StringEnum } from './common.ts';

const CategoryCode = Type.String({ pattern: '^[0-9]{2}([0-9]{2})?$', description: '大类 or 小类 code' });
const Location = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Optional(
      StringEnum(['wgs84', 'gcj02', 'bd09'], { description: 'datum of lon/lat (default wgs84)' }),
    ),
  },
  { additionalProperties: false },
);

export const DeskSourceSchema = StringEnum([...DESK_SOURCES], {
  $id: 'DeskSource',
  description: 'hotline 12345 热线 · walk_in 来访 · leader 领导交办 · department 部门移送',
});

export const DeskContextSchema = Type.Object(
  {
    region: Type.Object({
      code: Type.String(),
      name: Type.String(),
      level: StringEnum(['district', 'street', 'committee', 'grid']),
    }),
    center: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'WGS84' })),
    zoom: Type.Number({ description: 'the map zoom that shows the desk’s region' }),
  },
  { $id: 'DeskContext', description: 'the intake desk’s centre and where its map opens' },
);

export const IntakeCheckBodySchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    category: Type.Optional(Nullable(CategoryCode)),
    location: Type.Optional(Nullable(Location)),
  },
  { additionalProperties: false, $id: 'IntakeCheckBody' },
);

export const CategorySuggestionSchema = Type.Object(
  {
    code: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    score: Type.Number({ description: 'higher is better; only the order matters' }),
    matched: Type.Array(Type.String(), { description: 'the words of the description that matched' }),
  },
  { $id: 'CategorySuggestion' },
);

export const IntakeCheckSchema = Type.Object(
  {
    suggestions: Type.Array(CategorySuggestionSchema),
    duplicatesFor: Nullable(Type.String({ description: 'the category the duplicates are for' })),
    duplicates: Type.Array(DuplicateSuggestionSchema),
    radiusM: Type.Number(),
    streetCode: Nullable(Type.String()),
    mayMerge: Type.Boolean({
      description: 'this desk may merge the new report into a duplicate in one step',
    }),
  },
  {
    $id: 'IntakeCheck',
    description: 'what the desk shows before saving: category suggestions and duplicates',
  },
);

export const IntakeBodySchema = Type.Object(
  {
    source: DeskSourceSchema,
    ticketNo: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 40,
          pattern: '^[0-9A-Za-z-]*$',
          description: '12345 工单号: one case per ticket and district',
        }),
      ),
    ),
    caller: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100 })),
          phone: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9+() -]*$' })),
        },
        {
          additionalProperties: false,
          description: 'the caller or visitor: masked like any reporter’s contact',
        },
      ),
    ),
    category: Type.Optional(Nullable(CategoryCode)),
    urgency: Type.Optional(StringEnum(['normal', 'urgent'])),
    description: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    location: Location,
    address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    addressId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    mergeInto: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'merge the call into this open case (id or number) right after saving it',
        }),
      ),
    ),
  },
  { additionalProperties: false, $id: 'IntakeBody' },
);

export const IntakeResultSchema = Type.Object(
  {
    ...CreateCaseResultSchema.properties,
    case: CaseSummarySchema,
    openCaseId: Type.String({
      description: 'the case to open next: the master when merged, else the new case',
    }),
    mergedInto: Nullable(Type.Object({ id: Type.String(), caseNo: Type.String() })),
  },
  { $id: 'IntakeResult' },
);
