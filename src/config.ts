import path from 'node:path';

/** Runtime configuration, read once from environment variables (documented in README.md). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL server URL; when absent, the embedded PGlite database in `${dataDir}/pglite` is used. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** Optional raster tile URL template for the web map (e.g. a deployment's own tile server). */
  mapTileUrl: string | undefined;
  /** Session lifetime in hours. */
  sessionHours: number;
  /**
   * Behind a load balancer: trust its X-Forwarded-For so per-address login throttling sees clients, not
   * the proxy. `true` (trust all) or a comma-separated list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    mapTileUrl: env.MAP_TILE_URL || undefined,
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

function parseTrustProxy(value: string | undefined): boolean | string {
  if (!value || value === 'false') return false;
  return value === 'true' ? true : value;
}
