import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningsAtAddress } from '../src/app/baseinfo/address-file-sources.ts';
import { createCase } from '../src/app/cases/create-case.ts';
import { NO_CHANGES } from '../src/app/cases/events.ts';
import { actOnWarning } from '../src/app/warnings/act-on-warning.ts';
import { countWarnings } from '../src/app/warnings/count-warnings.ts';
import { evaluateWarningRules, markWarningsDue } from '../src/app/warnings/evaluate-warnings.ts';
import { getWarning, listWarnings } from '../src/app/warnings/list-warnings.ts';
import { setWarningPolicy } from '../src/app/warnings/set-warning-policy.ts';
import type { Database } from '../src/db/database.ts';
import { caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { memoryFileStore } from './support/demo-slice.ts';

// 1 m north ≈ 1 / 111_195 ° of latitude
const north = (p: { lon: number; lat: number }, m: number) => ({ lon: p.lon, lat: p.lat + m / 111_195 });

describe('early warnings over a crafted history', () => {
  let database: Database;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-02T02:00:00Z');
  const deps = () => ({ database, files: memoryFileStore(), changes: NO_CHANGES, now: clock.now });
  const who = (name: string) => users.get(name)!.actor;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    // recurrence: three 暴露垃圾 reports within 100 m in 古美 over three days
    for (const [day, m] of [
      [0, 0],
      [1, 40],
      [2, 90],
    ] as const) {
      clock.set(`2026-03-0${2 + day}T02:00:00Z`);
      await createCase(deps(), who('dispatcher.a'), {
        category: '0501',
        description: `暴露垃圾 ${day}`,
        location: north(T.inGumeiC1, m),
      });
    }
    // stability signal: three dispute reports within 200 m in 新虹 within two days (150 m apart: no recurrence)
    for (const [h, m] of [
      [0, 0],
      [20, 150],
      [40, -150],
    ] as const) {
      clock.set(new Date(Date.parse('2026-03-03T02:00:00Z') + h * 3_600_000).toISOString());
      await createCase(deps(), who('dispatcher.b'), {
        category: '0603',
        description: `邻里纠纷 ${h}`,
        location: north(T.inXinhong, m),
      });
    }
    // base information: a clinic without a licence in 古美
    await database.db
      .insertInto('base_addresses')
      .values({
        id: 'addr-clinic',
        code: 'T-CLINIC',
        level: 'number',
        name: '古美路9号',
        full_text: '古美路9号',
        normalized: '古美路9号',
        street_code: T.gumei,
        committee_code: T.gumeiC1,
        grid_code: T.gumeiG1,
        lon: 121.386,
        lat: 31.145,
      })
      .execute();
    await database.db
      .insertInto('base_units')
      .values({
        id: 'unit-clinic',
        name: '某诊所',
        kind: 'individual',
        industry: 'clinic',
        licence_status: 'none',
        address_id: 'addr-clinic',
      })
      .execute();
    clock.set('2026-03-05T02:00:00Z');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('raises exactly the warnings the rules define, once', async () => {
    const first = await evaluateWarningRules(deps());
    expect(first.ran).toBe(true);
    expect(first.raised.map((w) => w.rule).sort()).toEqual([
      'illegal_medical',
      'recurrence',
      'stability_signal',
    ]);
    const owners = Object.fromEntries(first.raised.map((w) => [w.rule, w.ownerCode]));
    expect(owners).toEqual({ recurrence: T.gumei, stability_signal: T.xinhong, illegal_medical: T.gumei });

    // not due again before the interval; forced or after intake, it finds the same and raises nothing
    expect((await evaluateWarningRules(deps())).ran).toBe(false);
    await markWarningsDue(database.db);
    const second = await evaluateWarningRules(deps());
    expect(second.ran).toBe(true);
    expect(second.raised).toEqual([]);
    const events = await database.db.selectFrom('warning_events').select('action').execute();
    expect(events.map((e) => e.action)).toEqual(['raise', 'raise', 'raise']);
  });

  it('shows the warnings of an address in its one-address file, to the centres only', async () => {
    const file = (name: string) =>
      warningsAtAddress({
        db: database.db,
        actor: who(name),
        access: null as never, // not read by this source
        address: null as never,
        addressIds: ['addr-clinic'],
        dwellingIds: [],
        unitIds: ['unit-clinic'],
        personIds: [],
        limit: 10,
      });
    expect((await file('dispatcher.a')).map((e) => [e.kind, e.title, e.status])).toEqual([
      ['warning', 'illegal_medical', 'new'],
    ]);
    expect(await file('dispatcher.b')).toEqual([]);
    expect(await file('patroller.a')).toEqual([]);
  });

  it('scopes warnings to the owning centre and above', async () => {
    const gumei = await listWarnings({ database }, who('dispatcher.a'), { state: 'open' });
    expect(gumei.items.map((w) => w.rule).sort()).toEqual(['illegal_medical', 'recurrence']);
    const district = await listWarnings({ database }, who('dist.dispatcher'), {});
    expect(district.total).toBe(3);
    const xinhong = (await listWarnings({ database }, who('dispatcher.b'), {})).items;
    expect(xinhong.map((w) => w.rule)).toEqual(['stability_signal']);
    await expect(getWarning({ database }, who('dispatcher.b'), gumei.items[0]!.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(listWarnings({ database }, who('patroller.a'), {})).rejects.toMatchObject({
      code: 'forbidden',
    });
    // a leader sees but does not act
    const seen = await getWarning({ database }, who('leader'), gumei.items[0]!.id);
    expect(seen.allowedActions).toEqual([]);
  });

  it('acknowledges, converts into a verified warning case, dismisses with a reason', async () => {
    const [recurrence] = (await listWarnings({ database }, who('dispatcher.a'), { rule: 'recurrence' }))
      .items;
    const acked = await actOnWarning(deps(), who('dispatcher.a'), {
      id: recurrence!.id,
      action: 'acknowledge',
      version: recurrence!.version,
    });
    expect(acked.state).toBe('acknowledged');
    await expect(
      actOnWarning(deps(), who('dispatcher.a'), {
        id: recurrence!.id,
        action: 'acknowledge',
        version: acked.version,
      }),
    ).rejects.toMatchObject({ code: 'conflict', details: { reason: 'warning_not_open' } });
    const converted = await actOnWarning(deps(), who('dispatcher.a'), {
      id: recurrence!.id,
      action: 'convert',
      version: acked.version,
    });
    expect(converted.state).toBe('converted');
    const kase = await database.db
      .selectFrom('cases')
      .select(['source', 'state', 'verification', 'category_code', 'street_code'])
      .where('id', '=', converted.caseId!)
      .executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ source: 'warning', category_code: '0501', street_code: T.gumei });
    // verified on site like a citizen report
    expect(kase).toMatchObject({ state: 'reported', verification: 'required' });

    const [stability] = (await listWarnings({ database }, who('dispatcher.b'), {})).items;
    await expect(
      actOnWarning(deps(), who('dispatcher.b'), {
        id: stability!.id,
        action: 'dismiss',
        version: 1,
        reason: ' ',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const dismissed = await actOnWarning(deps(), who('dispatcher.b'), {
      id: stability!.id,
      action: 'dismiss',
      version: 1,
      reason: '已由调解委员会处理',
    });
    expect(dismissed).toMatchObject({ state: 'dismissed', dismissReason: '已由调解委员会处理' });

    // the converted case is not evidence of a new recurrence; the closed warnings may be raised again
    await markWarningsDue(database.db);
    const again = await evaluateWarningRules(deps());
    expect(again.raised.map((w) => w.rule).sort()).toEqual(['recurrence', 'stability_signal']);

    const counts = await countWarnings(
      { database },
      { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') },
    );
    expect(counts).toEqual([
      { unitCode: T.gumei, raised: 3, converted: 1, dismissed: 0 },
      { unitCode: T.xinhong, raised: 2, converted: 0, dismissed: 1 },
    ]);
  });

  it('lets administrators change the rules, within bounds', async () => {
    await expect(
      setWarningPolicy(deps(), who('dispatcher.a'), { recurrenceMinCases: 4 }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    const admin = { ...who('dist.dispatcher'), role: 'admin' as const };
    await expect(setWarningPolicy(deps(), admin, { recurrenceMinCases: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const policy = await setWarningPolicy(deps(), admin, { recurrenceMinCases: 4 });
    expect(policy.recurrenceMinCases).toBe(4);
  });
});
