import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../../core/errors.ts';
import type { MonthlyReport, NotableCase, ReportFigure, ReportUnitRow } from './monthly-report.ts';

/**
 * The CJK font the report embeds (subset: only the glyphs used). Debian's `fonts-noto-cjk` (installed by
 * CI and the Docker image) provides Noto Sans CJK as a collection; REPORT_FONT names another file (a
 * .ttc's face after `#`, e.g. `/fonts/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular`).
 */
export const DEFAULT_REPORT_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular',
  '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular',
];

export function resolveReportFont(configured: string | undefined): { file: string; face?: string } {
  const candidates = configured ? [configured] : DEFAULT_REPORT_FONTS;
  for (const c of candidates) {
    const [file, face] = c.split('#') as [string, string | undefined];
    if (existsSync(file)) return face ? { file, face } : { file };
  }
  throw new AppError(
    'internal',
    configured
      ? `REPORT_FONT ${configured} does not exist`
      : 'No CJK font for the PDF report: install fonts-noto-cjk (apt) or set REPORT_FONT to a .ttf/.otf/.ttc file',
  );
}

const zhDate = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 1) => (n === null ? '—' : n.toFixed(digits));
const signed = (n: number | null) => (n === null ? '—' : `${n > 0 ? '+' : ''}${n.toFixed(1)}`);

const INK = '#1d2733';
const MUTED = '#5b6b7b';
const LINE = '#c9d3dd';
const ACCENT = '#1f5fa8';
const RED = '#c0392b';
const GREEN = '#2e7d5b';

/**
 * Draws the monthly report as an A4 PDF (pdfkit, the CJK font embedded as a subset): a title and summary
 * page with the unit's indicators and the trend chart, the table of its units with rankings, and the
 * month's notable cases. Returns the whole file (a few hundred kilobytes).
 */
export async function renderMonthlyReportPdf(
  report: MonthlyReport,
  font: { file: string; face?: string },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    info: {
      Title: `${report.unit.name} ${report.period.key} 月度考评报告`,
      Author: 'Liandong',
      Subject: '城市网格化综合管理月度考评',
    },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  if (font.face) doc.registerFont('cjk', font.file, font.face);
  else doc.registerFont('cjk', font.file);
  doc.font('cjk');

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const [year, month] = report.period.key.split('-');

  // ---- title and summary
  doc.fillColor(ACCENT).fontSize(10).text('城市网格化综合管理 · 大联动', left, 50);
  doc.moveDown(0.4);
  doc
    .fillColor(INK)
    .fontSize(22)
    .text(`${report.unit.name}${year}年${Number(month)}月考评报告`);
  doc.moveDown(0.3);
  doc
    .fillColor(MUTED)
    .fontSize(9)
    .text(
      `统计周期 ${zhDate(report.period.from).slice(0, 10)} 至 ${zhDate(new Date(new Date(report.period.to).getTime() - 1).toISOString()).slice(0, 10)}（北京时间），数据截至 ${zhDate(report.asOf)}，生成于 ${zhDate(report.generatedAt)}。` +
        '指标口径见《城市市政综合监管信息系统 监管案件立案、处置与结案》CJ/T 292 及系统“指标说明”，与综合评价页面同源计算。',
    );
  doc.moveDown(0.8);

  const s = report.summary;
  const boxes: [string, string, string?][] = [
    [
      '综合得分',
      num(s.composite),
      s.composite === null ? (report.unit.level === 'district' ? '全区合计见下表' : '样本不足') : undefined,
    ],
    ['等级', s.grade ?? '—'],
    ['街道排名', s.rank === null ? '—' : `${s.rank} / ${s.ranked}`],
    ['较上月', signed(s.change)],
  ];
  const boxW = (width - 3 * 10) / 4;
  const boxY = doc.y;
  boxes.forEach(([label, value, note], i) => {
    const x = left + i * (boxW + 10);
    doc.roundedRect(x, boxY, boxW, 58, 4).fillAndStroke('#f3f6f9', LINE);
    doc
      .fillColor(MUTED)
      .fontSize(9)
      .text(label, x + 10, boxY + 8, { width: boxW - 20 });
    doc
      .fillColor(INK)
      .fontSize(20)
      .text(value, x + 10, boxY + 22, { width: boxW - 20 });
    if (note)
      doc
        .fillColor(MUTED)
        .fontSize(7)
        .text(note, x + 10, boxY + 46, { width: boxW - 20 });
  });
  doc.y = boxY + 72;

  heading(doc, left, '一、主要指标');
  table(
    doc,
    left,
    width,
    ['指标', '分子', '分母', '比率'],
    [0.46, 0.18, 0.18, 0.18],
    s.figures.map((f) => [f.name.zh, String(f.numerator), String(f.denominator), pct(f.rate)]),
  );

  heading(doc, left, `二、近${report.trend.length}个月趋势`);
  trendChart(doc, left, width, report);

  // ---- the table of units and the rankings
  doc.addPage();
  const kind = report.table.kind === 'street' ? '街道' : '居村委';
  heading(doc, left, `三、各${kind}考评结果`);
  const ids = report.table.units[0]?.figures ?? s.figures;
  table(
    doc,
    left,
    width,
    ['排名', kind, ...ids.map((f) => f.name.zh), '综合得分', '等级', '较上月'],
    [0.1, 0.2, ...ids.map(() => 0.42 / Math.max(1, ids.length)), 0.1, 0.08, 0.1],
    report.table.units.map((u) => [
      u.rank === null ? (u.small ? '不足' : '—') : String(u.rank),
      u.name,
      ...u.figures.map((f) => `${pct(f.rate)} (${f.numerator}/${f.denominator})`),
      num(u.composite),
      u.grade ?? '—',
      signed(u.change),
    ]),
    { fontSize: 7.5 },
  );
  doc
    .fillColor(MUTED)
    .fontSize(8)
    .text(
      `排名栏“不足”：样本量少于 ${report.table.minDenominator} 件，不参与排名。括号内为分子/分母。`,
      left,
    );
  doc.moveDown(0.6);

  heading(doc, left, '四、排名');
  rankingPair(
    doc,
    left,
    width,
    `${kind}前${report.rankings.top.length}名`,
    report.rankings.top,
    `${kind}后${report.rankings.bottom.length}名`,
    report.rankings.bottom,
  );
  if (report.departments) {
    rankingPair(
      doc,
      left,
      width,
      '职能部门前列',
      report.departments.top,
      '职能部门靠后',
      report.departments.bottom,
    );
  }

  // ---- notable cases (a new page only when little of this one is left)
  if (doc.y > doc.page.height / 2) doc.addPage();
  heading(doc, left, '五、本月重点案件');
  notable(doc, left, width, '超期未结（按超期时长）', report.notable.overdue, '截止时间');
  notable(doc, left, width, '本月督办', report.notable.supervised, '督办时间');
  notable(doc, left, width, '本月重新办理（返工）', report.notable.reopened, '重办时间');

  // page numbers
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // the footer sits in the bottom margin: without this pdfkit would open a page for it
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fillColor(MUTED)
      .fontSize(8)
      .text(
        `${report.unit.name} ${report.period.key} · 第 ${i + 1} / ${range.count} 页`,
        left,
        doc.page.height - 35,
        {
          width,
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

type Doc = PDFKit.PDFDocument;

function heading(doc: Doc, left: number, text: string) {
  if (doc.y > doc.page.height - 140) doc.addPage();
  doc.moveDown(0.4);
  doc.fillColor(ACCENT).fontSize(13).text(text, left);
  doc.moveDown(0.3);
}

/** A simple ruled table that breaks across pages (repeating its header). */
function table(
  doc: Doc,
  left: number,
  width: number,
  head: string[],
  fractions: number[],
  rows: string[][],
  options: { fontSize?: number } = {},
) {
  const size = options.fontSize ?? 9;
  const widths = fractions.map((f) => f * width);
  const pad = 4;
  const heightOf = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.fontSize(size).heightOfString(c, { width: widths[i]! - 2 * pad }))) +
    2 * pad;
  const drawRow = (cells: string[], header: boolean) => {
    const h = heightOf(cells);
    if (doc.y + h > doc.page.height - doc.page.margins.bottom - 10) {
      doc.addPage();
      if (!header) drawRow(head, true);
    }
    const y = doc.y;
    if (header) doc.rect(left, y, width, h).fill('#e8eef5');
    let x = left;
    cells.forEach((c, i) => {
      doc
        .fillColor(header ? INK : INK)
        .fontSize(size)
        .text(c, x + pad, y + pad, {
          width: widths[i]! - 2 * pad,
          align: i === 0 || i === 1 ? 'left' : 'right',
        });
      x += widths[i]!;
    });
    doc
      .moveTo(left, y + h)
      .lineTo(left + width, y + h)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(head, true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.5);
}

function trendChart(doc: Doc, left: number, width: number, report: MonthlyReport) {
  const h = 170;
  if (doc.y + h + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 14;
  const plotLeft = left + 34;
  const plotW = width - 44;
  const months = report.trend;
  const ids = months[months.length - 1]?.figures.map((f) => f.id) ?? [];
  const colours = [ACCENT, GREEN, '#d68910', '#8e44ad', RED];
  // y axis 0–100 %
  doc.lineWidth(0.5).strokeColor(LINE);
  for (let p = 0; p <= 100; p += 25) {
    const y = top + h - (p / 100) * h;
    doc
      .moveTo(plotLeft, y)
      .lineTo(plotLeft + plotW, y)
      .stroke();
    doc
      .fillColor(MUTED)
      .fontSize(7)
      .text(`${p}%`, left, y - 4, { width: 30, align: 'right', lineBreak: false });
  }
  const step = plotW / Math.max(1, months.length);
  months.forEach((m, i) => {
    doc
      .fillColor(MUTED)
      .fontSize(8)
      .text(m.period, plotLeft + i * step, top + h + 4, { width: step, align: 'center', lineBreak: false });
  });
  ids.forEach((id, k) => {
    const colour = colours[k % colours.length]!;
    const points = months
      .map((m, i) => ({ i, rate: m.figures.find((f) => f.id === id)?.rate ?? null }))
      .filter((p): p is { i: number; rate: number } => p.rate !== null)
      .map((p) => ({ x: plotLeft + p.i * step + step / 2, y: top + h - p.rate * h }));
    doc.lineWidth(1.6).strokeColor(colour);
    points.forEach((p, j) => (j === 0 ? doc.moveTo(p.x, p.y) : doc.lineTo(p.x, p.y)));
    if (points.length > 1) doc.stroke();
    for (const p of points) doc.circle(p.x, p.y, 2.2).fill(colour);
  });
  // legend
  let lx = plotLeft;
  const ly = top + h + 18;
  const names = months[months.length - 1]?.figures ?? [];
  names.forEach((f: ReportFigure, k) => {
    doc.rect(lx, ly + 2, 10, 6).fill(colours[k % colours.length]!);
    doc
      .fillColor(INK)
      .fontSize(8)
      .text(f.name.zh, lx + 14, ly, { lineBreak: false });
    lx += 14 + doc.widthOfString(f.name.zh) + 18;
  });
  doc.x = left;
  doc.y = ly + 20;
}

function rankingPair(
  doc: Doc,
  left: number,
  width: number,
  topTitle: string,
  top: ReportUnitRow[],
  bottomTitle: string,
  bottom: ReportUnitRow[],
) {
  const row = (u: ReportUnitRow) => [String(u.rank ?? '—'), u.name, num(u.composite), u.grade ?? '—'];
  if (top.length === 0) {
    doc
      .fillColor(INK)
      .fontSize(10)
      .text(topTitle.replace(/前\d+名|前列/, ''), left);
    doc.fillColor(MUTED).fontSize(9).text('本月无参与排名的单位（样本均不足）。', left);
    doc.moveDown(0.6);
    return;
  }
  doc.fillColor(INK).fontSize(10).text(topTitle, left);
  table(doc, left, width, ['排名', '单位', '综合得分', '等级'], [0.12, 0.5, 0.2, 0.18], top.map(row));
  if (bottom.length > 0) {
    doc.fillColor(INK).fontSize(10).text(bottomTitle, left);
    table(doc, left, width, ['排名', '单位', '综合得分', '等级'], [0.12, 0.5, 0.2, 0.18], bottom.map(row));
  }
}

function notable(
  doc: Doc,
  left: number,
  width: number,
  title: string,
  cases: NotableCase[],
  atLabel: string,
) {
  doc.fillColor(INK).fontSize(11).text(title, left);
  doc.moveDown(0.2);
  if (cases.length === 0) {
    doc.fillColor(MUTED).fontSize(9).text('本月无', left);
    doc.moveDown(0.6);
    return;
  }
  table(
    doc,
    left,
    width,
    ['案件编号', '问题描述', '街道', atLabel],
    [0.24, 0.42, 0.14, 0.2],
    cases.map((c) => [
      c.caseNo,
      c.description.length > 60 ? `${c.description.slice(0, 60)}…` : c.description,
      c.street ?? '—',
      zhDate(c.at),
    ]),
    { fontSize: 8 },
  );
  doc.fillColor(RED);
}
