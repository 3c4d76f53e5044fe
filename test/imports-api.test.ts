/**
 * The import over HTTP (issue 12 §4): upload → preview → dry run → progress → row report (JSON and CSV)
 * → real run → list; hostile uploads answer 4xx, never 500. PGlite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/app/identity/login.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { buildTestApp } from './support/compilers.ts';
import { multipartBody } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { identityDepsFor, seedIdentityFixture, testClock } from './support/identity.ts';
import { fixture, placeMiniTerritory } from './support/imports.ts';

let database: Database & { url?: string };
let app: FastifyInstance;
let dataDir: string;
const clock = testClock('2026-10-01T02:00:00Z');
const tokens = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  await seedIdentityFixture(database);
  await placeMiniTerritory(database);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-imports-api-'));
  app = await buildTestApp({
    database,
    config: loadConfig({ DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) }),
    demo: false,
    now: clock.now,
  });
  for (const who of ['admin', 'gumei.dispatcher', 'xinhong.dispatcher', 'gumei.patroller']) {
    const session = await login(identityDepsFor(database, clock.now), {
      username: who,
      password: DEMO_PASSWORD,
      address: '127.0.0.1',
    });
    tokens.set(who, session.token);
  }
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)!}` });

async function upload(who: string, kind: string, file: string, data?: Buffer) {
  const body = multipartBody(data ?? fs.readFileSync(fixture(file)), file);
  return app.inject({
    method: 'POST',
    url: `/api/v1/imports?kind=${kind}`,
    payload: body.payload,
    headers: { ...body.headers, ...auth(who) },
  });
}

async function startAndWait(who: string, id: string, dryRun: boolean) {
  const started = await app.inject({
    method: 'POST',
    url: `/api/v1/imports/${id}/start`,
    payload: { dryRun },
    headers: auth(who),
  });
  expect(started.statusCode, started.body).toBe(202);
  const runId = started.json<{ id: string }>().id;
  for (let i = 0; i < 400; i++) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${runId}`, headers: auth(who) });
    const run = res.json<{ status: string }>();
    if (run.status === 'done' || run.status === 'failed') return res.json<Record<string, unknown>>();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the run did not finish');
}

describe('imports over HTTP', () => {
  it('uploads, previews, dry-runs, reports and imports', async () => {
    for (const [kind, file] of [
      ['addresses', 'addresses.csv'],
      ['dwellings', 'dwellings.csv'],
    ] as const) {
      const res = await upload('gumei.dispatcher', kind, file);
      expect(res.statusCode, res.body).toBe(201);
      expect(
        await startAndWait('gumei.dispatcher', res.json<{ run: { id: string } }>().run.id, false),
      ).toMatchObject({
        status: 'done',
        refused: 0,
      });
    }

    const res = await upload('gumei.dispatcher', 'people', 'people.xlsx');
    expect(res.statusCode, res.body).toBe(201);
    const { run, preview } = res.json<{
      run: { id: string; streetCode: string; status: string };
      preview: {
        mapping: Record<string, string>;
        rows: { values: Record<string, string> }[];
        missing: string[];
      };
    }>();
    expect(run).toMatchObject({ streetCode: '310112006', status: 'uploaded' });
    expect(preview.mapping).toMatchObject({
      name: '姓名',
      idNumber: '证件号码',
      hukou: '户籍类别',
      address: '地址',
    });
    expect(preview.missing).toEqual([]);
    expect(preview.rows[0]!.values.idNumber).toMatch(/^990\*+\d{2}$/);

    const dry = await startAndWait('gumei.dispatcher', run.id, true);
    expect(dry).toMatchObject({ status: 'done', dryRun: true, inserted: 40, refused: 10, progress: 1 });
    const page = await app.inject({
      method: 'GET',
      url: `/api/v1/imports/${run.id}/errors?limit=3`,
      headers: auth('gumei.dispatcher'),
    });
    expect(page.json()).toMatchObject({
      total: 10,
      items: [{ row: 5, column: '证件号码', reason: 'bad_check_digit' }, {}, {}],
    });
    const csv = await app.inject({
      method: 'GET',
      url: `/api/v1/imports/${run.id}/errors.csv`,
      headers: auth('gumei.dispatcher'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    expect(csv.body.trim().split('\r\n')).toHaveLength(11);
    expect(csv.body).toContain('校验位不正确');

    // the real run after the dry run: a new run over the same file
    const real = await startAndWait('gumei.dispatcher', run.id, false);
    expect(real).toMatchObject({ status: 'done', dryRun: false, inserted: 40, refused: 10 });
    expect(real.id).not.toBe(run.id);

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/imports',
      headers: auth('gumei.dispatcher'),
    });
    expect(list.json<{ items: unknown[] }>().items.length).toBe(4);
    const other = await app.inject({
      method: 'GET',
      url: '/api/v1/imports',
      headers: auth('xinhong.dispatcher'),
    });
    expect(other.json<{ items: unknown[] }>().items).toEqual([]);
    const hidden = await app.inject({
      method: 'GET',
      url: `/api/v1/imports/${run.id}`,
      headers: auth('xinhong.dispatcher'),
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('answers hostile or wrong uploads with 4xx', async () => {
    expect((await upload('gumei.patroller', 'people', 'people.csv')).statusCode).toBe(403);
    expect((await upload('gumei.dispatcher', 'pets', 'people.csv')).statusCode).toBe(400);
    const xls = await upload(
      'gumei.dispatcher',
      'people',
      'old.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0]),
    );
    expect(xls.statusCode).toBe(400);
    const empty = await upload('gumei.dispatcher', 'people', 'empty.csv', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    const broken = await app.inject({
      method: 'POST',
      url: '/api/v1/imports?kind=people',
      payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=x', ...auth('gumei.dispatcher') },
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    const notMultipart = await app.inject({
      method: 'POST',
      url: '/api/v1/imports?kind=people',
      payload: { a: 1 },
      headers: auth('gumei.dispatcher'),
    });
    expect(notMultipart.statusCode).toBe(415);
    const otherStreet = await app.inject({
      method: 'POST',
      url: '/api/v1/imports?kind=people&street=310112008',
      ...multipartBody(fs.readFileSync(fixture('people.csv')), 'p.csv'),
    });
    expect(otherStreet.statusCode).toBe(401);
    const bad = multipartBody(fs.readFileSync(fixture('people.csv')), 'p.csv');
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/v1/imports?kind=people&street=310112008',
      payload: bad.payload,
      headers: { ...bad.headers, ...auth('gumei.dispatcher') },
    });
    expect(forbidden.statusCode).toBe(403);
    // nothing of the refused uploads is left behind
    expect(fs.readdirSync(path.join(dataDir, 'imports')).length).toBe(3);
  });
});
