/**
 * The logger the use cases and background jobs write to: the server's pino logger (or a child of it) in
 * production, anything with the same shape elsewhere. Every error a use case or job catches and does not
 * rethrow is logged here with its context — nothing is swallowed silently.
 */
export interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** For scripts and tests that want no output. */
export const SILENT: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined };
