import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar.ts';
import { followUpDue, followUpStatus, isReachable, overdueCutoff, worksFollowUps } from './follow-up.ts';

const cal = createWorkingCalendar();
const actor = (role: 'dispatcher' | 'shift_lead' | 'station_operator' | 'leader') => ({
  userId: 'u',
  username: 'u',
  displayName: 'u',
  role,
  unit: { kind: 'region' as const, level: 'street' as const, code: '310112006' },
});

describe('回访 follow-up rules', () => {
  it('owes a follow-up to public reports with a phone or a citizen account', () => {
    expect(isReachable({ source: 'hotline', reporterPhone: '13812345678', reporterUserId: null })).toBe(true);
    expect(isReachable({ source: 'citizen', reporterPhone: null, reporterUserId: 'c1' })).toBe(true);
    expect(isReachable({ source: 'citizen', reporterPhone: ' ', reporterUserId: null })).toBe(false);
    expect(isReachable({ source: 'patrol', reporterPhone: '13812345678', reporterUserId: 'p1' })).toBe(false);
  });

  it('is due working days after the closure: Friday afternoon + 3 → Wednesday', () => {
    // Friday 4 December 2026, 15:00 Beijing; the weekend does not count
    const closed = new Date('2026-12-04T15:00:00+08:00');
    const due = followUpDue(cal, closed, 3);
    expect(due.toISOString()).toBe(new Date('2026-12-09T15:00:00+08:00').toISOString());
    expect(followUpStatus(due, new Date('2026-12-09T14:59:00+08:00'))).toBe('pending');
    expect(followUpStatus(due, new Date('2026-12-09T15:01:00+08:00'))).toBe('overdue');
  });

  it('finds the closure time before which every follow-up is overdue', () => {
    const now = new Date('2026-12-09T15:00:30+08:00');
    const cut = overdueCutoff(cal, now, 3);
    expect(followUpDue(cal, cut, 3).getTime()).toBeLessThan(now.getTime());
    expect(followUpDue(cal, new Date(cut.getTime() + 1000), 3).getTime()).toBeGreaterThanOrEqual(
      now.getTime(),
    );
    // closed on the Friday at 15:00 → due Wednesday 15:00: overdue half a minute later
    expect(cut.getTime()).toBeGreaterThanOrEqual(new Date('2026-12-04T15:00:00+08:00').getTime());
  });

  it('is worked by the intake staff of a centre', () => {
    expect(worksFollowUps(actor('dispatcher'))).toBe(true);
    expect(worksFollowUps(actor('shift_lead'))).toBe(true);
    expect(worksFollowUps(actor('station_operator'))).toBe(true);
    expect(worksFollowUps(actor('leader'))).toBe(false);
  });
});
