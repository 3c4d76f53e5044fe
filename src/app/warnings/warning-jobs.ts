import type { CaseChangePublisher } from '../cases/events.ts';
import type { Database } from '../../db/database.ts';
import { evaluateWarningRules } from './evaluate-warnings.ts';

/**
 * The warning job the server runs after each sweeper pass (safe on several processes at once); new
 * warnings are announced on `changes` (the server's live bus) after commit.
 */
export function warningHousekeeping(
  database: Database,
  now: () => Date = () => new Date(),
  changes?: CaseChangePublisher,
) {
  return [
    {
      name: 'warning rules evaluated',
      run: async () => {
        const r = await evaluateWarningRules({ database, now, ...(changes ? { changes } : {}) });
        return r.raised.length > 0 ? { raised: r.raised.length, drafts: r.drafts } : null;
      },
    },
  ];
}
