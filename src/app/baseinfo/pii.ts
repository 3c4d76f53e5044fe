import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (issue 12 §3): ID and phone numbers are stored as AES-256-GCM ciphertext next to
 * an HMAC-SHA256 lookup hash, both keyed from a master key that never enters the database (PII_KEY or
 * DATA_DIR/pii.key, loaded by src/cli/pii-key.ts). Two keys are derived from each master key (HKDF):
 * one encrypts, one hashes, so the lookup hash reveals nothing about the encryption key.
 *
 * A ciphertext is `<keyId>:<iv b64>:<ciphertext+tag b64>`; the key id travels with it (and in the row's
 * `pii_key_id`), so after a rotation old rows stay readable until `liandong pii rotate-key` has
 * re-encrypted them. The field name is the GCM associated data: a phone ciphertext pasted into the ID
 * column does not decrypt.
 */
export interface PiiKey {
  id: string;
  encKey: Buffer;
  hashKey: Buffer;
}

export interface PiiKeyring {
  /** The key new values are written with. */
  current: PiiKey;
  /** Every key that may still have ciphertexts or hashes in the database, current first. */
  keys: readonly PiiKey[];
}

/** The GCM associated data of a ciphertext: which column it belongs in. */
export type PiiField =
  | 'id_number'
  | 'phone'
  /** an anonymous report's contact (phone or e-mail; public_reports) */
  | 'contact'
  /** Open311 POST contact fields (open311_requests) */
  | 'email'
  | 'device_id'
  | 'account_id';

/** Derives a key from master material (at least 32 bytes); its id is a fingerprint of the hash key. */
export function piiKeyOf(master: Buffer): PiiKey {
  if (master.length < 32) throw new Error('a PII master key needs at least 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, 'liandong-pii', info, 32));
  const encKey = derive('encrypt v1');
  const hashKey = derive('lookup hash v1');
  const id = createHash('sha256').update(hashKey).digest('hex').slice(0, 12);
  return { id, encKey, hashKey };
}

export function piiKeyringOf(masters: readonly Buffer[]): PiiKeyring {
  const keys = masters.map(piiKeyOf);
  const current = keys[0];
  if (!current) throw new Error('a PII keyring needs at least one key');
  return { current, keys };
}

/** 32 fresh random bytes as 64 hex digits: a new master key. */
export const newPiiMasterHex = (): string => randomBytes(32).toString('hex');

export function encryptPii(keyring: PiiKeyring, field: PiiField, plain: string): string {
  const key = keyring.current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
  cipher.setAAD(Buffer.from(field));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${key.id}:${iv.toString('base64')}:${data.toString('base64')}`;
}

/** The key id a ciphertext was written with. */
export const cipherKeyId = (cipherText: string): string => cipherText.slice(0, cipherText.indexOf(':'));

/** Decrypts; throws when the key is unknown or the ciphertext was tampered with. */
export function decryptPii(keyring: PiiKeyring, field: PiiField, cipherText: string): string {
  const [keyId, ivText, dataText] = cipherText.split(':');
  const key = keyring.keys.find((k) => k.id === keyId);
  if (!key || ivText === undefined || dataText === undefined)
    throw new Error(`cannot decrypt personal data written with key ${keyId ?? '?'}: key not loaded`);
  const data = Buffer.from(dataText, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key.encKey, Buffer.from(ivText, 'base64'));
  decipher.setAAD(Buffer.from(field));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * The lookup hash of a normalised value under one key. `kind` separates namespaces (an ID type, or
 * `phone`), so the same digits as a passport and as a phone number hash differently.
 */
export const piiHashWith = (key: PiiKey, kind: string, value: string): string =>
  createHmac('sha256', key.hashKey).update(`${kind}\u0000${value}`).digest('hex');

/** The hash new rows store (current key). */
export const piiHash = (keyring: PiiKeyring, kind: string, value: string): string =>
  piiHashWith(keyring.current, kind, value);

/** Every hash the value may be stored under while a rotation is in progress (current key first). */
export const piiLookupHashes = (keyring: PiiKeyring, kind: string, value: string): string[] =>
  keyring.keys.map((k) => piiHashWith(k, kind, value));

let current: PiiKeyring | null = null;

/**
 * The process's keyring, set at start by the CLI/server (src/cli/open.ts) and by the test support.
 * Process-wide like the audit key: use cases deep inside transactions need it.
 */
export function setPiiKeyring(keyring: PiiKeyring | null): void {
  current = keyring;
}

export function piiKeyring(): PiiKeyring {
  if (!current)
    throw new Error(
      'no PII key configured: set PII_KEY or open the database through the CLI (DATA_DIR/pii.key)',
    );
  return current;
}
