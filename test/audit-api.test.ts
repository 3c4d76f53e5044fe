import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { caseClock, seedCaseFixture, T } from './support/cases.ts';
import { sessionsForAllUsers, useCaseApi } from './support/harness.ts';

/** Edits the log behind its append-only trigger, as the owner of the database can. */
const asOwner = (statements: string) =>
  `alter table audit_log disable trigger user; ${statements}; alter table audit_log enable trigger user`;

// The admin's verify button (GET /api/v1/audit/verify) over the per-stream chains of real use cases.
describe('the audit verification over HTTP', () => {
  const clock = caseClock();
  const t = useCaseApi({
    clock,
    seed: async (database) => {
      await seedCaseFixture(database);
      await database.db
        .insertInto('users')
        .values({
          username: 'admin',
          display_name: '管理员',
          password_hash: 'not-a-hash',
          role: 'admin',
          unit_kind: 'region',
          unit_code: T.district,
          department_id: null,
          phone: null,
        })
        .execute();
      return sessionsForAllUsers(database, clock.now());
    },
  });

  it('verifies the streams of real writes, seals them, and names the first broken record', async () => {
    const created = await t.report('patroller.a', {
      category: '0501',
      description: '暴露垃圾，审计流',
      location: T.inGumeiC1,
    });
    const id = created.case.id;
    await t.step('dispatcher.a', id, 'register');
    await t.act('dispatcher.a', id, 'comment', { text: '审计' });
    const verify = async () => ok(await t.api('admin').GET('/api/v1/audit/verify'));

    const first = await verify();
    expect(first).toMatchObject({ ok: true, broken: null, breaks: 0 });
    expect(first.checkpoint).not.toBeNull();
    expect(first.headHash).toBe(first.checkpoint!.hash);

    // the case's stream: its records in order
    const stream = await t.database.db
      .selectFrom('audit_log')
      .select(['seq', 'stream_seq', 'action'])
      .where('stream', '=', `case:${id}`)
      .orderBy('stream_seq')
      .execute();
    expect(stream.map((r) => Number(r.stream_seq))).toEqual(stream.map((_, i) => i + 1));
    expect(stream.length).toBeGreaterThanOrEqual(2);
    const second = Number(stream[1]!.seq);

    const original = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('seq', '=', second)
      .executeTakeFirstOrThrow();
    await t.database.exec(asOwner(`update audit_log set action = 'case.nothing' where seq = ${second}`));
    expect(await verify()).toMatchObject({
      ok: false,
      broken: { seq: second, reason: 'hash_mismatch', stream: `case:${id}` },
    });
    await t.database.exec(
      asOwner(`update audit_log set action = '${original.action}' where seq = ${second}`),
    );
    expect(await verify()).toMatchObject({ ok: true });

    // the case's newest records removed (and its head moved back) after the seal: named by the API
    const last = stream.at(-1)!;
    await t.database.exec(
      asOwner(`delete from audit_log where stream = 'case:${id}' and stream_seq > 1;
        update audit_streams set stream_seq = 1, seq = ${Number(stream[0]!.seq)},
          hash = (select hash from audit_log where stream = 'case:${id}' and stream_seq = 1)
        where stream = 'case:${id}'`),
    );
    expect(await verify()).toMatchObject({
      ok: false,
      broken: { seq: Number(last.seq), reason: 'truncated_stream', stream: `case:${id}` },
    });
  });
});
