import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { seedMiniTerritory } from '../../../test/support/identity.ts';
import { fixture } from '../../../test/support/imports.ts';
import type { Database } from '../../db/database.ts';
import { IMPORT_EXIT, registerImportBaseInfo } from './import-baseinfo.ts';

describe('liandong import addresses|dwellings|people|units FILE', () => {
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
    registerImportBaseInfo(program, async () => ({ ...database, close: async () => {} }));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'liandong', 'import', ...args]);
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return code;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedMiniTerritory(database);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-import-cli-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it('imports, with a summary; refused rows make exit 3', async () => {
    // the three rows with points lie outside the mini territory (no polygons): refused, exit 3
    expect(await run('addresses', fixture('addresses.csv'), '--street', '310112006')).toBe(
      IMPORT_EXIT.refusedRows,
    );
    expect(output.out.join('\n')).toMatch(/imported addresses from addresses\.csv: 40 rows — 37 new/);
    expect(await run('dwellings', fixture('dwellings.csv'), '--street', '310112006')).toBe(
      IMPORT_EXIT.refusedRows,
    );
    expect(output.out.join('\n')).toMatch(/37 new, 0 updated, 0 unchanged, 3 refused/);
    expect(output.err.join('\n')).toContain('unknown_address');
  });

  it('dry-runs a file with refused rows: exit 3, the rows listed and written with --errors-out', async () => {
    const out = path.join(dir, 'refused.csv');
    expect(await run('units', fixture('units.xlsx'), '--dry-run', '--errors-out', out)).toBe(
      IMPORT_EXIT.refusedRows,
    );
    expect(output.out.join('\n')).toMatch(/^dry run \(nothing written\) units from units\.xlsx: 30 rows/);
    expect(output.err.join('\n')).toMatch(
      /row 3 \[统一社会信用代码\] "[0-9A-Z]+": bad_check_digit \(校验位不正确\)/,
    );
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true); // Excel reads the Chinese right
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('行号 row,列 column,值 value,原因 reason,说明 description');
    expect(lines.length).toBeGreaterThanOrEqual(11);
    expect(await database.db.selectFrom('base_units').select('id').execute()).toEqual([]);
  });

  it('fails a file without the required columns (exit 1) and refuses bad usage (exit 2)', async () => {
    expect(await run('units', fixture('people.csv'))).toBe(IMPORT_EXIT.failed);
    expect(output.err.join('\n')).toMatch(/Missing columns: .*industry/);
    expect(await run('people', path.join(dir, 'nope.csv'))).toBe(IMPORT_EXIT.usage);
    expect(await run('people', fixture('people.csv'), '--street', '31011200')).toBe(IMPORT_EXIT.usage);
    const xls = path.join(dir, 'old.xls');
    fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]));
    expect(await run('people', xls)).toBe(IMPORT_EXIT.usage);
    expect(output.err.join('\n')).toMatch(/neither CSV nor Excel/);
  });
});
