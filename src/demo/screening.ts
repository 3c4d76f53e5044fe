/**
 * The demo screening campaign (issue 13 §4): a group-renting campaign (群租整治滚动排摸) in 古美 over the
 * demo coordinator's committee, started three weeks before `now`. Round 1 is complete — every target
 * visited through the real use case (normal, problems found and filed as cases, nobody home then
 * revisited, a few refusals) —, round 2 is under way with part of its visits done. The findings filed as
 * cases go through the loop like the district's other reports (takeFindingsIn). Deterministic for a seed
 * and a `now`.
 */
import { NO_CHANGES } from '../app/cases/events.ts';
import { performCaseAction } from '../app/cases/perform-case-action.ts';
import { storeAttachment } from '../app/cases/store-attachment.ts';
import type { FileStore } from '../app/cases/file-store.ts';
import { actorOfRow } from '../app/identity/user-view.ts';
import { changeCampaign, createCampaign } from '../app/screening/campaigns.ts';
import { listScreeningTasks, submitVisit } from '../app/screening/visits.ts';
import { addDays, dateKeyOf, MS_PER_DAY } from '../core/calendar/time.ts';
import type { Actor } from '../core/actor.ts';
import type { Database } from '../db/database.ts';
import { assembleCast } from './history-actors.ts';
import { AFTER_COLOURS, demoPhoto } from './photos.ts';
import { OPEN_STATES } from '../core/workflow/index.ts';
import { seededRandom } from './territory.ts';

export interface DemoScreeningReport {
  skipped: boolean;
  tasks: number;
  visits: number;
  cases: number;
  /** Workflow steps taken on the findings' cases (register, escalate, dispatch, sign; handle … close). */
  steps: number;
  /** Steps the use cases refused (should be none; logged, not thrown). */
  failures: string[];
}

const FINDINGS = [
  '违规隔断出租，居住人数明显超过登记',
  '一房多床，床位出租，消防通道堆物',
  '群租人员未登记，存在电动车室内充电',
];

/** The demo visits carry no photos: nothing is stored. */
const NO_FILES: FileStore = {
  put: async () => undefined,
  get: async () => Buffer.alloc(0),
  has: async () => false,
  removeIfUnused: async () => false,
};

async function actorNamed(database: Database, username: string): Promise<Actor | null> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? actorOfRow(row) : null;
}

export async function seedDemoScreening(
  database: Database,
  options: { now?: Date; files?: FileStore | undefined; seed?: number; log?: (message: string) => void },
): Promise<DemoScreeningReport> {
  const report: DemoScreeningReport = {
    skipped: true,
    tasks: 0,
    visits: 0,
    cases: 0,
    steps: 0,
    failures: [],
  };
  const existing = await database.db.selectFrom('screening_campaigns').select('id').limit(1).execute();
  const street = await actorNamed(database, 'gumei.dispatcher');
  const coordinator = await actorNamed(database, 'gumei.coordinator');
  if (existing.length > 0 || !street || !coordinator || coordinator.unit.kind !== 'region') return report;
  report.skipped = false;
  const random = seededRandom(options.seed ?? 13);
  const end = options.now ?? new Date();
  // Monday three weeks back, 09:30 Beijing
  let clock = new Date(end.getTime() - 21 * MS_PER_DAY);
  while (new Date(clock.getTime() + 8 * 3_600_000).getUTCDay() !== 1)
    clock = new Date(clock.getTime() - MS_PER_DAY);
  clock = new Date(Date.parse(`${dateKeyOf(clock)}T09:30:00+08:00`));
  const deps = { database, files: options.files ?? NO_FILES, changes: NO_CHANGES, now: () => clock };
  const campaign = await createCampaign(deps, street, {
    name: '古美街道群租整治滚动排摸',
    theme: 'group_renting',
    territory: [coordinator.unit.code],
    target: { rule: 'rented_dwellings', minOccupants: 4 },
    rounds: 3,
    roundWorkDays: 8,
    startsOn: dateKeyOf(clock),
    endsOn: addDays(dateKeyOf(clock), 60),
  });

  /** One day of visits: up to `n` of the open tasks, nearest first from the last one visited. */
  const visitDay = async (n: number, round: number) => {
    let from: { lon: number; lat: number } | undefined;
    for (let i = 0; i < n; i++) {
      clock = new Date(clock.getTime() + (8 + Math.floor(random() * 20)) * 60_000);
      const list = await listScreeningTasks(deps, coordinator, { ...(from ?? {}), limit: 500 });
      const task = list.items.find(
        (t) =>
          t.campaignId === campaign.id &&
          (t.status === 'pending' || (t.revisitAt !== null && t.revisitAt <= clock.toISOString())),
      );
      if (!task) return;
      const roll = random();
      const nobody = task.status === 'pending' && roll < 0.12;
      const refused = !nobody && roll < 0.16;
      const problem =
        !nobody &&
        !refused &&
        (round === 1 ? roll > 0.8 : task.standing === 'again_after_problem' ? roll > 0.5 : roll > 0.92);
      const occupants = problem ? 8 + Math.floor(random() * 7) : 2 + Math.floor(random() * 4);
      const at =
        task.lon !== null && task.lat !== null
          ? {
              lon: task.lon + (random() - 0.5) * 0.0004,
              lat: task.lat + (random() - 0.5) * 0.0004,
              accuracyM: 8 + Math.round(random() * 20),
            }
          : null;
      const visit = await submitVisit(deps, coordinator, {
        taskId: task.id,
        version: task.version,
        outcome: nobody ? 'nobody_home' : refused ? 'refused' : problem ? 'problem_found' : 'normal',
        answers:
          nobody || refused
            ? {}
            : {
                occupantsCounted: occupants,
                partitioned: problem && random() < 0.8,
                beds: occupants + (problem ? 2 : 0),
                fireEquipment: !problem || random() < 0.3,
              },
        position: at,
        ...(at ? {} : { farReason: '地址无坐标' }),
        ...(problem
          ? { finding: { description: FINDINGS[Math.floor(random() * FINDINGS.length)]!, category: '0101' } }
          : {}),
      });
      report.visits++;
      if (visit.caseId) report.cases++;
      if (at) from = at;
    }
  };

  // round 1: visits on eight working days until every task is done (revisits the next working day)
  const total = Number(
    (
      await database.db
        .selectFrom('screening_tasks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('campaign_id', '=', campaign.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const perDay = Math.max(6, Math.ceil((total * 1.2) / 7));
  for (let day = 0; day < 16; day++) {
    clock = new Date(
      Date.parse(
        `${addDays(dateKeyOf(clock), day === 0 ? 0 : 1)}T09:${String(Math.floor(random() * 30)).padStart(2, '0')}:00+08:00`,
      ),
    );
    const weekday = new Date(clock.getTime() + 8 * 3_600_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    await visitDay(perDay, 1);
  }
  // round 2 a little over two weeks in: the targets still matching, part visited so far
  clock = new Date(Math.min(clock.getTime() + MS_PER_DAY, end.getTime() - 4 * MS_PER_DAY));
  await changeCampaign(deps, street, campaign.id, { action: 'next_round', version: campaign.version });
  for (let day = 0; day < 3; day++) {
    clock = new Date(Date.parse(`${addDays(dateKeyOf(clock), 1)}T09:15:00+08:00`));
    if (clock.getTime() > end.getTime()) break;
    await visitDay(Math.max(2, Math.ceil(total / 12)), 2);
  }
  report.tasks = Number(
    (
      await database.db
        .selectFrom('screening_tasks')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await takeFindingsIn(database, { files: deps.files, end, report, log: options.log });
  options.log?.(
    `demo screening: ${report.tasks} tasks, ${report.visits} visits, ${report.cases} cases, ${report.steps} steps`,
  );
  return report;
}

const MS_MINUTE = 60_000;
/**
 * The findings' steps after the report: [action, minutes after the report, who, the state it is taken
 * from]; handling starts the next day. A step whose state does not match is skipped (taken already).
 */
const LOOP: readonly (readonly [
  string,
  number,
  'intake' | 'decider' | 'department' | 'patroller',
  string,
])[] = [
  ['register', 25, 'intake', 'reported'],
  // a work station cannot dispatch: it passes the case up to the street centre (上报上级)
  ['escalate', 35, 'decider', 'registered'],
  ['dispatch', 45, 'intake', 'registered'],
  ['sign', 90, 'department', 'dispatched'],
  ['handle', 24 * 60 + 60, 'department', 'in_progress'],
  ['assign_check', 24 * 60 + 90, 'intake', 'handled'],
  ['submit_check', 24 * 60 + 150, 'patroller', 'checking'],
  ['close', 24 * 60 + 180, 'decider', 'resolved'],
];

/**
 * The screening findings taken through the loop as a working centre takes any report (issue 14 item 5;
 * like the warning situations' reports): registered (and passed up by the work station to the street
 * centre, which dispatches), dispatched by the matrix and signed by the lead
 * department within the hours after the visit; handled, checked on site and closed the next day. A step
 * that would fall after `end` is not taken: the findings of the last day are still in the works. Each
 * step is taken at its own time after the case's report, through the real use case.
 */
export async function takeFindingsIn(
  database: Database,
  options: { files: FileStore; end: Date; report: DemoScreeningReport; log?: (m: string) => void },
): Promise<void> {
  const { db } = database;
  const findings = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'reported_at', 'street_code'])
    .where('source', '=', 'screening')
    .where('state', 'in', OPEN_STATES)
    .orderBy('reported_at')
    .execute();
  if (findings.length === 0) return;
  const cast = await assembleCast(database);
  for (const finding of findings) {
    const street = cast.streets.find((s) => s.code === finding.street_code);
    const patroller = street?.patrollers[0];
    if (!street || !patroller) continue;
    for (const [action, minutes, who, from] of LOOP) {
      const at = new Date(finding.reported_at.getTime() + minutes * MS_MINUTE);
      if (at.getTime() > options.end.getTime()) break;
      const row = await db
        .selectFrom('cases')
        .select(['version', 'state', 'owner_level', 'lead_department_id'])
        .where('id', '=', finding.id)
        .executeTakeFirstOrThrow();
      if (row.state !== from || (action === 'escalate' && row.owner_level !== 'committee')) continue;
      const centre = <T>(committee: T, streetActor: T, district: T) =>
        row.owner_level === 'committee' ? committee : row.owner_level === 'street' ? streetActor : district;
      const department = cast.departments.get(row.lead_department_id ?? '');
      const actor = {
        intake: centre(street.station, street.dispatcher, cast.district.dispatcher),
        decider: centre(street.station, street.lead, cast.district.lead),
        department,
        patroller,
      }[who];
      if (!actor) break;
      const deps = { database, files: options.files, changes: NO_CHANGES, now: () => at };
      try {
        const payload =
          action === 'handle'
            ? {
                result: '已责令房东拆除隔断、清退超员租客，复查到位',
                photos: [
                  (
                    await storeAttachment(deps, actor, {
                      data: demoPhoto(AFTER_COLOURS[1]!),
                      filename: 'after.png',
                    })
                  ).id,
                ],
              }
            : action === 'escalate'
              ? { reason: '群租整治需房管办牵头处置，上报街道分中心派遣' }
              : action === 'assign_check'
                ? { patrollerId: patroller.userId }
                : action === 'submit_check'
                  ? { passed: true, note: '复查已整改' }
                  : {};
        await performCaseAction(deps, actor, {
          caseRef: finding.id,
          action,
          version: row.version,
          payload,
        });
        options.report.steps++;
      } catch (error) {
        const message = `${finding.case_no}: ${action} refused (${(error as Error).message})`;
        options.report.failures.push(message);
        options.log?.(`demo screening: ${message}`);
        break;
      }
    }
  }
}
