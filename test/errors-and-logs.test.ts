import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/app/deadlines/sweep-deadlines.ts';
import type { Logger } from '../src/app/logger.ts';
import { REFUSAL_REASONS } from '../src/core/errors.ts';
import type { Database } from '../src/db/database.ts';
import { en } from '../web/src/i18n/en.ts';
import { zh } from '../web/src/i18n/zh.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Issue 8 point 5: refusals with stable reasons, no catch-to-404, swallowed errors logged. */
describe('errors and logs', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;

  const report = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0101', description: '测试', location: T.inGumeiC1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Json>().case as { id: string; caseNo: string; version: number };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('gives domain refusals a stable reason next to the stable code', async () => {
    const outside = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0101', description: '测试', location: T.outside },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: 'validation_failed', reason: 'outside_territory' });

    const c = await report();
    const notPatroller = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/actions/request_verification`,
      headers: as('dispatcher.a'),
      payload: { version: c.version, patrollerId: users.get('housing.a')!.id },
    });
    expect(notPatroller.statusCode, notPatroller.body).toBe(400);
    expect(notPatroller.json()).toMatchObject({
      code: 'validation_failed',
      reason: 'no_patroller_in_street',
    });
  });

  it('has every reason translated in Chinese and English', () => {
    for (const reason of REFUSAL_REASONS) {
      expect(zh, reason).toHaveProperty([`error.reason.${reason}`]);
      expect(en, reason).toHaveProperty([`error.reason.${reason}`]);
    }
  });

  it('answers a malformed case reference 404 without asking the database', async () => {
    for (const ref of ['not-a-case', "x' or 1=1", 'x'.repeat(500)]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/cases/${encodeURIComponent(ref)}`,
        headers: as('dist.lead'),
      });
      expect(res.statusCode, ref).toBe(404);
    }
    // a NUL byte never reaches the use case: the edge refuses it as bad input (src/server/input/)
    const nul = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${encodeURIComponent('nul\u0000byte')}`,
      headers: as('dist.lead'),
    });
    expect(nul.statusCode).toBe(400);
  });

  it('lets a database failure while loading a case show as the failure it is, not as 404', async () => {
    const c = await report();
    await sql`alter table cases rename to cases_away`.execute(database.db);
    try {
      for (const url of [`/api/v1/cases/${c.id}`, `/api/v1/cases/${c.caseNo}`]) {
        const res = await app.inject({ method: 'GET', url, headers: as('dist.lead') });
        expect(res.statusCode, url).toBe(500);
      }
      const act = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/actions/register`,
        headers: as('dispatcher.a'),
        payload: { version: c.version },
      });
      expect(act.statusCode).toBe(500);
    } finally {
      await sql`alter table cases_away rename to cases`.execute(database.db);
    }
    const back = await app.inject({ method: 'GET', url: `/api/v1/cases/${c.id}`, headers: as('dist.lead') });
    expect(back.statusCode).toBe(200);
  });

  it('logs a clock the sweeper has to skip, with its case', async () => {
    const c = await report();
    // a clock the calendar core cannot measure (a stored pause with no valid instants)
    await database.db
      .updateTable('case_deadlines')
      .set({
        pauses: JSON.stringify([{ start: 'garbage', end: 'garbage' }]),
        warn_at: new Date(clock.now().getTime() - 1000),
      })
      .where('case_id', '=', c.id)
      .execute();
    const lines: { level: string; obj: Json; msg: string }[] = [];
    const log: Logger = {
      error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
      warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
      info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    };
    await sweepDeadlines({ database, now: clock.now, log });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        obj: expect.objectContaining({ caseId: c.id, caseNo: c.caseNo }),
      }),
    );
  });
});
