import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { readCalendarSettings } from '../../app/calendar/load-calendar.ts';
import type { Database } from '../../db/database.ts';
import { DEMO_DATA_DIR } from '../../demo/territory.ts';
import { registerCalendarCommands } from './calendar.ts';

describe('liandong calendar import FILE', () => {
  let database: Database;
  let dir: string;
  const output = { out: [] as string[], err: [] as string[] };
  const run = async (...args: string[]) => {
    output.out = [];
    output.err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void output.out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void output.err.push(a.join(' ')));
    const program = new Command().exitOverride();
    registerCalendarCommands(program, async () => ({ ...database, close: async () => {} }));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'liandong', 'calendar', 'import', ...args]);
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return code;
  };
  const overrides = async () =>
    (await database.db.selectFrom('calendar_overrides').select('date').execute()).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-calendar-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it('rejects a bad file line by line, exit 1, nothing written', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      'date,kind,name\n2027-02-29,holiday,x\n2027-02-06,holiday,春节\n2027-02-06,workday,春节\n',
    );
    expect(await run(file)).toBe(1);
    expect(output.err).toEqual([
      'rejected: The schedule file has 2 problem(s); nothing was imported',
      '  line 2: not a calendar date (YYYY-MM-DD): "2027-02-29"',
      '  line 4: 2027-02-06 is both a holiday and a make-up workday (also line 3)',
    ]);
    expect(await overrides()).toBe(0);
    expect(await run(path.join(DEMO_DATA_DIR, 'calendar-2027.example.csv'), '--year', '2028')).toBe(1);
    expect(output.err[1]).toMatch(/^ {2}line \d+: 2027-01-01 is not in 2028$/);
    expect(await overrides()).toBe(0);
  });

  it('imports the example file and confirms the year', async () => {
    expect(await run(path.join(DEMO_DATA_DIR, 'calendar-2027.example.csv'))).toBe(0);
    expect(output.out.join('\n')).toMatch(
      /^imported the 2027 schedule: 29 holidays, 5 make-up workdays \(0 earlier entries of 2027 replaced\); 2027 is confirmed; 0 running deadlines recomputed$/,
    );
    expect(await overrides()).toBe(34);
    expect((await readCalendarSettings(database.db)).confirmedYears).toEqual([2027]);
  });
});
