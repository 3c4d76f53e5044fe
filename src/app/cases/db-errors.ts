import { AppError, isAppError } from '../../core/errors.ts';

/**
 * Turns the database errors a client can provoke into stable codes, so they never surface as 500:
 * lock-order deadlocks and serialisation failures between concurrent requests (retry), a unique key
 * taken meanwhile, and values the database refuses. Anything else is a bug and is rethrown.
 */
export function mapDatabaseError(error: unknown): unknown {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return error;
  if (code === '40P01' || code === '40001' || code === '55P03') {
    return new AppError('conflict', 'The case was being changed at the same moment; try again', {
      retry: true,
    });
  }
  if (code === '23505')
    return new AppError('conflict', 'A conflicting record was written at the same moment; try again');
  if (code === '23503')
    return new AppError('validation_failed', 'The request refers to something that does not exist');
  if (code.startsWith('22') || code === '23514' || code === '23502') {
    return new AppError('validation_failed', 'A value in the request is not acceptable');
  }
  return error;
}

/** Runs `fn`, mapping database errors with `mapDatabaseError`. */
export async function withDatabaseErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapDatabaseError(error);
  }
}
