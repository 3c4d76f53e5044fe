import type { Position, Ring } from './types.ts';

/** Test helpers: closed counter-clockwise rings. */
export const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

export const ring = (...points: Position[]): Ring => [...points, points[0]!];
