/**
 * The access-matrix rows of the reference-data administration (issue 11, test/access-matrix.test.ts):
 * categories and their limits, departments, the responsibility matrix and its preview — district admins
 * only. Requests name things the matrix database does not hold where a success would change what other
 * rows rely on, so an admin gets the domain's 400/404 and everyone else 401/403.
 */
import type { InjectOptions } from 'fastify';

type Who = string;
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
interface AdminRouteCheck {
  route: string;
  label?: string;
  request: () => Omit<InjectOptions, 'method'>;
  expect: (who: Who) => Outcome;
}

const ANONYMOUS = 'anonymous';
const adminGets =
  (outcome: Outcome) =>
  (who: Who): Outcome =>
    who === ANONYMOUS ? 401 : who === 'admin' ? outcome : 403;

export function adminReferenceChecks(): AdminRouteCheck[] {
  return [
    {
      route: 'GET /api/v1/categories/policy',
      request: () => ({ url: '/api/v1/categories/policy' }),
      expect: adminGets('ok'),
    },
    {
      route: 'PATCH /api/v1/categories/{code}',
      label: 'an unknown category',
      request: () => ({ url: '/api/v1/categories/9999', payload: { policeMode: 'notify' } }),
      expect: adminGets(404),
    },
    {
      route: 'PUT /api/v1/categories/{code}/limits',
      label: 'an unknown category',
      request: () => ({
        url: '/api/v1/categories/9999/limits',
        payload: { limits: [{ stage: 'handle', urgency: 'normal', amount: 2, unit: 'work_day' }] },
      }),
      expect: adminGets(404),
    },
    {
      route: 'PUT /api/v1/departments/{id}',
      label: 'a department covering a region that does not exist',
      request: () => ({
        url: '/api/v1/departments/matrix-dept',
        payload: {
          name: '矩阵科',
          type: 'other',
          level: 'street',
          regionCode: '310112006',
          coverage: ['310112999'],
        },
      }),
      expect: adminGets(400),
    },
    {
      route: 'PATCH /api/v1/departments/{id}',
      label: 'a department that does not exist',
      request: () => ({ url: '/api/v1/departments/matrix-no-such-dept', payload: { active: false } }),
      expect: adminGets(404),
    },
    {
      route: 'GET /api/v1/responsibility-matrix',
      request: () => ({ url: '/api/v1/responsibility-matrix' }),
      expect: adminGets('ok'),
    },
    {
      route: 'PUT /api/v1/responsibility-matrix',
      label: 'an unknown category',
      request: () => ({
        url: '/api/v1/responsibility-matrix',
        payload: {
          categoryCode: '9999',
          regionCode: '310112006',
          leadDepartmentId: 'chengguan-310112006',
          assistingDepartmentIds: [],
          policeMode: null,
        },
      }),
      expect: adminGets(400),
    },
    {
      route: 'DELETE /api/v1/responsibility-matrix/{id}',
      label: 'a row that does not exist',
      request: () => ({ url: '/api/v1/responsibility-matrix/999999' }),
      expect: adminGets(404),
    },
    {
      route: 'GET /api/v1/responsibility-matrix/preview',
      label: 'an unknown category',
      request: () => ({ url: '/api/v1/responsibility-matrix/preview?category=9999&region=310112006' }),
      expect: adminGets(400),
    },
  ];
}
