/**
 * The notification rows of the access matrix added by issue 11 §6 (test/access-matrix.test.ts): every
 * signed-in user reads their own notices grouped per case; anonymous callers are refused.
 */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
const ANONYMOUS = 'anonymous';

export const NOTIFICATION_CHECKS = () => [
  {
    route: 'GET /api/v1/notifications/groups',
    request: () => ({ url: '/api/v1/notifications/groups' }),
    expect: (who: string): Outcome => (who === ANONYMOUS ? 401 : 'ok'),
  },
  {
    route: 'GET /api/v1/notifications/groups',
    label: 'a malformed cursor',
    request: () => ({ url: '/api/v1/notifications/groups?cursor=x' }),
    expect: (who: string): Outcome => (who === ANONYMOUS ? [400, 401] : 400),
  },
];
