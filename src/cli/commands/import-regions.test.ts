import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { rect, ring } from '../../core/geo/test-shapes.ts';
import type { Database } from '../../db/database.ts';
import { registerImportRegions } from './import-regions.ts';

const feature = (code: string, name: string, coordinates: unknown) => ({
  type: 'Feature',
  properties: { code, name },
  geometry: { type: 'Polygon', coordinates },
});

describe('liandong import regions FILE', () => {
  let database: Database;
  let dir: string;
  const output = { out: [] as string[], err: [] as string[] };

  const run = async (...args: string[]) => {
    output.out = [];
    output.err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void output.out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void output.err.push(a.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command().exitOverride();
    // the command closes the database it opened; keep the test's handle open behind it
    registerImportRegions(program, async () => ({ ...database, close: async () => {} }));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'liandong', 'import', 'regions', ...args]);
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return code;
  };
  const write = (name: string, features: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
    return file;
  };
  const count = async () =>
    (await database.db.selectFrom('regions').select('code').where('code', 'like', '96%').execute()).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-import-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it('rejects a file with a bad feature: exit 1, the feature named, nothing written', async () => {
    const file = write('bad.geojson', [
      feature('960001', '测试区', [rect(121, 31, 121.1, 31.1)]),
      feature('960001001', '坏街道', [ring([121, 31], [121.1, 31.1], [121.1, 31], [121, 31.1])]),
    ]);
    expect(await run(file)).toBe(1);
    expect(output.err.join('\n')).toContain('feature 1 (960001001): ring 0 intersects itself');
    expect(await count()).toBe(0);
  });

  it('checks a file with --dry-run without writing', async () => {
    const file = write('good.geojson', [feature('960001', '测试区', [rect(121, 31, 121.1, 31.1)])]);
    expect(await run(file, '--dry-run')).toBe(0);
    expect(output.out.join('\n')).toContain('dry run');
    expect(await count()).toBe(0);
  });

  it('imports a valid file and reports the counts', async () => {
    const file = write('good.geojson', [
      feature('960001', '测试区', [rect(121, 31, 121.1, 31.1)]),
      feature('960001001', '甲街道', [rect(121, 31, 121.1, 31.1)]),
    ]);
    expect(await run(file, '--crs', 'gcj02')).toBe(0);
    expect(output.out.join('\n')).toContain('imported: 2 regions (2 new, 0 updated; 1 districts, 1 streets');
    expect(await count()).toBe(2);
  });

  it('fails cleanly on a missing or unparsable file', async () => {
    expect(await run(path.join(dir, 'missing.geojson'))).toBe(1);
    expect(output.err[0]).toMatch(/^cannot read/);
    fs.writeFileSync(path.join(dir, 'broken.geojson'), '{ not json');
    expect(await run(path.join(dir, 'broken.geojson'))).toBe(1);
  });

  it('refuses overlapping streets (exit 1) and warns about a gap, with --tolerance to ignore small ones', async () => {
    const district = feature('960002', '拼图区', [rect(121.2, 31.2, 121.3, 31.3)]);
    const overlapping = write('overlap.geojson', [
      district,
      feature('960002001', '西街道', [rect(121.2, 31.2, 121.2501, 31.3)]),
      feature('960002002', '东街道', [rect(121.25, 31.2, 121.3, 31.3)]),
    ]);
    expect(await run(overlapping)).toBe(1);
    expect(output.err.join('\n')).toMatch(/\[overlap\] 960002001 and 960002002 overlap by \d+/);
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void warnings.push(a.join(' ')));
    const gap = write('gap.geojson', [
      district,
      feature('960002001', '西街道', [rect(121.2, 31.2, 121.25, 31.3)]),
      feature('960002002', '东街道', [rect(121.25001, 31.2, 121.3, 31.3)]),
    ]);
    expect(await run(gap, '--dry-run')).toBe(0);
    expect(warnings.join('\n')).toMatch(/\[gap\] in 960002: \d+(\.\d+)? m² around \[121\.250005/);
    warnings.length = 0;
    expect(await run(gap, '--dry-run', '--tolerance', '20000')).toBe(0);
    expect(warnings).toEqual([]);
    expect(await run(gap, '--tolerance', 'lots')).toBe(1);
  });
});
