import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_POLICY,
  escalationRecipients,
  levelReached,
  nextLevelAmount,
  parseEscalationPolicy,
} from './escalation.ts';

const policy = DEFAULT_ESCALATION_POLICY;

describe('escalation policy', () => {
  it('reaches no level on time, level 1 once overdue, 2 at 50 % over, 3 at twice the limit', () => {
    expect(levelReached(policy, 4, 0)).toBe(0);
    expect(levelReached(policy, 4, 4)).toBe(0); // exactly at the limit is on time
    expect(levelReached(policy, 4, 4.01)).toBe(1);
    expect(levelReached(policy, 4, 5.99)).toBe(1);
    expect(levelReached(policy, 4, 6)).toBe(2);
    expect(levelReached(policy, 4, 7.99)).toBe(2);
    expect(levelReached(policy, 4, 8)).toBe(3);
    expect(levelReached(policy, 4, 400)).toBe(3);
  });

  it('reaches level 1 as soon as overdue even with a positive first threshold', () => {
    const late = { thresholds: [0.2, 0.5, 1] } as const;
    expect(levelReached(late, 10, 10.5)).toBe(1);
    expect(levelReached(late, 10, 15)).toBe(2);
  });

  it('gives the amount at which the next level falls due, none after the last', () => {
    expect(nextLevelAmount(policy, 4, 1)).toBe(6);
    expect(nextLevelAmount(policy, 4, 2)).toBe(8);
    expect(nextLevelAmount(policy, 4, 3)).toBeNull();
  });

  it('falls back to the default for a malformed stored policy', () => {
    expect(parseEscalationPolicy({ thresholds: [0, 1, 2] })).toEqual({ thresholds: [0, 1, 2] });
    for (const bad of [
      null,
      'x',
      {},
      { thresholds: [0, 1] },
      { thresholds: [0, 2, 1] },
      { thresholds: [-1, 0, 1] },
      { thresholds: [0, 'a', 1] },
    ]) {
      expect(parseEscalationPolicy(bad)).toBe(DEFAULT_ESCALATION_POLICY);
    }
  });
});

describe('escalation recipients', () => {
  const subject = {
    stage: 'handle',
    ownerLevel: 'street' as const,
    ownerCode: '310112006',
    streetCode: '310112006',
    districtCode: '310112',
    leadDepartmentId: 'housing-310112006',
    assigneeId: null,
  };

  it('tells the lead department lead first while the department holds the case', () => {
    expect(escalationRecipients(1, subject)).toEqual([
      { kind: 'department', id: 'housing-310112006', role: 'dept_lead' },
    ]);
    expect(escalationRecipients(1, { ...subject, stage: 'sign' })).toEqual([
      { kind: 'department', id: 'housing-310112006', role: 'dept_lead' },
    ]);
  });

  it('tells the owning centre (and the patroller sent on site) for centre stages', () => {
    expect(
      escalationRecipients(1, {
        ...subject,
        stage: 'dispatch',
        ownerLevel: 'committee',
        ownerCode: '310112006001',
      }),
    ).toEqual([{ kind: 'centre', level: 'committee', code: '310112006001' }]);
    expect(escalationRecipients(1, { ...subject, stage: 'check', assigneeId: 'u1' })).toEqual([
      { kind: 'centre', level: 'street', code: '310112006' },
      { kind: 'user', userId: 'u1' },
    ]);
  });

  it('goes to the street sub-centre, then the district centre', () => {
    expect(escalationRecipients(2, subject)).toEqual([
      { kind: 'centre', level: 'street', code: '310112006' },
    ]);
    expect(escalationRecipients(3, subject)).toEqual([{ kind: 'centre', level: 'district', code: '310112' }]);
  });
});
