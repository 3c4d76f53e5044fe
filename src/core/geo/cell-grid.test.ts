import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellGrid, containsPoint, relate } from './cell-grid.ts';
import { rect, ring } from './test-shapes.ts';
import { bboxOf, polygonsOf, type AreaGeometry, type Ring } from './types.ts';

// overlapping shapes on purpose (imported boundaries overlap): a hole, a multipolygon, a triangle, a
// square that covers part of another, and a thin sliver
const shapes: AreaGeometry[] = [
  { type: 'Polygon', coordinates: [rect(0, 0, 10, 10), rect(4, 4, 6, 6)] },
  { type: 'MultiPolygon', coordinates: [[rect(10, 0, 14, 4)], [rect(20, 20, 22, 22)]] },
  { type: 'Polygon', coordinates: [ring([3, 9], [12, 9], [7, 15])] },
  { type: 'Polygon', coordinates: [rect(5, 5, 8, 8)] },
  { type: 'Polygon', coordinates: [rect(14, 0, 14.01, 10)] },
];
const polygons = shapes.map(polygonsOf);
const grid = new CellGrid(polygons, shapes.map(bboxOf));
/** What the grid must answer: the first shape, in order, containing the point (boundaries inside). */
const bruteForce = (x: number, y: number) => polygons.findIndex((p) => containsPoint(p, [x, y]));

describe('the cell grid answers as testing every region in order does', () => {
  it('anywhere, including outside the extent', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 24, noNaN: true }),
        fc.double({ min: -2, max: 24, noNaN: true }),
        (x, y) => {
          expect(grid.find(x, y)).toBe(bruteForce(x, y));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('on vertices, edges and the extent’s far corner', () => {
    const points: [number, number][] = [];
    for (const p of polygons)
      for (const polygon of p)
        for (const r of polygon as Ring[])
          for (let i = 0; i + 1 < r.length; i++) {
            const [ax, ay] = r[i]!;
            const [bx, by] = r[i + 1]!;
            points.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2]);
          }
    points.push([22, 22], [0, 0], [14.01, 10], [24, 24]);
    for (const [x, y] of points) expect(grid.find(x, y), `${x},${y}`).toBe(bruteForce(x, y));
  });
});

describe('a rectangle against polygons', () => {
  const square = polygonsOf({ type: 'Polygon', coordinates: [rect(0, 0, 10, 10), rect(4, 4, 6, 6)] });
  it('inside, outside, in the hole, across a boundary, touching one', () => {
    expect(relate(square, [1, 1, 2, 2])).toBe('inside');
    expect(relate(square, [11, 11, 12, 12])).toBe('outside');
    expect(relate(square, [4.5, 4.5, 5.5, 5.5])).toBe('outside');
    expect(relate(square, [9, 9, 11, 11])).toBe('partial');
    expect(relate(square, [10, 2, 11, 3])).toBe('partial');
  });
});
