import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';

/** What the identity use cases need: the database, a clock (injected so tests fix time), session length. */
export interface IdentityDeps {
  db: Kysely<DB>;
  now: () => Date;
  sessionHours: number;
}

/** Where a request came from, for throttling and the audit log. */
export interface ClientInfo {
  address?: string | null | undefined;
  userAgent?: string | null | undefined;
}
