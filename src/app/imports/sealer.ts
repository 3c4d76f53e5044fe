import type { ImportSealer } from './batch.ts';

/**
 * The import's view of the process's personal-data keyring. Placeholder until src/app/baseinfo/pii.ts
 * (branch baseinfo) is merged: refuses, so nothing is ever written unencrypted.
 */
export function currentImportSealer(): ImportSealer {
  throw new Error('no PII keyring in this build yet (src/app/baseinfo/pii.ts)');
}
