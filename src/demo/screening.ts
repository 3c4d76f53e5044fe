/**
 * The demo screening campaign (issue 13 §4): a group-renting campaign (群租整治滚动排摸) in 古美 over the
 * demo coordinator's committee, started three weeks before `now`. Round 1 is complete — every target
 * visited through the real use case (normal, problems found and filed as cases, nobody home then
 * revisited, a few refusals) —, round 2 is under way with part of its visits done. Deterministic for a
 * seed and a `now`.
 */
import { NO_CHANGES } from '../app/cases/events.ts';
import type { FileStore } from '../app/cases/file-store.ts';
import { actorOfRow } from '../app/identity/user-view.ts';
import { changeCampaign, createCampaign } from '../app/screening/campaigns.ts';
import { listScreeningTasks, submitVisit } from '../app/screening/visits.ts';
import { addDays, dateKeyOf, MS_PER_DAY } from '../core/calendar/time.ts';
import type { Actor } from '../core/actor.ts';
import type { Database } from '../db/database.ts';
import { seededRandom } from './territory.ts';

export interface DemoScreeningReport {
  skipped: boolean;
  tasks: number;
  visits: number;
  cases: number;
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
  const report: DemoScreeningReport = { skipped: true, tasks: 0, visits: 0, cases: 0 };
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
  options.log?.(`demo screening: ${report.tasks} tasks, ${report.visits} visits, ${report.cases} cases`);
  return report;
}
