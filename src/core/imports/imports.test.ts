import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, residentIdCheckChar } from '../baseinfo/index.ts';
import { IMPORT_FIELDS, IMPORT_KINDS } from './fields.ts';
import { headerKey, mapHeaders, rowFields } from './headers.ts';
import { REASON_TEXT } from './reasons.ts';
import {
  IMPORT_ROW_REASONS,
  kindFromCreditCode,
  maskForReport,
  parseAddressRow,
  parseDwellingRow,
  parsePersonRow,
  parsePoint,
  parseUnitRow,
} from './rows.ts';
import { enumValue } from './values.ts';

const TODAY = '2026-10-01';
const id = (first17: string) => first17 + residentIdCheckChar(first17);
const credit = (first17: string) => first17 + creditCodeCheckChar(first17);
const GOOD_ID = id('99011219800101001'); // male (odd sequence), born 1980-01-01

describe('header mapping', () => {
  it('maps the Chinese headers streets write, full-width, spaced, starred and with units', () => {
    const m = mapHeaders('people', [
      '姓 名',
      '身份证号*',
      '性别',
      '出生年月',
      '手机号码',
      '户籍类型',
      '居住地址',
      '备注',
    ]);
    expect(m.columns).toEqual({ name: 0, idNumber: 1, sex: 2, birthDate: 3, phone: 4, hukou: 5, address: 6 });
    expect(m.ignored).toEqual(['备注']);
    expect(m.missing).toEqual([]);
    expect(headerKey('面积（平方米）')).toBe(headerKey('面积'));
    expect(headerKey('ＩＤ Number')).toBe('idnumber');
  });

  it('maps English headers too', () => {
    const m = mapHeaders('units', ['Name', 'Credit Code', 'Industry', 'Licence Status', 'Address']);
    expect(m.columns).toMatchObject({ name: 0, creditCode: 1, industry: 2, licenceStatus: 3, address: 4 });
  });

  it('lists required fields that have no column, and a placed kind without any address column', () => {
    expect(mapHeaders('people', ['姓名', '地址']).missing).toEqual(['idNumber', 'hukou']);
    expect(mapHeaders('dwellings', ['房屋用途', '居住类型']).missing).toEqual(['address|addressCode']);
    expect(mapHeaders('addresses', []).missing).toEqual(['code', 'address']);
  });

  it('keeps the first of two columns naming one field, and reports the other', () => {
    const m = mapHeaders('people', ['姓名', '证件号码', '身份证号', '户籍类别', '地址']);
    expect(m.columns.idNumber).toBe(1);
    expect(m.duplicates).toEqual(['身份证号']);
  });

  it('gives a row as trimmed field values, empty cells left out', () => {
    const m = mapHeaders('dwellings', ['地址', '房屋用途', '居住类型', '面积']);
    expect(rowFields(m, [' 古美路1弄1号101室 ', '住宅', '', '40'])).toEqual({
      address: '古美路1弄1号101室',
      use: '住宅',
      areaM2: '40',
    });
    expect(rowFields(m, ['a'])).toEqual({ address: 'a' });
  });

  it('has no alias naming two fields of one kind', () => {
    for (const kind of IMPORT_KINDS) {
      const owner = new Map<string, string>();
      for (const spec of IMPORT_FIELDS[kind])
        for (const alias of spec.aliases) {
          const key = headerKey(alias);
          expect(owner.get(key) ?? spec.field, `${kind}: ${alias}`).toBe(spec.field);
          owner.set(key, spec.field);
        }
    }
  });
});

describe('enum words', () => {
  it('maps the words streets write, passes enum values, and leaves unknown words for the validator', () => {
    expect(enumValue('sex', '男')).toBe('male');
    expect(enumValue('hukou', '来沪人员')).toBe('migrant');
    expect(enumValue('hukou', 'overseas')).toBe('overseas');
    expect(enumValue('occupancy', '是')).toBe('rented');
    expect(enumValue('industry', 'ＫＴＶ')).toBe('entertainment');
    expect(enumValue('hukou', ' 外星人员 ')).toBe('外星人员');
    expect(enumValue('sex', undefined)).toBeUndefined();
  });

  it('derives a unit kind from its credit code when the file has no kind column', () => {
    expect(kindFromCreditCode('92310112MA1GX0000A')).toBe('individual');
    expect(kindFromCreditCode('91310112MA1GX0000A')).toBe('company');
    expect(kindFromCreditCode('52310112MA1GX0000A')).toBe('organisation');
    expect(kindFromCreditCode(undefined)).toBe('company');
  });
});

describe('coordinates', () => {
  it('converts GCJ-02 and BD-09 to WGS84 and takes WGS84 as it is', () => {
    const wgs = parsePoint({ lon: '121.38', lat: '31.15' }, 'wgs84');
    expect(wgs).toEqual({ ok: true, value: [121.38, 31.15] });
    const gcj = parsePoint({ lon: '121.3845', lat: '31.1481', crs: '高德' }, 'wgs84');
    if (!gcj.ok || !gcj.value) throw new Error('expected a point');
    expect(gcj.value[0]).toBeCloseTo(121.38, 2);
    const bd = parsePoint({ lon: '121.3911', lat: '31.1538' }, 'bd09');
    if (!bd.ok || !bd.value) throw new Error('expected a point');
    expect(bd.value[0]).toBeCloseTo(121.38, 2);
    expect(parsePoint({}, 'wgs84')).toEqual({ ok: true, value: null });
  });

  it('refuses half a point, non-numbers, places outside China and unknown datums', () => {
    const reasonOf = (fields: Record<string, string>) => {
      const p = parsePoint(fields, 'wgs84');
      return p.ok ? null : p.problems.map((x) => `${x.field}:${x.reason}`);
    };
    expect(reasonOf({ lon: '121.38' })).toEqual(['lat:bad_coordinates']);
    expect(reasonOf({ lon: 'east', lat: '31' })).toEqual(['lon:bad_coordinates']);
    expect(reasonOf({ lon: '31.15', lat: '121.38' })).toEqual(['lon:bad_coordinates']);
    expect(reasonOf({ lon: '-0.12', lat: '51.5' })).toEqual(['lon:bad_coordinates']);
    expect(reasonOf({ lon: '1e400', lat: '31' })).toEqual(['lon:bad_coordinates']);
    expect(reasonOf({ lon: '121.38', lat: '31.15', crs: 'mercator' })).toEqual(['crs:unknown_value']);
  });
});

describe('rows', () => {
  it('splits an address row into its hierarchy and checks a stated level', () => {
    const row = parseAddressRow({ code: 'A1', address: '上海市闵行区古美路1弄 ３號5幢2单元502室' }, 'wgs84');
    if (!row.ok) throw new Error(JSON.stringify(row.problems));
    expect(row.value.segments.map((s) => s.level)).toEqual(['road', 'number', 'building', 'unit', 'room']);
    expect(row.value.level).toBe('room');
    const wrong = parseAddressRow({ code: 'A1', address: '古美路1弄3号', level: '室' }, 'wgs84');
    expect(wrong.ok ? [] : wrong.problems.map((p) => p.reason)).toEqual(['out_of_range']);
    const odd = parseAddressRow({ code: 'bad code!', address: '不是地址' }, 'wgs84');
    expect(odd.ok ? [] : odd.problems.map((p) => p.reason)).toEqual(['bad_format', 'unparsable_address']);
  });

  it('takes a valid person with the words of a street sheet, and finds every problem of a bad one', () => {
    const good = parsePersonRow(
      {
        name: '王伟',
        idNumber: GOOD_ID,
        sex: '男',
        hukou: '本市户籍',
        address: '古美路1弄1号101室',
        phone: '139 1000 0000',
      },
      TODAY,
    );
    if (!good.ok) throw new Error(JSON.stringify(good.problems));
    expect(good.value.record).toMatchObject({
      idType: 'resident_id',
      sex: 'male',
      birthDate: '1980-01-01',
      hukou: 'local',
      phone: '13910000000',
    });
    expect(good.value.address).toEqual({ normalized: '古美路1弄1号101', text: '古美路1弄1号101室' });

    const bad = parsePersonRow(
      {
        idNumber: `${GOOD_ID.slice(0, 17)}${GOOD_ID[17] === '1' ? '2' : '1'}`,
        hukou: '外星',
        phone: '12345',
        movedInOn: '2023-02-30',
      },
      TODAY,
    );
    expect(bad.ok ? [] : bad.problems.map((p) => `${p.field}:${p.reason}`).sort()).toEqual([
      'address:required',
      'hukou:unknown_value',
      'idNumber:bad_check_digit',
      'movedInOn:bad_date',
      'name:required',
      'phone:bad_format',
    ]);
  });

  it('masks ID and phone numbers in what the row report shows', () => {
    const bad = parsePersonRow(
      { name: '王伟', idNumber: '990112X', hukou: 'local', address: 'x', phone: '021-6400' },
      TODAY,
    );
    const values = bad.ok ? [] : bad.problems.map((p) => p.value);
    expect(values).toEqual(['990**2X', '021***00']);
    expect(maskForReport('12345')).toBe('*****');
  });

  it('refuses control characters and undecodable bytes before any rule', () => {
    const row = parseDwellingRow({ address: '古美路1弄\u0000', use: '住宅\ufffd', occupancy: '自住' });
    expect(row.ok ? [] : row.problems.map((p) => `${p.field}:${p.reason}`)).toEqual([
      'address:bad_text',
      'use:bad_text',
    ]);
    const long = parseDwellingRow({ address: '古'.repeat(600), use: '住宅', occupancy: '自住' });
    expect(long.ok ? [] : long.problems.map((p) => p.reason)).toEqual(['too_long']);
  });

  it('takes a unit with or without a credit code, and checks the code', () => {
    const good = parseUnitRow(
      { name: '古美小吃', creditCode: credit('92310112MA1GX0001'), industry: '餐饮', licenceStatus: '无' },
      TODAY,
    );
    if (!good.ok) throw new Error(JSON.stringify(good.problems));
    expect(good.value.record).toMatchObject({
      kind: 'individual',
      industry: 'catering',
      licenceStatus: 'none',
    });
    expect(good.value.address).toBeNull();
    const bad = parseUnitRow({ name: '古美诊所', creditCode: '91310112MA1GX0000O', industry: '诊所' }, TODAY);
    expect(bad.ok ? [] : bad.problems.map((p) => `${p.field}:${p.reason}`)).toEqual([
      'creditCode:bad_format',
    ]);
  });

  it('has a description of every reason in both languages', () => {
    for (const reason of IMPORT_ROW_REASONS) {
      expect(REASON_TEXT[reason].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(REASON_TEXT[reason].en).not.toBe('');
    }
  });
});
