import type { Actor } from '../../core/actor.ts';
import { canActOnWarning } from '../../core/warnings/access.ts';
import { warningActions, type WarningAction, type WarningState } from '../../core/warnings/lifecycle.ts';
import type { WarningRule } from '../../core/warnings/rules.ts';
import type { WarningsTable } from '../../db/schema/warnings.ts';
import type { Selectable } from 'kysely';

export interface WarningView {
  id: string;
  rule: WarningRule;
  state: WarningState;
  categoryCode: string | null;
  caseIds: string[];
  recordIds: string[];
  facts: Record<string, number | string>;
  lat: number;
  lon: number;
  addressId: string | null;
  streetCode: string | null;
  committeeCode: string | null;
  gridCode: string | null;
  ownerCode: string;
  raisedAt: string;
  updatedAt: string;
  dismissReason: string | null;
  caseId: string | null;
  version: number;
  /** What this actor may do now (the UI shows these buttons only). */
  allowedActions: WarningAction[];
}

export function presentWarning(row: Selectable<WarningsTable>, actor: Actor): WarningView {
  const iso = (d: Date) => new Date(d).toISOString();
  return {
    id: row.id,
    rule: row.rule,
    state: row.state,
    categoryCode: row.category_code,
    caseIds: row.case_ids,
    recordIds: row.record_ids,
    facts: row.facts,
    lat: row.lat,
    lon: row.lon,
    addressId: row.address_id,
    streetCode: row.street_code,
    committeeCode: row.committee_code,
    gridCode: row.grid_code,
    ownerCode: row.owner_code,
    raisedAt: iso(row.raised_at),
    updatedAt: iso(row.updated_at),
    dismissReason: row.dismiss_reason,
    caseId: row.case_id,
    version: row.version,
    allowedActions: canActOnWarning(actor, { ownerCode: row.owner_code }) ? warningActions(row.state) : [],
  };
}
