import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { dateKeyOf, isDateKey } from '../../core/calendar/time.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { campaignOverlaps, canManageCampaign, isCampaignManager } from '../../core/screening/access.ts';
import { validateTargetRule } from '../../core/screening/targets.ts';
import type { AssigneeRole } from '../../core/screening/tasks.ts';
import { THEMES, type ScreeningTheme, type TargetRuleSpec } from '../../core/screening/themes.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { StoredComparison } from '../../db/schema/screening.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { addressScopeSql, loadBaseInfoAccess } from '../baseinfo/access.ts';
import type { Logger } from '../logger.ts';
import { generateScreeningTasks } from './generate-tasks.ts';

export type CampaignAction = 'update' | 'next_round' | 'close';

export interface CampaignView {
  id: string;
  name: string;
  theme: ScreeningTheme;
  territory: string[];
  target: TargetRuleSpec;
  assigneeRole: AssigneeRole;
  rounds: number;
  roundWorkDays: number;
  startsOn: string;
  endsOn: string;
  ownerCode: string;
  state: 'active' | 'closed';
  currentRound: number;
  createdAt: string;
  updatedAt: string;
  version: number;
  allowedActions: CampaignAction[];
}

export interface CampaignInput {
  name: string;
  theme: ScreeningTheme;
  territory: string[];
  target?: TargetRuleSpec | undefined;
  assigneeRole?: AssigneeRole | undefined;
  rounds: number;
  roundWorkDays: number;
  startsOn: string;
  endsOn: string;
}

export interface ScreeningDeps {
  database: Database;
  now: () => Date;
  log?: Logger | undefined;
}

interface Row {
  id: string;
  name: string;
  theme: ScreeningTheme;
  territory: string[];
  target_rule: TargetRuleSpec;
  assignee_role: AssigneeRole;
  rounds: number;
  round_work_days: number;
  starts_on: string;
  ends_on: string;
  owner_code: string;
  state: 'active' | 'closed';
  current_round: number;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const COLUMNS = [
  'id',
  'name',
  'theme',
  'territory',
  'target_rule',
  'assignee_role',
  'rounds',
  'round_work_days',
  'owner_code',
  'state',
  'current_round',
  'created_at',
  'updated_at',
  'version',
] as const;

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentCampaign(row: Row, actor: Actor): CampaignView {
  const manage = canManageCampaign(actor, row.territory) && row.state === 'active';
  return {
    id: row.id,
    name: row.name,
    theme: row.theme,
    territory: [...row.territory],
    target: row.target_rule,
    assigneeRole: row.assignee_role,
    rounds: row.rounds,
    roundWorkDays: row.round_work_days,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    ownerCode: row.owner_code,
    state: row.state,
    currentRound: row.current_round,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
    allowedActions: manage
      ? ['update', ...(row.current_round < row.rounds ? (['next_round'] as const) : []), 'close']
      : [],
  };
}

export async function readCampaign(db: Kysely<DB>, id: string): Promise<Row | undefined> {
  return db
    .selectFrom('screening_campaigns')
    .select(COLUMNS)
    .select(sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'))
    .select(sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on'))
    .where('id', '=', id)
    .executeTakeFirst() as Promise<Row | undefined>;
}

/**
 * The campaign if the actor sees it (its territory meets the actor's base-information regions and the
 * slice shows addresses), with the regions to cut its results to; otherwise not_found.
 */
export async function loadVisibleCampaign(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
): Promise<{ row: Row; regions: readonly string[] }> {
  const row = await readCampaign(db, id);
  const access = await loadBaseInfoAccess(db, actor);
  if (!row || !access.slice.addresses || !campaignOverlaps(access.regions, row.territory))
    throw new AppError('not_found', `No campaign ${id}`);
  return { row, regions: access.regions };
}

async function checkInput(db: Kysely<DB>, input: CampaignInput): Promise<TargetRuleSpec> {
  const problems: { path: string; message: string }[] = [];
  const target = input.target ?? THEMES[input.theme].defaultRule;
  problems.push(...validateTargetRule(input.theme, target));
  if (!isDateKey(input.startsOn)) problems.push({ path: '/startsOn', message: 'not a date' });
  if (!isDateKey(input.endsOn)) problems.push({ path: '/endsOn', message: 'not a date' });
  if (isDateKey(input.startsOn) && isDateKey(input.endsOn) && input.endsOn < input.startsOn)
    problems.push({ path: '/endsOn', message: 'before the start' });
  if (!input.name.trim()) problems.push({ path: '/name', message: 'required' });
  if (problems.length > 0) throw new AppError('validation_failed', 'The campaign is not valid', { problems });
  const territory = [...new Set(input.territory)];
  const known = await db.selectFrom('regions').select('code').where('code', 'in', territory).execute();
  const missing = territory.filter((c) => !known.some((k) => k.code === c));
  if (missing.length > 0)
    throw refusal('validation_failed', 'unknown_region', `Unknown regions ${missing.join(', ')}`, {
      problems: missing.map((c) => ({ path: '/territory', message: `unknown region ${c}` })),
    });
  return target;
}

/**
 * A street sub-centre (or the district centre) creates a campaign over its territory: the campaign and
 * its first round in one transaction with the audit record; the round's tasks are generated by the job
 * right after commit (and by any later pass if this one fails).
 */
export async function createCampaign(
  deps: ScreeningDeps,
  actor: Actor,
  input: CampaignInput,
): Promise<CampaignView> {
  const { db } = deps.database;
  const territory = [...new Set(input.territory)];
  if (!isCampaignManager(actor))
    throw new AppError('forbidden', 'Campaigns are created by the street and district centres', {
      action: 'screening_campaign',
    });
  if (!canManageCampaign(actor, territory))
    throw new AppError('forbidden', 'The territory reaches outside your centre', {
      action: 'screening_campaign',
    });
  const target = await checkInput(db, { ...input, territory });
  const now = deps.now();
  const id = randomUUID();
  const ownerCode = (actor.unit as { code: string }).code;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('screening_campaigns')
      .values({
        id,
        name: input.name.trim(),
        theme: input.theme,
        territory,
        target_rule: JSON.stringify(target) as unknown as TargetRuleSpec,
        assignee_role: input.assigneeRole ?? 'coordinator',
        rounds: input.rounds,
        round_work_days: input.roundWorkDays,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        owner_code: ownerCode,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('screening_rounds')
      .values({
        campaign_id: id,
        round_no: 1,
        opened_at: now,
        generated_at: null,
        due_at: null,
        closed_at: null,
        comparison: null,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'screening.campaign.create',
      target: `screening:${id}`,
      payload: { theme: input.theme, territory, target, rounds: input.rounds },
      at: now,
    });
  });
  await generateSoon(deps);
  const row = await readCampaign(db, id);
  return presentCampaign(row!, actor);
}

/** Generate right away what is waiting; a failure is logged, the sweeper's pass retries. */
async function generateSoon(deps: ScreeningDeps): Promise<void> {
  try {
    await generateScreeningTasks(deps);
  } catch (error) {
    deps.log?.error({ err: error }, 'screening task generation failed; the next pass retries');
  }
}

export interface CampaignChange {
  version: number;
  action: CampaignAction;
  name?: string | undefined;
  endsOn?: string | undefined;
}

/**
 * Change a campaign (name, end date), start its next round (the job regenerates the tasks for the targets
 * still matching and compares with the last round), or close it. Optimistic on `version`; audited.
 */
export async function changeCampaign(
  deps: ScreeningDeps,
  actor: Actor,
  id: string,
  change: CampaignChange,
): Promise<CampaignView> {
  const { db } = deps.database;
  const { row } = await loadVisibleCampaign(db, actor, id);
  if (!canManageCampaign(actor, row.territory))
    throw new AppError('forbidden', 'Only the owning centre manages a campaign', {
      action: 'screening_campaign',
    });
  if (row.state !== 'active')
    throw refusal('conflict', 'screening_campaign_closed', 'The campaign is closed');
  if (row.version !== change.version)
    throw new AppError('conflict', 'The campaign changed meanwhile', { version: row.version });
  if (change.action === 'next_round' && row.current_round >= row.rounds)
    throw refusal('conflict', 'screening_last_round', 'The campaign is in its last round', {
      rounds: row.rounds,
    });
  if (change.action === 'update') {
    if (change.endsOn !== undefined && (!isDateKey(change.endsOn) || change.endsOn < row.starts_on))
      throw new AppError('validation_failed', 'The end date is not valid', {
        problems: [{ path: '/endsOn', message: 'a date not before the start' }],
      });
    if (change.name !== undefined && !change.name.trim())
      throw new AppError('validation_failed', 'A name is required', {
        problems: [{ path: '/name', message: 'required' }],
      });
  }
  const now = deps.now();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('screening_campaigns')
      .set((eb) => ({
        updated_at: now,
        version: eb('version', '+', 1),
        ...(change.action === 'update'
          ? {
              ...(change.name !== undefined ? { name: change.name.trim() } : {}),
              ...(change.endsOn !== undefined ? { ends_on: change.endsOn } : {}),
            }
          : {}),
        ...(change.action === 'next_round' ? { current_round: eb('current_round', '+', 1) } : {}),
        ...(change.action === 'close' ? { state: 'closed' as const } : {}),
      }))
      .where('id', '=', id)
      .where('version', '=', change.version)
      .returning('current_round')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'The campaign changed meanwhile');
    if (change.action !== 'update') {
      await trx
        .updateTable('screening_rounds')
        .set({ closed_at: now })
        .where('campaign_id', '=', id)
        .where('round_no', '=', row.current_round)
        .execute();
    }
    if (change.action === 'next_round') {
      await trx
        .insertInto('screening_rounds')
        .values({
          campaign_id: id,
          round_no: updated.current_round,
          opened_at: now,
          generated_at: null,
          due_at: null,
          closed_at: null,
          comparison: null,
        })
        .execute();
    }
    await appendAudit(trx, {
      actor,
      action: `screening.campaign.${change.action}`,
      target: `screening:${id}`,
      payload: {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.endsOn !== undefined ? { endsOn: change.endsOn } : {}),
        round: updated.current_round,
      },
      at: now,
    });
  });
  if (change.action === 'next_round') await generateSoon(deps);
  return presentCampaign((await readCampaign(db, id))!, actor);
}

export interface CampaignSummary extends CampaignView {
  tasks: number;
  visited: number;
  findings: number;
}

/** The campaigns the actor sees (its base-information regions meet their territory), newest first, with current-round figures cut to the regions. */
export async function listCampaigns(
  deps: { database: Database },
  actor: Actor,
  filter: { state?: 'active' | 'closed' | undefined },
): Promise<{ items: CampaignSummary[] }> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  if (!access.slice.addresses || access.regions.length === 0) return { items: [] };
  let q = db
    .selectFrom('screening_campaigns')
    .select(COLUMNS)
    .select(sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'))
    .select(sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on'))
    .orderBy('created_at', 'desc')
    .limit(500);
  if (filter.state) q = q.where('state', '=', filter.state);
  const rows = ((await q.execute()) as Row[]).filter((r) => campaignOverlaps(access.regions, r.territory));
  if (rows.length === 0) return { items: [] };
  const figures = await db
    .selectFrom('screening_tasks as t')
    .innerJoin('screening_campaigns as c', (j) =>
      j.onRef('c.id', '=', 't.campaign_id').onRef('c.current_round', '=', 't.round_no'),
    )
    .select('t.campaign_id')
    .select(sql<number>`count(*)::int`.as('tasks'))
    .select(sql<number>`count(*) filter (where t.status not in ('pending', 'revisit'))::int`.as('visited'))
    .select(sql<number>`count(*) filter (where t.status = 'problem_found')::int`.as('findings'))
    .where(
      't.campaign_id',
      'in',
      rows.map((r) => r.id),
    )
    .where(addressScope(access.regions))
    .groupBy('t.campaign_id')
    .execute();
  return {
    items: rows.map((r) => {
      const f = figures.find((x) => x.campaign_id === r.id);
      return {
        ...presentCampaign(r, actor),
        tasks: f?.tasks ?? 0,
        visited: f?.visited ?? 0,
        findings: f?.findings ?? 0,
      };
    }),
  };
}

/** The addressScopeSql twin over the tasks table (its place columns have the same names). */
export function addressScope(regions: readonly string[]) {
  return addressScopeSql(regions, 't');
}

export interface ProgressRow {
  code: string;
  name: string;
  total: number;
  pending: number;
  revisit: number;
  normal: number;
  problemFound: number;
  refused: number;
  unreachable: number;
  overdue: number;
}

export interface RoundView {
  roundNo: number;
  openedAt: string;
  generatedAt: string | null;
  dueAt: string | null;
  closedAt: string | null;
  comparison: StoredComparison | null;
}

export interface CampaignDetail {
  campaign: CampaignView;
  /** the round the figures are of */
  round: number;
  rounds: RoundView[];
  total: ProgressRow;
  byCommittee: ProgressRow[];
  byGrid: ProgressRow[];
  /** cases opened from the round's findings, and how many of them are closed */
  cases: { opened: number; closed: number };
}

/** A campaign with the round's progress per committee and grid, its rounds and comparisons, and its cases. */
export async function getCampaign(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  id: string,
  options: { round?: number | undefined } = {},
): Promise<CampaignDetail> {
  const { db } = deps.database;
  const { row, regions } = await loadVisibleCampaign(db, actor, id);
  const round = Math.min(options.round ?? row.current_round, row.current_round);
  const now = deps.now();
  const counts = (group: 'committee_code' | 'grid_code') =>
    db
      .selectFrom('screening_tasks as t')
      .leftJoin('regions as r', 'r.code', `t.${group}`)
      .select(sql<string>`coalesce(t.${sql.ref(group)}, '')`.as('code'))
      .select(sql<string>`coalesce(max(r.name), '')`.as('name'))
      .select(sql<number>`count(*)::int`.as('total'))
      .select(sql<number>`count(*) filter (where t.status = 'pending')::int`.as('pending'))
      .select(sql<number>`count(*) filter (where t.status = 'revisit')::int`.as('revisit'))
      .select(sql<number>`count(*) filter (where t.status = 'normal')::int`.as('normal'))
      .select(sql<number>`count(*) filter (where t.status = 'problem_found')::int`.as('problemFound'))
      .select(sql<number>`count(*) filter (where t.status = 'refused')::int`.as('refused'))
      .select(sql<number>`count(*) filter (where t.status = 'unreachable')::int`.as('unreachable'))
      .select(
        sql<number>`count(*) filter (where t.status in ('pending', 'revisit') and t.due_at < ${now})::int`.as(
          'overdue',
        ),
      )
      .where('t.campaign_id', '=', id)
      .where('t.round_no', '=', round)
      .where(addressScope(regions))
      .groupBy(`t.${group}`)
      .orderBy(`t.${group}`)
      .execute();
  const byCommittee = await counts('committee_code');
  const byGrid = await counts('grid_code');
  const total = byCommittee.reduce<ProgressRow>(
    (sum, r) => ({
      ...sum,
      total: sum.total + r.total,
      pending: sum.pending + r.pending,
      revisit: sum.revisit + r.revisit,
      normal: sum.normal + r.normal,
      problemFound: sum.problemFound + r.problemFound,
      refused: sum.refused + r.refused,
      unreachable: sum.unreachable + r.unreachable,
      overdue: sum.overdue + r.overdue,
    }),
    {
      code: '',
      name: '',
      total: 0,
      pending: 0,
      revisit: 0,
      normal: 0,
      problemFound: 0,
      refused: 0,
      unreachable: 0,
      overdue: 0,
    },
  );
  const cases = await db
    .selectFrom('screening_visits as v')
    .innerJoin('screening_tasks as t', 't.id', 'v.task_id')
    .innerJoin('cases as c', 'c.id', 'v.case_id')
    .select(sql<number>`count(*)::int`.as('opened'))
    .select(sql<number>`count(*) filter (where c.state = 'closed')::int`.as('closed'))
    .where('v.campaign_id', '=', id)
    .where('v.round_no', '=', round)
    .where(addressScope(regions))
    .executeTakeFirstOrThrow();
  const rounds = await db
    .selectFrom('screening_rounds')
    .selectAll()
    .where('campaign_id', '=', id)
    .orderBy('round_no')
    .execute();
  return {
    campaign: presentCampaign(row, actor),
    round,
    rounds: rounds.map((r) => ({
      roundNo: r.round_no,
      openedAt: iso(r.opened_at),
      generatedAt: r.generated_at ? iso(r.generated_at) : null,
      dueAt: r.due_at ? iso(r.due_at) : null,
      closedAt: r.closed_at ? iso(r.closed_at) : null,
      comparison: r.comparison,
    })),
    total,
    byCommittee,
    byGrid,
    cases: { opened: cases.opened, closed: cases.closed },
  };
}

export const todayKey = (now: Date) => dateKeyOf(now);
