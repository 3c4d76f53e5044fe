import type { Generated } from 'kysely';

/** Open311 write side (migration 0022_open311_clients.sql; src/app/open311/README.md). */
export type Open311ClientSource = 'citizen' | 'hotline';

export interface Open311ClientsTable {
  id: string;
  name: string;
  source: Open311ClientSource;
  /** HMAC-SHA256 (hex) of the client's key; the key itself is shown once at registration. */
  key_hash: string;
  key_hint: string;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface Open311RequestsTable {
  case_id: string;
  client_id: string;
  media_url: string | null;
  attributes: Generated<Record<string, string>>;
  email: string | null;
  device_id: string | null;
  account_id: string | null;
  created_at: Date;
}

export interface Open311Tables {
  open311_clients: Open311ClientsTable;
  open311_requests: Open311RequestsTable;
}
