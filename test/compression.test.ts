import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { buildTestApp } from './support/compilers.ts';
import { createTestDatabase } from './support/database.ts';
import { seedIdentityFixture } from './support/identity.ts';

/**
 * Issue 11 §7 (fast pages): API JSON is sent brotli- or gzip-compressed to clients that accept it, and
 * plain to those that do not; small answers are not worth compressing.
 */
describe('response compression', () => {
  let database: Database;
  let app: FastifyInstance;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIdentityFixture(database);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-compress-'));
    app = await buildTestApp({
      database,
      config: loadConfig({
        DATA_DIR: dataDir,
        ...((database as { url?: string }).url ? { DATABASE_URL: (database as { url?: string }).url } : {}),
      }),
      demo: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const regions = (encoding?: string) =>
    app.inject({
      url: '/api/v1/regions',
      headers: encoding ? { 'accept-encoding': encoding } : {},
    });

  it('answers brotli to a browser that accepts it, and the JSON inside is the same', async () => {
    const plain = await regions();
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);

    const br = await regions('gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('answers gzip when brotli is not offered', async () => {
    const gz = await regions('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString('utf8'))).toEqual((await regions()).json());
  });

  it('leaves small answers alone', async () => {
    const health = await app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br' } });
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});
