/**
 * Demo patrols (issue 13 §4): two weeks of patrols with GPS tracks for every demo patroller, played
 * through the real use cases (startPatrol, recordPatrolPoints, checkInPatrol, endPatrol) at simulated
 * times, then the coverage of those days rolled up. Each patroller's own grid is a key grid (daily), the
 * others twice a week; patrollers walk loops in a few grids near their own (the street's others never), skip
 * some days, and some streets patrol rarely — so the coverage page shows neglected grids. Deterministic
 * for a seed and a `now`.
 */
import { actorOfRow } from '../app/identity/user-view.ts';
import { checkInPatrol } from '../app/patrols/check-in-patrol.ts';
import { endPatrol } from '../app/patrols/end-patrol.ts';
import { recordPatrolPoints } from '../app/patrols/record-patrol-points.ts';
import { rollUpCoverage } from '../app/patrols/roll-up-coverage.ts';
import { startPatrol } from '../app/patrols/start-patrol.ts';
import { addDays, dateKeyOf } from '../core/calendar/time.ts';
import type { Database } from '../db/database.ts';
import { seededRandom } from './territory.ts';

export interface DemoPatrolOptions {
  seed?: number;
  now?: Date;
  /** Days of patrols before `now` (today excluded). */
  days?: number;
  log?: (message: string) => void;
}

export interface DemoPatrolReport {
  skipped: boolean;
  patrols: number;
  points: number;
  checkins: number;
  ms: number;
}

const M_PER_DEG_LAT = 111_195;
const STEP_S = 30;

/** Plays the patrols; skips when the database already has some. */
export async function seedDemoPatrols(
  database: Database,
  options: DemoPatrolOptions = {},
): Promise<DemoPatrolReport> {
  const started = Date.now();
  const report: DemoPatrolReport = { skipped: false, patrols: 0, points: 0, checkins: 0, ms: 0 };
  const { db } = database;
  if (await db.selectFrom('patrols').select('id').limit(1).executeTakeFirst())
    return { ...report, skipped: true };
  const now = options.now ?? new Date();
  const days = options.days ?? 14;
  const r = seededRandom(options.seed ?? 20_261_301);
  const patrollers = await db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'patroller')
    .where('unit_kind', '=', 'region')
    .where('disabled', '=', false)
    .orderBy('username')
    .execute();
  const grids = await db
    .selectFrom('regions')
    .select(['code', 'parent_code', 'centroid_lon', 'centroid_lat'])
    .where('level', '=', 'grid')
    .where('centroid_lon', 'is not', null)
    .orderBy('code')
    .execute();
  const byCommittee = new Map<string, typeof grids>();
  for (const g of grids)
    byCommittee.set(g.parent_code ?? '', [...(byCommittee.get(g.parent_code ?? '') ?? []), g]);
  // key grids: each patroller's own grid is patrolled daily
  const own = patrollers.map((p) => p.unit_code!).filter((c) => c.length === 14);
  if (own.length)
    await db.updateTable('regions').set({ patrol_days_per_week: 7 }).where('code', 'in', own).execute();

  let clock = now;
  const deps = { database, now: () => clock };
  const today = dateKeyOf(now);
  for (const [index, user] of patrollers.entries()) {
    const actor = actorOfRow(user);
    const unit = user.unit_code!;
    const committee = byCommittee.get(unit.slice(0, 12)) ?? [];
    const home = committee.find((g) => g.code === unit) ?? committee[0];
    if (!home) continue;
    const d2 = (g: (typeof grids)[number]) =>
      (g.centroid_lon! - home.centroid_lon!) ** 2 + (g.centroid_lat! - home.centroid_lat!) ** 2;
    const nearby = grids
      .filter((g) => g.code !== home.code && g.code.slice(0, 9) === home.code.slice(0, 9))
      .sort((a, b) => d2(a) - d2(b) || a.code.localeCompare(b.code))
      .slice(0, 8);
    // one street in four patrols rarely: its grids are neglected
    const keen = index % 4 !== 3 ? 0.8 : 0.3;
    // a street's further patrollers (…patroller2, 3…) joined last week: half the tracks, half the seeding time
    const walked = /\.patroller\d+$/.test(user.username) ? Math.ceil(days / 2) : days;
    for (let back = walked; back >= 1; back--) {
      const day = addDays(today, -back);
      if (r() > keen) continue;
      const start = new Date(`${day}T09:00:00+08:00`).getTime() + Math.floor(r() * 60) * 60_000;
      clock = new Date(start);
      const patrol = await startPatrol(deps, actor);
      // the home grid, then three to five of the eight grids of the street nearest to it (the rest never)
      const route = [home, ...nearby.filter(() => r() < 0.55).slice(0, 5)];
      const points: { seq: number; at: Date; lon: number; lat: number; accuracyM: number }[] = [];
      let t = start;
      let seq = 0;
      let prev: [number, number] | null = null;
      const push = (lon: number, lat: number) => {
        const bad = r() < 0.03;
        const jitter = (bad ? 60 : 4) / M_PER_DEG_LAT;
        points.push({
          seq: seq++,
          at: new Date(t),
          lon: lon + (r() - 0.5) * jitter,
          lat: lat + (r() - 0.5) * jitter,
          accuracyM: bad ? 80 + Math.round(r() * 100) : 5 + Math.round(r() * 15),
        });
        t += STEP_S * 1000;
        prev = [lon, lat];
      };
      for (const g of route) {
        const [cx, cy] = [g.centroid_lon!, g.centroid_lat!];
        const cos = Math.cos((cy * Math.PI) / 180);
        // walk over from the last grid at ~1.3 m/s
        if (prev) {
          const [px, py]: [number, number] = prev;
          const dist = Math.hypot((cx - px) * cos, cy - py) * M_PER_DEG_LAT;
          const steps = Math.ceil(dist / (1.3 * STEP_S));
          for (let i = 1; i < steps; i++) push(px + ((cx - px) * i) / steps, py + ((cy - py) * i) / steps);
        }
        // a loop of 80 m radius around the grid's centre: 16–24 minutes
        const n = 32 + Math.floor(r() * 16);
        for (let i = 0; i < n; i++) {
          const a = (2 * Math.PI * i) / n;
          push(cx + (80 * Math.cos(a)) / (M_PER_DEG_LAT * cos), cy + (80 * Math.sin(a)) / M_PER_DEG_LAT);
        }
      }
      // the phones were offline much of the morning and sent big batches (few transactions keep the seed fast)
      for (let i = 0; i < points.length; i += 200) {
        const batch = points.slice(i, i + 200);
        clock = new Date(batch[batch.length - 1]!.at.getTime() + 5_000);
        await recordPatrolPoints(deps, actor, patrol.id, { points: batch });
      }
      report.points += points.length;
      if (r() < 0.6) {
        const at = points[Math.floor(points.length / 2)]!;
        clock = new Date(at.at.getTime() + 10_000);
        await checkInPatrol(deps, actor, patrol.id, {
          clientId: `demo-${day}`,
          at: at.at,
          lon: at.lon,
          lat: at.lat,
          accuracyM: at.accuracyM,
          note: '巡查打卡',
        });
        report.checkins++;
      }
      clock = new Date(t + 60_000);
      await endPatrol(deps, actor, patrol.id);
      report.patrols++;
    }
  }
  clock = now;
  await rollUpCoverage({ database, now: () => now }, { maxDays: days + 100 });
  report.ms = Date.now() - started;
  options.log?.(`demo patrols: ${report.patrols} patrols, ${report.points} points in ${report.ms} ms`);
  return report;
}
