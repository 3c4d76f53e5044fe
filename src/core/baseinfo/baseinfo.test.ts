import { describe, expect, it } from 'vitest';
import {
  addressCode,
  addressQueryTokens,
  addressText,
  creditCodeCheckChar,
  normalizeAddress,
  parseDateKey,
  residentIdCheckChar,
  splitAddress,
  validateCreditCode,
  validateDwelling,
  validateMobile,
  validatePerson,
  validateResidentId,
  validateUnit,
} from './index.ts';

const TODAY = '2026-06-01';
// 11010519491231002X: the GB 11643 standard's own worked example
const STANDARD_EXAMPLE = '11010519491231002X';
const withCheck = (first17: string): string => `${first17}${residentIdCheckChar(first17)}`;

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard example and reads birth date and sex', () => {
    const r = validateResidentId(STANDARD_EXAMPLE, TODAY);
    expect(r).toEqual({
      ok: true,
      value: { number: STANDARD_EXAMPLE, regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
  });
  it('accepts a lower-case x and full-width digits', () => {
    expect(validateResidentId('１１０１０５１９４９１２３１００２x', TODAY).ok).toBe(true);
  });
  it('refuses a wrong check digit', () => {
    expect(validateResidentId('110105194912310021', TODAY)).toMatchObject({
      ok: false,
      error: { code: 'bad_check_digit' },
    });
  });
  it('refuses impossible and future birth dates even with a right check digit', () => {
    expect(validateResidentId(withCheck('31011219990230001'), TODAY)).toMatchObject({
      error: { code: 'bad_birth_date' },
    });
    expect(validateResidentId(withCheck('31011218991231001'), TODAY)).toMatchObject({
      error: { code: 'bad_birth_date' },
    });
    expect(validateResidentId(withCheck('31011220260602001'), TODAY)).toMatchObject({
      error: { code: 'bad_birth_date' },
    });
    expect(validateResidentId(withCheck('31011220000229001'), TODAY).ok).toBe(true); // leap day
    expect(validateResidentId(withCheck('31011219000229001'), TODAY)).toMatchObject({
      error: { code: 'bad_birth_date' },
    });
  });
  it('refuses wrong lengths, letters and empty input', () => {
    expect(validateResidentId('', TODAY)).toMatchObject({ error: { code: 'required' } });
    expect(validateResidentId('31011219900101123', TODAY)).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateResidentId('3101121990010112345', TODAY)).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateResidentId('31011219900101A234', TODAY)).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateResidentId('010112199001011234', TODAY)).toMatchObject({ error: { code: 'bad_format' } });
  });
});

describe('unified social credit codes (GB 32100)', () => {
  // the worked example of GB 32100-2015 itself
  const REAL = '91350100M000100Y43';
  it('computes the check character of known codes', () => {
    expect(creditCodeCheckChar(REAL.slice(0, 17))).toBe('3');
    expect(validateCreditCode(REAL)).toEqual({ ok: true, value: REAL });
    expect(validateCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, value: REAL });
  });
  it('refuses a wrong check character, forbidden letters and wrong lengths', () => {
    expect(validateCreditCode('91350100M000100Y44')).toMatchObject({ error: { code: 'bad_check_digit' } });
    expect(validateCreditCode('91350100M000100I43')).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateCreditCode('91350100M000100Y')).toMatchObject({ error: { code: 'bad_format' } });
  });
  it('maps a check value of 31 to 0', () => {
    // brute-force a prefix whose check character is 0 and verify it round-trips
    for (let i = 0; i < 1000; i++) {
      const first17 = `91310112${String(i).padStart(9, '0')}`;
      if (creditCodeCheckChar(first17) === '0') {
        expect(validateCreditCode(`${first17}0`).ok).toBe(true);
        return;
      }
    }
    throw new Error('no prefix with check character 0 found');
  });
});

describe('mobile numbers', () => {
  it('accepts 13x–19x with +86, spaces and dashes', () => {
    expect(validateMobile('138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
    expect(validateMobile('+86-199-1234-5678')).toEqual({ ok: true, value: '19912345678' });
    expect(validateMobile('１３８１２３４５６７８')).toEqual({ ok: true, value: '13812345678' });
  });
  it('refuses landlines, 12x and wrong lengths', () => {
    expect(validateMobile('021-64561234')).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateMobile('12812345678')).toMatchObject({ error: { code: 'bad_format' } });
    expect(validateMobile('1381234567')).toMatchObject({ error: { code: 'bad_format' } });
  });
});

describe('dates', () => {
  it('parses the usual spreadsheet spellings and refuses impossible dates', () => {
    expect(parseDateKey('2024-2-29')).toBe('2024-02-29');
    expect(parseDateKey('2024/02/29')).toBe('2024-02-29');
    expect(parseDateKey('20240229')).toBe('2024-02-29');
    expect(parseDateKey('2023-02-29')).toBeNull();
    expect(parseDateKey('2024-13-01')).toBeNull();
    expect(parseDateKey('99999-01-01')).toBeNull();
  });
});

describe('records', () => {
  it('a person takes birth date and sex from a resident ID and lists every bad field', () => {
    const ok = validatePerson(
      { name: ' 张三 ', idNumber: STANDARD_EXAMPLE, hukou: 'local', phone: '13812345678' },
      TODAY,
    );
    expect(ok).toMatchObject({
      ok: true,
      value: { name: '张三', birthDate: '1949-12-31', sex: 'female', status: 'present' },
    });
    const bad = validatePerson(
      {
        name: '',
        idNumber: '110105194912310021',
        hukou: 'martian',
        phone: '123',
        movedInOn: '2020-01-01',
        leftOn: '2019-01-01',
      },
      TODAY,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual(
        [
          'hukou:unknown_value',
          'idNumber:bad_check_digit',
          'leftOn:date_order',
          'name:required',
          'phone:bad_format',
        ].sort(),
      );
  });
  it('a person whose birth date column disagrees with the ID is refused', () => {
    const r = validatePerson(
      { name: '李四', idNumber: STANDARD_EXAMPLE, hukou: 'local', birthDate: '1950-01-01' },
      TODAY,
    );
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'birthDate', code: 'out_of_range' }] });
  });
  it('a passport holder needs a plausible number', () => {
    expect(
      validatePerson({ name: 'John', idType: 'passport', idNumber: 'E1234567', hukou: 'overseas' }, TODAY).ok,
    ).toBe(true);
    expect(
      validatePerson({ name: 'John', idType: 'passport', idNumber: '!', hukou: 'overseas' }, TODAY).ok,
    ).toBe(false);
  });
  it('dwellings and units', () => {
    expect(validateDwelling({ use: 'residential', occupancy: 'rented', areaM2: '58.5' })).toMatchObject({
      ok: true,
      value: { areaM2: 58.5 },
    });
    expect(validateDwelling({ use: 'castle', occupancy: 'rented', areaM2: '-1' })).toMatchObject({
      ok: false,
    });
    expect(
      validateUnit(
        { name: '小吃店', kind: 'individual', industry: 'catering', creditCode: '91350100M000100Y43' },
        TODAY,
      ),
    ).toMatchObject({
      ok: true,
      value: { licenceStatus: 'none' },
    });
    expect(
      validateUnit(
        {
          name: 'x',
          kind: 'company',
          licenceStatus: 'valid',
          licenceExpiresOn: '2020-01-01',
          creditCode: 'bad',
        },
        TODAY,
      ),
    ).toMatchObject({ ok: false, errors: [{ field: 'creditCode' }, { field: 'licenceExpiresOn' }] });
  });
});

describe('address normalisation and codes', () => {
  it('brings the variants operators type to one form', () => {
    const canonical = '古美路1弄3号502';
    for (const text of [
      '古美路1弄3号502室',
      '古美路１弄 ３號 ５０２室',
      '上海市闵行区古美路1弄3号502',
      ' 古美路1衖3号 502 ',
    ]) {
      expect(normalizeAddress(text)).toBe(canonical);
    }
    expect(normalizeAddress('古美一村12栋')).toBe('古美一村12幢');
    expect(normalizeAddress('古美一村12号楼')).toBe('古美一村12幢');
    expect(normalizeAddress('古美一村12#')).toBe('古美一村12幢');
  });
  it('query tokens keep the operator’s separations', () => {
    expect(addressQueryTokens('古美路1弄 3号 502')).toEqual(['古美路1弄', '3号', '502']);
    expect(addressQueryTokens('   ')).toEqual([]);
  });
  it('splits an address into its hierarchy', () => {
    expect(splitAddress('古美路1弄3号502')).toEqual([
      { level: 'road', name: '古美路1弄' },
      { level: 'number', name: '3号' },
      { level: 'room', name: '502' },
    ]);
    expect(splitAddress('古美一村5幢2单元302')).toEqual([
      { level: 'road', name: '古美一村' },
      { level: 'building', name: '5幢' },
      { level: 'unit', name: '2单元' },
      { level: 'room', name: '302' },
    ]);
    expect(splitAddress('平阳路258号')).toEqual([
      { level: 'road', name: '平阳路' },
      { level: 'number', name: '258号' },
    ]);
    expect(splitAddress('古美路502')).toBeNull();
    expect(splitAddress('hello')).toBeNull();
  });
  it('codes are stable, hierarchical and independent of the spelling', () => {
    const a = addressCode('310112006', splitAddress(normalizeAddress('古美路1弄3号502室')) ?? []);
    const b = addressCode('310112006', splitAddress(normalizeAddress('古美路１弄３號５０２')) ?? []);
    expect(a).toBe(b);
    expect(a).toMatch(/^310112006-[0-9a-v]{13}\.N3\.R502$/);
    expect(addressCode('310112006', [{ level: 'road', name: '古美路1弄' }])).toBe(a.split('.')[0]);
    expect(addressText(splitAddress('古美路1弄3号502') ?? [])).toBe('古美路1弄3号502室');
  });
});
