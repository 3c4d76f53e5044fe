import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      logLevel: 'info',
      sessionHours: 12,
      databaseUrl: undefined,
    });
  });

  it('refuses bad values with the variable, the value and what it takes', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'abc' }, /PORT: .*0 to 65535.*"abc"/],
      [{ PORT: '3000.5' }, /PORT: must be a whole number/],
      [{ SESSION_HOURS: 'twelve' }, /SESSION_HOURS: .*"twelve"/],
      [{ SESSION_HOURS: '0' }, /SESSION_HOURS/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be one of fatal, error/],
      [{ DATABASE_URL: 'mysql://x@h/db' }, /DATABASE_URL: must start with postgres:\/\//],
      [{ DATABASE_URL: 'not a url' }, /DATABASE_URL: must be a URL/],
      [{ MAP_TILE_URL: 'tiles/{z}/{x}/{y}.png' }, /MAP_TILE_URL/],
      [{ DATABASE_READ_URL: 'postgres://r@replica/db' }, /DATABASE_READ_URL: needs DATABASE_URL/],
      [
        { DATABASE_URL: 'postgres://p@db/db', DATABASE_READ_URL: 'http://replica' },
        /DATABASE_READ_URL: must start with postgres:\/\//,
      ],
      [{ WORKERS: '0' }, /WORKERS: .*1 to 64/],
      [{ MAP_BASEMAP: 'google' }, /MAP_BASEMAP: must be one of none, tianditu, amap, xyz/],
      [{ MAP_BASEMAP: 'tianditu' }, /MAP_BASEMAP: tianditu needs TIANDITU_KEY/],
      [{ MAP_BASEMAP: 'xyz' }, /MAP_BASEMAP: xyz needs MAP_TILE_URL/],
      [{ TIANDITU_KEY: 'key with spaces' }, /TIANDITU_KEY/],
      [{ MAP_TILE_CRS: 'bd09' }, /MAP_TILE_CRS: must be one of wgs84, gcj02/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it('reports every bad value at once', () => {
    expect(() => loadConfig({ PORT: '-1', LOG_LEVEL: 'loud' })).toThrow(
      /invalid configuration:\n {2}PORT.*\n {2}LOG_LEVEL/,
    );
  });

  it('accepts good values', () => {
    expect(
      loadConfig({
        PORT: '8080',
        SESSION_HOURS: '8',
        LOG_LEVEL: 'DEBUG',
        DATABASE_URL: 'postgresql://u:p@db:5432/liandong',
        DATABASE_READ_URL: 'postgresql://u:p@replica:5432/liandong',
        WORKERS: '4',
        MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png',
      }),
    ).toMatchObject({
      port: 8080,
      sessionHours: 8,
      logLevel: 'debug',
      mapTileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
      databaseReadUrl: 'postgresql://u:p@replica:5432/liandong',
      workers: 4,
    });
  });

  it('chooses the basemap: none by default, xyz when only MAP_TILE_URL is set (as before)', () => {
    expect(loadConfig({})).toMatchObject({ mapBasemap: 'none', mapTileCrs: 'wgs84' });
    expect(loadConfig({ MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' })).toMatchObject({
      mapBasemap: 'xyz',
    });
    expect(loadConfig({ MAP_BASEMAP: 'AMap' })).toMatchObject({ mapBasemap: 'amap' });
    expect(
      loadConfig({ MAP_BASEMAP: 'tianditu', TIANDITU_KEY: '0123456789abcdef0123456789abcdef' }),
    ).toMatchObject({ mapBasemap: 'tianditu', tiandituKey: '0123456789abcdef0123456789abcdef' });
    expect(
      loadConfig({
        MAP_BASEMAP: 'xyz',
        MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png',
        MAP_TILE_CRS: 'GCJ02',
      }),
    ).toMatchObject({ mapBasemap: 'xyz', mapTileCrs: 'gcj02' });
  });
});
