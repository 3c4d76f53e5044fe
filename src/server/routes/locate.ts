import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { locatePoint } from '../../app/territory/locate.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';

const RegionRef = Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]);
const crsOptions = (options: { default?: string; description?: string } = {}) =>
  Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09')], options);
const Crs = crsOptions();

/** Point → territory (DESIGN §3). Reference data like /api/v1/regions: readable without login. */
const locateRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/v1/locate',
    {
      schema: {
        tags: ['territory'],
        summary: 'The district, street, committee and grid containing a point',
        description:
          'Coordinates may be given in WGS84 (GPS, the default), GCJ-02 (高德/腾讯 web maps) or BD-09 (百度); ' +
          'they are converted to WGS84 before the lookup (`position`). A point outside the territory answers ' +
          '`inside: false` with all levels null. A point in a sliver between regions (less than 5 m from one) is ' +
          'given to the nearest region and answers `snapped: true` with `distanceMetres`.',
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude' }),
          lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude' }),
          crs: Type.Optional(
            crsOptions({ default: 'wgs84', description: 'datum of lon/lat: wgs84 (default), gcj02 or bd09' }),
          ),
        }),
        response: {
          200: Type.Object(
            {
              inside: Type.Boolean(),
              position: Type.Object({ lon: Type.Number(), lat: Type.Number(), crs: Type.Literal('wgs84') }),
              input: Type.Object({ lon: Type.Number(), lat: Type.Number(), crs: Crs }),
              district: RegionRef,
              street: RegionRef,
              committee: RegionRef,
              grid: RegionRef,
              snapped: Type.Boolean({
                description:
                  'the point lay in a sliver between regions and was given to the nearest one within a few metres',
              }),
              distanceMetres: Type.Union([Type.Number(), Type.Null()], {
                description: 'distance to the region the point was snapped to; null when not snapped',
              }),
            },
            { $id: 'Placement', description: 'where a point lies: district, street, committee, grid' },
          ),
          400: ProblemSchema,
        },
      },
    },
    async (request) => locatePoint(ctx.database, request.query),
  );
};

export default locateRoutes;
