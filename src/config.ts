import net from 'node:net';
import path from 'node:path';
import {
  BASEMAPS,
  TILE_CRS_VALUES,
  type Basemap,
  type BasemapSettings,
  type TileCrs,
} from './core/geo/basemap.ts';

/** Runtime configuration, read once from environment variables (documented in README.md). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL server URL; when absent, the embedded PGlite database in `${dataDir}/pglite` is used. */
  databaseUrl: string | undefined;
  /**
   * DATABASE_READ_URL: a read replica of DATABASE_URL for the heavy read-only queries (leader overview,
   * queue counts, evaluation). Absent, or not reachable at start, = the primary.
   */
  databaseReadUrl?: string | undefined;
  logLevel: string;
  /**
   * WORKERS (or `serve --workers N`): server processes on this machine (node:cluster, sharing the port);
   * more than 1 needs DATABASE_URL. Default 1.
   */
  workers?: number;
  /** Optional raster tile URL template for the web map (e.g. a deployment's own tile server). */
  mapTileUrl: string | undefined;
  /**
   * MAP_BASEMAP: the web map's online basemap (src/core/geo/basemap.ts): none (the district's polygons
   * only, offline), tianditu (needs TIANDITU_KEY), amap (GCJ-02) or xyz (MAP_TILE_URL in MAP_TILE_CRS).
   * Default: xyz when MAP_TILE_URL is set, else none.
   */
  mapBasemap?: Basemap;
  /** TIANDITU_KEY: a 天地图 browser key (sent to the browsers in the tile URLs). */
  tiandituKey?: string | undefined;
  /** MAP_TILE_CRS: the system MAP_TILE_URL's tiles are drawn in (wgs84, the default, or gcj02). */
  mapTileCrs?: TileCrs;
  /** Session lifetime in hours. */
  sessionHours: number;
  /**
   * Behind a load balancer: trust its X-Forwarded-For so per-address login throttling sees clients, not
   * the proxy. `true` (trust any X-Forwarded-For: warned about at start) or the proxies'
   * addresses/CIDRs (comma-separated in the variable), passed to Fastify's `trustProxy`.
   */
  trustProxy: boolean | string[];
  /** The audit chain's HMAC key (AUDIT_KEY); when absent, DATA_DIR/audit.key (created on first use). */
  auditKey: string | undefined;
  /** Master key(s) for personal data at rest (PII_KEY, comma-separated, first current); else DATA_DIR/pii.key. */
  piiKey: string | undefined;
  /**
   * WEBHOOKS_ALLOW_LOCAL: lets webhook subscriptions target http(s)://localhost, 127.0.0.1 or [::1] (development
   * and tests). Off by default: endpoints must be https on public addresses (SSRF).
   */
  webhooksAllowLocal: boolean;
  /** WEBHOOK_TIMEOUT_MS: how long one delivery attempt may take before it counts as a timeout. */
  webhookTimeoutMs: number;
  /**
   * REPORT_FONT: the CJK font the monthly report PDF embeds (a .ttf/.otf, or a .ttc with `#PostScriptName`);
   * when absent, Noto Sans CJK SC from Debian's `fonts-noto-cjk` (src/app/reports/README.md).
   */
  reportFont?: string | undefined;
  /** A failed demo history fails `serve --demo` (DEMO_STRICT=1, or any CI): no broken demo goes unnoticed. */
  demoStrict?: boolean;
}

/** A configuration value that cannot be used: names the variable, what it got and what it takes. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the configuration: the one place environment variables are read (README.md lists
 * them). Every bad value is reported at once, each with what was expected, before anything starts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigError[] = [];
  const check = <T>(variable: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      problems.push(error instanceof ConfigError ? error : new ConfigError(variable, String(error)));
      return fallback;
    }
  };
  const set = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const config: Config = {
    port: check('PORT', () => integer('PORT', set('PORT'), 3000, 0, 65535), 3000),
    host: set('HOST') ?? '0.0.0.0',
    dataDir: path.resolve(set('DATA_DIR') ?? './data'),
    databaseUrl: check('DATABASE_URL', () => databaseUrl(set('DATABASE_URL')), undefined),
    databaseReadUrl: check(
      'DATABASE_READ_URL',
      () => readUrl(set('DATABASE_READ_URL'), set('DATABASE_URL')),
      undefined,
    ),
    workers: check('WORKERS', () => integer('WORKERS', set('WORKERS'), 1, 1, 64), 1),
    logLevel: check('LOG_LEVEL', () => logLevel(set('LOG_LEVEL')), 'info'),
    reportFont: set('REPORT_FONT'),
    mapTileUrl: check('MAP_TILE_URL', () => tileUrl(set('MAP_TILE_URL')), undefined),
    mapBasemap: check(
      'MAP_BASEMAP',
      () => basemap(set('MAP_BASEMAP'), set('MAP_TILE_URL'), set('TIANDITU_KEY')),
      'none',
    ),
    tiandituKey: check('TIANDITU_KEY', () => tiandituKey(set('TIANDITU_KEY')), undefined),
    mapTileCrs: check('MAP_TILE_CRS', () => tileCrs(set('MAP_TILE_CRS')), 'wgs84'),
    sessionHours: check(
      'SESSION_HOURS',
      () => number('SESSION_HOURS', set('SESSION_HOURS'), 12, 0.1, 24 * 30),
      12,
    ),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    auditKey: env.AUDIT_KEY || undefined,
    piiKey: env.PII_KEY || undefined,
    webhooksAllowLocal: check(
      'WEBHOOKS_ALLOW_LOCAL',
      () => flag('WEBHOOKS_ALLOW_LOCAL', set('WEBHOOKS_ALLOW_LOCAL')),
      false,
    ),
    webhookTimeoutMs: check(
      'WEBHOOK_TIMEOUT_MS',
      () => integer('WEBHOOK_TIMEOUT_MS', set('WEBHOOK_TIMEOUT_MS'), 10_000, 100, 120_000),
      10_000,
    ),
    demoStrict: Boolean(set('CI') && set('CI') !== 'false') || set('DEMO_STRICT') === '1',
  };
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    const error = new ConfigError(problems.map((p) => p.variable).join(', '), '');
    error.message = `invalid configuration:\n${problems.map((p) => `  ${p.message}`).join('\n')}`;
    throw error;
  }
  return config;
}

/** The basemap part of the configuration, for resolveBasemap (src/core/geo/basemap.ts). */
export function basemapSettings(config: Config): BasemapSettings {
  return {
    basemap: config.mapBasemap ?? (config.mapTileUrl ? 'xyz' : 'none'),
    tiandituKey: config.tiandituKey,
    tileUrl: config.mapTileUrl,
    tileCrs: config.mapTileCrs,
  };
}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(name, `must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = number(name, raw, fallback, min, max);
  if (!Number.isInteger(n))
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function flag(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readUrl(raw: string | undefined, primary: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (primary === undefined)
    throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (a replica of the PostgreSQL server)');
  return databaseUrl(raw, 'DATABASE_READ_URL');
}

function databaseUrl(raw: string | undefined, variable = 'DATABASE_URL'): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'must be a URL such as postgres://user:password@host:5432/liandong');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(variable, `must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  return raw;
}

function logLevel(raw: string | undefined): string {
  if (raw === undefined) return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

function tileUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw.replace(/[{}]/g, ''));
  } catch {
    throw new ConfigError(
      'MAP_TILE_URL',
      `must be a URL template such as https://tiles.example/{z}/{x}/{y}.png, got "${raw}"`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError('MAP_TILE_URL', `must be an http(s) URL, got "${raw}"`);
  return raw;
}

function basemap(raw: string | undefined, tileUrl: string | undefined, key: string | undefined): Basemap {
  if (raw === undefined) return tileUrl ? 'xyz' : 'none';
  const value = raw.toLowerCase();
  if (!(BASEMAPS as readonly string[]).includes(value))
    throw new ConfigError('MAP_BASEMAP', `must be one of ${BASEMAPS.join(', ')}, got "${raw}"`);
  if (value === 'tianditu' && !key)
    throw new ConfigError('MAP_BASEMAP', 'tianditu needs TIANDITU_KEY (a 天地图 browser key)');
  if (value === 'xyz' && !tileUrl)
    throw new ConfigError('MAP_BASEMAP', 'xyz needs MAP_TILE_URL (a {z}/{x}/{y} URL template)');
  return value as Basemap;
}

function tiandituKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9]{16,64}$/.test(raw))
    throw new ConfigError(
      'TIANDITU_KEY',
      'must be the key from console.tianditu.gov.cn (letters and digits)',
    );
  return raw;
}

function tileCrs(raw: string | undefined): TileCrs {
  if (raw === undefined) return 'wgs84';
  const value = raw.toLowerCase();
  if (!(TILE_CRS_VALUES as readonly string[]).includes(value))
    throw new ConfigError('MAP_TILE_CRS', `must be one of ${TILE_CRS_VALUES.join(', ')}, got "${raw}"`);
  return value as TileCrs;
}

/**
 * `TRUST_PROXY`: `false` (default), `true`, or proxy addresses/CIDRs (`10.0.0.1, 10.1.0.0/16, ::1`).
 * Anything else is refused at start: a typo must not silently trust nobody (or everybody).
 */
export function parseTrustProxy(value: string | undefined): boolean | string[] {
  const v = value?.trim();
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = net.isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      throw new Error(
        `TRUST_PROXY must be true, false or proxy addresses/CIDRs separated by commas; "${entry}" is none`,
      );
    }
  }
  return entries;
}
