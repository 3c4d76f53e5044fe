/**
 * Who performs an action: a user acting in a role, bound to a unit (DESIGN §2). Access is role × territory:
 * the unit says where the role applies. Pure data, shared by the workflow, the policy and the API.
 */
export const ROLES = [
  'patroller', // 网格巡管员 — unit: grid (or committee)
  'coordinator', // 社区综合协管员 — unit: committee
  'station_operator', // 居村工作站 operator — unit: committee
  'police', // 社区民警 — unit: department (a police station)
  'dispatcher', // 受理员/派遣员 — unit: street sub-centre or district centre
  'shift_lead', // 值班长 — unit: street sub-centre or district centre
  'dept_handler', // 部门处置人员 — unit: department
  'dept_lead', // 部门负责人 — unit: department
  'leader', // 领导 — unit: district or street
  'admin', // 系统管理员 — unit: district
  'citizen', // 市民/志愿者 — no unit
  'system', // the platform itself (sweeper, integrations)
] as const;
export type Role = (typeof ROLES)[number];

/** The unit a role is bound to: a territorial centre (by region code) or a department (by id). */
export type Unit =
  | { kind: 'region'; level: 'district' | 'street' | 'committee' | 'grid'; code: string }
  | { kind: 'department'; id: string }
  | { kind: 'none' };

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  unit: Unit;
}

/** The platform acting on its own (deadline sweeper, automatic notifications). */
export const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  username: 'system',
  displayName: '系统',
  role: 'system',
  unit: { kind: 'region', level: 'district', code: '310112' },
};
