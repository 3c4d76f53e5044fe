import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { cellText, detectEncoding, readTable, sniffFormat, type TableRow } from './read-table.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-read-table-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEXT =
  '姓名,证件号码,地址\r\n张三,"11010519491231002X","古美路1弄 3号,502室"\r\n李四,310104198001010011,\r\n';
const EXPECTED = [
  ['姓名', '证件号码', '地址'],
  ['张三', '11010519491231002X', '古美路1弄 3号,502室'],
  ['李四', '310104198001010011', ''],
];

async function rows(file: string): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of readTable(file)) out.push(r);
  return out;
}

function write(name: string, data: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

describe('readTable', () => {
  it('reads UTF-8 CSV without and with a BOM, quoted commas included', async () => {
    const plain = await rows(write('plain.csv', Buffer.from(TEXT, 'utf8')));
    const bom = await rows(
      write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])),
    );
    expect(plain.map((r) => r.cells)).toEqual(EXPECTED);
    expect(bom.map((r) => r.cells)).toEqual(EXPECTED);
    expect(plain.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('reads the GBK CSV Chinese Excel saves, and UTF-16 with a BOM', async () => {
    const gbk = iconv.encode(TEXT, 'gbk');
    expect(detectEncoding(gbk)).toBe('gb18030');
    expect((await rows(write('gbk.csv', gbk))).map((r) => r.cells)).toEqual(EXPECTED);
    const utf16 = iconv.encode(TEXT, 'utf16le', { addBOM: true });
    expect((await rows(write('u16.csv', utf16))).map((r) => r.cells)).toEqual(EXPECTED);
  });

  it('reads tab-separated text', async () => {
    const tsv = TEXT.replace(/"古美路1弄 3号,502室"/u, '古美路1弄 3号，502室').replaceAll(',', '\t');
    const out = await rows(write('tabs.csv', Buffer.from(tsv)));
    expect(out[1]!.cells).toEqual(['张三', '11010519491231002X', '古美路1弄 3号，502室']);
  });

  it('reads the first sheet of an .xlsx: text, numbers, dates, rich text and formulas as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('人口');
    sheet.addRow(['姓名', '证件号码', '出生日期', '从业人数', '备注']);
    sheet.addRow([
      '张三',
      '11010519491231002X',
      new Date(Date.UTC(1949, 11, 31)),
      12,
      { richText: [{ text: '甲' }, { text: '乙' }] },
    ]);
    sheet.addRow(['王五', '310104198001010011', null, { formula: '1+1', result: 2 }, '']);
    workbook.addWorksheet('other').addRow(['not read']);
    const file = path.join(dir, 'book.xlsx');
    await workbook.xlsx.writeFile(file);
    const out = await rows(file);
    expect(out.map((r) => r.cells)).toEqual([
      ['姓名', '证件号码', '出生日期', '从业人数', '备注'],
      ['张三', '11010519491231002X', '1949-12-31', '12', '甲乙'],
      ['王五', '310104198001010011', '', '2'],
    ]);
    expect(out.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('stops early without reading the rest, and closes the file', async () => {
    const big = write('big.csv', Buffer.from('a,b\n' + '1,2\n'.repeat(50_000)));
    let seen = 0;
    for await (const _ of readTable(big)) if (++seen === 3) break;
    expect(seen).toBe(3);
  });

  it('refuses what is no table', async () => {
    expect(sniffFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBeNull();
    expect(sniffFormat(Buffer.from('a\u0000b'))).toBeNull();
    await expect(rows(write('x.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0])))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      rows(write('broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(40)]))),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('gives cells as text', () => {
    expect(cellText(undefined)).toBe('');
    expect(cellText(Number.NaN)).toBe('');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(cellText({ error: '#N/A' })).toBe('');
  });
});
