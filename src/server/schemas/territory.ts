import { Type, type Static } from 'typebox';
import type { RegionFeatureCollection } from '../../app/map/list-region-features.ts';
import { BASEMAPS, TILE_CRS_VALUES, type BasemapView } from '../../core/geo/basemap.ts';
import type {
  CategoryView,
  DepartmentView,
  RegionDetail,
  RegionSummary,
} from '../../app/territory/query-territory.ts';
import { Nullable, StringEnum, type SameKeys } from './common.ts';

/** Territory reference data as published: regions (区/街镇/居村/网格), categories, departments, map layers. */

export const RegionLevelSchema = StringEnum(['district', 'street', 'committee', 'grid'] as const, {
  $id: 'RegionLevel',
});

// stored as GeoJSON by the territory import: typed here for the contract, `unknown` to the use cases
export const GeometrySchema = Type.Unsafe<unknown>(
  Type.Object(
    {
      type: StringEnum(['Polygon', 'MultiPolygon'] as const),
      coordinates: Type.Array(Type.Unknown(), { description: 'GeoJSON positions, nested as its type says' }),
    },
    { $id: 'Geometry', description: 'GeoJSON geometry (WGS84)' },
  ),
);

const summaryProperties = {
  code: Type.String(),
  name: Type.String(),
  level: RegionLevelSchema,
  parentCode: Nullable(Type.String()),
  centroid: Nullable(Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat] WGS84' })),
  areaM2: Nullable(Type.Number()),
  synthetic: Type.Boolean({ description: 'a demo boundary, not a real one' }),
};
export const RegionSummarySchema = Type.Object(summaryProperties, { $id: 'RegionSummary' });
export const RegionListSchema = Type.Object(
  { items: Type.Array(RegionSummarySchema) },
  { $id: 'RegionList' },
);

export const RegionDetailSchema = Type.Object(
  {
    ...summaryProperties,
    path: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: RegionLevelSchema }), {
      description: 'the regions above, district first',
    }),
    childCount: Type.Integer(),
    geometry: Type.Optional(Nullable(GeometrySchema)),
  },
  { $id: 'RegionDetail' },
);

export const CategorySchema = Type.Object(
  {
    code: Type.String(),
    parentCode: Nullable(Type.String()),
    nameZh: Type.String(),
    nameEn: Type.String(),
    urgency: StringEnum(['normal', 'urgent'] as const),
    handleLimit: Nullable(Type.Object({ amount: Type.Number(), unit: Type.String() })),
    policeMode: StringEnum(['none', 'notify', 'assist', 'lead'] as const),
    stability: Type.Boolean({ description: '维稳: touches social stability' }),
  },
  { $id: 'Category', description: 'a case category (大类/小类)' },
);
export const CategoryListSchema = Type.Object({ items: Type.Array(CategorySchema) }, { $id: 'CategoryList' });

export const DepartmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.String(),
    level: StringEnum(['district', 'street'] as const),
    regionCode: Type.String(),
    coverage: Type.Array(Type.String(), { description: 'region codes it serves' }),
    active: Type.Boolean({ description: 'false once an administrator disabled it (no case goes to it)' }),
  },
  { $id: 'Department', description: 'a department (条线)' },
);
export const DepartmentListSchema = Type.Object(
  { items: Type.Array(DepartmentSchema) },
  { $id: 'DepartmentList' },
);

export const RegionFeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object(
        {
          type: Type.Literal('Feature'),
          id: Type.String(),
          geometry: Nullable(GeometrySchema),
          properties: Type.Object({
            code: Type.String(),
            name: Type.String(),
            level: RegionLevelSchema,
            parentCode: Nullable(Type.String()),
            synthetic: Type.Boolean(),
            labelLon: Nullable(Type.Number()),
            labelLat: Nullable(Type.Number()),
          }),
        },
        { $id: 'RegionFeature' },
      ),
    ),
  },
  { $id: 'RegionFeatureCollection', description: 'GeoJSON FeatureCollection (WGS84)' },
);

export const BasemapSchema = Type.Object(
  {
    kind: StringEnum(BASEMAPS, {
      description: 'MAP_BASEMAP: none (the district polygons only), tianditu, amap or xyz',
    }),
    crs: StringEnum(TILE_CRS_VALUES, {
      description:
        'the system the tiles are drawn in; with gcj02 the web map shifts every WGS84 feature to GCJ-02 for display and map clicks back to WGS84 before they are sent',
    }),
    layers: Type.Array(
      Type.Object({
        id: Type.String(),
        tiles: Type.Array(Type.String(), { description: 'raster URL templates with {x} {y} {z}' }),
      }),
      { description: 'raster tile layers, bottom to top; empty for none' },
    ),
    attribution: Nullable(Type.String()),
  },
  { $id: 'Basemap' },
);

export const MapConfigSchema = Type.Object(
  {
    tileUrl: Nullable(Type.String({ description: 'raster tile URL template (MAP_TILE_URL)' })),
    basemap: BasemapSchema,
    demo: Type.Boolean(),
    syntheticGeometry: Type.Boolean(),
    center: Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat] WGS84' }),
  },
  { $id: 'MapConfig' },
);

export const territoryChecks: [
  SameKeys<RegionSummary, Static<typeof RegionSummarySchema>>,
  SameKeys<RegionDetail, Static<typeof RegionDetailSchema>>,
  SameKeys<CategoryView, Static<typeof CategorySchema>>,
  SameKeys<DepartmentView, Static<typeof DepartmentSchema>>,
  SameKeys<BasemapView, Static<typeof BasemapSchema>>,
  SameKeys<
    RegionFeatureCollection['features'][number],
    Static<typeof RegionFeatureCollectionSchema>['features'][number]
  >,
  SameKeys<
    RegionFeatureCollection['features'][number]['properties'],
    Static<typeof RegionFeatureCollectionSchema>['features'][number]['properties']
  >,
] = [true, true, true, true, true, true, true];
