import { describe, expect, it } from 'vitest';
import type { Actor, Role, Unit } from '../actor.ts';
import {
  assertRoleUnit,
  canManageUsers,
  canSeeReporterContact,
  canUnmaskReporter,
  caseScope,
  coolDownSeconds,
  PAIR_THROTTLE,
  admitAttempt,
  isCaseInScope,
  maskIdNumber,
  maskName,
  maskPhone,
  parseUnit,
  presentContact,
  type CaseScopeRow,
} from './index.ts';

const region = (code: string): Unit => parseUnit(code);
const actor = (role: Role, unit: Unit, userId = `u-${role}`): Actor => ({
  userId,
  username: userId,
  displayName: userId,
  role,
  unit,
});

const gumeiCase: CaseScopeRow = {
  street_code: '310112006',
  committee_code: '310112006001',
  grid_code: '31011200600101',
  owner_level: 'street',
  owner_code: '310112006',
  lead_department_id: 'housing-310112006',
  assisting_department_ids: ['police-310112006'],
  police_department_id: 'police-310112006',
  police_mode: 'assist',
  reporter_user_id: 'u-reporter',
  reporter_ids: ['u-reporter', 'u-second'],
  assignee_user_id: 'u-assigned',
  escalated: false,
};

describe('masking', () => {
  it('masks phones, names and ID numbers', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('64561234')).toBe('****1234');
    expect(maskPhone('+8613812345678')).toBe('861******5678');
    expect(maskPhone('call me')).toBe('*******');
    expect(maskPhone(null)).toBeNull();
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Li Lei')).toBe('L* ***');
    expect(maskIdNumber('310112199001011234')).toBe('310***********1234');
    expect(maskIdNumber('31011219900101123X')).toBe('310***********123X');
    expect(maskIdNumber('AB123')).toBe('***23');
  });

  it('presents a contact masked unless visible', () => {
    const c = { name: '张三', phone: '13812345678', idNumber: null };
    expect(presentContact(c, false)).toEqual({
      name: '张*',
      phone: '138****5678',
      idNumber: null,
      masked: true,
    });
    expect(presentContact(c, true)).toEqual({ ...c, masked: false });
  });
});

describe('case scope', () => {
  const cases: [string, Actor, boolean][] = [
    ['district dispatcher sees everything', actor('dispatcher', region('310112')), true],
    ['district admin sees everything', actor('admin', region('310112')), true],
    ['street dispatcher of the street', actor('dispatcher', region('310112006')), true],
    ['street dispatcher of another street', actor('dispatcher', region('310112008')), false],
    ['street leader of the street', actor('leader', region('310112006')), true],
    ['coordinator of the committee', actor('coordinator', region('310112006001')), true],
    ['coordinator of another committee', actor('coordinator', region('310112006002')), false],
    ['patroller of the grid', actor('patroller', region('31011200600101')), true],
    ['patroller of a neighbouring grid', actor('patroller', region('31011200600102')), false],
    ['patroller assigned elsewhere', actor('patroller', region('31011200800101'), 'u-assigned'), true],
    ['police station linked', actor('police', parseUnit('police-310112006')), true],
    ['another police station', actor('police', parseUnit('police-310112008')), false],
    ['lead department', actor('dept_handler', parseUnit('housing-310112006')), true],
    ['assisting department', actor('dept_lead', parseUnit('police-310112006')), true],
    ['unrelated department', actor('dept_handler', parseUnit('dist-market')), false],
    ['the reporter', actor('citizen', { kind: 'none' }, 'u-reporter'), true],
    ['a merged co-reporter', actor('citizen', { kind: 'none' }, 'u-second'), true],
    ['another citizen', actor('citizen', { kind: 'none' }, 'u-other'), false],
    [
      'a dispatcher bound to a department (invalid) sees nothing',
      actor('dispatcher', parseUnit('dist-market')),
      false,
    ],
    ['an admin bound to a street (invalid) sees nothing', actor('admin', region('310112006')), false],
  ];
  it.each(cases)('%s', (_name, a, expected) => {
    expect(isCaseInScope(gumeiCase, a)).toBe(expected);
  });

  it('keeps an escalated case visible to the street that escalated it', () => {
    const escalated = {
      ...gumeiCase,
      owner_level: 'district' as const,
      owner_code: '310112',
      escalated: true,
    };
    expect(isCaseInScope(escalated, actor('dispatcher', region('310112006')))).toBe(true);
  });

  it('shows the police only the cases linked to them or sent to them (issue 11 §5)', () => {
    const station = actor('police', parseUnit('police-310112006'));
    // a 违法搭建 led by 城管 in the station's area: no police linkage, not in the police inbox
    const unlinked = { ...gumeiCase, police_mode: 'none' as const, assisting_department_ids: [] };
    expect(isCaseInScope(unlinked, station)).toBe(false);
    for (const mode of ['notify', 'assist', 'lead'] as const)
      expect(isCaseInScope({ ...unlinked, police_mode: mode }, station)).toBe(true);
    // sent to the station (it assists or leads) whatever the category says
    expect(isCaseInScope({ ...unlinked, assisting_department_ids: ['police-310112006'] }, station)).toBe(
      true,
    );
    expect(isCaseInScope({ ...unlinked, lead_department_id: 'police-310112006' }, station)).toBe(true);
  });

  it('fails closed for the system role only when asked to', () => {
    expect(caseScope(actor('system', region('310112'))).rules).toEqual([{ kind: 'all' }]);
  });
});

describe('reporter contact', () => {
  it('is visible to the owning centre, the reporter, the assigned patroller and the linked police', () => {
    expect(canSeeReporterContact(actor('dispatcher', region('310112006')), gumeiCase)).toBe(true);
    expect(canSeeReporterContact(actor('dispatcher', region('310112')), gumeiCase)).toBe(false);
    expect(canSeeReporterContact(actor('citizen', { kind: 'none' }, 'u-reporter'), gumeiCase)).toBe(true);
    expect(canSeeReporterContact(actor('citizen', { kind: 'none' }, 'u-second'), gumeiCase)).toBe(false);
    expect(canSeeReporterContact(actor('patroller', region('31011200600101'), 'u-assigned'), gumeiCase)).toBe(
      true,
    );
    expect(canSeeReporterContact(actor('patroller', region('31011200600101')), gumeiCase)).toBe(false);
    expect(canSeeReporterContact(actor('police', parseUnit('police-310112006')), gumeiCase)).toBe(true);
    expect(canSeeReporterContact(actor('dept_handler', parseUnit('housing-310112006')), gumeiCase)).toBe(
      false,
    );
    expect(canSeeReporterContact(actor('leader', region('310112')), gumeiCase)).toBe(false);
  });

  it('may be unmasked (audited) by staff in scope, never by admins or outsiders', () => {
    expect(canUnmaskReporter(actor('dept_handler', parseUnit('housing-310112006')), gumeiCase)).toBe(true);
    expect(canUnmaskReporter(actor('leader', region('310112')), gumeiCase)).toBe(true);
    expect(canUnmaskReporter(actor('admin', region('310112')), gumeiCase)).toBe(false);
    expect(canUnmaskReporter(actor('dispatcher', region('310112008')), gumeiCase)).toBe(false);
    expect(canUnmaskReporter(actor('citizen', { kind: 'none' }, 'u-second'), gumeiCase)).toBe(false);
  });
});

describe('units and roles', () => {
  it('parses units', () => {
    expect(parseUnit('310112006')).toEqual({ kind: 'region', level: 'street', code: '310112006' });
    expect(parseUnit('31011200600101')).toEqual({ kind: 'region', level: 'grid', code: '31011200600101' });
    expect(parseUnit('dept:police-310112006')).toEqual({ kind: 'department', id: 'police-310112006' });
    expect(parseUnit('none')).toEqual({ kind: 'none' });
    expect(() => parseUnit('31011')).toThrow();
    expect(() => parseUnit('Robert); drop table')).toThrow();
  });

  it('binds roles to the units they can hold', () => {
    expect(() => assertRoleUnit('dispatcher', region('310112006'))).not.toThrow();
    expect(() => assertRoleUnit('dispatcher', region('310112006001'))).toThrow(/street or district/);
    expect(() => assertRoleUnit('citizen', region('310112'))).toThrow();
    expect(() => assertRoleUnit('police', parseUnit('police-310112006'))).not.toThrow();
    expect(() => assertRoleUnit('admin', region('310112006'))).toThrow();
    expect(() => assertRoleUnit('system', region('310112'))).toThrow();
  });

  it('lets only district admins (and the system) manage users', () => {
    expect(canManageUsers(actor('admin', region('310112')))).toBe(true);
    expect(canManageUsers(actor('leader', region('310112')))).toBe(false);
    expect(canManageUsers(actor('system', region('310112')))).toBe(true);
  });
});

describe('login throttle', () => {
  it('starts after 5 failures and doubles up to the cap', () => {
    expect([4, 5, 6, 7, 20].map((n) => coolDownSeconds(n, PAIR_THROTTLE))).toEqual([0, 30, 60, 120, 900]);
  });

  it('counts an admitted attempt in advance and refuses during the cool-down without counting', () => {
    const now = new Date('2026-03-03T02:00:00Z');
    let state = null as ReturnType<typeof admitAttempt>['next'];
    const seen: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const a = admitAttempt(state, now, PAIR_THROTTLE, true);
      seen.push(a.allowed);
      state = a.next ?? state;
    }
    expect(seen).toEqual([true, true, true, true, true, false, false]);
    expect(state).toMatchObject({ failures: 5 });
    // not enforced: counted, and a running lock is never shortened
    const counted = admitAttempt(state, now, PAIR_THROTTLE, false);
    expect(counted).toMatchObject({ allowed: true, prior: 5, next: { failures: 6 } });
    expect(counted.next!.lockedUntil!.getTime() - now.getTime()).toBe(60_000);
    // an hour of quiet forgets
    const later = new Date(now.getTime() + 3600_000);
    expect(admitAttempt(state, later, PAIR_THROTTLE, true)).toMatchObject({ allowed: true, prior: 0 });
  });
});
