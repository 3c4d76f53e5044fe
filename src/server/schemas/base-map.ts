import { Type, type Static } from 'typebox';
import type { BaseMapLayers } from '../../app/baseinfo/map-layers.ts';
import { DWELLING_RISKS, UNIT_RISKS } from '../../core/baseinfo/risk.ts';
import { DWELLING_USES } from '../../core/baseinfo/types.ts';
import { Nullable, StringEnum, type SameKeys } from './common.ts';
import { IndustrySchema, LicenceStatusSchema } from './baseinfo.ts';

/** The base-information map layers (issue 12 §8): compact GeoJSON, no personal data. */

const PointSchema = Type.Object({
  type: Type.Literal('Point'),
  coordinates: Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat], WGS84' }),
});

export const UnitRiskSchema = StringEnum(UNIT_RISKS, {
  $id: 'UnitRisk',
  description: 'unlicensed: a trade that needs a licence (catering, clinic…) without a valid one (无证经营)',
});
export const DwellingRiskSchema = StringEnum(DWELLING_RISKS, {
  $id: 'DwellingRisk',
  description:
    'crowded: fewer than 5 m² per registered occupant (群租); workshop_in_residential: a workshop in a building with homes (住改工)',
});

export const BaseMapLayersSchema = Type.Object(
  {
    units: Type.Object({
      type: Type.Literal('FeatureCollection'),
      features: Type.Array(
        Type.Object({
          type: Type.Literal('Feature'),
          geometry: PointSchema,
          properties: Type.Object({
            id: Type.String(),
            name: Type.String(),
            industry: IndustrySchema,
            licenceStatus: LicenceStatusSchema,
            addressId: Type.String(),
            risks: Type.Array(UnitRiskSchema),
          }),
        }),
      ),
    }),
    dwellings: Type.Object({
      type: Type.Literal('FeatureCollection'),
      features: Type.Array(
        Type.Object({
          type: Type.Literal('Feature'),
          geometry: PointSchema,
          properties: Type.Object({
            id: Type.String(),
            addressId: Type.String(),
            address: Type.String(),
            use: StringEnum(DWELLING_USES),
            areaM2: Nullable(Type.Number()),
            occupants: Nullable(Type.Integer({ description: 'null when your role may not count people' })),
            risks: Type.Array(DwellingRiskSchema),
          }),
        }),
      ),
    }),
    truncated: Type.Boolean({ description: 'a layer had more features in the box than the cap: zoom in' }),
  },
  {
    $id: 'BaseMapLayers',
    description: 'Businesses, and dwellings with a risk flag, in a bounding box, cut to your role',
  },
);

export const baseMapChecks: [SameKeys<BaseMapLayers, Static<typeof BaseMapLayersSchema>>] = [true];
