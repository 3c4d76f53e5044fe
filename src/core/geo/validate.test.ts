import { describe, expect, it } from 'vitest';
import { contact, findRingDefects } from './segments.ts';
import { rect, ring } from './test-shapes.ts';
import { validateAreaGeometry, type GeometryProblemReason } from './validate.ts';

const reasons = (input: unknown): GeometryProblemReason[] => {
  const result = validateAreaGeometry(input);
  return result.ok ? [] : result.error.map((p) => p.reason);
};
const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });

describe('validateAreaGeometry', () => {
  it('accepts a polygon with a hole and a multipolygon with an island in the hole', () => {
    expect(reasons(polygon(rect(0, 0, 10, 10), rect(2, 2, 8, 8)))).toEqual([]);
    const islandInHole = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 10, 10), rect(2, 2, 8, 8)], [rect(4, 4, 6, 6)]],
    };
    expect(reasons(islandInHole)).toEqual([]);
  });

  it('normalises: drops altitude and repeated vertices', () => {
    const result = validateAreaGeometry(
      polygon([
        [0, 0, 5],
        [1, 0, 5],
        [1, 0, 5],
        [1, 1, 5],
        [0, 0, 5],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
    });
  });

  it('rejects what is not a polygon', () => {
    expect(reasons(null)).toEqual(['not_polygon']);
    expect(reasons({ type: 'Point', coordinates: [1, 2] })).toEqual(['not_polygon']);
    expect(reasons({ type: 'Polygon', coordinates: [] })).toEqual(['bad_coordinates']);
    expect(
      reasons(
        polygon([
          [0, 0],
          [1, 'x'],
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toEqual(['bad_coordinates']);
    expect(
      reasons(
        polygon([
          [0, 0],
          [1, Number.NaN],
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toEqual(['bad_coordinates']);
  });

  it('rejects out-of-range coordinates (lat/lon swapped)', () => {
    expect(reasons(polygon(ring([31, 121], [31.1, 121], [31.1, 121.1])))).toEqual(['out_of_range']);
  });

  it('rejects open rings and rings with fewer than three corners', () => {
    expect(
      reasons(
        polygon([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
      ),
    ).toEqual(['ring_not_closed']);
    expect(
      reasons(
        polygon([
          [0, 0],
          [1, 0],
          [0, 0],
        ]),
      ),
    ).toEqual(['too_few_points']);
    expect(
      reasons(
        polygon([
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toEqual(['too_few_points']);
  });

  it('rejects a bow-tie and says where it crosses', () => {
    const result = validateAreaGeometry(polygon(ring([0, 0], [2, 2], [2, 0], [0, 2])));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error[0]).toMatchObject({ reason: 'self_intersection', at: [1, 1] });
    expect(result.error[0]!.message).toContain('[1, 1]');
  });

  it('rejects a ring that pinches itself at a vertex and a ring with a spike', () => {
    // the demo district outline has both defects
    expect(reasons(polygon(ring([0, 0], [4, 0], [4, 4], [2, 0], [0, 4])))).toContain('self_intersection');
    expect(reasons(polygon(ring([0, 0], [4, 0], [4, 2], [4, 5], [4, 4], [0, 4])))).toContain(
      'self_intersection',
    );
  });

  it('rejects holes that cross the shell or lie outside it', () => {
    expect(reasons(polygon(rect(0, 0, 10, 10), rect(5, 5, 15, 15)))).toContain('rings_cross');
    expect(reasons(polygon(rect(0, 0, 10, 10), rect(20, 20, 30, 30)))).toEqual(['hole_outside_shell']);
    // a hole may touch its shell at one point
    expect(reasons(polygon(rect(0, 0, 10, 10), ring([0, 5], [5, 2], [5, 8])))).toEqual([]);
  });

  it('rejects overlapping multipolygon parts but accepts parts touching at a corner', () => {
    expect(reasons({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 2, 2)], [rect(1, 1, 3, 3)]] })).toEqual([
      'parts_overlap',
    ]);
    expect(reasons({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 4, 4)], [rect(1, 1, 2, 2)]] })).toEqual([
      'parts_overlap',
    ]);
    expect(reasons({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(1, 1, 2, 2)]] })).toEqual(
      [],
    );
  });
});

describe('segment contact', () => {
  it('classifies crossings, touches and collinear overlaps', () => {
    expect(contact([0, 0], [2, 2], [0, 2], [2, 0]).kind).toBe('cross');
    expect(contact([0, 0], [2, 0], [1, 0], [1, 5]).kind).toBe('touch');
    expect(contact([0, 0], [2, 0], [1, 0], [3, 0]).kind).toBe('overlap');
    expect(contact([0, 0], [1, 0], [1, 0], [2, 0]).kind).toBe('touch');
    expect(contact([0, 0], [1, 0], [2, 0], [3, 0]).kind).toBe('none');
    expect(contact([0, 0], [1, 1], [0, 1], [0.4, 0.6]).kind).toBe('none');
  });

  it('finds no defects in a clean ring with many vertices', () => {
    const circle = Array.from({ length: 2000 }, (_, i): [number, number] => [
      Math.cos((i * Math.PI) / 1000),
      Math.sin((i * Math.PI) / 1000),
    ]);
    expect(findRingDefects([[...circle, circle[0]!]])).toEqual([]);
  });
});
