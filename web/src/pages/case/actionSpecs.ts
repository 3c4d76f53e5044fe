import type { MessageKey } from '../../i18n';

/**
 * The form of each case action: which fields it asks for, mirroring the payload schemas of the API
 * (src/core/workflow/payloads.ts). Which actions a user may take comes from the API's `allowedActions`;
 * this file only says how to ask for each one.
 */
export type FieldSpec =
  | {
      kind: 'text';
      name: string;
      label: MessageKey;
      required?: boolean;
      placeholder?: MessageKey;
      multiline?: boolean;
    }
  | { kind: 'photos'; name: string; label: MessageKey; min?: number }
  | { kind: 'bool'; name: string; label: MessageKey; yes: MessageKey; no: MessageKey }
  | {
      kind: 'enum';
      name: string;
      label: MessageKey;
      options: { value: string; label: MessageKey }[];
      required?: boolean;
    }
  | { kind: 'datetime'; name: string; label: MessageKey; required?: boolean }
  | { kind: 'departments'; lead: string; assisting: string }
  | { kind: 'patroller'; name: string }
  | { kind: 'master'; name: string }
  | { kind: 'category'; name: string }
  | { kind: 'checkbox'; name: string; label: MessageKey };

const reason: FieldSpec = {
  kind: 'text',
  name: 'reason',
  label: 'form.reason',
  required: true,
  placeholder: 'form.reasonPlaceholder',
  multiline: true,
};
const note: FieldSpec = {
  kind: 'text',
  name: 'note',
  label: 'form.note',
  placeholder: 'form.notePlaceholder',
  multiline: true,
};
const urgency: FieldSpec = {
  kind: 'enum',
  name: 'urgency',
  label: 'form.urgency',
  options: [
    { value: 'normal', label: 'urgency.normal' },
    { value: 'urgent', label: 'urgency.urgent' },
  ],
};

export const ACTION_FIELDS: Record<string, FieldSpec[]> = {
  request_verification: [{ kind: 'patroller', name: 'patrollerId' }, note],
  submit_verification: [
    {
      kind: 'bool',
      name: 'confirmed',
      label: 'form.confirmed',
      yes: 'form.confirmTrue',
      no: 'form.confirmFalse',
    },
    note,
    { kind: 'photos', name: 'photos', label: 'form.photos' },
  ],
  register: [{ kind: 'category', name: 'category' }, urgency, note],
  reject: [
    {
      kind: 'enum',
      name: 'reasonCode',
      label: 'form.reasonCode',
      required: true,
      options: [
        { value: 'invalid', label: 'form.reasonCode.invalid' },
        { value: 'out_of_scope', label: 'form.reasonCode.out_of_scope' },
        { value: 'duplicate', label: 'form.reasonCode.duplicate' },
        { value: 'other', label: 'form.reasonCode.other' },
      ],
    },
    reason,
  ],
  merge: [{ kind: 'master', name: 'masterCaseId' }, note],
  dispatch: [{ kind: 'departments', lead: 'leadDepartmentId', assisting: 'assistingDepartmentIds' }, note],
  handle_locally: [
    {
      kind: 'text',
      name: 'result',
      label: 'form.result',
      required: true,
      placeholder: 'form.resultPlaceholder',
      multiline: true,
    },
    { kind: 'photos', name: 'photos', label: 'form.photos', min: 1 },
  ],
  sign: [note],
  return: [reason],
  request_extension: [
    reason,
    { kind: 'datetime', name: 'requestedDueAt', label: 'form.requestedDueAt', required: true },
  ],
  approve_extension: [{ kind: 'datetime', name: 'dueAt', label: 'form.grantedDueAt' }, note],
  deny_extension: [reason],
  request_suspension: [reason],
  approve_suspension: [note],
  deny_suspension: [reason],
  resume: [note],
  handle: [
    {
      kind: 'text',
      name: 'result',
      label: 'form.result',
      required: true,
      placeholder: 'form.resultPlaceholder',
      multiline: true,
    },
    { kind: 'photos', name: 'photos', label: 'form.photos', min: 1 },
  ],
  assist_feedback: [
    { kind: 'text', name: 'feedback', label: 'form.feedback', required: true, multiline: true },
    { kind: 'photos', name: 'photos', label: 'form.photos' },
  ],
  assign_check: [{ kind: 'patroller', name: 'patrollerId' }, note],
  submit_check: [
    { kind: 'bool', name: 'passed', label: 'form.passed', yes: 'form.pass', no: 'form.fail' },
    note,
    { kind: 'photos', name: 'photos', label: 'form.photos' },
  ],
  close: [note],
  cancel: [reason],
  escalate: [reason],
  arbitrate: [
    { kind: 'departments', lead: 'leadDepartmentId', assisting: 'assistingDepartmentIds' },
    { kind: 'text', name: 'ruling', label: 'form.ruling', required: true, multiline: true },
    { kind: 'checkbox', name: 'handBack', label: 'form.handBack' },
  ],
  supervise: [
    { kind: 'text', name: 'note', label: 'form.note', required: true, multiline: true },
    {
      kind: 'enum',
      name: 'priority',
      label: 'form.priority',
      options: [
        { value: 'high', label: 'form.priority.high' },
        { value: 'critical', label: 'form.priority.critical' },
      ],
    },
  ],
  comment: [
    { kind: 'text', name: 'text', label: 'form.text', required: true, multiline: true },
    { kind: 'photos', name: 'photos', label: 'form.photos' },
  ],
  follow_up: [
    {
      kind: 'enum',
      name: 'satisfaction',
      label: 'form.satisfaction',
      required: true,
      options: [
        { value: 'satisfied', label: 'form.satisfaction.satisfied' },
        { value: 'basically_satisfied', label: 'form.satisfaction.basically_satisfied' },
        { value: 'unsatisfied', label: 'form.satisfaction.unsatisfied' },
      ],
    },
    note,
  ],
  reopen: [reason],
};

/** Shown first, in this order; the rest follow in the server's order. */
export const PRIMARY_ORDER = [
  'register',
  'dispatch',
  'sign',
  'handle',
  'assign_check',
  'submit_check',
  'submit_verification',
  'close',
  'request_verification',
  'approve_extension',
  'approve_suspension',
];

/** Actions whose button is drawn as the main (filled) one. */
export const PRIMARY = new Set([
  'register',
  'dispatch',
  'sign',
  'handle',
  'submit_check',
  'submit_verification',
  'close',
  'assign_check',
]);
export const DANGER = new Set(['reject', 'cancel', 'return', 'deny_extension', 'deny_suspension']);
