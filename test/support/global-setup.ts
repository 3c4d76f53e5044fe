import { ensurePgliteImage, serverTemplate } from './images.ts';

/**
 * vitest global setup: builds the pre-migrated database image once, before any test file starts, so
 * that parallel test files do not all build it at the same time (`images.ts`).
 */
export default async function setup(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) await serverTemplate(serverUrl);
  else await ensurePgliteImage();
}
