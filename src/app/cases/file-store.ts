import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Where attachment bytes live, addressed by their SHA-256. The default is a folder; a deployment can
 * implement the same three calls over object storage (DESIGN §9).
 */
export interface FileStore {
  /** Stores the bytes under their hash; storing the same content twice is a no-op. */
  put(sha256: string, data: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

const SHA = /^[0-9a-f]{64}$/;

/** `<root>/ab/cd/<sha256>`: two levels of fan-out keep directories small. */
export function contentPath(root: string, sha256: string): string {
  if (!SHA.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Files in a local folder (DATA_DIR/files). Writes go to a temporary name first, then rename (atomic). */
export function localFileStore(root: string): FileStore {
  return {
    async put(sha256, data) {
      const target = contentPath(root, sha256);
      try {
        await fs.access(target);
        return;
      } catch {
        // not stored yet
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await fs.writeFile(temp, data);
      await fs.rename(temp, target);
    },
    get: (sha256) => fs.readFile(contentPath(root, sha256)),
    async has(sha256) {
      try {
        await fs.access(contentPath(root, sha256));
        return true;
      } catch {
        return false;
      }
    },
  };
}
