import type { DeadlineColour } from '../../core/calendar/deadline.ts';
import { dateKeyOf } from '../../core/calendar/time.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { CASE_STATES } from '../../core/workflow/index.ts';
import type { CaseRow } from './case-record.ts';

/** A case in lists, queues and on the map: no personal data, no timeline. */
export interface CaseSummary {
  id: string;
  caseNo: string;
  state: CaseRow['state'];
  stateName: string;
  version: number;
  source: CaseRow['source'];
  /** The 12345 hotline ticket (工单号) the case was taken from. */
  ticketNo: string | null;
  categoryCode: string | null;
  urgency: CaseRow['urgency'];
  priority: CaseRow['priority'];
  description: string;
  address: string | null;
  location: { lon: number; lat: number };
  districtCode: string;
  streetCode: string | null;
  committeeCode: string | null;
  gridCode: string | null;
  owner: { level: CaseRow['owner_level']; code: string };
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeDepartmentId: string | null;
  policeMode: CaseRow['police_mode'];
  /** The patroller sent to verify (核实) or check (核查), if any: their task list filters on it. */
  assigneeUserId: string | null;
  supervised: boolean;
  escalated: boolean;
  selfHandled: boolean;
  /** Sticky: some stage deadline was missed on the way. */
  overdue: boolean;
  closureType: CaseRow['closure_type'];
  mergedInto: string | null;
  /** The running stage clock: its due date and colour now (null when no clock runs). */
  deadline: {
    stage: NonNullable<CaseRow['deadline_stage']>;
    dueAt: string | null;
    warnAt: string | null;
    colour: DeadlineColour | null;
    /**
     * The clock counts days of a year whose holiday schedule is not known yet (provisional): the due
     * date may move when the official schedule is loaded.
     */
    provisional: boolean;
  } | null;
  reportedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** green before 80 % of the limit, yellow from there, red once past due; null without a running clock. */
export function colourAt(row: Pick<CaseRow, 'due_at' | 'warn_at'>, now: Date): DeadlineColour | null {
  if (!row.due_at) return null;
  const t = now.getTime();
  if (t > row.due_at.getTime()) return 'red';
  if (row.warn_at && t >= row.warn_at.getTime()) return 'yellow';
  return 'green';
}

/**
 * Whether the running clock of a case can depend on a provisional year: any year from the report to
 * the due date (the clock started after the report).
 */
function deadlineProvisional(row: CaseRow, calendar: Pick<WorkingCalendar, 'isProvisionalYear'>): boolean {
  const from = Number(dateKeyOf(row.reported_at).slice(0, 4));
  const to = row.due_at ? Number(dateKeyOf(row.due_at).slice(0, 4)) : from;
  for (let year = from; year <= to; year++) if (calendar.isProvisionalYear(year)) return true;
  return false;
}

export function presentSummary(
  row: CaseRow,
  now: Date,
  calendar?: Pick<WorkingCalendar, 'isProvisionalYear'>,
): CaseSummary {
  return {
    id: row.id,
    caseNo: row.case_no,
    state: row.state,
    stateName: CASE_STATES[row.state],
    version: row.version,
    source: row.source,
    ticketNo: row.ticket_no,
    categoryCode: row.category_code,
    urgency: row.urgency,
    priority: row.priority,
    description: row.description,
    address: row.address,
    location: { lon: row.lon, lat: row.lat },
    districtCode: row.district_code,
    streetCode: row.street_code,
    committeeCode: row.committee_code,
    gridCode: row.grid_code,
    owner: { level: row.owner_level, code: row.owner_code },
    leadDepartmentId: row.lead_department_id,
    assistingDepartmentIds: row.assisting_department_ids,
    policeDepartmentId: row.police_department_id,
    policeMode: row.police_mode,
    assigneeUserId: row.assignee_user_id,
    supervised: row.supervised,
    escalated: row.escalated,
    selfHandled: row.self_handled,
    overdue: row.overdue,
    closureType: row.closure_type,
    mergedInto: row.merged_into,
    deadline: row.deadline_stage
      ? {
          stage: row.deadline_stage,
          dueAt: row.due_at?.toISOString() ?? null,
          warnAt: row.warn_at?.toISOString() ?? null,
          colour: colourAt(row, now),
          provisional: calendar ? deadlineProvisional(row, calendar) : false,
        }
      : null,
    reportedAt: row.reported_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
