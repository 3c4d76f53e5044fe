import type { Actor } from '../../core/actor.ts';
import { isPublicStep } from '../../core/policy/citizen-view.ts';
import type { CaseDetail } from './get-case.ts';
import type { CaseSummary } from './present-case.ts';

/**
 * What a signed-in citizen sees of their own case (issue 11 §5): the public promise is "no names, notes
 * or internal steps". The API presents every case to a citizen through these two functions, whatever the
 * page asks: no staff names or units, no departments or police, no time limits, clocks, escalations,
 * supervision or internal counters, no notes of others — only the steps that change what the public
 * sees, and the citizen's own entries (their report, comments and follow-up) as they wrote them.
 */

export function citizenSummary(summary: CaseSummary): CaseSummary {
  return {
    ...summary,
    priority: 'normal',
    owner: { level: summary.owner.level, code: summary.districtCode },
    leadDepartmentId: null,
    assistingDepartmentIds: [],
    policeDepartmentId: null,
    policeMode: 'none',
    assigneeUserId: null,
    supervised: false,
    escalated: false,
    overdue: false,
    deadline: null,
    // 超期结案 tells of internal clocks: the public sees that the case was closed
    closureType: summary.closureType === 'overdue' ? 'normal' : summary.closureType,
  };
}

export function citizenDetail(detail: CaseDetail, actor: Actor): CaseDetail {
  const own = (userId: string | null) => userId !== null && userId === actor.userId;
  const events = detail.events
    .filter((e) => own(e.actor.userId) || isPublicStep(e.action))
    .map((e) =>
      own(e.actor.userId)
        ? {
            ...e,
            stage: null,
            timeUsed: null,
            timeLimit: null,
            timeUnit: null,
            onTime: null,
            escalation: null,
          }
        : {
            ...e,
            actor: { userId: null, name: null, role: 'centre', unit: '' },
            payload: null,
            stage: null,
            timeUsed: null,
            timeLimit: null,
            timeUnit: null,
            onTime: null,
            escalation: null,
          },
    );
  const ownEventIds = new Set(detail.events.filter((e) => own(e.actor.userId)).map((e) => e.id));
  const category = detail.categoryCode;
  return {
    ...detail,
    ...citizenSummary(detail),
    verification: 'not_required',
    pendingRequests: [],
    counters: { returns: 0, reworks: 0, reopens: 0, escalations: 0, supervisions: 0 },
    awaitingArbitration: false,
    arbitrated: false,
    names: Object.fromEntries(
      Object.entries(detail.names).filter(
        ([k]) => k === category || (category && k === category.slice(0, 2)),
      ),
    ),
    events,
    deadlines: [],
    attachments: detail.attachments.filter((a) => a.eventId !== null && ownEventIds.has(a.eventId)),
    routing: null,
  };
}
