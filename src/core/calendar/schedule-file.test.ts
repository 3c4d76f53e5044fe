import { describe, expect, it } from 'vitest';
import { parseScheduleFile } from './schedule-file.ts';

const problems = (text: string, year?: number) => {
  const parsed = parseScheduleFile(text, { year });
  if (parsed.ok) throw new Error('expected problems');
  return parsed.problems;
};

describe('parseScheduleFile', () => {
  it('reads a CSV with a header, comments, 休/班 and names with commas; the year from the dates', () => {
    const parsed = parseScheduleFile(
      [
        '\uFEFFdate,kind,name',
        '# 春节',
        '2027-02-07,holiday,春节',
        '2027-02-06,休,春节',
        '',
        '2027-02-14, workday , 春节（调休，上班）',
        '2027-01-01,班',
      ].join('\r\n'),
    );
    expect(parsed).toEqual({
      ok: true,
      schedule: {
        year: 2027,
        entries: [
          { date: '2027-01-01', kind: 'workday', name: '' },
          { date: '2027-02-06', kind: 'holiday', name: '春节' },
          { date: '2027-02-07', kind: 'holiday', name: '春节' },
          { date: '2027-02-14', kind: 'workday', name: '春节（调休，上班）' },
        ],
      },
    });
  });

  it('reads JSON with plain dates or {date, name}', () => {
    const parsed = parseScheduleFile(
      JSON.stringify({
        year: 2027,
        holidays: ['2027-10-04', { date: '2027-10-01', name: '国庆节' }],
        workdays: [{ date: '2027-09-26', name: '国庆节' }],
      }),
    );
    expect(parsed.ok && parsed.schedule.entries.map((e) => `${e.date} ${e.kind} ${e.name}`)).toEqual([
      '2027-09-26 workday 国庆节',
      '2027-10-01 holiday 国庆节',
      '2027-10-04 holiday ',
    ]);
  });

  it('reports every bad line at once: impossible dates, duplicates, both kinds, wrong year, unknown kind', () => {
    const text = [
      'date,kind,name',
      '2027-02-30,holiday,x', // line 2
      '2027-13-01,holiday,x', // line 3
      '2027-02-06,holiday,春节', // line 4
      '2027-02-06,holiday,春节', // line 5: twice
      '2027-02-07,holiday,春节', // line 6
      '2027-02-07,workday,春节', // line 7: both
      '2026-12-31,holiday,元旦', // line 8: wrong year
      '2027-03-01,constructor,x', // line 9: unknown kind
      '27-3-1,holiday,x', // line 10
    ].join('\n');
    expect(problems(text, 2027)).toEqual([
      { line: 2, path: null, message: 'line 2: not a calendar date (YYYY-MM-DD): "2027-02-30"' },
      { line: 3, path: null, message: 'line 3: not a calendar date (YYYY-MM-DD): "2027-13-01"' },
      { line: 5, path: null, message: 'line 5: 2027-02-06 is listed twice (also line 4)' },
      {
        line: 7,
        path: null,
        message: 'line 7: 2027-02-07 is both a holiday and a make-up workday (also line 6)',
      },
      { line: 8, path: null, message: 'line 8: 2026-12-31 is not in 2027' },
      {
        line: 9,
        path: null,
        message: 'line 9: kind must be holiday (休) or workday (班), got "constructor"',
      },
      { line: 10, path: null, message: 'line 10: not a calendar date (YYYY-MM-DD): "27-3-1"' },
    ]);
  });

  it('checks JSON entries by path, the year against the one asked for, and refuses empty files', () => {
    expect(
      problems(JSON.stringify({ holidays: ['2027-02-06', 5, { date: '2027-02-06' }], extra: 1 })),
    ).toEqual([
      expect.objectContaining({ path: '/holidays/1' }),
      expect.objectContaining({ path: '/extra', message: 'unknown field extra' }),
    ]);
    expect(problems(JSON.stringify({ holidays: ['2027-02-06'], workdays: ['2027-02-06'] }))).toEqual([
      expect.objectContaining({
        path: '/workdays/0',
        message: '/workdays/0: 2027-02-06 is both a holiday and a make-up workday (also /holidays/0)',
      }),
    ]);
    expect(problems(JSON.stringify({ year: 2028, holidays: ['2027-02-06'] }), 2027)).toEqual([
      expect.objectContaining({ path: '/year', message: 'the file is for 2028, not 2027' }),
    ]);
    expect(problems('{"holidays": [')[0]!.message).toMatch(/^not valid JSON/);
    expect(problems('  \n')[0]!.message).toBe('the file is empty');
    expect(problems('date,kind,name\n')[0]!.message).toBe('the file lists no holidays or make-up workdays');
    expect(problems('2027-02-06,holiday,x', 1999)[0]!.message).toBe(
      'the year must be between 2000 and 2100, got 1999',
    );
  });
});
