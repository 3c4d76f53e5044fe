import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/app/deadlines/sweep-deadlines.ts';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const CONVERSION = readFileSync(new URL('../docs/partitioning.sql', import.meta.url), 'utf8');
const MINUTE = 60_000;

/**
 * Issue 10 item 5: cases partitioned by district and month, events by month (docs/partitioning.sql,
 * docs/scaling.md §3), then the product's own use cases on the converted tables — report, the whole
 * linkage loop, idempotent retries, queues, the sweeper, the overview and the evaluation. A schema or
 * code assumption that partitioning breaks (an `on conflict` on a unique key without the partition key, a
 * reference to a no-longer-unique id) fails here.
 */
describe('cases and events partitioned by district and month', () => {
  const t = useCaseApi({ prepare: (database) => database.exec(CONVERSION) });

  it('converts the tables: cases by district then month, events by month', async () => {
    const { rows } = await sql<{ name: string; parent: string | null; kind: string }>`
      select c.relname as name, p.relname as parent, c.relkind::text as kind
      from pg_class c
      left join pg_inherits i on i.inhrelid = c.oid
      left join pg_class p on p.oid = i.inhparent
      where c.relname in ('cases', 'case_events', 'cases_310112', 'cases_310112_202603', 'case_events_202603')
      order by c.relname`.execute(t.database.db);
    expect(rows).toEqual([
      { name: 'case_events', parent: null, kind: 'p' },
      { name: 'case_events_202603', parent: 'case_events', kind: 'r' },
      { name: 'cases', parent: null, kind: 'p' },
      { name: 'cases_310112', parent: 'cases', kind: 'p' },
      { name: 'cases_310112_202603', parent: 'cases_310112', kind: 'r' },
    ]);
  });

  it('walks a case from report to closure, with retries, queues, the sweeper and the indicators', async () => {
    const { api, step, detail, clock, users } = t;
    const body = {
      category: '0101',
      description: '古美路某小区 12 号 601 室疑似群租，隔成 8 间',
      location: T.inGumeiC1,
      address: '古美路 12 号',
    };
    const first = await api('patroller.a').POST('/api/v1/cases', {
      body,
      headers: { 'idempotency-key': 'partition-1' },
    });
    expect(first.response.status, JSON.stringify(first.error)).toBe(201);
    const c = ok(first).case;
    // a time-ordered key (UUIDv7): the events index keyed by case grows at its right edge
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    // the retry answers the same case, not a second one
    const retry = await api('patroller.a').POST('/api/v1/cases', {
      body,
      headers: { 'idempotency-key': 'partition-1' },
    });
    expect(ok(retry).case.id).toBe(c.id);

    const queue = ok(
      await api('dispatcher.a').GET('/api/v1/cases', {
        params: { query: { state: ['reported'], street: T.gumei } },
      }),
    );
    expect(queue.items.map((i) => i.id)).toEqual([c.id]);

    clock.advance(20 * MINUTE);
    await step('dispatcher.a', c.id, 'register', { note: '属实，立案' });
    await step('dispatcher.a', c.caseNo, 'dispatch');
    // the signing clock runs out: the sweeper escalates, writing events into the month's partition
    clock.advance(3 * 24 * 60 * MINUTE);
    const swept = await sweepDeadlines({ database: t.database, now: clock.now });
    expect(swept.overdue).toBeGreaterThan(0);
    expect(Object.values(swept.escalations).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await step('housing.a', c.id, 'sign');
    await step('police.a', c.id, 'assist_feedback', { feedback: '已协同上门核查人员信息' });
    const after = await t.upload('housing.a');
    await step('housing.a', c.id, 'handle', { result: '已责令整改，拆除隔断', photos: [after.data!.id] });
    await step('dispatcher.a', c.id, 'assign_check', { patrollerId: users.get('patroller.a')!.id });
    await step('patroller.a', c.id, 'submit_check', { passed: true, note: '隔断已拆除' });
    const closed = await step('lead.a', c.id, 'close', { note: '结案' });
    expect(closed.case).toMatchObject({ state: 'closed' });

    const timeline = (await detail('dispatcher.a', c.id)).events.map((e) => e.action);
    expect(timeline[0]).toBe('report');
    expect(timeline.at(-1)).toBe('close');
    expect(timeline).toContain('overdue_escalation');

    const { rows } = await sql<{ partition: string; n: number }>`
      select tableoid::regclass::text as partition, count(*)::int as n from case_events group by 1`.execute(
      t.database.db,
    );
    expect(rows).toEqual([{ partition: 'case_events_202603', n: timeline.length }]);

    const overview = await api('leader').GET('/api/v1/stats/overview');
    expect(overview.response.status, JSON.stringify(overview.error)).toBe(200);
    const evaluation = await api('leader').GET('/api/v1/evaluation', {
      params: { query: { period: '2026-03' } },
    });
    expect(evaluation.response.status, JSON.stringify(evaluation.error)).toBe(200);
  });

  it('reads one district-month partition for a district’s month (partition pruning)', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      explain select id from cases
      where district_code = '310112' and reported_at >= '2026-03-01T00:00:00+08:00'
        and reported_at < '2026-04-01T00:00:00+08:00'`.execute(t.database.db);
    const plan = rows.map((r) => Object.values(r)[0]).join('\n');
    expect(plan).toContain('cases_310112_202603');
    expect(plan).not.toContain('cases_310112_202604');
    expect(plan).not.toContain('cases_other_districts');
  });
});
