import type { Generated } from 'kysely';
import type { Role } from '../../core/actor.ts';

/** Roles a user account can hold (`system` is the platform itself, never an account). */
export type UserRole = Exclude<Role, 'system'>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  unit_kind: 'region' | 'department' | 'none';
  unit_code: string | null;
  department_id: string | null;
  phone: string | null;
  disabled: Generated<boolean>;
  must_change_password: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  address: string | null;
  user_agent: string | null;
  /** Public id of the session (the list of one's sessions names it; never the token hash). */
  id: Generated<string>;
  /** Last request seen on it, refreshed at most every SESSION_SEEN_RESOLUTION (authenticate.ts). */
  last_seen_at: Generated<Date>;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  /** Global order (a sequence since migration 0037: increasing, not gapless). */
  seq: Generated<number>;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  payload: unknown;
  prev_hash: string;
  hash: string;
  /** The id of the HMAC key of this record; null for a plain SHA-256 record from before keying. */
  key_id: string | null;
  /** The chain the record belongs to (its target, or `audit:<seq>`); null: the closed global chain of
   * records written before migration 0037. */
  stream: string | null;
  /** Position in the stream, 1, 2, 3… (null with `stream`). */
  stream_seq: number | null;
}

/** The head of one audit stream (locked by appends to it; not trusted by verification). */
export interface AuditStreamsTable {
  stream: string;
  stream_seq: number;
  hash: string;
  seq: number;
  checkpointed_seq: Generated<number>;
}

/** A checkpoint: the stream heads written since the previous one, sealed by an HMAC chained to it. */
export interface AuditCheckpointsTable {
  id: number;
  at: Date;
  kind: 'scheduled' | 'verify' | 'seal';
  heads: number;
  heads_digest: string;
  prev_hash: string;
  hash: string;
  key_id: string;
}

export interface AuditCheckpointHeadsTable {
  checkpoint_id: number;
  stream: string;
  stream_seq: number;
  seq: number;
  hash: string;
}

/** The checkpoint job's turn (one row, SKIP LOCKED) and when it last ran. */
export interface AuditCheckpointRunsTable {
  id: Generated<boolean>;
  last_scheduled_at: Date | null;
}

export interface IdentityTables {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  audit_streams: AuditStreamsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_checkpoint_heads: AuditCheckpointHeadsTable;
  audit_checkpoint_runs: AuditCheckpointRunsTable;
}
