import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT } from '../src/app/logger.ts';
import { exportCases } from '../src/app/exports/export-cases.ts';
import { generateMonthlyReportPdf } from '../src/app/reports/generate-monthly-report.ts';
import { scopeRowOf } from '../src/app/cases/case-record.ts';
import { canSeeReporterContact } from '../src/core/policy/personal-data.ts';
import type { Database } from '../src/db/database.ts';
import { apiClient, ok } from './support/api.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

/**
 * Exports and the monthly report (issue 14): the case list and the evaluation as .xlsx/CSV (parsed back
 * with exceljs: headers, frozen row, cell types, row counts), read in keyset pages, masked per role and
 * audited; the monthly report PDF (its figures are the evaluation's, its pages render Chinese).
 */
describe('exports and the monthly report', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-04T02:00:00Z');
  const as = (name: string) => users.get(name)!.auth;
  const api = (who: string) => apiClient(app, as(who));
  const download = async (who: string, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: as(who) });
    return res;
  };
  const workbook = async (body: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return wb.worksheets[0]!;
  };
  const REPORTS = 7;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    for (let i = 0; i < REPORTS; i++) {
      clock.advance(60_000);
      ok(
        await api(i % 2 ? 'citizen1' : 'patroller.a').POST('/api/v1/cases', {
          body: {
            ...(i % 2 ? { reporter: { phone: '13912345678' } } : { category: '0101' }),
            description: i === 0 ? '=HYPERLINK("x") 群租' : `楼道堆物 ${i}`,
            location: i === 3 ? T.inXinhong : T.inGumeiC1,
          },
        }),
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('exports the case list as .xlsx: Chinese headers, frozen header row, dates as dates, numbers as numbers', async () => {
    const res = await download('leader', '/api/v1/cases/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('.xlsx');
    const sheet = await workbook(res.rawPayload);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['案件编号', '状态', '来源']);
    expect(header).toContain('上报时间');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount - 1).toBe(REPORTS);
    const col = (name: string) => header.indexOf(name) + 1;
    const row = sheet.getRow(2);
    expect(row.getCell(col('上报时间')).value).toBeInstanceOf(Date);
    expect(typeof row.getCell(col('经度')).value).toBe('number');
    // Beijing wall time: the first report at 10:01 in Shanghai
    const times = [...Array(REPORTS).keys()].map((i) =>
      (sheet.getRow(i + 2).getCell(col('上报时间')).value as Date).toISOString().slice(11, 16),
    );
    expect(times).toContain('10:01');
    // a formula-looking description stays text
    const texts = [...Array(REPORTS).keys()].map((i) => sheet.getRow(i + 2).getCell(col('问题描述')).value);
    expect(texts).toContain('=HYPERLINK("x") 群租');
  });

  it('exports in English when asked, and as CSV with a BOM and the list’s filters', async () => {
    const en = await workbook((await download('leader', '/api/v1/cases/export?lang=en')).rawPayload);
    expect((en.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Case number', 'State', 'Source']);
    const csv = await download('leader', `/api/v1/cases/export?format=csv&street=${T.gumei}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const text = csv.body;
    expect(text.startsWith('\uFEFF案件编号,状态,来源')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines.length - 1).toBe(REPORTS - 1); // one report is in 新虹
    expect(text).toContain(`"'=HYPERLINK(""x"") 群租"`);
    const list = ok(await api('leader').GET('/api/v1/cases', { params: { query: { street: T.gumei } } }));
    expect(list.items.length).toBe(lines.length - 1);
  });

  it('keeps each caller to their scope and masks the reporter unless they must contact them', async () => {
    for (const who of ['leader', 'dispatcher.a', 'dispatcher.b', 'patroller.a']) {
      const sheet = await workbook((await download(who, '/api/v1/cases/export')).rawPayload);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const list = ok(await api(who).GET('/api/v1/cases', { params: { query: { limit: 200 } } }));
      expect(sheet.rowCount - 1, who).toBe(list.items.length);
      for (let r = 2; r <= sheet.rowCount; r++) {
        const caseNo = String(sheet.getRow(r).getCell(1).value);
        const phone = sheet.getRow(r).getCell(header.indexOf('上报人电话') + 1).value as string | null;
        if (!phone) continue;
        const row = await database.db
          .selectFrom('cases')
          .selectAll()
          .where('case_no', '=', caseNo)
          .executeTakeFirstOrThrow();
        const visible = canSeeReporterContact(users.get(who)!.actor, scopeRowOf(row));
        expect(phone.includes('*'), `${who} ${caseNo}`).toBe(!visible);
      }
    }
    // a citizen gets the public view of their cases, never the staff's columns (issue 11 §5)
    expect((await download('citizen1', '/api/v1/cases/export')).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases/export' })).statusCode).toBe(401);
    expect((await download('leader', '/api/v1/cases/export?format=pdf')).statusCode).toBe(400);
    expect((await download('leader', '/api/v1/cases/export?state=nonsense')).statusCode).toBe(400);
  });

  it('reads the list in keyset pages, never the whole list at once, and audits the export', async () => {
    const pages: number[] = [];
    const file = await exportCases(
      { database, now: clock.now, logger: SILENT },
      users.get('leader')!.actor,
      { sort: 'newest' },
      { format: 'csv', lang: 'zh', pageSize: 2, onPage: (n) => pages.push(n) },
    );
    const chunks: Buffer[] = [];
    for await (const c of file.stream) chunks.push(c as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\r\n');
    expect(lines.length - 1).toBe(REPORTS);
    // each query fetches at most one page and one row to look ahead
    expect(pages.every((n) => n <= 3)).toBe(true);
    expect(pages.length).toBe(Math.ceil(REPORTS / 2));
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'payload'])
      .where('action', '=', 'cases.export')
      .execute();
    expect(audits.length).toBeGreaterThanOrEqual(5);
    expect(
      audits.some((a) => (a.payload as { filters?: { street?: string } }).filters?.street === T.gumei),
    ).toBe(true);
  });

  it('exports the evaluation table and a drill-down as .xlsx with the figures of the page', async () => {
    const t = ok(
      await api('leader').GET('/api/v1/evaluation', {
        params: { query: { period: '2026-03', unitKind: 'street' } },
      }),
    );
    const res = await download('leader', '/api/v1/evaluation/export.xlsx?period=2026-03&unitKind=street');
    expect(res.statusCode).toBe(200);
    const sheet = await workbook(res.rawPayload);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['排名', '单位代码', '单位']);
    expect(header).toContain('按期结案率');
    expect(sheet.rowCount - 1).toBe(t.units.length);
    const gumei = t.units.find((u) => u.unit === T.gumei)!;
    const row = [...Array(sheet.rowCount - 1).keys()]
      .map((i) => sheet.getRow(i + 2))
      .find((r) => r.getCell(2).value === T.gumei)!;
    const onTime = gumei.indicators.find((v) => v.id === 'on_time_closure_rate')!;
    const at = header.indexOf('按期结案率') + 1;
    expect(row.getCell(at).value).toBe(onTime.rate);
    expect(row.getCell(at).numFmt).toBe('0.00%');
    expect(row.getCell(at + 2).value).toBe(onTime.denominator);

    const cases = await download(
      'leader',
      `/api/v1/evaluation/cases/export.xlsx?period=2026-03&indicator=public_report_rate&unit=${T.gumei}&part=denominator&lang=en`,
    );
    expect(cases.statusCode).toBe(200);
    const drill = await workbook(cases.rawPayload);
    expect((drill.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Case number', 'Why it counts']);
    const pr = gumei.indicators.find((v) => v.id === 'public_report_rate')!;
    expect(drill.rowCount - 1).toBe(pr.denominator);
    expect((await download('dispatcher.a', '/api/v1/evaluation/export.xlsx')).statusCode).toBe(403);
  });

  it('writes the monthly report PDF with the evaluation’s figures, and its Chinese renders', async () => {
    const res = await download('leader', `/api/v1/reports/monthly?period=2026-03&unit=${T.gumei}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const file = await generateMonthlyReportPdf({ database, now: clock.now }, users.get('leader')!.actor, {
      period: '2026-03',
      unit: T.gumei,
    });
    const t = ok(
      await api('leader').GET('/api/v1/evaluation', {
        params: { query: { period: '2026-03', unitKind: 'street' } },
      }),
    );
    const gumei = t.units.find((u) => u.unit === T.gumei)!;
    expect(file.report.summary.figures.map((f) => [f.id, f.numerator, f.denominator])).toEqual(
      gumei.indicators.map((v) => [v.id, v.numerator, v.denominator]),
    );
    expect(file.report.summary.composite).toBe(gumei.composite);
    const district = await generateMonthlyReportPdf(
      { database, now: clock.now },
      users.get('leader')!.actor,
      {
        period: '2026-03',
        unit: T.district,
      },
    );
    expect(district.report.table.units.map((u) => u.unit).sort()).toEqual(t.units.map((u) => u.unit).sort());

    // the pages as images (poppler's pdftoppm), and the text poppler reads back: Chinese, not boxes
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-report-'));
    const pdf = path.join(dir, 'report.pdf');
    fs.writeFileSync(pdf, file.body);
    let text: string | null = null;
    try {
      text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      fs.mkdirSync('screenshots', { recursive: true });
      execFileSync('pdftoppm', ['-r', '70', '-png', pdf, path.join('screenshots', 'report-monthly-api')]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== null) {
      expect(text).toContain('古美街道');
      expect(text).toContain('按期结案率');
      expect(text).toContain('本月重点案件');
    }
    expect(
      (await download('leader', '/api/v1/reports/monthly?period=2026-03&unit=310112006001')).statusCode,
    ).toBe(400);
    expect(
      (await download('leader', '/api/v1/reports/monthly?period=2026-13&unit=310112006')).statusCode,
    ).toBe(400);
    expect(
      (await download('leader', '/api/v1/reports/monthly?period=2026-03&unit=310112999')).statusCode,
    ).toBe(404);
    expect(
      (await download('dispatcher.a', `/api/v1/reports/monthly?period=2026-03&unit=${T.gumei}`)).statusCode,
    ).toBe(403);
  });
});
