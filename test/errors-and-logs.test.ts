import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/app/deadlines/sweep-deadlines.ts';
import type { Logger } from '../src/app/logger.ts';
import { REFUSAL_REASONS } from '../src/core/errors.ts';
import { en } from '../web/src/i18n/en.ts';
import { zh } from '../web/src/i18n/zh.ts';
import { performAction } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

/** Issue 8 point 5: refusals with stable reasons, no catch-to-404, swallowed errors logged. */
describe('errors and logs', () => {
  const t = useCaseApi();
  const report = async () =>
    (await t.report('patroller.a', { category: '0101', description: '测试', location: T.inGumeiC1 })).case;
  /** GET a case by id or number through the typed client: its status. */
  const status = async (ref: string) =>
    (await t.api('dist.lead').GET('/api/v1/cases/{id}', { params: { path: { id: ref } } })).response.status;

  it('gives domain refusals a stable reason next to the stable code', async () => {
    const outside = await t.api('patroller.a').POST('/api/v1/cases', {
      body: { category: '0101', description: '测试', location: T.outside },
    });
    expect(outside.response.status).toBe(400);
    expect(outside.error).toMatchObject({ code: 'validation_failed', reason: 'outside_territory' });

    const c = await report();
    const notPatroller = await performAction(t.api('dispatcher.a'), c.id, 'request_verification', {
      version: c.version,
      patrollerId: t.users.get('housing.a')!.id,
    });
    expect(notPatroller.response.status, JSON.stringify(notPatroller.error)).toBe(400);
    expect(notPatroller.error).toMatchObject({
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
      expect(await status(ref), ref).toBe(404);
    }
    // a NUL byte never reaches the use case: the edge refuses it as bad input (src/server/input/)
    expect(await status('nul\u0000byte')).toBe(400);
  });

  it('lets a database failure while loading a case show as the failure it is, not as 404', async () => {
    const c = await report();
    await sql`alter table cases rename to cases_away`.execute(t.database.db);
    try {
      for (const ref of [c.id, c.caseNo]) expect(await status(ref), ref).toBe(500);
      const act = await performAction(t.api('dispatcher.a'), c.id, 'register', { version: c.version });
      expect(act.response.status).toBe(500);
    } finally {
      await sql`alter table cases_away rename to cases`.execute(t.database.db);
    }
    expect(await status(c.id)).toBe(200);
  });

  it('logs a clock the sweeper has to skip, with its case', async () => {
    const c = await report();
    // a clock the calendar core cannot measure (a stored pause with no valid instants)
    await t.database.db
      .updateTable('case_deadlines')
      .set({
        pauses: JSON.stringify([{ start: 'garbage', end: 'garbage' }]),
        warn_at: new Date(t.clock.now().getTime() - 1000),
      })
      .where('case_id', '=', c.id)
      .execute();
    const lines: { level: string; obj: object; msg: string }[] = [];
    const log: Logger = {
      error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
      warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
      info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    };
    await sweepDeadlines({ database: t.database, now: t.clock.now, log });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        obj: expect.objectContaining({ caseId: c.id, caseNo: c.caseNo }),
      }),
    );
  });
});
