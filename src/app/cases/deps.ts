import type { Database } from '../../db/database.ts';
import type { CaseChangePublisher } from './events.ts';
import type { FileStore } from './file-store.ts';
import type { Logger } from '../logger.ts';

/**
 * What the case use cases need: the database, where attachment bytes live, where committed changes are
 * announced (live updates), and a clock (injected so tests and the demo history fix time).
 */
export interface CaseDeps {
  database: Database;
  files: FileStore;
  changes: CaseChangePublisher;
  now: () => Date;
  /** The server's logger: errors the use cases catch and do not rethrow are logged here. */
  log?: Logger;
  /** Radius for duplicate suggestions at intake, metres; default: app_settings `duplicate_radius_m` or 100. */
  duplicateRadiusM?: number;
}
