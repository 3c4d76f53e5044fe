import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Actor, type Role, type Unit } from '../src/core/actor.ts';
import { filterInScope, isCaseInScope, type CaseScopeRow } from '../src/core/policy/case-scope.ts';
import { parseUnit } from '../src/core/policy/units.ts';
import { applyCaseScope } from '../src/db/case-scope.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { MINI, seedIdentityFixture } from './support/identity.ts';

/** mulberry32: a small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const maybe = <T>(p: number, value: () => T): T | null => (next() < p ? value() : null);
  const subset = <T>(items: readonly T[], p: number): T[] => items.filter(() => next() < p);
  return { next, pick, maybe, subset };
}

describe('case scope: the SQL where-clause and the pure twin agree', () => {
  let database: Database;
  let actors: Actor[];
  const rows: (CaseScopeRow & { id: string })[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const demo = await seedIdentityFixture(database);
    const userIds = [...demo.values()].map((a) => a.userId);
    const departments = MINI.departments.map((d) => d.id);
    const rnd = random(42);

    for (let i = 0; i < 400; i++) {
      const street = rnd.pick([MINI.gumei, MINI.xinhong, MINI.gumei, null]);
      const committees =
        street === MINI.gumei ? MINI.gumeiCommittees : street === MINI.xinhong ? MINI.xinhongCommittees : [];
      const committee = committees.length ? rnd.maybe(0.85, () => rnd.pick(committees)) : null;
      const grids = [...MINI.gumeiGrids, ...MINI.xinhongGrids].filter(
        (g) => committee && g.startsWith(committee),
      );
      const grid = grids.length ? rnd.maybe(0.8, () => rnd.pick(grids)) : null;
      const ownerLevel = committee
        ? rnd.pick(['committee', 'street', 'district'] as const)
        : street
          ? rnd.pick(['street', 'district'] as const)
          : 'district';
      const reporter = rnd.maybe(0.6, () => rnd.pick(userIds));
      rows.push({
        id: `case-${String(i).padStart(4, '0')}`,
        street_code: street,
        committee_code: committee,
        grid_code: grid,
        owner_level: ownerLevel,
        owner_code:
          ownerLevel === 'committee' ? committee! : ownerLevel === 'street' ? street! : MINI.district,
        lead_department_id: rnd.maybe(0.6, () => rnd.pick(departments)),
        assisting_department_ids: rnd.subset(departments, 0.15),
        police_department_id: rnd.maybe(0.3, () =>
          rnd.pick(departments.filter((d) => d.startsWith('police'))),
        ),
        police_mode: rnd.pick(['none', 'notify', 'assist', 'lead', 'none'] as const),
        reporter_user_id: reporter,
        reporter_ids: [...(reporter ? [reporter] : []), ...rnd.subset(userIds, 0.05)],
        assignee_user_id: rnd.maybe(0.2, () => rnd.pick(userIds)),
        escalated: ownerLevel === 'district' && rnd.next() < 0.5,
      });
    }
    const at = new Date('2026-03-02T02:00:00Z');
    await database.db
      .insertInto('cases')
      .values(
        rows.map((r, i) => ({
          ...r,
          assisting_department_ids: [...(r.assisting_department_ids ?? [])],
          reporter_ids: [...(r.reporter_ids ?? [])],
          case_no: `310112-2026-${String(i + 1).padStart(6, '0')}`,
          state: 'registered' as const,
          source: 'patrol' as const,
          urgency: 'normal' as const,
          description: 'scope test',
          lon: 121.38,
          lat: 31.15,
          district_code: MINI.district,
          reported_at: at,
          updated_at: at,
        })),
      )
      .execute();

    // every demo account, plus every role bound to every kind of unit (valid or not), as several users
    const units: Unit[] = [
      parseUnit(MINI.district),
      parseUnit(MINI.gumei),
      parseUnit(MINI.xinhong),
      ...[...MINI.gumeiCommittees, ...MINI.xinhongCommittees].map(parseUnit),
      ...[...MINI.gumeiGrids, ...MINI.xinhongGrids].slice(0, 4).map(parseUnit),
      ...departments.map((d) => parseUnit(d)),
      { kind: 'none' },
    ];
    const generated: Actor[] = [];
    for (const role of ROLES as readonly Role[]) {
      for (const unit of units) {
        const userId = rnd.pick(userIds);
        generated.push({ userId, username: `gen-${role}`, displayName: 'gen', role, unit });
      }
    }
    actors = [...demo.values(), ...generated];
  });

  afterAll(async () => {
    await database.close();
  });

  it('lists exactly the cases the detail check admits, for every actor', async () => {
    let someVisible = 0;
    let someHidden = 0;
    for (const actor of actors) {
      const listed = await applyCaseScope(database.db.selectFrom('cases').select('id'), actor)
        .orderBy('id')
        .execute();
      const expected = filterInScope(rows, actor).map((r) => r.id);
      expect(
        listed.map((r) => r.id),
        `${actor.role} @ ${JSON.stringify(actor.unit)}`,
      ).toEqual(expected);
      if (expected.length > 0) someVisible++;
      if (expected.length < rows.length) someHidden++;
    }
    // the generated data exercises both sides for most actors
    expect(someVisible).toBeGreaterThan(actors.length / 2);
    expect(someHidden).toBeGreaterThan(actors.length / 2);
  });

  it('reads the same rows back from the database as were generated (the twin is checked on real rows)', async () => {
    const stored = await database.db
      .selectFrom('cases')
      .select([
        'id',
        'street_code',
        'committee_code',
        'grid_code',
        'owner_level',
        'owner_code',
        'lead_department_id',
        'assisting_department_ids',
        'police_department_id',
        'police_mode',
        'reporter_user_id',
        'reporter_ids',
        'assignee_user_id',
        'escalated',
      ])
      .orderBy('id')
      .execute();
    for (const actor of actors.slice(0, 40)) {
      expect(stored.filter((r) => isCaseInScope(r, actor)).map((r) => r.id)).toEqual(
        filterInScope(rows, actor).map((r) => r.id),
      );
    }
  });

  it('works on an aliased table and inside counts', async () => {
    const actor = actors.find((a) => a.username === 'xinhong.dispatcher')!;
    const count = await applyCaseScope(
      database.db.selectFrom('cases as c').select((eb) => eb.fn.countAll<number>().as('n')),
      actor,
      'c',
    ).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(filterInScope(rows, actor).length);
    // xinhong never counts a 古美 case (unless its dispatcher reported it)
    const gumei = await applyCaseScope(
      database.db.selectFrom('cases').select('id').where('street_code', '=', MINI.gumei),
      actor,
    ).execute();
    const reportedBy = (id: string) => rows.find((x) => x.id === id)!.reporter_ids!.includes(actor.userId);
    expect(gumei.filter((r) => !reportedBy(r.id))).toEqual([]);
  });
});
