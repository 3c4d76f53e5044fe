import type { Actor, Role } from '../actor.ts';
import { actsForOwningCentre, isCaseInScope, type CaseScopeRow } from './case-scope.ts';

/**
 * Masks a phone number, keeping the first three and last four digits of a mobile number
 * (13812345678 → 138****5678) and only the last four of shorter numbers (64561234 → ****1234).
 * Separators are dropped; anything that is not a phone number is masked completely.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined || phone === '') return phone ?? null;
  const digits = phone.replace(/[\s()+-]/g, '');
  if (!/^[0-9]+$/.test(digits)) return '*'.repeat(Math.min(phone.length, 8));
  if (digits.length >= 11) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length > 4) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return '*'.repeat(digits.length);
}

/** Masks a personal name, keeping the first character (张三 → 张*, 欧阳娜娜 → 欧***, Li Lei → L** ***). */
export function maskName(name: string | null | undefined): string | null {
  if (name === null || name === undefined || name === '') return name ?? null;
  const chars = Array.from(name.trim());
  return chars.map((c, i) => (i === 0 || /\s/.test(c) ? c : '*')).join('');
}

/**
 * Masks an identity document number (居民身份证 18 characters: 310112199001011234 → 310***********1234),
 * keeping the first three and last four characters; short numbers keep only the last two.
 */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (id === null || id === undefined || id === '') return id ?? null;
  const chars = Array.from(id.trim());
  if (chars.length >= 10)
    return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
  if (chars.length > 2) return `${'*'.repeat(chars.length - 2)}${chars.slice(-2).join('')}`;
  return '*'.repeat(chars.length);
}

/** A reporter's (or any person's) contact details as stored. */
export interface PersonContact {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

/** The same details, masked unless `visible`; `masked` tells the UI to offer "show" (an audited unmask). */
export function presentContact(
  contact: PersonContact,
  visible: boolean,
): PersonContact & { masked: boolean } {
  if (visible) return { ...contact, masked: false };
  return {
    name: maskName(contact.name),
    phone: maskPhone(contact.phone),
    idNumber: maskIdNumber(contact.idNumber),
    masked: true,
  };
}

/**
 * Whether the actor sees the reporter's name, phone and ID number unmasked on this case (DESIGN §2:
 * only those who must contact the reporter): the reporter themself; the dispatcher, shift lead or
 * work-station operator of the centre that owns the case (registration, verification, follow-up 回访);
 * the patroller assigned to verify or check it on site; and the police station linked to or leading it
 * (disputes and stability reports are followed up in person). Everyone else sees masked values.
 */
export function canSeeReporterContact(actor: Actor, row: CaseScopeRow): boolean {
  // the stored contact is the first reporter's: a co-reporter of a merged duplicate is not "themself"
  if (row.reporter_user_id !== null && row.reporter_user_id === actor.userId) return true;
  if (!isCaseInScope(row, actor)) return false;
  switch (actor.role) {
    case 'dispatcher':
    case 'shift_lead':
    case 'station_operator':
      return actsForOwningCentre(actor, row);
    case 'patroller':
      return row.assignee_user_id === actor.userId;
    case 'police':
      return (
        actor.unit.kind === 'department' &&
        (row.police_department_id === actor.unit.id || row.lead_department_id === actor.unit.id)
      );
    default:
      return false;
  }
}

/** Roles that may unmask a reporter on a case they can see, leaving an audit record with a reason. */
const UNMASK_ROLES: ReadonlySet<Role> = new Set<Role>([
  'patroller',
  'station_operator',
  'police',
  'dispatcher',
  'shift_lead',
  'dept_handler',
  'dept_lead',
  'leader',
]);

/**
 * Whether the actor may ask to see the reporter unmasked (an audited action, src/app/identity/
 * unmask-reporter.ts): staff roles that work on cases, on a case inside their scope. Admins manage the
 * system, not cases, and citizens see only their own reports, so neither may.
 */
export function canUnmaskReporter(actor: Actor, row: CaseScopeRow): boolean {
  return UNMASK_ROLES.has(actor.role) && isCaseInScope(row, actor);
}
