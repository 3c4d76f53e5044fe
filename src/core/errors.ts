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

/** Result type for expected failures of pure functions. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
