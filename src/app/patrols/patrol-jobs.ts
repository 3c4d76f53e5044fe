import type { Database } from '../../db/database.ts';
import { endIdlePatrols } from './end-idle-patrols.ts';
import { purgePatrolTracks } from './purge-patrol-tracks.ts';
import { rollUpCoverage } from './roll-up-coverage.ts';

/**
 * The patrol upkeep the server runs after each sweeper pass (each safe on several processes at once):
 * idle patrols ended, the coverage of closed days rolled up, tracks past their retention deleted. A job
 * reports null when it did nothing, so quiet passes log nothing.
 */
export function patrolHousekeeping(database: Database, now: () => Date = () => new Date()) {
  const deps = { database, now };
  return [
    {
      name: 'idle patrols ended',
      run: async () => {
        const r = await endIdlePatrols(deps);
        return r.ended > 0 ? r : null;
      },
    },
    {
      name: 'patrol coverage rolled up',
      run: async () => {
        const r = await rollUpCoverage(deps);
        return r.days.length > 0 ? r : null;
      },
    },
    {
      name: 'old patrol tracks deleted',
      run: async () => {
        const r = await purgePatrolTracks(deps);
        return r.points + r.checkins + r.patrols > 0 ? r : null;
      },
    },
  ];
}
