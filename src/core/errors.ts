/**
 * The one error type of Liandong. Expected failures carry a stable string `code`; the HTTP layer maps
 * codes to status codes in one table (src/server/problem.ts) and the CLI maps them to exit codes.
 * The core never imports HTTP.
 */
export type ErrorCode =
  | 'validation_failed' // bad input: 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'version_conflict' // 409 (stale case version)
  | 'idempotency_conflict' // 409 (same key, different body)
  | 'conflict' // 409 generic
  | 'invalid_transition' // 422
  | 'unprocessable' // 422 generic domain rule
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'rate_limited' // 429
  | 'internal'; // 500 (never for user mistakes)

/**
 * Stable sub-codes of domain refusals, sent as the problem's `reason` next to the stable `code` (which
 * keeps deciding the HTTP status). The web UI translates them (`error.reason.*` in web/src/i18n); the
 * English `detail` stays for logs and API users. Add new reasons here, never rename one.
 */
export const REFUSAL_REASONS = [
  'outside_territory', // a reported location lies outside every street of the territory
  'no_matrix_department', // the responsibility matrix (权责清单) names no lead department here
  'no_patroller_in_street', // the patroller chosen is not an active patroller of the case's street
  'unknown_category',
  'unknown_department', // unknown or inactive department
  'outside_coverage', // a department named for a case does not cover the case's territory
  'unknown_case', // a payload names a case that does not exist or is not visible
  'self_handle_not_patroller', // only patrollers self-handle (自行处置)
  'self_handle_needs_photo',
  'self_handle_needs_category',
  'mass_incident_not_self_handled', // a possible mass incident (群体性事件) cannot be self-handled
  'stability_category_not_public', // a citizen (public source) may not report in a stability category
  'username_taken',
  'last_admin',
  'own_account',
  'wrong_current_password',
  'weak_password', // a new password breaks the rules (details: rule = length | username | guessable)
  'password_change_required', // the session's user must change the password before anything else
  'patrol_already_open', // a patroller starts a patrol while one is still open
  'patrol_ended', // points or a check-in for a patrol that has ended (after its end time)
  'no_patroller_on_duty', // nobody on patrol near enough (with a fresh position) to send to verify
  'unknown_address', // a standard address (一址一档) that does not exist
  'address_outside_case_territory', // a case's standard address lies outside the street of its location
  'webhook_url_refused', // a webhook endpoint is not https on a public address (details: problem)
  'unknown_region', // a region code names no region of the territory
  'warning_not_open', // a warning already converted or dismissed (or acknowledged twice)
  'invalid_time_limit', // a stage time limit that is not a number in its unit's range (0, negative, too long)
  'proof_of_work_failed', // an anonymous report's challenge is unknown, expired, used or unsolved (or a bot)
  'invalid_contact', // an anonymous report's contact is neither a phone number nor an e-mail address
  'already_rated', // the anonymous reporter rated this case already
  'case_not_closed', // a rating before the case is closed
  'not_anonymous_report', // a case reported with an account or by phone is not rated on the public page
  'ticket_taken', // a 12345 ticket number already has a case in the district (details: caseId, caseNo)
  'merge_target_closed', // the intake desk merges a call into a case that is no longer open
  'merge_outside_desk', // only the desk of the street a report lies in merges it at once (issue 11)
  'screening_campaign_closed', // a screening campaign that is closed is changed or visited
  'screening_last_round', // the next round of a campaign already in its last round
  'screening_task_closed', // a visit to a screening task already done (or of a past round)
  'visit_far_from_address', // a visit's GPS is far from the address (or missing) and no reason is given
  'department_disabled', // a case or a matrix row is sent to a department an administrator disabled (issue 11)
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** A domain refusal with its stable `reason` sub-code (see REFUSAL_REASONS). */
export const refusal = (
  code: ErrorCode,
  reason: RefusalReason,
  message: string,
  details: Record<string, unknown> = {},
): AppError => new AppError(code, message, { ...details, reason });

/** Result type for expected failures of pure functions. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
