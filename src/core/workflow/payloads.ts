import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { AppError, err, ok, type RefusalReason, type Result } from '../errors.ts';
import { VISIBLE_TEXT_PATTERN } from '../text.ts';
import type { CaseAction } from './actions.ts';

/**
 * The payload of each action as a JSON Schema (TypeBox), so the HTTP layer can reuse the same shapes for
 * request validation and OpenAPI. Payloads are plain JSON (dates are ISO 8601 strings with offset).
 * Rules that need the case (e.g. "a failed check needs a note") are in table.ts.
 */

/** Free text that must say something: at least one visible character (not only spaces or zero-width). */
const Text = (maxLength = 2000) => Type.String({ minLength: 1, maxLength, pattern: VISIBLE_TEXT_PATTERN });
const Id = Type.String({ minLength: 1, maxLength: 100 });
/** Attachment ids (content-addressed photos stored by the attachments module). */
const Photos = (minItems = 0) => Type.Array(Id, { minItems, maxItems: 30, uniqueItems: true });
const DateTime = Type.String({ format: 'date-time' });
const Note = Type.Optional(Text());
const Obj = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

const Urgency = Type.Enum(['normal', 'urgent']);
const PoliceLinkage = Type.Enum(['none', 'notify', 'assist', 'lead']);
const Source = Type.Enum([
  'patrol',
  'screening',
  'station',
  'citizen',
  'hotline',
  'walk_in',
  'department',
  'leader',
  'warning',
]);
const Departments = Type.Array(Id, { maxItems: 20, uniqueItems: true });

export const PAYLOADS = {
  report: Obj({
    source: Source,
    description: Text(4000),
    urgency: Type.Optional(Urgency),
    photos: Type.Optional(Photos()),
    /** 自行处置: fixed on the spot; `photos` are the "before" photos. */
    selfHandled: Type.Optional(Obj({ result: Text(), afterPhotos: Photos(1) })),
  }),
  request_verification: Obj({ patrollerId: Id, note: Note }),
  submit_verification: Obj({ confirmed: Type.Boolean(), note: Note, photos: Type.Optional(Photos()) }),
  register: Obj({
    /** Recategorise on registration; the use case resolves the code to its traits. */
    category: Type.Optional(Obj({ code: Id, policeLinkage: PoliceLinkage })),
    urgency: Type.Optional(Urgency),
    note: Note,
  }),
  reject: Obj({
    reasonCode: Type.Enum(['invalid', 'out_of_scope', 'duplicate', 'other']),
    reason: Text(),
  }),
  merge: Obj({ masterCaseId: Id, note: Note }),
  dispatch: Obj({ leadDepartmentId: Id, assistingDepartmentIds: Type.Optional(Departments), note: Note }),
  handle_locally: Obj({ result: Text(), photos: Photos(1) }),
  sign: Obj({ note: Note }),
  return: Obj({ reason: Text() }),
  request_extension: Obj({ reason: Text(), requestedDueAt: DateTime }),
  /** The shift lead may grant another date than the one asked for. */
  approve_extension: Obj({ dueAt: Type.Optional(DateTime), note: Note }),
  deny_extension: Obj({ reason: Text() }),
  request_suspension: Obj({ reason: Text() }),
  approve_suspension: Obj({ note: Note }),
  deny_suspension: Obj({ reason: Text() }),
  resume: Obj({ note: Note }),
  handle: Obj({ result: Text(), photos: Photos(1) }),
  assist_feedback: Obj({ feedback: Text(), photos: Type.Optional(Photos()) }),
  assign_check: Obj({ patrollerId: Id, note: Note }),
  submit_check: Obj({ passed: Type.Boolean(), note: Note, photos: Type.Optional(Photos()) }),
  close: Obj({ note: Note }),
  cancel: Obj({ reason: Text() }),
  escalate: Obj({ reason: Text() }),
  arbitrate: Obj({
    leadDepartmentId: Id,
    assistingDepartmentIds: Type.Optional(Departments),
    ruling: Text(),
    /** Give ownership back to the street once jurisdiction is settled. */
    handBack: Type.Optional(Type.Boolean()),
  }),
  supervise: Obj({ note: Text(), priority: Type.Optional(Type.Enum(['high', 'critical'])) }),
  comment: Obj({ text: Text(4000), photos: Type.Optional(Photos()) }),
  follow_up: Obj({
    satisfaction: Type.Enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
    note: Note,
  }),
  reopen: Obj({ reason: Text() }),
} satisfies Record<CaseAction, TSchema>;

export type PayloadOf<A extends CaseAction> = Static<(typeof PAYLOADS)[A]>;

/** Check a payload against its action's schema; the error lists every problem with its JSON pointer. */
export function parsePayload<A extends CaseAction>(action: A, payload: unknown): Result<PayloadOf<A>> {
  const schema: TSchema = PAYLOADS[action];
  const value = payload === undefined ? {} : payload;
  if (Value.Check(schema, value)) return ok(value as PayloadOf<A>);
  const problems = [...Value.Errors(schema, value)].map((e) => ({
    path: e.instancePath || '/',
    message: e.message,
  }));
  return err(new AppError('validation_failed', `invalid payload for ${action}`, { action, problems }));
}

/** A payload that passed the schema but breaks a rule involving the case or the clock. */
export const payloadProblem = (
  action: CaseAction,
  path: string,
  message: string,
  reason?: RefusalReason,
): AppError =>
  new AppError('validation_failed', `invalid payload for ${action}: ${message}`, {
    action,
    problems: [{ path, message }],
    ...(reason ? { reason } : {}),
  });
