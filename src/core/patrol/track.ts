import { distanceMetres } from '../geo/crs.ts';
import type { PatrolPolicy } from './policy.ts';

/** A GPS point as the phone sends it: its own sequence number, when it was taken, where, how accurate. */
export interface TrackPoint {
  seq: number;
  at: Date;
  lon: number;
  lat: number;
  /** Reported accuracy radius in metres; null when the phone gave none (treated as hopeless). */
  accuracyM: number | null;
}

/** The last valid point of a patrol: distance and speed are measured from it. */
export interface ValidAnchor {
  seq: number;
  at: Date;
  lon: number;
  lat: number;
}

export type InvalidReason = 'accuracy' | 'speed' | 'time' | 'order';

export interface JudgedPoint extends TrackPoint {
  valid: boolean;
  reason: InvalidReason | null;
  /** Metres from the previous valid point (0 for an invalid point or the first valid one). */
  stepM: number;
}

export interface PatrolWindow {
  startedAt: Date;
  /** null while the patrol is open. */
  endedAt: Date | null;
  /** When the batch is received: a point from the future (beyond a small clock skew) is not trusted. */
  now: Date;
  /** The highest sequence number received before this batch (any validity), or null. */
  lastSeq: number | null;
}

/** Phones' clocks drift: a point this far outside the patrol's time span is still taken at its word. */
export const CLOCK_SKEW_MS = 120_000;

/**
 * Judges a batch of track points in sequence order against the patrol so far (DESIGN §6). Every point is
 * kept; a point is **ignored for distance and coverage** (valid = false) when
 *  - `order`: its sequence number is not above the last one received (it arrived out of order);
 *  - `time`: it was taken before the patrol started or after it ended (± CLOCK_SKEW_MS), or in the future;
 *  - `accuracy`: the phone gives no accuracy, or one worse than `maxAccuracyM`;
 *  - `speed`: reaching it from the last valid point would mean moving faster than `maxSpeedMps`
 *    (a jump of the fix, not a walk), or it is not later than that point.
 * Distance is the sum of straight steps between consecutive valid points. Pure: the caller stores the
 * result and the new anchor.
 */
export function judgeTrack(
  points: readonly TrackPoint[],
  anchor: ValidAnchor | null,
  window: PatrolWindow,
  policy: PatrolPolicy,
): { judged: JudgedPoint[]; anchor: ValidAnchor | null; distanceM: number; lastSeq: number | null } {
  const sorted = [...points].sort((a, b) => a.seq - b.seq);
  const judged: JudgedPoint[] = [];
  let last = anchor;
  let lastSeq = window.lastSeq;
  let distanceM = 0;
  const earliest = window.startedAt.getTime() - CLOCK_SKEW_MS;
  const latest = Math.min(
    window.now.getTime() + CLOCK_SKEW_MS,
    window.endedAt ? window.endedAt.getTime() + CLOCK_SKEW_MS : Infinity,
  );
  for (const p of sorted) {
    const t = p.at.getTime();
    let reason: InvalidReason | null = null;
    let stepM = 0;
    if (lastSeq !== null && p.seq <= lastSeq) reason = 'order';
    else if (!(t >= earliest && t <= latest)) reason = 'time';
    else if (p.accuracyM === null || !(p.accuracyM <= policy.maxAccuracyM)) reason = 'accuracy';
    else if (last) {
      const seconds = (t - last.at.getTime()) / 1000;
      stepM = distanceMetres([last.lon, last.lat], [p.lon, p.lat]);
      if (seconds <= 0 || stepM / seconds > policy.maxSpeedMps) {
        reason = 'speed';
        stepM = 0;
      }
    }
    if (reason !== 'order') lastSeq = p.seq;
    if (reason === null) {
      distanceM += stepM;
      last = { seq: p.seq, at: p.at, lon: p.lon, lat: p.lat };
    }
    judged.push({ ...p, valid: reason === null, reason, stepM });
  }
  return { judged, anchor: last, distanceM, lastSeq };
}
