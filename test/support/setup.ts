import type * as argon2Module from '@node-rs/argon2';
import type { Options } from '@node-rs/argon2';
import { vi } from 'vitest';

// Tests only: argon2id with the smallest parameters (m = 1 MiB, t = 1) instead of the production
// baseline (m = 19 MiB, t = 2), so the many logins and demo accounts of the suite do not spend their
// time hashing. The hashes stay real argon2id PHC strings, and verification reads the parameters from
// the stored hash, so every code path is the production one. Never used outside vitest.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const argon2 = await importOriginal<typeof argon2Module>();
  return {
    ...argon2,
    hash: (password: string | Uint8Array, options?: Options) =>
      argon2.hash(password, { ...options, memoryCost: 1024, timeCost: 1 }),
  };
});
