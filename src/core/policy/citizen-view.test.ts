import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { CASE_ACTION_LIST } from '../workflow/index.ts';
import { isPublicStep, PUBLIC_STEPS, refuseCitizen, seesPublicViewOnly } from './citizen-view.ts';

describe('the citizen’s public view (issue 11 §5)', () => {
  it('names only real case actions as public steps, and keeps the internal ones out', () => {
    for (const step of PUBLIC_STEPS) expect(CASE_ACTION_LIST).toContain(step);
    for (const internal of ['sign', 'handle', 'comment', 'supervise', 'assign_check', 'submit_check'])
      expect(isPublicStep(internal), internal).toBe(false);
    expect(isPublicStep('escalate')).toBe(false);
    expect(isPublicStep('close')).toBe(true);
  });

  it('refuses staff views to citizens only', () => {
    expect(seesPublicViewOnly({ role: 'citizen' })).toBe(true);
    expect(() => refuseCitizen({ role: 'citizen' }, 'The overview')).toThrow(AppError);
    for (const role of ['patroller', 'dispatcher', 'police', 'admin'] as const)
      expect(() => refuseCitizen({ role }, 'The overview')).not.toThrow();
  });
});
