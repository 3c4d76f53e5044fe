import net from 'node:net';
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
   * the proxy. `true` (trust any X-Forwarded-For: warned about at start) or the proxies'
   * addresses/CIDRs (comma-separated in the variable), passed to Fastify's `trustProxy`.
   */
  trustProxy: boolean | string[];
  /** The audit chain's HMAC key (AUDIT_KEY); when absent, DATA_DIR/audit.key (created on first use). */
  auditKey: string | undefined;
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
    auditKey: env.AUDIT_KEY || undefined,
  };
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
