import { AppError } from '../errors.ts';
import { regionLevelOfCode } from '../policy/units.ts';

/** Department types (条线), as the `departments.type` check of migration 0001 lists them. */
export const DEPARTMENT_TYPES = [
  'police',
  'city_management',
  'market_regulation',
  'housing',
  'health',
  'fire',
  'ecology',
  'planning',
  'civil_affairs',
  'transport',
  'water',
  'greening',
  'sanitation',
  'emergency',
  'other',
] as const;
export type DepartmentType = (typeof DEPARTMENT_TYPES)[number];

export interface DepartmentInput {
  id: string;
  name: string;
  type: string;
  level: 'district' | 'street';
  /** Where it sits: the district (district level) or a street (street level). */
  regionCode: string;
  phone: string | null;
  /** The regions it serves (any level); at least one. */
  coverage: readonly string[];
}

/**
 * Checks a department an administrator creates or edits: a slug id, a name, a known type, a seat that
 * matches its level, and a coverage of well-formed region codes (deduplicated, sorted). Whether the
 * regions exist is for the app layer. Throws `validation_failed` with every problem.
 */
export function checkDepartment(input: DepartmentInput): DepartmentInput {
  const problems: { path: string; message: string }[] = [];
  if (!/^[a-z0-9][a-z0-9_-]{1,63}$/.test(input.id))
    problems.push({ path: '/id', message: 'lower-case letters, digits, - and _ (2–64)' });
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) problems.push({ path: '/name', message: '1–100 characters' });
  if (!(DEPARTMENT_TYPES as readonly string[]).includes(input.type))
    problems.push({ path: '/type', message: 'unknown department type' });
  if (regionLevelOfCode(input.regionCode) !== input.level)
    problems.push({ path: '/regionCode', message: `must be a ${input.level} code` });
  const coverage = [...new Set(input.coverage.map((c) => c.trim()))].sort();
  if (coverage.length === 0) problems.push({ path: '/coverage', message: 'at least one region' });
  coverage.forEach((c, i) => {
    if (regionLevelOfCode(c) === null)
      problems.push({ path: `/coverage/${i}`, message: 'not a region code' });
  });
  if (problems.length > 0)
    throw new AppError('validation_failed', `Invalid department: ${problems.map((p) => p.path).join(', ')}`, {
      problems,
    });
  const phone = input.phone?.trim() ? input.phone.trim() : null;
  return { ...input, name, phone, coverage };
}
