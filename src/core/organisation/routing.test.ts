import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { checkDepartmentsUsable, chooseRouting, type MatrixRowFacts } from './routing.ts';

const row = (
  categoryCode: string,
  regionCode: string,
  lead: string,
  assisting: string[] = [],
): MatrixRowFacts => ({
  categoryCode,
  regionCode,
  leadDepartmentId: lead,
  assistingDepartmentIds: assisting,
  policeMode: null,
});

describe('chooseRouting', () => {
  const rows = [
    row('01', '310112', 'dist-housing'),
    row('0101', '310112006', 'housing-s', ['greening-s', 'off-s']),
    row('0101', '310112006001', 'chengguan-s'),
  ];
  const all = () => true;

  it('takes the most specific row: the 小类 first, then the smallest territory', () => {
    const r = chooseRouting({
      rows,
      categories: ['0101', '01'],
      categoryPoliceMode: 'none',
      policeDepartmentId: null,
      enabled: all,
    });
    expect(r).toMatchObject({ leadDepartmentId: 'chengguan-s', matchedRule: '0101@310112006001' });
  });

  it('passes over rows led by a disabled department and drops disabled assisting ones', () => {
    const r = chooseRouting({
      rows,
      categories: ['0101', '01'],
      categoryPoliceMode: 'assist',
      policeDepartmentId: 'police-s',
      enabled: (id) => id !== 'chengguan-s' && id !== 'off-s',
    });
    expect(r).toEqual({
      leadDepartmentId: 'housing-s',
      assistingDepartmentIds: ['greening-s', 'police-s'],
      policeMode: 'assist',
      matchedRule: '0101@310112006',
    });
    const none = chooseRouting({
      rows,
      categories: ['0101', '01'],
      categoryPoliceMode: 'lead',
      policeDepartmentId: 'police-s',
      enabled: (id) => id === 'police-s',
    });
    expect(none).toMatchObject({ leadDepartmentId: 'police-s', matchedRule: null, policeMode: 'lead' });
  });

  it('never routes to a disabled police station', () => {
    const r = chooseRouting({
      rows: [],
      categories: ['0601', '06'],
      categoryPoliceMode: 'lead',
      policeDepartmentId: 'police-s',
      enabled: () => false,
    });
    expect(r).toMatchObject({ leadDepartmentId: null, assistingDepartmentIds: [] });
  });
});

describe('checkDepartmentsUsable', () => {
  const known = new Map([
    ['a', true],
    ['b', false],
  ]);
  const reason = (ids: string[]) => {
    try {
      checkDepartmentsUsable(ids, known, '/lead');
      return null;
    } catch (e) {
      return e instanceof AppError ? e.details?.reason : e;
    }
  };
  it('refuses unknown before disabled, and passes enabled ones', () => {
    expect(reason(['a'])).toBeNull();
    expect(reason(['a', 'b'])).toBe('department_disabled');
    expect(reason(['x', 'b'])).toBe('unknown_department');
  });
});
