import { describe, expect, it } from 'vitest';
import { toWgs84 } from './crs.ts';
import { parseRegionCollection } from './region-features.ts';
import { rect, ring } from './test-shapes.ts';

const feature = (
  properties: Record<string, unknown>,
  coordinates: unknown = [rect(121.3, 31.1, 121.31, 31.11)],
) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const parse = (input: unknown, existing: string[] = []) =>
  parseRegionCollection(input, { crs: 'wgs84', existingCodes: new Set(existing) });

describe('parseRegionCollection', () => {
  it('reads codes, names and levels, deriving the parent from the code', () => {
    const { regions, problems } = parse(
      collection(
        feature({ code: '310112', name: '闵行区' }),
        feature({ code: 310112006, name: '古美街道', level: 'street' }),
        feature({ code: '310112006001', name: '古美一村居委会', parent: '310112006' }),
        feature({ code: '31011200600101', name: '第1网格', parent_code: '310112006001', level: 'grid' }),
      ),
    );
    expect(problems).toEqual([]);
    expect(regions.map((r) => [r.code, r.level, r.parentCode])).toEqual([
      ['310112', 'district', null],
      ['310112006', 'street', '310112'],
      ['310112006001', 'committee', '310112006'],
      ['31011200600101', 'grid', '310112006001'],
    ]);
  });

  it('accepts parents that are already in the database', () => {
    expect(parse(collection(feature({ code: '310112006', name: '古美街道' })), ['310112']).problems).toEqual(
      [],
    );
  });

  it('reports every bad feature with its index, code and reason', () => {
    const { regions, problems } = parse(
      collection(
        feature({ code: '310112', name: '闵行区' }),
        feature({ code: '31011', name: 'short' }),
        feature({ code: '310112006', name: '' }),
        feature({ code: '310112007', name: 'x', level: 'committee' }),
        feature({ code: '310112008', name: 'x', parent: '310113' }),
        feature({ code: '310113001', name: 'x' }),
        feature({ code: '310112009', name: 'bow-tie' }, [
          ring([121.3, 31.1], [121.31, 31.11], [121.31, 31.1], [121.3, 31.11]),
        ]),
        feature({ code: '310112009', name: 'again' }),
        { type: 'Point' },
        feature({ code: '310112010', name: 'no shape' }, null),
      ),
    );
    expect(regions.map((r) => r.code)).toEqual(['310112']);
    expect(problems.map((p) => [p.index, p.code, p.reason])).toEqual([
      [1, '31011', 'bad_code'],
      [2, '310112006', 'missing_name'],
      [3, '310112007', 'wrong_level'],
      [4, '310112008', 'parent_mismatch'],
      [5, '310113001', 'unknown_parent'],
      [6, '310112009', 'self_intersection'],
      [7, '310112009', 'duplicate_code'],
      [8, null, 'not_feature'],
      [9, '310112010', 'bad_coordinates'],
    ]);
    expect(problems[5]!.message).toMatch(/^feature 6 \(310112009\): ring 0 intersects itself at/);
  });

  it('rejects a file that is not a FeatureCollection', () => {
    expect(parse({ type: 'Feature' }).problems).toMatchObject([
      { index: null, reason: 'not_feature_collection' },
    ]);
    expect(parse(null).problems).toHaveLength(1);
  });

  it('converts GCJ-02 files to WGS84', () => {
    const { regions } = parseRegionCollection(collection(feature({ code: '310112', name: 'D' })), {
      crs: 'gcj02',
      existingCodes: new Set(),
    });
    const geometry = regions[0]!.geometry;
    expect(geometry.type === 'Polygon' && geometry.coordinates[0]![0]).toEqual(toWgs84(121.3, 31.1, 'gcj02'));
  });

  it('reports progress', () => {
    const seen: number[] = [];
    const features = Array.from({ length: 250 }, (_, i) =>
      feature({ code: String(310000 + i), name: `d${i}` }),
    );
    parseRegionCollection(collection(...features), {
      crs: 'wgs84',
      existingCodes: new Set(),
      onProgress: (done) => seen.push(done),
    });
    expect(seen).toEqual([100, 200, 250]);
  });
});
