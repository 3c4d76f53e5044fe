import type { Actor } from '../../src/core/actor.ts';
import type { Database } from '../../src/db/database.ts';
import { seedDemoAccounts } from '../../src/demo/accounts.ts';
import { seedDemoOrganisation } from '../../src/demo/organisation.ts';
import { seedDemoTerritory } from '../../src/demo/seed-territory.ts';
import type { RegionRow } from '../../src/demo/territory.ts';
import { actorOfRow } from '../../src/app/identity/user-view.ts';
import type { FileStore } from '../../src/app/cases/file-store.ts';
import { demoTerritoryRows } from './demo-territory.ts';

export const GUMEI = '310112006';
export const XINHONG = '310112008';

/**
 * A slice of the real demo district with its (synthetic) geometry: the district outline, the given
 * streets with their committees and grids, their departments, the categories and matrix, and the demo
 * accounts. Cases can be reported at real points, in a fraction of the time the full demo takes.
 */
export async function seedDemoSlice(
  database: Database,
  streets: readonly string[] = [GUMEI, XINHONG],
): Promise<{ actors: Map<string, Actor>; grids: RegionRow[] }> {
  const rows = demoTerritoryRows().filter(
    (r) => r.level === 'district' || streets.some((s) => r.code.startsWith(s)),
  );
  await seedDemoTerritory(database, { rows });
  const streetRows = rows.filter((r) => r.level === 'street').map((r) => ({ code: r.code, name: r.name }));
  await database.db.transaction().execute((trx) => seedDemoOrganisation(trx, streetRows));
  await seedDemoAccounts(database);
  const users = await database.db.selectFrom('users').selectAll().execute();
  return {
    actors: new Map(users.map((u) => [u.username, actorOfRow(u)])),
    grids: rows.filter((r) => r.level === 'grid'),
  };
}

/** A point inside a region: its centroid (the demo's cells are convex Voronoi pieces). */
export const pointIn = (region: RegionRow) => ({ lon: region.centroid_lon!, lat: region.centroid_lat! });

/** Attachment bytes in memory. */
export function memoryFileStore(): FileStore {
  const files = new Map<string, Buffer>();
  return {
    put: async (sha, data) => void files.set(sha, Buffer.from(data)),
    get: async (sha) => {
      const b = files.get(sha);
      if (!b) throw new Error(`no file ${sha}`);
      return b;
    },
    has: async (sha) => files.has(sha),
    removeIfUnused: async (sha, inUse) => !(await inUse()) && files.delete(sha),
  };
}
