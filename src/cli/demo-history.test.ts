import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { DemoHistoryReport } from '../demo/history.ts';
import { judgeDemoHistory } from './demo-history.ts';

const report = (failures: string[] = []): DemoHistoryReport => ({
  skipped: false,
  cases: 10,
  actions: 40,
  users: 5,
  sweeps: 3,
  escalations: 0,
  byState: { closed: 10 },
  failures,
  ms: 1,
  timings: { cast: 0, reports: 0, actions: 0, sweeps: 0 },
});

describe('the end of the demo history in serve --demo', () => {
  it('carries on for a user and stops the start in strict mode, on a thrown error or refused steps', () => {
    expect(judgeDemoHistory({ report: report() }, true)).toMatchObject({ ok: true, exit: false });
    expect(judgeDemoHistory({ report: report() }, false)).toMatchObject({ ok: true, exit: false });
    const thrown = { error: new Error('no reporting point in street 310112001') };
    expect(judgeDemoHistory(thrown, false)).toMatchObject({ ok: false, exit: false });
    expect(judgeDemoHistory(thrown, true)).toMatchObject({ ok: false, exit: true });
    expect(judgeDemoHistory(thrown, true).message).toContain('310112001');
    const refused = { report: report(['2026-06-01T01:00:00.000Z: forbidden', 'x']) };
    expect(judgeDemoHistory(refused, false)).toMatchObject({ ok: false, exit: false });
    expect(judgeDemoHistory(refused, true)).toMatchObject({ ok: false, exit: true });
    expect(judgeDemoHistory(refused, true).message).toContain('2 steps refused');
  });

  it('is strict in CI and when DEMO_STRICT=1, friendly otherwise', () => {
    expect(loadConfig({}).demoStrict).toBe(false);
    expect(loadConfig({ CI: 'true' }).demoStrict).toBe(true);
    expect(loadConfig({ CI: '1' }).demoStrict).toBe(true);
    expect(loadConfig({ CI: 'false' }).demoStrict).toBe(false);
    expect(loadConfig({ DEMO_STRICT: '1' }).demoStrict).toBe(true);
    expect(loadConfig({ DEMO_STRICT: '0' }).demoStrict).toBe(false);
  });
});
