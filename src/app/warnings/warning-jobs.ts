import type { Database } from '../../db/database.ts';
import { evaluateWarningRules } from './evaluate-warnings.ts';

/** The warning job the server runs after each sweeper pass (safe on several processes at once). */
export function warningHousekeeping(database: Database, now: () => Date = () => new Date()) {
  return [
    {
      name: 'warning rules evaluated',
      run: async () => {
        const r = await evaluateWarningRules({ database, now });
        return r.raised.length > 0 ? { raised: r.raised.length, drafts: r.drafts } : null;
      },
    },
  ];
}
