/**
 * The phone's offline queue of one patrol (localStorage): GPS points numbered by the phone and check-ins
 * with their own id. Items leave the queue only once the server has answered for them; the server
 * ignores numbers it already holds, so sending a batch twice (a lost answer) is harmless.
 */
import type { PatrolCheckin, PatrolPoint } from '../../api/models';

export type QueuedPoint = PatrolPoint;
export type QueuedCheckin = PatrolCheckin;

const key = (patrolId: string, what: string) => `liandong.patrol.${patrolId}.${what}`;

function read<T>(k: string, fallback: T): T {
  try {
    const v = localStorage.getItem(k);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}
const write = (k: string, v: unknown) => localStorage.setItem(k, JSON.stringify(v));

export const patrolQueue = (patrolId: string) => ({
  points: () => read<QueuedPoint[]>(key(patrolId, 'points'), []),
  checkins: () => read<QueuedCheckin[]>(key(patrolId, 'checkins'), []),
  /** Numbers a new point after every number the phone or the server has used. */
  addPoint(p: Omit<QueuedPoint, 'seq'>, serverLastSeq: number | null): QueuedPoint {
    const next = Math.max(read<number>(key(patrolId, 'seq'), 0), (serverLastSeq ?? -1) + 1);
    const point = { ...p, seq: next };
    write(key(patrolId, 'seq'), next + 1);
    write(key(patrolId, 'points'), [...this.points(), point]);
    return point;
  },
  addCheckin(c: QueuedCheckin) {
    write(key(patrolId, 'checkins'), [...this.checkins(), c]);
  },
  /** Drops the points the server has answered for (by number). */
  sentPoints(upTo: number) {
    write(
      key(patrolId, 'points'),
      this.points().filter((p) => p.seq > upTo),
    );
  },
  sentCheckin(clientId: string) {
    write(
      key(patrolId, 'checkins'),
      this.checkins().filter((c) => c.clientId !== clientId),
    );
  },
  clear() {
    for (const w of ['points', 'checkins', 'seq']) localStorage.removeItem(key(patrolId, w));
  },
});
