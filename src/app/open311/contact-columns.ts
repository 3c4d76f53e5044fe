import { encryptPii, piiHash, type PiiKeyring } from '../baseinfo/pii.ts';

/**
 * An Open311 request's contact fields as stored (migration 0029, issue 15 §5): AES-256-GCM ciphertext
 * under the current PII key, keyed lookup hashes for the e-mail and the client's account id (to find a
 * citizen's requests without reading them), the clear columns of migration 0022 emptied.
 */
export function open311ContactColumns(
  keyring: PiiKeyring,
  clientId: string,
  c: { email: string | null; deviceId: string | null; accountId: string | null },
) {
  const cipher = (field: 'email' | 'device_id' | 'account_id', value: string | null) =>
    value === null ? null : encryptPii(keyring, field, value);
  return {
    email: null,
    device_id: null,
    account_id: null,
    email_cipher: cipher('email', c.email),
    email_hash: c.email === null ? null : piiHash(keyring, OPEN311_EMAIL_HASH_KIND, c.email.toLowerCase()),
    device_id_cipher: cipher('device_id', c.deviceId),
    account_id_cipher: cipher('account_id', c.accountId),
    account_id_hash:
      c.accountId === null ? null : piiHash(keyring, `${OPEN311_ACCOUNT_HASH_KIND}:${clientId}`, c.accountId),
    pii_key_id: c.email !== null || c.deviceId !== null || c.accountId !== null ? keyring.current.id : null,
  };
}

export const OPEN311_EMAIL_HASH_KIND = 'open311_email';
export const OPEN311_ACCOUNT_HASH_KIND = 'open311_account';
