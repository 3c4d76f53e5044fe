import { encryptPii, piiHash, piiKeyring } from '../baseinfo/pii.ts';
import { PHONE_HASH_KIND } from '../baseinfo/records.ts';
import type { ImportSealer } from './batch.ts';

/**
 * The import's view of the process's personal-data keyring (src/app/baseinfo/pii.ts): new values are
 * encrypted and hashed under the current key. Hash namespaces: the ID type for ID numbers, `phone` for
 * phone numbers — the same as every lookup of base information uses.
 */
export function currentImportSealer(): ImportSealer {
  const keyring = piiKeyring();
  return {
    keyId: keyring.current.id,
    seal: (field, plain) => encryptPii(keyring, field, plain),
    idHash: (idType, idNumber) => piiHash(keyring, idType, idNumber),
    phoneHash: (phone) => piiHash(keyring, PHONE_HASH_KIND, phone),
  };
}
