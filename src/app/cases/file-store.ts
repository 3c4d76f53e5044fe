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
  /**
   * Removes the bytes unless `inUse()` says a row needs them — checked after the file is taken out of
   * place, so a concurrent `put` of the same bytes either rewrites the file or keeps it. Returns whether
   * it removed them.
   */
  removeIfUnused(sha256: string, inUse: () => Promise<boolean>): Promise<boolean>;
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
        // touching marks the bytes as wanted for removeIfUnused; a file taken away meanwhile is written anew
        const now = new Date();
        await fs.utimes(target, now, now);
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
    async removeIfUnused(sha256, inUse) {
      const target = contentPath(root, sha256);
      const tomb = `${target}.${randomBytes(6).toString('hex')}.removing`;
      try {
        await fs.rename(target, tomb);
      } catch {
        return false; // not there (another pass removed it)
      }
      const touched = Date.now() - (await fs.stat(tomb)).mtimeMs < 3600_000;
      if (touched || (await inUse())) {
        // wanted after all: put it back (a concurrent put may have written the same bytes already)
        await fs.rename(tomb, target);
        return false;
      }
      await fs.rm(tomb, { force: true });
      return true;
    },
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
