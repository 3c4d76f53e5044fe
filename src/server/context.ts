import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';

/** What every route plugin receives: the process-wide dependencies, created once at start. */
export interface AppContext {
  database: Database;
  config: Config;
  /** Demo mode: the database was seeded with the demo district and its accounts. */
  demo: boolean;
  /** True while the demo case history is still being played in the background after start. */
  seeding?: () => boolean;
  /** The clock; the wall clock when absent (tests pass a fixed or movable one). */
  now?: () => Date;
  /** Live streams (SSE): how often an open stream re-reads its session (ms; tests shorten it). */
  liveSessionCheckMs?: number;
  /**
   * Evaluate the warning rules about places right after a case is reported, registered or reopened
   * (`serve` turns it on; API tests leave it off unless they test it).
   */
  warningTriggers?: boolean;
  /** Live streams: how long a delivery may use the last session read (ms). */
  liveSessionCacheMs?: number;
}
