import type { Actor } from '../../src/core/actor.ts';
import { worksFollowUps } from '../../src/core/evaluation/index.ts';

/**
 * The 回访 rows of the access matrix (test/access-matrix.test.ts, issue 14): the follow-up list is the
 * intake staff's of a centre (dispatchers, shift leads, station operators); nobody else's; the reporter's
 * phone in it is always masked.
 */
type Outcome = 'ok' | number;
const ANONYMOUS = 'anonymous';

export function followUpChecks() {
  return [
    {
      route: 'GET /api/v1/follow-ups',
      request: () => ({ url: '/api/v1/follow-ups' }),
      expect: (who: string, fx: { actors: Map<string, Actor> }): Outcome =>
        who === ANONYMOUS ? 401 : worksFollowUps(fx.actors.get(who)!) ? 'ok' : 403,
      verify: (body: unknown): string | null => {
        const tasks = (body as { tasks?: { reporterPhone: string | null }[] }).tasks ?? [];
        const bare = tasks.find((t) => t.reporterPhone !== null && !t.reporterPhone.includes('*'));
        return bare ? `unmasked phone ${bare.reporterPhone}` : null;
      },
    },
  ];
}
