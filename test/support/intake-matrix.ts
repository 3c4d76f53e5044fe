import type { Actor } from '../../src/core/actor.ts';
import { mayUseDesk } from '../../src/core/intake/desk.ts';

/**
 * The intake desk's rows of the access matrix (test/access-matrix.test.ts, issue 11 §1): dispatchers and
 * shift leads of a centre use it, everyone else is refused. The matrix's mini territory has no geometry,
 * so a desk's report is refused as outside the territory (400) and writes nothing.
 */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
const ANONYMOUS = 'anonymous';
type Fx = { actors: Map<string, Actor> };
const desk =
  (allowed: Outcome) =>
  (who: string, fx: Fx): Outcome =>
    who === ANONYMOUS ? 401 : mayUseDesk(fx.actors.get(who)!) ? allowed : 403;

export const INTAKE_CHECKS = () => [
  // issue 11 §6: every signed-in user marks their own notices read (a kind nobody has: nothing changes)
  {
    route: 'POST /api/v1/notifications/read-all',
    request: () => ({ url: '/api/v1/notifications/read-all', payload: { kind: 'matrix_none' } }),
    expect: (who: string): Outcome => (who === ANONYMOUS ? 401 : 'ok'),
  },
  {
    route: 'GET /api/v1/intake/desk',
    request: () => ({ url: '/api/v1/intake/desk' }),
    expect: desk('ok'),
  },
  {
    route: 'POST /api/v1/intake/check',
    request: () => ({
      url: '/api/v1/intake/check',
      payload: { description: '垃圾', category: '0501', location: { lon: 121.38, lat: 31.15 } },
    }),
    expect: desk('ok'),
  },
  {
    route: 'POST /api/v1/intake',
    request: () => ({
      url: '/api/v1/intake',
      payload: {
        source: 'hotline',
        ticketNo: 'MATRIX-1',
        caller: { name: '矩阵', phone: '13900000000' },
        description: 'matrix call',
        location: { lon: 121.38, lat: 31.15 },
      },
    }),
    expect: desk(400),
  },
];
