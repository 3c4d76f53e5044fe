import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { checkDepartment, type DepartmentInput } from './departments.ts';

const good: DepartmentInput = {
  id: 'housing-310112006',
  name: ' 古美路街道房管办 ',
  type: 'housing',
  level: 'street',
  regionCode: '310112006',
  phone: '',
  coverage: ['310112006', '310112006', '310112006001'],
};

describe('checkDepartment', () => {
  it('trims, deduplicates and sorts', () => {
    expect(checkDepartment(good)).toMatchObject({
      name: '古美路街道房管办',
      phone: null,
      coverage: ['310112006', '310112006001'],
    });
  });

  it('names every problem', () => {
    try {
      checkDepartment({ ...good, id: 'Bad Id', type: 'spies', regionCode: '310112', coverage: ['12'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const problems = (e as AppError).details?.problems as { path: string }[];
      expect(problems.map((p) => p.path)).toEqual(['/id', '/type', '/regionCode', '/coverage/0']);
    }
  });

  it('needs a coverage', () => {
    expect(() => checkDepartment({ ...good, coverage: [] })).toThrow(AppError);
  });
});
