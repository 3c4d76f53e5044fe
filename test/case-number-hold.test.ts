import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import type { Schemas } from './support/api.ts';
import {
  caseApp,
  caseClock,
  multipartBody,
  seedCaseFixture,
  T,
  TINY_JPEG,
  type TestUser,
} from './support/cases.ts';
import { createTestDatabase, onServer } from './support/database.ts';

type Created = Schemas['CreateCaseResult'];

// Issue 10 item 1: the district's case-number counter is taken as the last thing before the case row,
// not as the intake transaction's second statement — numbers stay gapless and unique, and the counter is
// no longer held while a report writes its clocks, events and attachment links.
describe('case numbers under concurrent intake', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;
  const report = (description: string, photos?: string[]) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0501', description, location: T.inGumeiC1, ...(photos ? { photos } : {}) },
    });
  const upload = async () => {
    const body = multipartBody(TINY_JPEG, 'a.jpg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as('patroller.a'), ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Schemas['Attachment']>().id;
  };
  const sequenceOf = (caseNo: string) => Number(caseNo.split('-')[2]);
  const counter = async () =>
    (await database.db.selectFrom('case_counters').select('value').executeTakeFirst())?.value ?? 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('numbers 50 concurrent reports 1..50 — no gap, no duplicate — while failed reports take no number', async () => {
    const before = await counter();
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        // every sixth report names an attachment that does not exist: refused, nothing written
        i % 6 === 5 ? report(`失败 ${i}`, ['no-such-attachment']) : report(`暴露垃圾 ${i}`),
      ),
    );
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(50);
    expect(responses.filter((r) => r.statusCode === 400)).toHaveLength(10);
    const numbers = created.map((r) => sequenceOf(r.json<Created>().case.caseNo)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    expect(await counter()).toBe(before + 50);
    // the case rows carry the number, their clock (written once, with the row) and their first event
    const rows = await database.db
      .selectFrom('cases')
      .select(['case_no', 'version', 'due_at', 'deadline_stage'])
      .where(
        'id',
        'in',
        created.map((r) => r.json<Created>().case.id),
      )
      .execute();
    expect(new Set(rows.map((r) => r.case_no)).size).toBe(50);
    for (const row of rows) {
      expect(row.version).toBe(1);
      expect(row.due_at).not.toBeNull();
      expect(row.deadline_stage).not.toBeNull();
    }
  });

  // PGlite is one connection: nothing runs beside an open transaction, so there is nothing to hold
  it.runIf(onServer())(
    'does not hold the counter while a report waits on its attachments: a later report is numbered first',
    async () => {
      const photo = await upload();
      const before = await counter();
      // another session holds the attachment row, so the first report blocks at its attachment link
      const other = new pg.Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from attachments where id = $1 for update', [photo]);
        const first = report('带照片的上报', [photo]);
        // the first report is blocked on the attachment row — and must not be holding the counter
        await waitFor(async () => {
          const { rows } = await other.query<{ n: string }>(
            `select count(*) as n from pg_locks l join pg_stat_activity a using (pid)
             where not l.granted and a.query like '%attachments%'`,
          );
          return Number(rows[0]!.n) > 0;
        });
        const second = await report('后来的上报');
        expect(second.statusCode, second.body).toBe(201);
        expect(sequenceOf(second.json<Created>().case.caseNo)).toBe(before + 1);
        await other.query('commit');
        const done = await first;
        expect(done.statusCode, done.body).toBe(201);
        expect(sequenceOf(done.json<Created>().case.caseNo)).toBe(before + 2);
      } finally {
        await other.end();
      }
    },
  );
});

/** Polls `condition` (bounded: 200 tries) until it holds. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never held');
}
