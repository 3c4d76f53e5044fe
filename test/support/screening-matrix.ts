import { loadBaseInfoAccess } from '../../src/app/baseinfo/access.ts';
import type { Actor } from '../../src/core/actor.ts';
import { placeInRegions, type BaseInfoAccess } from '../../src/core/policy/base-info.ts';
import { campaignOverlaps, canManageCampaign } from '../../src/core/screening/access.ts';
import { canVisitTask } from '../../src/core/screening/tasks.ts';
import type { Database } from '../../src/db/database.ts';

/**
 * The rolling-screening rows of the access matrix (test/access-matrix.test.ts): a 古美 group-renting
 * campaign with one task at the matrix address (古美's first grid, see base-info-matrix.ts) assigned to
 * gumei.coordinator. Expected answers come from the policies (base-information scopes, core/screening/access.ts).
 */
const STREET = '310112006';
const GRID = '31011200600101';
const CAMPAIGN = '00000000-0000-4000-8000-000000002301';
const TASK = '00000000-0000-4000-8000-000000002302';
const TERRITORY = [STREET];
const ANONYMOUS = 'anonymous';
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';

const access = new Map<string, BaseInfoAccess>();
const actors = new Map<string, Actor>();
let coordinatorId = '';

export async function seedMatrixScreening(database: Database, all: Map<string, Actor>): Promise<void> {
  const at = new Date('2026-03-02T01:00:00Z');
  coordinatorId = all.get('gumei.coordinator')!.userId;
  await database.db
    .insertInto('screening_campaigns')
    .values({
      id: CAMPAIGN,
      name: '矩阵群租排摸',
      theme: 'group_renting',
      territory: TERRITORY,
      target_rule: JSON.stringify({ rule: 'rented_dwellings', minOccupants: 1 }) as never,
      rounds: 2,
      round_work_days: 5,
      starts_on: '2026-03-01',
      ends_on: '2026-04-30',
      owner_code: STREET,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await database.db
    .insertInto('screening_rounds')
    .values({
      campaign_id: CAMPAIGN,
      round_no: 1,
      opened_at: at,
      generated_at: at,
      due_at: at,
      closed_at: null,
      comparison: null,
    })
    .execute();
  await database.db
    .insertInto('screening_tasks')
    .values({
      id: TASK,
      campaign_id: CAMPAIGN,
      round_no: 1,
      target_kind: 'dwelling',
      target_id: 'matrix-dwl',
      address_id: 'matrix-addr',
      street_code: STREET,
      committee_code: GRID.slice(0, 12),
      grid_code: GRID,
      lon: 121.38,
      lat: 31.15,
      assignee_id: coordinatorId,
      due_at: new Date('2026-03-09T01:00:00Z'),
      revisit_at: null,
      last_visit_at: null,
    })
    .execute();
  for (const [who, actor] of all) {
    actors.set(who, actor);
    access.set(who, await loadBaseInfoAccess(database.db, actor));
  }
}

const seesCampaign = (who: string) => {
  const a = access.get(who)!;
  return a.slice.addresses && campaignOverlaps(a.regions, TERRITORY);
};
const signedIn = (who: string): Outcome => (who === ANONYMOUS ? 401 : 'ok');
const inCampaign = (who: string): Outcome => (who === ANONYMOUS ? 401 : seesCampaign(who) ? 'ok' : 404);
const managerOr = (who: string, ok: Outcome): Outcome =>
  who === ANONYMOUS ? 401 : canManageCampaign(actors.get(who)!, TERRITORY) ? ok : 403;

export const SCREENING_CHECKS = () => [
  {
    route: 'GET /api/v1/screening/themes',
    request: () => ({ url: '/api/v1/screening/themes' }),
    expect: signedIn,
  },
  {
    route: 'GET /api/v1/screening/campaigns',
    request: () => ({ url: '/api/v1/screening/campaigns' }),
    expect: signedIn,
    verify: (body: unknown, who: string) => {
      const listed = ((body as { items?: { id: string }[] }).items ?? []).some((c) => c.id === CAMPAIGN);
      return listed === seesCampaign(who) ? null : `the 古美 campaign ${listed ? 'listed' : 'missing'}`;
    },
  },
  {
    route: 'POST /api/v1/screening/campaigns',
    request: () => ({
      url: '/api/v1/screening/campaigns',
      payload: {
        name: '矩阵新建排摸',
        theme: 'fire_hazards',
        territory: [GRID],
        rounds: 1,
        roundWorkDays: 3,
        startsOn: '2026-03-02',
        endsOn: '2026-03-31',
      },
    }),
    expect: (who: string): Outcome =>
      who === ANONYMOUS ? 401 : canManageCampaign(actors.get(who)!, [GRID]) ? 'ok' : 403,
  },
  {
    route: 'GET /api/v1/screening/campaigns/{id}',
    request: () => ({ url: `/api/v1/screening/campaigns/${CAMPAIGN}` }),
    expect: inCampaign,
  },
  {
    route: 'PATCH /api/v1/screening/campaigns/{id}',
    label: 'rename the 古美 campaign (the first manager renames, the rest find a newer version)',
    request: () => ({
      url: `/api/v1/screening/campaigns/${CAMPAIGN}`,
      payload: { action: 'update', version: 1, name: '矩阵群租排摸（改）' },
    }),
    expect: (who: string): Outcome =>
      who !== ANONYMOUS && !seesCampaign(who) ? 404 : managerOr(who, ['ok', 409]),
  },
  {
    route: 'GET /api/v1/screening/campaigns/{id}/findings',
    request: () => ({ url: `/api/v1/screening/campaigns/${CAMPAIGN}/findings` }),
    expect: inCampaign,
  },
  {
    route: 'GET /api/v1/screening/campaigns/{id}/targets',
    request: () => ({ url: `/api/v1/screening/campaigns/${CAMPAIGN}/targets` }),
    expect: inCampaign,
  },
  {
    route: 'GET /api/v1/screening/campaigns/{id}/export',
    request: () => ({ url: `/api/v1/screening/campaigns/${CAMPAIGN}/export` }),
    expect: inCampaign,
  },
  {
    route: 'GET /api/v1/screening/tasks',
    request: () => ({ url: '/api/v1/screening/tasks?lon=121.38&lat=31.15' }),
    expect: signedIn,
    verify: (body: unknown, who: string) => {
      const listed = ((body as { items?: { id: string }[] }).items ?? []).some((t) => t.id === TASK);
      const expected = actors.get(who)!.userId === coordinatorId;
      return listed === expected ? null : `the task ${listed ? 'listed' : 'missing'}`;
    },
  },
  {
    route: 'POST /api/v1/screening/tasks/{id}/visits',
    label: 'nobody home at the 古美 task (its assignee)',
    request: () => ({
      url: `/api/v1/screening/tasks/${TASK}/visits`,
      payload: { version: 1, outcome: 'nobody_home', answers: {}, position: { lon: 121.38, lat: 31.15 } },
    }),
    expect: (who: string): Outcome => {
      if (who === ANONYMOUS) return 401;
      const a = access.get(who)!;
      if (!a.slice.addresses || !placeInRegions(a.regions, GRID)) return 404;
      const task = {
        streetCode: STREET,
        committeeCode: GRID.slice(0, 12),
        gridCode: GRID,
        assigneeId: coordinatorId,
      };
      return canVisitTask(actors.get(who)!, task) ? 'ok' : 403;
    },
  },
];
