import type { Actor } from '../../src/core/actor.ts';
import { ruleMatches, type CaseScopeRow } from '../../src/core/policy/case-scope.ts';

/**
 * The rows of the access matrix (test/access-matrix.test.ts) for 我的上报 (issue 11 §4): every signed-in
 * caller lists the cases they reported, whatever their territory, and a citizen gets them in the public
 * view (issue 11 §5).
 */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
const ANONYMOUS = 'anonymous';
type Fx = { actors: Map<string, Actor>; cases: Record<string, CaseScopeRow & { id: string }> };
interface Listed {
  items?: { case: { id: string; leadDepartmentId: string | null; deadline: unknown }; clock: unknown }[];
}

export const MINE_CHECKS = () => [
  {
    route: 'GET /api/v1/me/reports',
    request: () => ({ url: '/api/v1/me/reports' }),
    expect: (who: string): Outcome => (who === ANONYMOUS ? 401 : 'ok'),
    verify: (body: unknown, who: string, fx: Fx): string | null => {
      const items = (body as Listed).items ?? [];
      const ids = new Set(items.map((i) => i.case.id));
      const actor = fx.actors.get(who)!;
      for (const [key, row] of Object.entries(fx.cases)) {
        const mine = ruleMatches({ kind: 'reporter', userId: actor.userId }, row);
        if (ids.has(row.id) !== mine) return `case ${key} ${mine ? 'missing' : 'listed'}`;
      }
      if (actor.role === 'citizen' && items.some((i) => i.case.leadDepartmentId !== null || i.clock !== null))
        return 'a citizen got internal fields';
      return null;
    },
  },
  {
    route: 'GET /api/v1/me/reports',
    label: 'a crafted cursor',
    request: () => ({ url: '/api/v1/me/reports?state=open&cursor=bm90LWEtY3Vyc29y' }),
    expect: (who: string): Outcome => (who === ANONYMOUS ? 401 : 400),
  },
];
