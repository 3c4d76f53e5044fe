import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCaseNumber } from '../src/app/cases/case-number.ts';
import { policeStationFor } from '../src/app/cases/notify.ts';
import { loadCategory, resolveRouting } from '../src/app/cases/routing.ts';
import { resolveStageLimit } from '../src/app/cases/sla.ts';
import type { Database } from '../src/db/database.ts';
import { seedCaseFixture, T } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

describe('case data layer', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCaseFixture(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('resolves stage limits: 小类 policy, category handling limit, 大类 policy, defaults', async () => {
    const db = database.db;
    expect(
      await resolveStageLimit(db, { categoryCode: '0101', urgency: 'normal', stage: 'verify' }),
    ).toMatchObject({ amount: 0.5, unit: 'work_hour', source: 'default' });
    expect(
      await resolveStageLimit(db, { categoryCode: '0101', urgency: 'normal', stage: 'check' }),
    ).toMatchObject({ amount: 2, unit: 'work_hour' });
    expect(
      await resolveStageLimit(db, { categoryCode: '0501', urgency: 'normal', stage: 'handle' }),
    ).toMatchObject({ amount: 4, unit: 'work_hour', source: 'category 0501' });
    // an urgent report in a normal category runs on clock hours
    expect(
      await resolveStageLimit(db, { categoryCode: '0101', urgency: 'urgent', stage: 'handle' }),
    ).toMatchObject({ amount: 4, unit: 'urgent_hour' });
    expect(
      await resolveStageLimit(db, { categoryCode: '0602', urgency: 'urgent', stage: 'handle' }),
    ).toMatchObject({ amount: 2, unit: 'urgent_hour' });
    expect(
      await resolveStageLimit(db, { categoryCode: null, urgency: 'normal', stage: 'handle' }),
    ).toMatchObject({ amount: 5, unit: 'work_day' });
    await db
      .insertInto('sla_policy')
      .values([
        { category_code: '05', urgency: null, stage: 'check', amount: 1, unit: 'work_hour' },
        { category_code: '0501', urgency: 'normal', stage: 'handle', amount: 2, unit: 'work_hour' },
      ])
      .execute();
    expect(
      await resolveStageLimit(db, { categoryCode: '0501', urgency: 'normal', stage: 'check' }),
    ).toMatchObject({ amount: 1, source: 'policy 05' });
    expect(
      await resolveStageLimit(db, { categoryCode: '0501', urgency: 'normal', stage: 'handle' }),
    ).toMatchObject({ amount: 2, source: 'policy 0501' });
  });

  it('numbers cases per district and Beijing year', async () => {
    const numbers = await database.db.transaction().execute(async (trx) => [
      await nextCaseNumber(trx, '310112', new Date('2026-12-31T15:59:00Z')),
      await nextCaseNumber(trx, '310112', new Date('2026-12-31T16:01:00Z')), // 2027-01-01 00:01 in Beijing
      await nextCaseNumber(trx, '310112', new Date('2027-03-01T00:00:00Z')),
      await nextCaseNumber(trx, '310113', new Date('2027-03-01T00:00:00Z')),
    ]);
    expect(numbers).toEqual([
      '310112-2026-000001',
      '310112-2027-000001',
      '310112-2027-000002',
      '310113-2027-000001',
    ]);
    // a rolled-back creation gives its number back
    await expect(
      database.db.transaction().execute(async (trx) => {
        await nextCaseNumber(trx, '310112', new Date('2027-03-01T00:00:00Z'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const next = await database.db
      .transaction()
      .execute((trx) => nextCaseNumber(trx, '310112', new Date('2027-03-01T00:00:00Z')));
    expect(next).toBe('310112-2027-000003');
  });

  it('routes by the most specific matrix row and links the covering police station', async () => {
    const db = database.db;
    const regions = [T.gumeiG1, T.gumeiC1, T.gumei, T.district];
    const police = await policeStationFor(db, T.gumeiC1);
    expect(police).toBe('police-310112006');
    const groupRenting = await loadCategory(db, '0101');
    expect(
      await resolveRouting(db, { category: groupRenting, regionCodes: regions, policeDepartmentId: police }),
    ).toMatchObject({
      leadDepartmentId: 'housing-310112006',
      assistingDepartmentIds: ['police-310112006'],
      policeMode: 'assist',
      matchedRule: `0101@${T.gumei}`,
    });
    await db
      .insertInto('responsibility_matrix')
      .values([
        {
          category_code: '0101',
          region_code: T.gumeiG1,
          lead_department_id: 'chengguan-310112006',
          assisting_department_ids: [],
          police_mode: 'notify',
        },
        {
          category_code: '01',
          region_code: T.district,
          lead_department_id: 'dist-planning',
          assisting_department_ids: [],
        },
      ])
      .execute();
    expect(
      await resolveRouting(db, { category: groupRenting, regionCodes: regions, policeDepartmentId: police }),
    ).toMatchObject({
      leadDepartmentId: 'chengguan-310112006',
      assistingDepartmentIds: [],
      policeMode: 'notify',
      matchedRule: `0101@${T.gumeiG1}`,
    });
    const unsafe = {
      code: '0103',
      nameZh: '房屋安全隐患',
      urgency: 'normal' as const,
      policeMode: 'none' as const,
      stability: false,
    };
    expect(
      await resolveRouting(db, { category: unsafe, regionCodes: regions, policeDepartmentId: police }),
    ).toMatchObject({
      leadDepartmentId: 'dist-planning',
      matchedRule: `01@${T.district}`,
    });
    await expect(loadCategory(db, '9999')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('keeps the event log append-only', async () => {
    const { db } = database;
    await db
      .insertInto('cases')
      .values({
        id: 'c-append',
        case_no: '310112-2026-900001',
        state: 'reported',
        source: 'patrol',
        category_code: '0101',
        urgency: 'normal',
        description: 'x',
        address: null,
        lon: 121.385,
        lat: 31.15,
        district_code: T.district,
        street_code: T.gumei,
        committee_code: null,
        grid_code: null,
        owner_level: 'street',
        owner_code: T.gumei,
        lead_department_id: null,
        police_department_id: null,
        reporter_user_id: null,
        reporter_name: null,
        reporter_phone: null,
        assignee_user_id: null,
        closure_type: null,
        merged_into: null,
        satisfaction: null,
        deadline_stage: null,
        due_at: null,
        warn_at: null,
        reported_at: new Date(),
        registered_at: null,
        dispatched_at: null,
        handled_at: null,
        closed_at: null,
        updated_at: new Date(),
      })
      .execute();
    await db
      .insertInto('case_events')
      .values({
        case_id: 'c-append',
        seq: 1,
        at: new Date(),
        action: 'report',
        from_state: null,
        to_state: 'reported',
        actor_user_id: null,
        actor_name: null,
        actor_role: 'system',
        actor_unit: T.district,
        payload: '{}',
        stage: null,
        time_used: null,
        time_limit: null,
        time_unit: null,
        on_time: null,
      })
      .execute();
    await expect(
      sql`update case_events set action = 'x' where case_id = 'c-append'`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_events where case_id = 'c-append'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
  });
});
