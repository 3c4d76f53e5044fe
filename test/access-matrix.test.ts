/**
 * The access matrix (issue 4, acceptance): every API route × every demo role (and anonymous), against
 * objects inside and outside the role's scope, with the answer each must get — allowed (2xx), 401, 403,
 * or 404 where even existence must not leak.
 *
 * How to extend: add a `RouteCheck` per route to CHECKS. `route` is the OpenAPI key ("GET /api/v1/x/{id}");
 * the completeness test fails for any documented route that has no check, so a new route cannot slip
 * through unreviewed. `expect(who, fx)` gives the expected outcome for one caller; the helpers
 * (`everyone`, `signedIn`, `adminOnly`, `inScopeOr404`) cover the usual policies. Checks that end or
 * change the caller's session set `fresh: true` and get a session of their own.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/app/identity/login.ts';
import { loadConfig } from '../src/config.ts';
import type { Actor } from '../src/core/actor.ts';
import { isCaseInScope, type CaseScopeRow } from '../src/core/policy/case-scope.ts';
import { canSeePatrol, patrolStreetsOf } from '../src/core/patrol/access.ts';
import { canActOnWarning, canSeeWarning } from '../src/core/warnings/access.ts';
import { canSeeReporterContact, canUnmaskReporter } from '../src/core/policy/personal-data.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_USERNAMES } from '../src/demo/accounts.ts';
import { buildTestApp } from './support/compilers.ts';
import { createTestDatabase } from './support/database.ts';
import { adminReferenceChecks } from './support/admin-matrix.ts';
import { BASE_INFO_CHECKS, seedMatrixBaseInfo } from './support/base-info-matrix.ts';
import { followUpChecks } from './support/follow-ups-matrix.ts';
import { PUBLIC_REPORT_CHECKS } from './support/public-matrix.ts';
import { EXPORT_CHECKS } from './support/exports-matrix.ts';
import { INTAKE_CHECKS } from './support/intake-matrix.ts';
import { NOTIFICATION_CHECKS } from './support/notifications-matrix.ts';
import { MINE_CHECKS } from './support/mine-matrix.ts';
import { SCREENING_CHECKS, seedMatrixScreening } from './support/screening-matrix.ts';
import { MINI, identityDepsFor, seedIdentityFixture, testClock } from './support/identity.ts';
import { multipartBody } from './support/cases.ts';
import { MATRIX_IMPORT_RUN, seedMatrixImportRun } from './support/imports.ts';

type Who = string; // a demo username, or 'anonymous'
/** 'ok' = any 2xx; a status; or a list of acceptable answers (e.g. ['ok', 403, 422]: "the case exists for you"). */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';

interface Fixture {
  actors: Map<string, Actor>;
  /** A throwaway account admins may change. */
  targetUserId: string;
  /** Cases by key, with their scope columns, for in-scope / out-of-scope checks. */
  cases: Record<'gumei' | 'xinhong', CaseScopeRow & { id: string }>;
  /** An open patrol of gumei.patroller (issue 13). */
  patrol: { id: string; userId: string; streetCode: string };
  /** A new warning owned by 古美 (issue 13). */
  warning: { id: string; ownerCode: string };
}

interface RouteCheck {
  /** OpenAPI key: METHOD + path template. */
  route: string;
  /** What the check is about, when a route has several (e.g. "a case in 古美"). */
  label?: string;
  request: (fx: Fixture, who: Who) => Omit<InjectOptions, 'method'>;
  expect: (who: Who, fx: Fixture) => Outcome;
  /** Needs its own session (logout, password change). */
  fresh?: boolean;
  /** Ends the caller's other sessions: the shared one is dropped afterwards. */
  endsOtherSessions?: boolean;
  /** Further checks on a 2xx body; returns a complaint or null. */
  verify?: (body: unknown, who: Who, fx: Fixture) => string | null;
}

const ANONYMOUS = 'anonymous';
const WHO: Who[] = [...DEMO_USERNAMES, ANONYMOUS];

// ---- the usual policies ---------------------------------------------------------------------------
const everyone = (): Outcome => 'ok';
const signedIn = (who: Who): Outcome => (who === ANONYMOUS ? 401 : 'ok');
const adminOnly = (who: Who): Outcome => (who === ANONYMOUS ? 401 : who === 'admin' ? 'ok' : 403);
/** The evaluation: the district's leader and admin (street leaders and department leads have no demo account). */
const evaluators = (who: Who): Outcome =>
  who === ANONYMOUS ? 401 : who === 'admin' || who === 'district.leader' ? 'ok' : 403;
/** Allowed when the case is in the caller's scope, otherwise 404 (a case outside it does not exist for them). */
const inScopeOr404 =
  (key: keyof Fixture['cases']) =>
  (who: Who, fx: Fixture): Outcome =>
    who === ANONYMOUS ? 401 : isCaseInScope(fx.cases[key], fx.actors.get(who)!) ? 'ok' : 404;
/** In scope: the role may or may not take the action (2xx, 403, 409, 422) but the case exists; else 404. */
const actsInScopeOr404 =
  (key: keyof Fixture['cases']) =>
  (who: Who, fx: Fixture): Outcome =>
    who === ANONYMOUS ? 401 : isCaseInScope(fx.cases[key], fx.actors.get(who)!) ? ['ok', 403, 409, 422] : 404;
/** Queue counts add up to the fixture cases in the caller's scope (the matrix creates no other cases). */
const countsOnlyScope =
  (filter: (row: CaseScopeRow) => boolean = () => true) =>
  (body: unknown, who: Who, fx: Fixture): string | null => {
    const byState = (body as { byState?: Record<string, number> }).byState ?? {};
    const counted = Object.values(byState).reduce((a, b) => a + b, 0);
    const actor = fx.actors.get(who)!;
    const expected = Object.values(fx.cases).filter((row) => isCaseInScope(row, actor) && filter(row)).length;
    return counted === expected ? null : `counted ${counted} cases, ${expected} in scope`;
  };

/** The reporter's contact is masked unless the caller must contact them. */
const reporterMaskedPerPolicy =
  (key: keyof Fixture['cases']) =>
  (body: unknown, who: Who, fx: Fixture): string | null => {
    const reporter = (body as { reporter?: { phone: string | null; masked: boolean } }).reporter;
    const visible = canSeeReporterContact(fx.actors.get(who)!, fx.cases[key]);
    if (!reporter) return 'no reporter in the detail';
    if (reporter.masked === visible || (reporter.phone ?? '').includes('*') === visible) {
      return `reporter ${visible ? 'masked but should be visible' : 'visible but should be masked'}`;
    }
    return null;
  };

/** A list must hold exactly the fixture cases in the caller's scope (that pass the request's own filter). */
const listsOnlyScope =
  (filter: (row: CaseScopeRow) => boolean = () => true) =>
  (body: unknown, who: Who, fx: Fixture): string | null => {
    const ids = new Set(((body as { items?: { id: string }[] }).items ?? []).map((c) => c.id));
    const actor = fx.actors.get(who)!;
    for (const [key, row] of Object.entries(fx.cases)) {
      const expected = isCaseInScope(row, actor) && filter(row);
      if (ids.has(row.id) !== expected) return `case ${key} ${ids.has(row.id) ? 'listed' : 'missing'}`;
    }
    return null;
  };

const get = (url: string) => () => ({ url });
/** Staff views (counts, dashboards, the case console): a citizen is refused (issue 11 §5). */
const staffOnly =
  (policy: (who: Who, fx: Fixture) => Outcome) =>
  (who: Who, fx: Fixture): Outcome => {
    const outcome = policy(who, fx);
    return who !== ANONYMOUS && fx.actors.get(who)!.role === 'citizen' && outcome === 'ok' ? 403 : outcome;
  };

// patrols (issue 13): tracks are personal data — the patroller, their street centre, the district
const seesPatrol = (who: Who, fx: Fixture): Outcome =>
  who === ANONYMOUS ? 401 : canSeePatrol(fx.actors.get(who)!, fx.patrol) ? 'ok' : 404;
/** Feeding a patrol: its patroller; others who see it are refused, the rest do not see it. */
const feedsPatrol = (who: Who, fx: Fixture): Outcome => {
  const seen = seesPatrol(who, fx);
  return seen === 'ok' && fx.actors.get(who)!.userId !== fx.patrol.userId ? 403 : seen;
};
const isCentre = (who: Who, fx: Fixture) => {
  const streets = patrolStreetsOf(fx.actors.get(who)!);
  return streets === null || streets.length > 0;
};
const centreOnly = (who: Who, fx: Fixture): Outcome =>
  who === ANONYMOUS ? 401 : isCentre(who, fx) ? 'ok' : 403;
const patrolDay = '2026-03-02';
/** Importers (see src/core/imports/policy.ts) get `allowed`; everybody else 403. */
const IMPORTERS = new Set(['admin', 'gumei.dispatcher', 'gumei.lead', 'xinhong.dispatcher']);
const importerOr =
  (allowed: Outcome) =>
  (who: Who): Outcome =>
    who === ANONYMOUS ? 401 : IMPORTERS.has(who) ? allowed : 403;
/** A 古美 run: admins and 古美's operators see it; 新虹's does not know it exists (404). */
const importerInGumei = (who: Who): Outcome => (who === 'xinhong.dispatcher' ? 404 : importerOr('ok')(who));

// ---- the checks -----------------------------------------------------------------------------------
const CHECKS: RouteCheck[] = [
  { route: 'GET /healthz', request: get('/healthz'), expect: everyone },

  // territory and reference data are public
  { route: 'GET /api/v1/regions', request: get('/api/v1/regions?level=street'), expect: everyone },
  { route: 'GET /api/v1/regions/{code}', request: get(`/api/v1/regions/${MINI.gumei}`), expect: everyone },
  { route: 'GET /api/v1/categories', request: get('/api/v1/categories'), expect: everyone },
  { route: 'GET /api/v1/departments', request: get('/api/v1/departments'), expect: everyone },
  { route: 'GET /api/v1/locate', request: get('/api/v1/locate?lon=121.38&lat=31.15'), expect: everyone },
  { route: 'GET /api/v1/map/config', request: get('/api/v1/map/config'), expect: everyone },
  { route: 'GET /api/v1/map/regions', request: get('/api/v1/map/regions?level=street'), expect: everyone },

  // the working calendar: reading is public, changing it is for admins
  {
    route: 'GET /api/v1/calendar/due',
    request: get('/api/v1/calendar/due?start=2026-09-30T16:00:00%2B08:00&amount=4&unit=work_hour'),
    expect: everyone,
  },
  {
    route: 'GET /api/v1/calendar/days',
    request: get('/api/v1/calendar/days?from=2026-10-01&to=2026-10-08'),
    expect: everyone,
  },
  { route: 'GET /api/v1/calendar/overrides', request: get('/api/v1/calendar/overrides'), expect: adminOnly },
  {
    route: 'PUT /api/v1/calendar/overrides/{date}',
    request: () => ({
      url: '/api/v1/calendar/overrides/2031-01-02',
      payload: { kind: 'holiday', note: 'matrix' },
    }),
    expect: adminOnly,
  },
  {
    route: 'DELETE /api/v1/calendar/overrides/{date}',
    request: get('/api/v1/calendar/overrides/2031-01-02'),
    expect: adminOnly,
  },
  {
    route: 'PUT /api/v1/calendar/settings',
    request: () => ({ url: '/api/v1/calendar/settings', payload: {} }),
    expect: adminOnly,
  },
  { route: 'GET /api/v1/calendar/years', request: get('/api/v1/calendar/years'), expect: everyone },
  {
    route: 'POST /api/v1/calendar/import',
    // a far year, so the import (which replaces that year's overrides) disturbs no other check
    request: () => ({ url: '/api/v1/calendar/import', payload: { content: '2032-01-02,holiday,matrix' } }),
    expect: adminOnly,
  },

  // sign in / out / me
  {
    route: 'POST /api/v1/auth/login',
    request: (_fx, who) => ({
      url: '/api/v1/auth/login',
      payload: {
        username: who === ANONYMOUS ? 'nobody' : who,
        password: who === ANONYMOUS ? 'wrong-password' : 'liandong-demo',
      },
    }),
    expect: (who) => (who === ANONYMOUS ? 401 : 'ok'),
  },
  { route: 'POST /api/v1/auth/logout', request: get('/api/v1/auth/logout'), expect: everyone, fresh: true },
  { route: 'GET /api/v1/me', request: get('/api/v1/me'), expect: signedIn },
  {
    route: 'POST /api/v1/me/password',
    label: 'wrong current password changes nothing',
    request: () => ({
      url: '/api/v1/me/password',
      payload: { currentPassword: 'not-my-password', newPassword: 'whatever-new-1' },
    }),
    expect: (who) => (who === ANONYMOUS ? 401 : 400),
    fresh: true,
  },

  // one's own sessions: each caller sees and ends only their own (an unknown or foreign id is 404)
  {
    route: 'GET /api/v1/me/sessions',
    request: get('/api/v1/me/sessions'),
    expect: signedIn,
    verify: (body) => {
      const items = (body as { items: { current: boolean; address: string | null }[] }).items;
      if (items.filter((s) => s.current).length !== 1) return 'not exactly one current session';
      return items.some((s) => s.address && !s.address.endsWith('*')) ? 'address not masked' : null;
    },
  },
  {
    route: 'DELETE /api/v1/me/sessions/{id}',
    label: 'unknown',
    request: get('/api/v1/me/sessions/00000000-0000-0000-0000-000000000000'),
    expect: (who) => (who === ANONYMOUS ? 401 : 404),
  },

  // user administration and the audit log: admins only
  { route: 'GET /api/v1/users', request: get('/api/v1/users'), expect: adminOnly },
  {
    route: 'POST /api/v1/users',
    request: (_fx, who) => ({
      url: '/api/v1/users',
      payload: { username: `m.${who.replace(/[^a-z]/g, '')}`.slice(0, 40), role: 'citizen', unit: 'none' },
    }),
    expect: (who) => (who === ANONYMOUS ? 401 : who === 'admin' ? 'ok' : 403),
  },
  {
    route: 'GET /api/v1/users/{id}',
    request: (fx) => ({ url: `/api/v1/users/${fx.targetUserId}` }),
    expect: adminOnly,
  },
  {
    route: 'GET /api/v1/users/{id}',
    label: 'yourself',
    request: (fx, who) => ({ url: `/api/v1/users/${fx.actors.get(who)?.userId ?? fx.targetUserId}` }),
    expect: signedIn,
  },
  {
    route: 'PATCH /api/v1/users/{id}',
    request: (fx) => ({ url: `/api/v1/users/${fx.targetUserId}`, payload: { displayName: '矩阵' } }),
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/users/{id}/disable',
    request: (fx) => ({ url: `/api/v1/users/${fx.targetUserId}/disable` }),
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/users/{id}/enable',
    request: (fx) => ({ url: `/api/v1/users/${fx.targetUserId}/enable` }),
    expect: adminOnly,
  },
  {
    route: 'POST /api/v1/users/{id}/reset-password',
    request: (fx) => ({ url: `/api/v1/users/${fx.targetUserId}/reset-password`, payload: {} }),
    expect: adminOnly,
  },
  { route: 'GET /api/v1/audit', request: get('/api/v1/audit'), expect: adminOnly },
  { route: 'GET /api/v1/audit/verify', request: get('/api/v1/audit/verify'), expect: adminOnly },

  // webhooks (issue 15): admins only; for ids that do not exist, admins learn 404 and others 403
  ...webhookChecks(),
  // Open311 GeoReport v2 read side (issue 15): public, like the specification's GET methods
  ...[
    'discovery',
    'services',
    'services/{service_code}',
    'requests',
    'requests/{service_request_id}',
  ].flatMap((path) =>
    ['json', 'xml'].map((format): RouteCheck => ({
      route: `GET /open311/v2/${path}.${format}`,
      request: get(
        `/open311/v2/${path.replace('{service_code}', '0101').replace('{service_request_id}', '310112-2026-999999')}.${format}`,
      ),
      // an unknown request id is a 404 for everyone: nothing is hidden by role
      expect: () =>
        path.includes('{service_request_id}') ? 404 : path.includes('{service_code}') ? ['ok', 404] : 'ok',
    })),
  ),

  // Open311 write side (issue 15): the client's api_key decides, not the session (an unknown key: 403)
  ...['json', 'xml'].map((format): RouteCheck => ({
    route: `POST /open311/v2/requests.${format}`,
    request: () => ({
      url: `/open311/v2/requests.${format}`,
      payload: {
        api_key: 'o311_unknown',
        service_code: '0501',
        lat: '31.15',
        long: '121.385',
        description: 'x',
      },
    }),
    expect: () => 403,
  })),
  ...open311ClientChecks(),

  // cases: lists hold only the caller's scope; outside it a case does not exist (404)
  { route: 'GET /api/v1/cases', request: get('/api/v1/cases'), expect: signedIn, verify: listsOnlyScope() },
  {
    route: 'GET /api/v1/cases',
    label: 'filtered to 古美',
    request: get(`/api/v1/cases?street=${MINI.gumei}`),
    expect: signedIn,
    verify: listsOnlyScope((row) => row.street_code === MINI.gumei),
  },
  {
    route: 'GET /api/v1/cases',
    label: 'text search',
    request: get('/api/v1/cases?text=matrix'),
    expect: signedIn,
    verify: listsOnlyScope(),
  },
  {
    route: 'GET /api/v1/cases/{id}',
    label: 'a case in 古美',
    request: (fx) => ({ url: `/api/v1/cases/${fx.cases.gumei.id}` }),
    expect: inScopeOr404('gumei'),
    verify: reporterMaskedPerPolicy('gumei'),
  },
  {
    route: 'GET /api/v1/cases/{id}',
    label: 'a case in 新虹',
    request: (fx) => ({ url: `/api/v1/cases/${fx.cases.xinhong.id}` }),
    expect: inScopeOr404('xinhong'),
    verify: reporterMaskedPerPolicy('xinhong'),
  },
  {
    route: 'GET /api/v1/cases/{id}/context',
    label: 'a case in 古美',
    request: (fx) => ({ url: `/api/v1/cases/${fx.cases.gumei.id}/context` }),
    expect: inScopeOr404('gumei'),
  },
  {
    route: 'GET /api/v1/cases/{id}/context',
    label: 'a case in 新虹',
    request: (fx) => ({ url: `/api/v1/cases/${fx.cases.xinhong.id}/context` }),
    expect: staffOnly(inScopeOr404('xinhong')),
  },
  {
    route: 'POST /api/v1/cases/{id}/reporter/unmask',
    label: 'the 古美 reporter',
    request: (fx) => ({
      url: `/api/v1/cases/${fx.cases.gumei.id}/reporter/unmask`,
      payload: { reason: 'matrix: call back' },
    }),
    expect: (who, fx) => {
      if (who === ANONYMOUS) return 401;
      const actor = fx.actors.get(who)!;
      if (!isCaseInScope(fx.cases.gumei, actor)) return 404;
      return canUnmaskReporter(actor, fx.cases.gumei) ? 'ok' : 403;
    },
    verify: (body) => ((body as { phone: string }).phone === '13812345678' ? null : 'phone not unmasked'),
  },
  {
    route: 'GET /api/v1/cases/{id}',
    label: 'by case number',
    request: () => ({ url: '/api/v1/cases/310112-2026-900001' }),
    expect: inScopeOr404('gumei'),
  },
  {
    route: 'POST /api/v1/cases/{id}/actions/{action}',
    label: 'comment on a case in 古美',
    request: (fx) => ({
      url: `/api/v1/cases/${fx.cases.gumei.id}/actions/comment`,
      payload: { version: 1, text: 'matrix' },
    }),
    expect: actsInScopeOr404('gumei'),
  },
  {
    route: 'POST /api/v1/cases/{id}/actions/{action}',
    label: 'close a case in 新虹',
    request: (fx) => ({ url: `/api/v1/cases/${fx.cases.xinhong.id}/actions/close`, payload: { version: 1 } }),
    expect: actsInScopeOr404('xinhong'),
  },
  {
    route: 'POST /api/v1/cases',
    request: () => ({
      url: '/api/v1/cases',
      payload: { description: 'matrix report', location: { lon: 121.38, lat: 31.15 } },
    }),
    // every signed-in role reports or is refused by role; the mini territory has no geometry (400 outside)
    expect: (who) => (who === ANONYMOUS ? 401 : ['ok', 400, 403, 422]),
  },
  {
    route: 'POST /api/v1/attachments',
    request: get('/api/v1/attachments'),
    expect: (who) => (who === ANONYMOUS ? 401 : [400, 403, 415]),
  },
  {
    route: 'GET /api/v1/attachments/{id}',
    label: 'unknown',
    request: get('/api/v1/attachments/nope'),
    expect: (who) => (who === ANONYMOUS ? 401 : 404),
  },
  { route: 'GET /api/v1/notifications', request: get('/api/v1/notifications'), expect: signedIn },
  {
    route: 'POST /api/v1/notifications/{id}/read',
    label: 'unknown',
    request: get('/api/v1/notifications/999999/read'),
    expect: (who) => (who === ANONYMOUS ? 401 : 404),
  },
  // counts never include what the caller cannot see
  {
    route: 'GET /api/v1/stats/queues',
    request: get('/api/v1/stats/queues'),
    expect: staffOnly(signedIn),
    verify: countsOnlyScope(),
  },
  {
    route: 'GET /api/v1/stats/queues',
    label: 'counting 古美',
    request: get(`/api/v1/stats/queues?street=${MINI.gumei}`),
    expect: staffOnly(signedIn),
    verify: countsOnlyScope((row) => row.street_code === MINI.gumei),
  },
  {
    route: 'GET /api/v1/stats/overview',
    request: get('/api/v1/stats/overview'),
    expect: staffOnly(signedIn),
  },
  // the evaluation (issue 14): district leaders and admins see every unit; street leaders and department
  // leads (no demo account) their own; the weights are the admin's
  { route: 'GET /api/v1/evaluation', request: get('/api/v1/evaluation?period=2026-03'), expect: evaluators },
  {
    route: 'GET /api/v1/evaluation/cases',
    request: get(
      `/api/v1/evaluation/cases?indicator=closure_rate&unit=${MINI.gumei}&part=denominator&period=2026-03`,
    ),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/evaluation/export.csv',
    request: get('/api/v1/evaluation/export.csv?period=2026-03&unitKind=street'),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/evaluation/cases/export.csv',
    request: get(
      `/api/v1/evaluation/cases/export.csv?indicator=closure_rate&unit=${MINI.gumei}&part=denominator&period=2026-03`,
    ),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/evaluation/definitions',
    request: get('/api/v1/evaluation/definitions'),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/evaluation/settings',
    request: get('/api/v1/evaluation/settings'),
    expect: evaluators,
  },
  {
    route: 'PUT /api/v1/evaluation/settings',
    request: () => ({ url: '/api/v1/evaluation/settings', payload: { weights: {}, minDenominator: 10 } }),
    expect: adminOnly,
  },
  // the citizens' page: anyone with the number *and* its follow-up code (查询码) may follow a case, and
  // sees no personal data; the number alone or a wrong code finds nothing (issue 9 §8)
  {
    route: 'POST /api/v1/public/cases/lookup',
    request: () => ({
      url: '/api/v1/public/cases/lookup',
      payload: { caseNo: '310112-2026-900001', code: 'MTRX2345' },
    }),
    expect: everyone,
    verify: (body) =>
      /张三|13812345678|5678|matrix|MTRX/.test(JSON.stringify(body))
        ? 'personal data, description or code exposed'
        : null,
  },
  {
    route: 'POST /api/v1/public/cases/lookup',
    label: 'a wrong follow-up code',
    request: () => ({
      url: '/api/v1/public/cases/lookup',
      payload: { caseNo: '310112-2026-900001', code: 'MTRX2346' },
    }),
    expect: () => 404,
  },
  // it ends every other session of the caller, the shared one included (the runner then drops it)
  {
    route: 'POST /api/v1/me/sessions/revoke-others',
    request: get('/api/v1/me/sessions/revoke-others'),
    expect: signedIn,
    fresh: true,
    endsOtherSessions: true,
  },
  // patrols and coverage (issue 13)
  {
    route: 'POST /api/v1/patrols',
    request: get('/api/v1/patrols'),
    // the only patroller already has an open patrol
    expect: (who, fx) => (who === ANONYMOUS ? 401 : fx.actors.get(who)!.role === 'patroller' ? 409 : 403),
  },
  { route: 'GET /api/v1/patrols', request: get('/api/v1/patrols'), expect: signedIn },
  { route: 'GET /api/v1/patrols/current', request: get('/api/v1/patrols/current'), expect: signedIn },
  { route: 'GET /api/v1/patrols/live', request: get('/api/v1/patrols/live'), expect: centreOnly },
  {
    route: 'POST /api/v1/patrols/verify-nearest',
    label: 'a case in 古美 (nobody has a fresh position)',
    request: (fx) => ({
      url: '/api/v1/patrols/verify-nearest',
      payload: { caseRef: fx.cases.gumei.id, version: 1 },
    }),
    expect: actsInScopeOr404('gumei'),
  },
  {
    route: 'GET /api/v1/patrols/{id}',
    request: (fx) => ({ url: `/api/v1/patrols/${fx.patrol.id}` }),
    expect: seesPatrol,
  },
  {
    route: 'POST /api/v1/patrols/{id}/points',
    request: (fx) => ({
      url: `/api/v1/patrols/${fx.patrol.id}/points`,
      payload: { points: [{ seq: 1, at: '2026-03-02T01:30:00Z', lon: 121.38, lat: 31.15, accuracy: 5 }] },
    }),
    expect: feedsPatrol,
  },
  {
    route: 'POST /api/v1/patrols/{id}/checkins',
    request: (fx) => ({
      url: `/api/v1/patrols/${fx.patrol.id}/checkins`,
      payload: {
        clientId: 'matrix',
        at: '2026-03-02T01:40:00Z',
        lon: 121.38,
        lat: 31.15,
        accuracy: 5,
        note: '',
      },
    }),
    expect: feedsPatrol,
  },
  {
    route: 'POST /api/v1/patrols/{id}/end',
    request: (fx) => ({ url: `/api/v1/patrols/${fx.patrol.id}/end` }),
    expect: feedsPatrol,
  },
  {
    route: 'GET /api/v1/coverage',
    request: get(`/api/v1/coverage?from=${patrolDay}&to=${patrolDay}`),
    expect: centreOnly,
  },
  {
    route: 'GET /api/v1/coverage/patrollers',
    request: get(`/api/v1/coverage/patrollers?from=${patrolDay}&to=${patrolDay}`),
    expect: (who, fx) =>
      who !== ANONYMOUS && fx.actors.get(who)!.role === 'patroller' ? 'ok' : centreOnly(who, fx),
  },
  {
    route: 'PUT /api/v1/coverage/frequencies/{gridCode}',
    request: () => ({
      url: `/api/v1/coverage/frequencies/${MINI.gumeiGrids[0]}`,
      payload: { daysPerWeek: 7 },
    }),
    expect: adminOnly,
  },

  // early warnings (issue 13): the owning street centre and the district
  { route: 'GET /api/v1/warnings', request: get('/api/v1/warnings'), expect: centreOnly },
  {
    route: 'GET /api/v1/warnings/counts',
    request: get('/api/v1/warnings/counts?from=2026-03-01&to=2026-03-31'),
    expect: centreOnly,
  },
  { route: 'GET /api/v1/warnings/settings', request: get('/api/v1/warnings/settings'), expect: adminOnly },
  {
    route: 'PUT /api/v1/warnings/settings',
    request: () => ({ url: '/api/v1/warnings/settings', payload: { recurrenceMinCases: 3 } }),
    expect: adminOnly,
  },
  {
    route: 'GET /api/v1/warnings/{id}',
    label: 'a 古美 warning',
    request: (fx) => ({ url: `/api/v1/warnings/${fx.warning.id}` }),
    expect: (who, fx) =>
      who === ANONYMOUS ? 401 : canSeeWarning(fx.actors.get(who)!, fx.warning) ? 'ok' : 404,
  },
  {
    route: 'POST /api/v1/warnings/{id}/actions',
    label: 'acknowledge a 古美 warning (the first one acknowledges, the rest find it acknowledged)',
    request: (fx) => ({
      url: `/api/v1/warnings/${fx.warning.id}/actions`,
      payload: { action: 'acknowledge', version: 1 },
    }),
    expect: (who, fx) => {
      if (who === ANONYMOUS) return 401;
      const actor = fx.actors.get(who)!;
      if (!canSeeWarning(actor, fx.warning)) return 404;
      return canActOnWarning(actor, fx.warning) ? ['ok', 409] : 403;
    },
  },

  // base information (issue 12): lists answer every signed-in caller (empty outside the slice/territory);
  // one record outside them does not exist (404); unmasking needs the slice's right (403)
  ...BASE_INFO_CHECKS(),
  ...followUpChecks(),
  // reference-data administration (issue 11): district admins only
  ...adminReferenceChecks(),
  ...PUBLIC_REPORT_CHECKS(),
  // exports and the monthly report (issue 14)
  ...EXPORT_CHECKS(),
  ...INTAKE_CHECKS(),
  ...NOTIFICATION_CHECKS(),
  ...MINE_CHECKS(),
  ...SCREENING_CHECKS(),
  // base-information imports: district admins, and street dispatchers/shift leads in their street
  {
    route: 'POST /api/v1/imports',
    label: 'an empty file',
    request: () => ({ url: '/api/v1/imports?kind=people', ...multipartBody(Buffer.alloc(0), 'empty.csv') }),
    expect: importerOr(400),
  },
  { route: 'GET /api/v1/imports', request: get('/api/v1/imports'), expect: importerOr('ok') },
  {
    route: 'GET /api/v1/imports/{id}',
    label: 'a 古美 run',
    request: get(`/api/v1/imports/${MATRIX_IMPORT_RUN}`),
    expect: importerInGumei,
  },
  {
    route: 'POST /api/v1/imports/{id}/start',
    label: 'unknown',
    request: () => ({
      url: '/api/v1/imports/00000000-0000-4000-8000-000000000000/start',
      payload: { dryRun: true },
    }),
    expect: importerOr(404),
  },
  {
    route: 'GET /api/v1/imports/{id}/errors',
    label: 'a 古美 run',
    request: get(`/api/v1/imports/${MATRIX_IMPORT_RUN}/errors`),
    expect: importerInGumei,
  },
  {
    route: 'GET /api/v1/imports/{id}/errors.csv',
    label: 'a 古美 run',
    request: get(`/api/v1/imports/${MATRIX_IMPORT_RUN}/errors.csv`),
    expect: importerInGumei,
  },
  // a live stream never ends under inject: only the refusal is checked here
  {
    route: 'GET /api/v1/events',
    request: get('/api/v1/events'),
    expect: (who) => (who === ANONYMOUS ? 401 : 'skip'),
  },
];

/** The webhook administration routes: district admins only, the rest of the district 403. */
function webhookChecks(): RouteCheck[] {
  const adminOr404 = (who: Who): Outcome => (who === ANONYMOUS ? 401 : who === 'admin' ? 404 : 403);
  const unknown = '/api/v1/webhooks/subscriptions/00000000-0000-0000-0000-000000000000';
  return [
    {
      route: 'GET /api/v1/webhooks/subscriptions',
      request: get('/api/v1/webhooks/subscriptions'),
      expect: adminOnly,
    },
    {
      route: 'POST /api/v1/webhooks/subscriptions',
      request: () => ({
        url: '/api/v1/webhooks/subscriptions',
        payload: { name: '12345', url: 'https://hooks.example.com/liandong', eventTypes: ['case.closed'] },
      }),
      expect: adminOnly,
    },
    { route: 'GET /api/v1/webhooks/subscriptions/{id}', request: get(unknown), expect: adminOr404 },
    {
      route: 'PATCH /api/v1/webhooks/subscriptions/{id}',
      request: () => ({ url: unknown, payload: { enabled: false } }),
      expect: adminOr404,
    },
    { route: 'DELETE /api/v1/webhooks/subscriptions/{id}', request: get(unknown), expect: adminOr404 },
    {
      route: 'POST /api/v1/webhooks/subscriptions/{id}/rotate-secret',
      request: get(`${unknown}/rotate-secret`),
      expect: adminOr404,
    },
    {
      route: 'GET /api/v1/webhooks/deliveries',
      request: get('/api/v1/webhooks/deliveries?status=failed'),
      expect: adminOnly,
    },
    {
      route: 'GET /api/v1/webhooks/deliveries/{id}',
      request: get('/api/v1/webhooks/deliveries/999999'),
      expect: adminOr404,
    },
    {
      route: 'POST /api/v1/webhooks/deliveries/{id}/replay',
      request: get('/api/v1/webhooks/deliveries/999999/replay'),
      expect: adminOr404,
    },
  ];
}

/** The Open311 client administration: district admins only, the rest of the district 403. */
function open311ClientChecks(): RouteCheck[] {
  const adminOr404 = (who: Who): Outcome => (who === ANONYMOUS ? 401 : who === 'admin' ? 404 : 403);
  return [
    { route: 'GET /api/v1/open311/clients', request: get('/api/v1/open311/clients'), expect: adminOnly },
    {
      route: 'POST /api/v1/open311/clients',
      request: () => ({ url: '/api/v1/open311/clients', payload: { name: '12345', source: 'hotline' } }),
      expect: adminOnly,
    },
    {
      route: 'PUT /api/v1/open311/clients/{id}/enabled',
      request: () => ({ url: '/api/v1/open311/clients/no-such-client/enabled', payload: { enabled: false } }),
      expect: adminOr404,
    },
  ];
}

// ---- the runner -----------------------------------------------------------------------------------
describe('access matrix: every route × every demo role', () => {
  let database: Database;
  let app: FastifyInstance;
  let fx: Fixture;
  const clock = testClock('2026-03-02T02:00:00Z');
  const sessions = new Map<Who, string>();
  const deps = () => identityDepsFor(database, clock.now);

  const tokenFor = async (who: Who, fresh: boolean): Promise<string | null> => {
    if (who === ANONYMOUS) return null;
    if (!fresh && sessions.has(who)) return sessions.get(who)!;
    const { token } = await login(deps(), { username: who, password: 'liandong-demo' });
    if (!fresh) sessions.set(who, token);
    return token;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const actors = await seedIdentityFixture(database);
    const target = await database.db
      .insertInto('users')
      .values({
        username: 'matrix.target',
        display_name: '目标',
        password_hash: 'x',
        role: 'citizen',
        unit_kind: 'none',
        unit_code: null,
        department_id: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    fx = {
      actors,
      targetUserId: target.id,
      cases: await seedMatrixCases(database, actors),
      patrol: await seedMatrixPatrol(database, actors.get('gumei.patroller')!),
      warning: await seedMatrixWarning(database),
    };
    await seedMatrixBaseInfo(database, actors);
    await seedMatrixScreening(database, actors);
    await seedMatrixImportRun(database);
    app = await buildTestApp({ database, config: loadConfig({}), demo: true, now: clock.now });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('covers every documented route', async () => {
    await app.ready();
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    // the contract publishes one operation per case action; the server has one route for them all
    const route = (path: string) => path.replace(/\/actions\/[a-z_]+$/, '/actions/{action}');
    const documented = [
      ...new Set(
        Object.entries(spec.paths).flatMap(([path, methods]) =>
          Object.keys(methods).map((m) => `${m.toUpperCase()} ${route(path)}`),
        ),
      ),
    ];
    const covered = new Set(CHECKS.map((c) => c.route));
    expect(
      documented.filter((r) => !covered.has(r)),
      'routes without an access check',
    ).toEqual([]);
    expect(
      [...covered].filter((r) => !documented.includes(r)),
      'checks for routes that do not exist',
    ).toEqual([]);
  });

  it('answers every caller as the policy says', async () => {
    const failures: string[] = [];
    for (const check of CHECKS) {
      for (const who of WHO) {
        const expected = check.expect(who, fx);
        if (expected === 'skip') continue;
        const token = await tokenFor(who, check.fresh ?? false);
        const [method] = check.route.split(' ');
        const request = check.request(fx, who);
        const res = await app.inject({
          ...request,
          method: method as InjectOptions['method'],
          // each caller from its own address, so per-address login limits do not mix callers
          remoteAddress: `10.50.${WHO.indexOf(who)}.1`,
          headers: { ...(request.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
        if (check.endsOtherSessions) sessions.delete(who);
        const name = `${check.route}${check.label ? ` (${check.label})` : ''} as ${who}`;
        const accepted = (Array.isArray(expected) ? expected : [expected]) as ('ok' | number)[];
        const is2xx = res.statusCode >= 200 && res.statusCode < 300;
        if (!accepted.some((e) => (e === 'ok' ? is2xx : res.statusCode === e))) {
          failures.push(
            `${name}: expected ${accepted.join('|')}, got ${res.statusCode} ${res.body.slice(0, 160)}`,
          );
        } else if (is2xx && check.verify) {
          const complaint = check.verify(res.json(), who, fx);
          if (complaint) failures.push(`${name}: ${complaint}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 180_000); // every route × every caller: minutes on a loaded CI machine (a hang guard, not a time limit)

  it('left an audit trail of unmasking and administration, with an unbroken chain', async () => {
    const actions = (await database.db.selectFrom('audit_log').select('action').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'reporter.unmask',
        'user.create',
        'user.disable',
        'auth.login',
        'auth.login_failed',
      ]),
    );
    const verify = await app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { authorization: `Bearer ${await tokenFor('admin', false)}` },
    });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});

/** An open patrol of the 古美 patroller, started an hour before the matrix's clock. */
async function seedMatrixPatrol(database: Database, patroller: Actor): Promise<Fixture['patrol']> {
  const id = '00000000-0000-4000-8000-000000000013';
  const unitCode = patroller.unit.kind === 'region' ? patroller.unit.code : MINI.gumeiGrids[0]!;
  await database.db
    .insertInto('patrols')
    .values({
      id,
      user_id: patroller.userId,
      unit_code: unitCode,
      street_code: unitCode.slice(0, 9),
      started_at: new Date('2026-03-02T01:00:00Z'),
    })
    .execute();
  return { id, userId: patroller.userId, streetCode: unitCode.slice(0, 9) };
}

/** A new warning owned by 古美 (a recurrence at the first 古美 grid). */
async function seedMatrixWarning(database: Database): Promise<Fixture['warning']> {
  const id = '00000000-0000-4000-8000-000000001301';
  const ownerCode = MINI.gumeiGrids[0]!.slice(0, 9);
  const at = new Date('2026-03-02T01:00:00Z');
  await database.db
    .insertInto('warnings')
    .values({
      id,
      rule: 'recurrence',
      dedup_key: 'recurrence:matrix',
      lat: 31.15,
      lon: 121.38,
      address_id: null,
      category_code: null,
      district_code: null,
      street_code: ownerCode,
      committee_code: null,
      grid_code: null,
      owner_code: ownerCode,
      raised_at: at,
      updated_at: at,
      acknowledged_at: null,
      acknowledged_by: null,
      closed_at: null,
      closed_by: null,
      dismiss_reason: null,
      case_id: null,
    })
    .execute();
  return { id, ownerCode };
}

/** One case in 古美 (handled by 古美房管办, 古美派出所 linked) and one in 新虹 (routed to 古美市场监管所 by hand, to test department scope across streets). */
async function seedMatrixCases(database: Database, actors: Map<string, Actor>): Promise<Fixture['cases']> {
  const at = new Date('2026-03-01T02:00:00Z');
  const base = {
    state: 'dispatched' as const,
    source: 'patrol' as const,
    urgency: 'normal' as const,
    lon: 121.38,
    lat: 31.15,
    district_code: MINI.district,
    owner_level: 'street' as const,
    escalated: false,
    reported_at: at,
    updated_at: at,
  };
  const gumei = {
    id: 'matrix-gumei',
    street_code: MINI.gumei,
    committee_code: MINI.gumeiCommittees[0],
    grid_code: MINI.gumeiGrids[0],
    owner_code: MINI.gumei,
    lead_department_id: 'housing-310112006',
    assisting_department_ids: ['chengguan-310112006'],
    police_department_id: 'police-310112006',
    police_mode: 'assist' as const,
    reporter_user_id: actors.get('gumei.patroller')!.userId,
    reporter_ids: [actors.get('gumei.patroller')!.userId],
    assignee_user_id: null,
  };
  const xinhong = {
    id: 'matrix-xinhong',
    street_code: MINI.xinhong,
    committee_code: MINI.xinhongCommittees[0],
    grid_code: MINI.xinhongGrids[0],
    owner_code: MINI.xinhong,
    lead_department_id: 'market-310112006',
    assisting_department_ids: [],
    police_department_id: 'police-310112008',
    // 无证照经营 does not involve the police: the 新虹 station does not see it (issue 11 §5)
    police_mode: 'none' as const,
    reporter_user_id: actors.get('citizen')!.userId,
    reporter_ids: [actors.get('citizen')!.userId],
    assignee_user_id: null,
  };
  await database.db
    .insertInto('cases')
    .values([
      {
        ...base,
        ...gumei,
        case_no: '310112-2026-900001',
        follow_up_code: 'MTRX2345',
        description: '群租 (matrix)',
        reporter_name: '张三',
        reporter_phone: '13812345678',
      },
      {
        ...base,
        ...xinhong,
        case_no: '310112-2026-900002',
        description: '无证照经营 (matrix)',
        reporter_name: '李四',
        reporter_phone: '13900001111',
      },
    ])
    .execute();
  return { gumei: { ...base, ...gumei }, xinhong: { ...base, ...xinhong } };
}
