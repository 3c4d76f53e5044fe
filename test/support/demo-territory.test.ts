import { describe, expect, it } from 'vitest';
import {
  generateDemoTerritory,
  loadMinhangSource,
  type DemoTerritorySource,
} from '../../src/demo/territory.ts';
import { demoTerritoryRows } from './demo-territory.ts';

describe('the cached demo territory', () => {
  it('survives its JSON file unchanged (checked on a two-street slice)', () => {
    const source = loadMinhangSource();
    const keep = new Set(['310112', '310112006', '310112008']);
    const slice: DemoTerritorySource = {
      ...source,
      divisions: source.divisions.filter((d) => keep.has(d.code) || keep.has(d.parentCode ?? '')),
    };
    const rows = generateDemoTerritory(slice);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('is the whole district', () => {
    const rows = demoTerritoryRows();
    expect(rows.filter((r) => r.level === 'street')).toHaveLength(14);
    expect(rows.filter((r) => r.level === 'committee')).toHaveLength(596);
    expect(demoTerritoryRows()).toBe(rows);
  });
});
