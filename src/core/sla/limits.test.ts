import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { checkLimits, LIMIT_MAX, resolveLimit, type CategoryLimitRow, type PolicyRow } from './limits.ts';

const defaults: PolicyRow[] = [
  { categoryCode: null, urgency: 'normal', stage: 'register', amount: 1, unit: 'work_hour' },
  { categoryCode: null, urgency: 'urgent', stage: 'register', amount: 0.25, unit: 'urgent_hour' },
  { categoryCode: null, urgency: 'normal', stage: 'handle', amount: 5, unit: 'work_day' },
  { categoryCode: null, urgency: 'urgent', stage: 'handle', amount: 4, unit: 'urgent_hour' },
];
const categories: CategoryLimitRow[] = [
  { code: '05', urgency: 'normal', handleAmount: 3, handleUnit: 'work_day' },
  { code: '0501', urgency: 'normal', handleAmount: null, handleUnit: null },
  { code: '0502', urgency: 'normal', handleAmount: 2, handleUnit: 'work_day' },
];

describe('resolveLimit', () => {
  it('falls back to the default of the urgency', () => {
    expect(
      resolveLimit(defaults, categories, { categoryCode: '0501', urgency: 'normal', stage: 'register' }),
    ).toEqual({
      amount: 1,
      unit: 'work_hour',
      source: 'default',
    });
    expect(
      resolveLimit(defaults, [], { categoryCode: null, urgency: 'urgent', stage: 'register' }).amount,
    ).toBe(0.25);
  });

  it('prefers the 小类 row, then the category handling limit, then the 大类 row', () => {
    const rows: PolicyRow[] = [
      ...defaults,
      { categoryCode: '05', urgency: null, stage: 'register', amount: 2, unit: 'work_hour' },
      { categoryCode: '0501', urgency: 'normal', stage: 'register', amount: 3, unit: 'work_hour' },
    ];
    expect(
      resolveLimit(rows, categories, { categoryCode: '0501', urgency: 'normal', stage: 'register' }),
    ).toEqual({
      amount: 3,
      unit: 'work_hour',
      source: 'policy 0501',
    });
    // the 小类 row is for normal cases only: an urgent case gets the 大类 row (any urgency)
    expect(
      resolveLimit(rows, categories, { categoryCode: '0501', urgency: 'urgent', stage: 'register' }).source,
    ).toBe('policy 05');
    expect(
      resolveLimit(rows, categories, { categoryCode: '0502', urgency: 'normal', stage: 'handle' }).source,
    ).toBe('category 0502');
    expect(
      resolveLimit(rows, categories, { categoryCode: '0501', urgency: 'normal', stage: 'handle' }).source,
    ).toBe('category 05');
  });

  it('runs an urgent case of a normal category on the urgent clock', () => {
    expect(
      resolveLimit(defaults, categories, { categoryCode: '0502', urgency: 'urgent', stage: 'handle' }),
    ).toEqual({
      amount: 4,
      unit: 'urgent_hour',
      source: 'default',
    });
  });

  it('has a fallback when the defaults are gone', () => {
    expect(resolveLimit([], [], { categoryCode: null, urgency: 'normal', stage: 'sign' }).source).toBe(
      'fallback',
    );
  });
});

describe('checkLimits', () => {
  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof AppError ? [e.code, e.details?.reason, e.details?.problems] : e;
    }
    return null;
  };

  it('accepts limits in range, fractions too', () => {
    expect(
      checkLimits([
        { stage: 'register', urgency: 'normal', amount: 0.25, unit: 'work_hour' },
        { stage: 'handle', urgency: 'urgent', amount: 4, unit: 'urgent_hour' },
      ]),
    ).toHaveLength(2);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, LIMIT_MAX.work_day + 1, 0.001])(
    'refuses %s work days',
    (amount) => {
      const [code, reason, problems] = reasonOf(() =>
        checkLimits([{ stage: 'handle', urgency: 'normal', amount, unit: 'work_day' }]),
      ) as [string, string, { path: string }[]];
      expect(code).toBe('validation_failed');
      expect(reason).toBe('invalid_time_limit');
      expect(problems[0]!.path).toBe('/limits/0/amount');
    },
  );

  it('refuses a stage given twice and unknown units', () => {
    const [, , problems] = reasonOf(() =>
      checkLimits([
        { stage: 'handle', urgency: 'normal', amount: 1, unit: 'work_day' },
        { stage: 'handle', urgency: 'normal', amount: 2, unit: 'work_day' },
        { stage: 'sign', urgency: 'normal', amount: 2, unit: 'fortnight' as 'work_day' },
      ]),
    ) as [string, string, { path: string }[]];
    expect(problems.map((p) => p.path)).toEqual(['/limits/1', '/limits/2/unit']);
  });
});
