import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.ts';
import {
  allowedGapDays,
  canSeePatrol,
  coverageOfDay,
  coverageStatus,
  DEFAULT_PATROL_POLICY as P,
  judgeTrack,
  nearestPatrollers,
  parsePatrolPolicy,
  patrolStreetsOf,
  type CoveragePoint,
  type TrackPoint,
} from './index.ts';

const T0 = new Date('2026-03-02T01:00:00Z'); // 09:00 in Shanghai
const at = (s: number) => new Date(T0.getTime() + s * 1000);
// ~1.1 m per 0.00001° of latitude
const pt = (seq: number, s: number, dLatM: number, accuracyM: number | null = 10): TrackPoint => ({
  seq,
  at: at(s),
  lon: 121.38,
  lat: 31.15 + dLatM / 111_195,
  accuracyM,
});
const window = { startedAt: T0, endedAt: null, now: at(3600), lastSeq: null };

describe('judgeTrack', () => {
  it('sums the distance of a walk and keeps the last valid point as anchor', () => {
    const r = judgeTrack([pt(0, 0, 0), pt(1, 30, 40), pt(2, 60, 80)], null, window, P);
    expect(r.judged.every((p) => p.valid)).toBe(true);
    expect(r.distanceM).toBeCloseTo(80, 0);
    expect(r.anchor?.seq).toBe(2);
    expect(r.lastSeq).toBe(2);
  });

  it('ignores a point with accuracy worse than the limit, or none, but keeps it', () => {
    const r = judgeTrack(
      [pt(0, 0, 0), pt(1, 30, 40, 51), pt(2, 60, 80, null), pt(3, 90, 90, 50)],
      null,
      window,
      P,
    );
    expect(r.judged.map((p) => p.reason)).toEqual([null, 'accuracy', 'accuracy', null]);
    expect(r.distanceM).toBeCloseTo(90, 0);
  });

  it('ignores a jump faster than the speed limit, and measures the next point from the last valid one', () => {
    // 7 m/s is the limit: 400 m in 30 s is a jump, 200 m in 30 s a brisk ride
    const r = judgeTrack([pt(0, 0, 0), pt(1, 30, 400), pt(2, 60, 200), pt(3, 90, 400)], null, window, P);
    expect(r.judged.map((p) => p.reason)).toEqual([null, 'speed', null, null]);
    expect(r.distanceM).toBeCloseTo(400, 0);
  });

  it('continues from the anchor of the previous batch', () => {
    const first = judgeTrack([pt(0, 0, 0)], null, window, P);
    const second = judgeTrack([pt(1, 30, 500)], first.anchor, { ...window, lastSeq: first.lastSeq }, P);
    expect(second.judged[0]!.reason).toBe('speed');
    expect(second.anchor?.seq).toBe(0);
  });

  it('marks points out of order and out of the patrol time', () => {
    const r = judgeTrack(
      [pt(5, 0, 0), pt(6, -600, 0), pt(7, 7200, 0)],
      null,
      { ...window, lastSeq: 5, endedAt: at(3000) },
      P,
    );
    expect(r.judged.map((p) => p.reason)).toEqual(['order', 'time', 'time']);
    expect(r.anchor).toBeNull();
  });

  it('a point at the same instant as the anchor is not a step', () => {
    const r = judgeTrack([pt(0, 0, 0), pt(1, 0, 5)], null, window, P);
    expect(r.judged[1]!.reason).toBe('speed');
  });
});

const cp = (patrolId: string, seq: number, s: number, gridCode: string | null): CoveragePoint => ({
  patrolId,
  userId: `u-${patrolId}`,
  seq,
  at: at(s),
  gridCode,
});
const walk = (patrolId: string, from: number, minutes: number, grid: string | null, step = 30) =>
  Array.from({ length: (minutes * 60) / step + 1 }, (_, i) =>
    cp(patrolId, from + i, from * 30 + i * step, grid),
  );

describe('coverageOfDay', () => {
  const day = '2026-03-02';

  it('covers a grid with exactly the minimum minutes inside, not with one step less', () => {
    const enough = coverageOfDay(day, walk('a', 0, 15, 'G1'), [], P);
    expect(enough).toEqual([
      { gridCode: 'G1', seconds: 900, checkins: 0, patrollers: ['u-a'], covered: true },
    ]);
    const short = coverageOfDay(day, walk('a', 0, 14.5, 'G1'), [], P);
    expect(short[0]!.covered).toBe(false);
  });

  it('splits a step across a boundary half and half, and credits nothing outside the territory', () => {
    const r = coverageOfDay(day, [cp('a', 0, 0, 'G1'), cp('a', 1, 60, 'G2'), cp('a', 2, 120, null)], [], P);
    expect(r.map((g) => [g.gridCode, g.seconds])).toEqual([
      ['G1', 30],
      ['G2', 60],
    ]);
  });

  it('credits nothing across a gap longer than maxGapSeconds, nor between two patrols', () => {
    const r = coverageOfDay(
      day,
      [cp('a', 0, 0, 'G1'), cp('a', 1, 301, 'G1'), cp('b', 0, 302, 'G1'), cp('b', 1, 600, 'G1')],
      [],
      P,
    );
    expect(r[0]!.seconds).toBe(298);
  });

  it('covers a grid with one check-in, whatever the time spent', () => {
    const r = coverageOfDay(day, [], [{ userId: 'u', at: at(10), gridCode: 'G3' }], P);
    expect(r).toEqual([{ gridCode: 'G3', seconds: 0, checkins: 1, patrollers: ['u'], covered: true }]);
  });

  it('counts a step for the Shanghai day of its first point only', () => {
    // 23:55 → 00:05 Shanghai: the step starts on the 2nd
    const late = new Date('2026-03-02T15:55:00Z');
    const pts = [0, 1, 2].map((i) => ({
      patrolId: 'a',
      userId: 'u',
      seq: i,
      at: new Date(late.getTime() + i * 240_000),
      gridCode: 'G1',
    }));
    expect(coverageOfDay('2026-03-02', pts, [], P)[0]!.seconds).toBe(480);
    expect(coverageOfDay('2026-03-03', pts, [], P)).toEqual([]);
    // a check-in on another day does not count
    expect(coverageOfDay('2026-03-01', [], [{ userId: 'u', at: late, gridCode: 'G1' }], P)).toEqual([]);
  });
});

describe('coverageStatus', () => {
  it('daily grids are missed on any day without a patrol', () => {
    expect(allowedGapDays(7)).toBe(1);
    expect(coverageStatus('2026-03-05', new Set(['2026-03-04']), 7)).toBe('missed');
    expect(coverageStatus('2026-03-05', new Set(['2026-03-05']), 7)).toBe('covered');
  });

  it('twice a week allows four days: due on the fourth, missed on the fifth', () => {
    expect(allowedGapDays(2)).toBe(4);
    const covered = new Set(['2026-03-01']);
    expect(coverageStatus('2026-03-04', covered, 2)).toBe('due');
    expect(coverageStatus('2026-03-05', covered, 2)).toBe('missed');
  });

  it('days before the start of records count as patrolled, so a new grid is not missed at once', () => {
    expect(coverageStatus('2026-03-02', new Set(), 2, '2026-03-01')).toBe('due');
    expect(coverageStatus('2026-03-04', new Set(), 2, '2026-03-01')).toBe('missed');
    expect(allowedGapDays(1)).toBe(7);
    expect(allowedGapDays(0)).toBe(7);
  });
});

describe('nearestPatrollers', () => {
  it('sorts by distance, leaves out stale positions, breaks ties deterministically', () => {
    const now = at(600);
    const list = nearestPatrollers(
      { lon: 121.38, lat: 31.15 },
      [
        { userId: 'far', patrolId: 'p1', lon: 121.39, lat: 31.15, at: at(590) },
        { userId: 'near', patrolId: 'p2', lon: 121.381, lat: 31.15, at: at(500) },
        { userId: 'stale', patrolId: 'p3', lon: 121.38, lat: 31.15, at: at(0) },
        { userId: 'also-near', patrolId: 'p4', lon: 121.381, lat: 31.15, at: at(500) },
      ],
      now,
      300_000,
    );
    expect(list.map((p) => p.userId)).toEqual(['also-near', 'near', 'far']);
    expect(list[0]!.ageS).toBe(100);
  });
});

const actor = (role: Actor['role'], code: string, userId = 'x'): Actor => ({
  userId,
  username: userId,
  displayName: userId,
  role,
  unit: {
    kind: 'region',
    level: code.length === 6 ? 'district' : code.length === 9 ? 'street' : 'grid',
    code,
  } as Actor['unit'],
});

describe('patrol access', () => {
  const patrol = { userId: 'p', streetCode: '310112006' };
  it('the patroller, their street centre and the district see the track; others do not', () => {
    expect(canSeePatrol(actor('patroller', '31011200600101', 'p'), patrol)).toBe(true);
    expect(canSeePatrol(actor('patroller', '31011200600101', 'q'), patrol)).toBe(false);
    expect(canSeePatrol(actor('dispatcher', '310112006'), patrol)).toBe(true);
    expect(canSeePatrol(actor('dispatcher', '310112008'), patrol)).toBe(false);
    expect(canSeePatrol(actor('leader', '310112'), patrol)).toBe(true);
    expect(
      canSeePatrol(
        { ...actor('police', '310112'), unit: { kind: 'department', id: 'police-310112006' } },
        patrol,
      ),
    ).toBe(false);
    expect(patrolStreetsOf(actor('shift_lead', '310112006'))).toEqual(['310112006']);
    expect(patrolStreetsOf(actor('admin', '310112'))).toBeNull();
    expect(patrolStreetsOf(actor('patroller', '31011200600101'))).toEqual([]);
  });
});

describe('parsePatrolPolicy', () => {
  it('keeps valid fields and defaults the others', () => {
    expect(parsePatrolPolicy({ maxAccuracyM: 30, retentionDays: 1, idleMinutes: 'x' })).toEqual({
      ...P,
      maxAccuracyM: 30,
    });
    expect(parsePatrolPolicy(null)).toEqual(P);
  });
});
