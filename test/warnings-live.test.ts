import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../src/app/cases/create-case.ts';
import { NO_CHANGES, type WarningChange } from '../src/app/cases/events.ts';
import { evaluateWarningsNear } from '../src/app/warnings/evaluate-warnings.ts';
import type { Logger } from '../src/app/logger.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase, onServer } from './support/database.ts';
import { memoryFileStore } from './support/demo-slice.ts';

// 1 m north ≈ 1 / 111_195 ° of latitude
const north = (p: { lon: number; lat: number }, m: number) => ({ lon: p.lon, lat: p.lat + m / 111_195 });

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A logger that keeps what is logged at error level. */
function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const log = {
    errors,
    error: (_o: unknown, m?: string) => void errors.push(m ?? ''),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    child: () => log,
  };
  return log as unknown as Logger & { errors: string[] };
}

describe('warnings triggered by case changes (evaluateWarningsNear)', () => {
  let database: Database;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-02T02:00:00Z');
  const published: WarningChange[] = [];
  const changes = {
    publish: () => undefined,
    publishWarnings: (l: readonly WarningChange[]) => published.push(...l),
  };
  const deps = () => ({ database, files: memoryFileStore(), changes: NO_CHANGES, now: clock.now });
  const report = (m: number, base: { lon: number; lat: number } = T.inGumeiC1) =>
    createCase(deps(), users.get('dispatcher.a')!.actor, {
      category: '0501',
      description: `暴露垃圾 ${m}`,
      location: north(base, m),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('raises the place’s recurrence warning after the case that completes it, once', async () => {
    const a = await report(0);
    const first = await evaluateWarningsNear({ database, now: clock.now, changes }, a.case.id);
    expect(first).toMatchObject({ ran: true, raised: [] });
    await report(40);
    // a cluster elsewhere in 古美 (800 m north) that the scheduled pass would find: not this case's situation
    for (const m of [0, 20, 40]) await report(m, north(T.inGumeiC1, 800));
    const c = await report(90);
    const near = await evaluateWarningsNear({ database, now: clock.now, changes }, c.case.id);
    expect(near.ran).toBe(true);
    expect(near.raised).toEqual([expect.objectContaining({ rule: 'recurrence', ownerCode: T.gumei })]);
    expect(published).toEqual([
      expect.objectContaining({
        warningId: near.raised[0]!.id,
        action: 'raise',
        state: 'new',
        ownerCode: T.gumei,
      }),
    ]);
    const warning = await database.db
      .selectFrom('warnings')
      .select(['case_ids'])
      .where('id', '=', near.raised[0]!.id)
      .executeTakeFirstOrThrow();
    expect(warning.case_ids).toContain(c.case.id);
    expect(warning.case_ids).toHaveLength(3);
    // the scheduled pass is due (it will look at the rest: the other cluster, hot spots)
    const run = await sql<{ due: boolean }>`select due from warning_runs where id`.execute(database.db);
    expect(run.rows[0]!.due).toBe(true);
    // again for the same case: the open warning covers it
    expect((await evaluateWarningsNear({ database, now: clock.now }, c.case.id)).raised).toEqual([]);
  });

  it.skipIf(!onServer())(
    'leaves the work to the scheduled pass while another evaluation holds the job',
    async () => {
      const d = await report(60);
      await sql`update warning_runs set due = true where id`.execute(database.db);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = database.db.transaction().execute(async (trx) => {
        await sql`select id from warning_runs where id for update`.execute(trx);
        locked();
        await held;
      });
      await isLocked;
      expect(await evaluateWarningsNear({ database, now: clock.now }, d.case.id)).toMatchObject({
        ran: false,
      });
      release();
      await holder;
      const run = await sql<{ due: boolean }>`select due from warning_runs where id`.execute(database.db);
      expect(run.rows[0]!.due).toBe(true);
    },
  );

  it('logs and swallows its errors (the intake has committed)', async () => {
    const log = recordingLog();
    const broken = { ...database, db: {} } as unknown as Database;
    const r = await evaluateWarningsNear({ database: broken, now: clock.now, log }, 'no-such-case');
    expect(r.ran).toBe(false);
    expect(log.errors).toEqual(['warning rules after a case change failed; the scheduled pass retries']);
  });
});

describe('warnings arrive live at the owning centre (SSE), raised after intake', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-02T02:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now, { warningTriggers: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const stream = async (who: string) => {
    const { port } = app.server.address() as AddressInfo;
    const state = { text: '' };
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: users.get(who)!.auth,
    });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (state.text += chunk));
    await until(() => state.text.includes('retry:'));
    return { state, close: () => request.destroy() };
  };
  const warningEvents = (text: string) =>
    text
      .split('\n\n')
      .filter((block) => block.startsWith('event: warning'))
      .map(
        (block) =>
          JSON.parse(
            block
              .split('\n')
              .find((l) => l.startsWith('data: '))!
              .slice(6),
          ) as WarningChange,
      );

  it('streams the new warning to 古美 and the district, not to 新虹 or a patroller', async () => {
    const gumei = await stream('dispatcher.a');
    const district = await stream('dist.dispatcher');
    const xinhong = await stream('dispatcher.b');
    const patroller = await stream('patroller.a');
    for (const m of [0, 40, 90]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: users.get('patroller.a')!.auth,
        payload: { category: '0501', description: `暴露垃圾 ${m}`, location: north(T.inGumeiC1, m) },
      });
      expect(res.statusCode).toBe(201);
    }
    await until(() => warningEvents(gumei.state.text).length > 0);
    await until(() => warningEvents(district.state.text).length > 0);
    const [event] = warningEvents(gumei.state.text);
    expect(event).toMatchObject({ rule: 'recurrence', action: 'raise', state: 'new', ownerCode: T.gumei });
    // the warning is there when the console re-reads
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/warnings?state=open',
      headers: users.get('dispatcher.a')!.auth,
    });
    expect(list.json<{ items: { id: string }[] }>().items.map((w) => w.id)).toEqual([event!.warningId]);
    // acting on it is live too
    await app.inject({
      method: 'POST',
      url: `/api/v1/warnings/${event!.warningId}/actions`,
      headers: users.get('dispatcher.a')!.auth,
      payload: { action: 'acknowledge', version: 1 },
    });
    await until(() => warningEvents(gumei.state.text).some((e) => e.action === 'acknowledge'));
    expect(warningEvents(xinhong.state.text)).toEqual([]);
    expect(warningEvents(patroller.state.text)).toEqual([]);
    for (const s of [gumei, district, xinhong, patroller]) s.close();
  });
});
