import { describe, expect, it } from 'vitest';
import {
  isOpen311Error,
  open311Status,
  parseW3cDateTime,
  readRequestQuery,
  type RequestQuery,
} from './index.ts';

const now = new Date('2026-06-01T00:00:00Z');
const DAY = 24 * 3600 * 1000;

describe('Open311 GeoReport v2 rules', () => {
  it('maps our states to open/closed', () => {
    expect(open311Status('reported')).toBe('open');
    expect(open311Status('suspended')).toBe('open');
    expect(open311Status('closed')).toBe('closed');
    expect(open311Status('rejected')).toBe('closed');
    expect(open311Status('cancelled')).toBe('closed');
  });

  it('reads W3C date/times, refusing impossible ones and times without a zone', () => {
    expect(parseW3cDateTime('1994-11-05T08:15:30-05:00')?.toISOString()).toBe('1994-11-05T13:15:30.000Z');
    expect(parseW3cDateTime('1994-11-05T13:15:30Z')?.toISOString()).toBe('1994-11-05T13:15:30.000Z');
    expect(parseW3cDateTime('2026-03-02')?.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    for (const bad of [
      '2026-02-30',
      '2026-13-01',
      '2026-03-02T25:00:00Z',
      '2026-03-02T10:00:00',
      'yesterday',
      '',
    ])
      expect(parseW3cDateTime(bad), bad).toBeNull();
  });

  it('defaults to the last 90 days, open and closed, at most 1000', () => {
    const q = readRequestQuery({}, now) as RequestQuery;
    expect(q.to).toEqual(now);
    expect(now.getTime() - q.from.getTime()).toBe(90 * DAY);
    expect(q.statuses).toEqual(['open', 'closed']);
    expect(q.limit).toBe(1000);
    expect(q.ids).toBeNull();
  });

  it('takes one side of the window and extends it 90 days', () => {
    const q = readRequestQuery({ start_date: '2026-01-01T00:00:00Z' }, now) as RequestQuery;
    expect(q.to.getTime() - q.from.getTime()).toBe(90 * DAY);
    const e = readRequestQuery({ end_date: '2026-01-01T00:00:00Z' }, now) as RequestQuery;
    expect(e.to.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses bad dates, reversed or too wide windows and unknown statuses with 400', () => {
    for (const input of [
      { start_date: 'nope' },
      { end_date: '2026-02-30' },
      { start_date: '2026-03-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z' },
      { start_date: '2026-01-01T00:00:00Z', end_date: '2026-05-01T00:00:00Z' },
      { status: 'open,pending' },
    ]) {
      const r = readRequestQuery(input, now);
      expect(isOpen311Error(r) && r.status, JSON.stringify(input)).toBe(400);
    }
  });

  it('reads id and status lists', () => {
    const q = readRequestQuery({ service_request_id: 'a, b,,c', status: 'closed' }, now) as RequestQuery;
    expect(q.ids).toEqual(['a', 'b', 'c']);
    expect(q.statuses).toEqual(['closed']);
  });
});
