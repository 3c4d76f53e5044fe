import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.ts';

/** The one table from error code to HTTP status (RFC 9457 problem+json). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  version_conflict: 409,
  idempotency_conflict: 409,
  conflict: 409,
  invalid_transition: 422,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  version_conflict: 'The case was changed by someone else',
  idempotency_conflict: 'Idempotency key reused with a different request',
  conflict: 'Conflict',
  invalid_transition: 'Action not possible in the current state',
  unprocessable: 'Request cannot be processed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemFromAppError(error: AppError, instance?: string): Problem {
  const status = HTTP_STATUS[error.code];
  return {
    type: `https://liandong.dev/problems/${error.code}`,
    title: TITLES[error.code],
    status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.details ?? {}),
  };
}

/** Maps any thrown error to problem+json. Unknown errors are logged and answered without internals. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
  const problem = problemFromAppError(appError, request.url);
  if (appError.code === 'rate_limited')
    reply.header('retry-after', String(appError.details?.retryAfter ?? 60));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** Any error as an AppError with a stable code (validation, Fastify statuses; anything else is internal). */
export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    return new AppError('validation_failed', error.message, {
      errors: fe.validation.map((v) => ({
        path: v.instancePath || v.params?.missingProperty,
        message: v.message,
      })),
    });
  }
  const status = fe.statusCode ?? 500;
  if (status === 413) return new AppError('payload_too_large', error.message);
  if (status === 415) return new AppError('unsupported_media_type', error.message);
  if (status === 429) return new AppError('rate_limited', error.message);
  if (status === 404) return new AppError('not_found', error.message);
  if (status >= 400 && status < 500) return new AppError('validation_failed', error.message);
  return new AppError('internal', 'An unexpected error occurred. It has been logged.');
}

export const ProblemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details with a stable `code`',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'code'],
  // extension members (retryAfter, errors, currentVersion, reason…) must survive response serialisation
  additionalProperties: true,
} as const;
