import { createCase } from '../app/cases/create-case.ts';
import { performCaseAction } from '../app/cases/perform-case-action.ts';
import { storeAttachment } from '../app/cases/store-attachment.ts';
import { NO_CHANGES } from '../app/cases/events.ts';
import type { FileStore } from '../app/cases/file-store.ts';
import { actorOfRow } from '../app/identity/user-view.ts';
import { MS_PER_DAY } from '../core/calendar/time.ts';
import type { Actor } from '../core/actor.ts';
import type { Database } from '../db/database.ts';
import { DEMO_BASEINFO_STREET } from './base-info.ts';
import { assembleCast, STREET_SLUGS } from './history-actors.ts';
import { AFTER_COLOURS, demoPhoto } from './photos.ts';

const M_PER_DEG = 111_195;
/** Categories that recur at one spot (暴露垃圾, 乱张贴, 道路破损, 噪声扰民), one per street in turn. */
const RECURRING = ['0501', '0502', '0701', '0504'] as const;
const RECURRING_TEXT: Record<string, string> = {
  '0501': '小区门口垃圾又堆起来了，没人清运',
  '0502': '公交站旁又贴满了小广告',
  '0701': '人行道同一处路面破损，有人绊倒',
  '0504': '夜间施工噪声扰民，居民反映多次',
};
const DISPUTE = '0603';

/**
 * The situations the early-warning rules should find in the demo (issue 13 §4: "warnings of each kind
 * waiting"), filed through the real intake in the last days: in every street three reports of one
 * category within 60 m (同类重复); in every second street three dispute reports 150 m apart within two
 * days (不稳定因素苗头); in 古美, three disputes at one standard address over two months (矛盾纠纷反复).
 * The base-information warnings (群租, 无证经营, 非法行医) come from the planted records, hot spots from
 * the history. Idempotent (each report has its idempotency key).
 *
 * The centre takes each report in as a working district does (verified on site, registered, dispatched by
 * the matrix and signed by the lead department within the hour; one of more than a day ago handled, checked
 * and closed since), so the situations do not leave a street's queue full of
 * overdue, untouched reports.
 */
export async function seedDemoWarningSituations(
  database: Database,
  options: { files: FileStore; now?: Date; log?: (m: string) => void },
): Promise<{ cases: number }> {
  const { db } = database;
  const now = options.now ?? new Date();
  let clock = now;
  const deps = { database, files: options.files, changes: NO_CHANGES, now: () => clock };
  const streets = Object.entries(STREET_SLUGS).sort(([a], [b]) => (a < b ? -1 : 1));
  let cases = 0;
  const cast = await assembleCast(database);
  /**
   * Verify on site (a street patroller) → register → dispatch (the matrix's lead) → sign, each a quarter
   * of an hour after the last, as the rest of the demo district's reports go.
   */
  const takeIn = async (caseId: string, intake: Actor, street: string, daysAgo: number) => {
    const streetCast = cast.streets.find((s) => s.code === street);
    const patroller = streetCast?.patrollers[0];
    if (!streetCast || !patroller) return;
    type Step = readonly [
      string,
      string,
      (row: { lead_department_id: string | null }) => Actor | undefined,
      (row: { lead_department_id: string | null }) => Promise<object>,
    ];
    const department = (row: { lead_department_id: string | null }) =>
      cast.departments.get(row.lead_department_id ?? '');
    const steps: Step[] = [
      ['request_verification', 'reported', () => intake, async () => ({ patrollerId: patroller.userId })],
      [
        'submit_verification',
        'verifying',
        () => patroller,
        async () => ({ confirmed: true, note: '现场核实属实' }),
      ],
      ['register', 'reported', () => intake, async () => ({})],
      ['dispatch', 'registered', () => intake, async () => ({})],
      ['sign', 'dispatched', department, async () => ({})],
    ];
    // a report of more than a day ago has been dealt with since: handled, checked on site and closed
    if (daysAgo > 1)
      steps.push(
        [
          'handle',
          'in_progress',
          department,
          async (row) => ({
            result: '已现场处置完毕',
            photos: [
              (
                await storeAttachment(deps, department(row)!, {
                  data: demoPhoto(AFTER_COLOURS[0]!),
                  filename: 'after.png',
                })
              ).id,
            ],
          }),
        ],
        ['assign_check', 'handled', () => intake, async () => ({ patrollerId: patroller.userId })],
        ['submit_check', 'checking', () => patroller, async () => ({ passed: true, note: '复核已整改' })],
        ['close', 'resolved', () => streetCast.lead, async () => ({})],
      );
    for (const [action, expected, actorOf, payloadOf] of steps) {
      const row = await db
        .selectFrom('cases')
        .select(['version', 'state', 'lead_department_id'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      if (row.state !== expected) continue; // a step already taken (a second seeding) or not needed
      const who = actorOf(row);
      if (!who) return;
      clock = new Date(Math.min(clock.getTime() + 15 * 60_000, now.getTime()));
      try {
        const payload = await payloadOf(row);
        await performCaseAction(deps, who, { caseRef: caseId, action, version: row.version, payload });
      } catch (error) {
        options.log?.(`warning situation ${caseId}: ${action} refused (${(error as Error).message})`);
        return;
      }
    }
  };
  for (const [index, [street, slug]] of streets.entries()) {
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', `${slug}.dispatcher`)
      .executeTakeFirst();
    // two grids well inside the street (their label points), different for each situation
    const grids = await db
      .selectFrom('regions')
      .select(['code', 'centroid_lon', 'centroid_lat'])
      .where('level', '=', 'grid')
      .where('code', 'like', `${street}%`)
      .where('centroid_lon', 'is not', null)
      .orderBy('code')
      .execute();
    if (!user || grids.length < 2) continue;
    const actor = actorOfRow(user);
    const at = (grid: (typeof grids)[number], northM: number, eastM: number) => {
      const lat = grid.centroid_lat! + northM / M_PER_DEG;
      return {
        lat,
        lon: grid.centroid_lon! + eastM / (M_PER_DEG * Math.cos((lat * Math.PI) / 180)),
      };
    };
    const file = async (
      key: string,
      daysAgo: number,
      input: { category: string; description: string; location: { lon: number; lat: number } },
      addressId?: string,
    ) => {
      clock = new Date(now.getTime() - daysAgo * MS_PER_DAY);
      const created = await createCase(
        deps,
        actor,
        { ...input, source: 'hotline', ...(addressId ? { addressId } : {}) },
        { idempotencyKey: `demo-warning:${street}:${key}` },
      );
      cases++;
      await takeIn(created.case.id, actor, street, daysAgo);
    };
    const recurring = RECURRING[index % RECURRING.length]!;
    const g1 = grids[Math.floor(grids.length / 3)]!;
    for (const [k, [days, north, east]] of [
      [6.2, 0, 0],
      [3.9, 35, 20],
      [1.3, -25, 40],
    ].entries())
      await file(`recurrence-${k}`, days!, {
        category: recurring,
        description: RECURRING_TEXT[recurring]!,
        location: at(g1, north!, east!),
      });
    if (index % 2 === 0) {
      const g2 = grids[Math.floor((grids.length * 2) / 3)]!;
      for (const [k, [days, north]] of [
        [1.8, 0],
        [1.1, 150],
        [0.4, -150],
      ].entries())
        await file(`stability-${k}`, days!, {
          category: DISPUTE,
          description: '同一片区居民与物业因停车费纠纷反复争吵，情绪激动',
          location: at(g2, north!, 0),
        });
    }
    if (street === DEMO_BASEINFO_STREET) {
      const address = await db
        .selectFrom('base_addresses')
        .select(['id', 'lon', 'lat'])
        .where('street_code', '=', street)
        .where('level', '=', 'room')
        .where('lat', 'is not', null)
        .orderBy('code')
        .offset(400)
        .limit(1)
        .executeTakeFirst();
      if (address && address.lat !== null && address.lon !== null)
        for (const [k, days] of [58, 31, 9].entries())
          await file(
            `dispute-${k}`,
            days,
            {
              category: DISPUTE,
              description: '楼上楼下因漏水问题再次发生纠纷',
              location: { lon: address.lon, lat: address.lat },
            },
            address.id,
          );
    }
  }
  options.log?.(`filed ${cases} reports the warning rules will find`);
  return { cases };
}
