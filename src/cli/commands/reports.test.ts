import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { seedCaseFixture, T } from '../../../test/support/cases.ts';
import type { Database } from '../../db/database.ts';
import { registerReportCommands } from './reports.ts';

describe('liandong report monthly', () => {
  let database: Database;
  let dir: string;
  const out: string[] = [];
  const run = async (...args: string[]) => {
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const program = new Command().exitOverride();
    registerReportCommands(program, async () => ({ ...database, close: async () => {} }), {});
    await program.parseAsync(['node', 'liandong', 'report', 'monthly', ...args]);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCaseFixture(database);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-report-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it('writes the PDF of a street and of the district, and audits it', async () => {
    const file = path.join(dir, 'gumei.pdf');
    await run('--period', '2026-02', '--unit', T.gumei, '--out', file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(out.join('\n')).toContain('古美街道 2026-02');
    await run('--period', '2026-02', '--unit', T.district, '--out', path.join(dir, 'district.pdf'));
    expect(fs.statSync(path.join(dir, 'district.pdf')).size).toBeGreaterThan(1000);
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'target'])
      .where('action', '=', 'report.monthly')
      .execute();
    expect(audits).toEqual([
      { actor_name: 'cli', target: `report:2026-02:${T.gumei}` },
      { actor_name: 'cli', target: `report:2026-02:${T.district}` },
    ]);
  });

  it('refuses a unit that is no district or street, and a user without the evaluation', async () => {
    await expect(
      run('--period', '2026-02', '--unit', '310112006001', '--out', path.join(dir, 'x.pdf')),
    ).rejects.toThrow(/district or street/);
    await expect(
      run('--period', '2026-02', '--unit', T.gumei, '--out', path.join(dir, 'y.pdf'), '--as', 'dispatcher.a'),
    ).rejects.toThrow(/evaluation/);
    expect(fs.existsSync(path.join(dir, 'y.pdf'))).toBe(false);
  });
});
