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
  /** Contact fields at rest (migration 0029): AES-256-GCM ciphertext and keyed lookup hashes (pii.ts). */
  email_cipher: string | null;
  email_hash: string | null;
  device_id_cipher: string | null;
  account_id_cipher: string | null;
  account_id_hash: string | null;
  pii_key_id: string | null;
}

/** An anonymous report's contact (migration 0029), encrypted like base-information phones. */
export interface PublicReportsTable {
  case_id: string;
  contact_kind: 'phone' | 'email';
  contact_cipher: string;
  contact_hash: string;
  pii_key_id: string;
  challenge: string;
  created_at: Date;
}

export interface Open311Tables {
  open311_clients: Open311ClientsTable;
  open311_requests: Open311RequestsTable;
  public_reports: PublicReportsTable;
}
