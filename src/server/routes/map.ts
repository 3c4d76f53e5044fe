import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listRegionFeatures } from '../../app/map/list-region-features.ts';
import { basemapSettings } from '../../config.ts';
import { resolveBasemap } from '../../core/geo/basemap.ts';
import { GEOMETRY_MAX_ZOOM, GEOMETRY_MIN_ZOOM } from '../../core/geo/simplify.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { MapConfigSchema, RegionFeatureCollectionSchema } from '../schemas/territory.ts';

const Level = Type.Union([
  Type.Literal('district'),
  Type.Literal('street'),
  Type.Literal('committee'),
  Type.Literal('grid'),
]);

/**
 * What the web map needs besides cases: the territory polygons as GeoJSON (the base layer — no online
 * tiles required) and the client settings (the optional online basemap — 天地图, 高德 or a deployment's
 * own tiles — with the CRS it is drawn in, demo mode). The web map shifts features to that CRS for
 * display (web/src/map/crs.ts, same gcoord conversion as src/core/geo/crs.ts); the API stays WGS84.
 * Territory is reference data, readable without login like /api/v1/regions.
 */
const mapRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/v1/map/config',
    {
      schema: {
        tags: ['map'],
        summary: 'Web map and console settings (basemap tiles and their CRS, demo mode)',
        response: { 200: MapConfigSchema, ...errorResponses(400) },
      },
    },
    async () => ({
      tileUrl: ctx.config.mapTileUrl ?? null,
      basemap: resolveBasemap(basemapSettings(ctx.config)),
      demo: ctx.demo,
      syntheticGeometry: ctx.demo,
      center: [121.38, 31.11] as [number, number],
    }),
  );

  app.get(
    '/api/v1/map/regions',
    {
      schema: {
        tags: ['map'],
        summary:
          'Region polygons of one level as a GeoJSON FeatureCollection (WGS84), optionally simplified for a zoom',
        querystring: Type.Object({
          level: Level,
          within: Type.Optional(
            Type.String({ pattern: '^[0-9]{6,12}$', description: 'only regions under this code' }),
          ),
          zoom: Type.Optional(
            Type.Integer({
              minimum: GEOMETRY_MIN_ZOOM,
              maximum: GEOMETRY_MAX_ZOOM,
              description:
                'simplify each polygon for a web map at this zoom (half a pixel, Douglas–Peucker); full detail when absent',
            }),
          ),
        }),
        response: { 200: RegionFeatureCollectionSchema, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      // territory changes rarely; let the browser keep it for a few minutes
      reply.header('cache-control', 'private, max-age=300');
      return listRegionFeatures(ctx.database, request.query);
    },
  );
};

export default mapRoutes;
