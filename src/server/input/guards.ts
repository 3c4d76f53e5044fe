import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { findInputFault, type InputFault } from './text.ts';

/** The 400 every hostile-input check answers with (RFC 9457, code `validation_failed`). */
export function inputFaultError(fault: InputFault): AppError {
  return new AppError('validation_failed', `Invalid input at ${fault.path}: ${fault.message}`, {
    errors: [{ path: fault.path, message: fault.message }],
  });
}

function check(parts: [unknown, string][], numbers: boolean): void {
  for (const [value, root] of parts) {
    const fault = findInputFault(value, root, { numbers });
    if (fault) throw inputFaultError(fault);
  }
}

/**
 * One check of every incoming string, for every route (issue 9, finding 4): before authentication the
 * path, query and headers; after body parsing the JSON body; after schema validation (which coerces query
 * strings like `Infinity` or `1e30` into numbers) every number must be finite and a safe integer in size.
 * Multipart names are checked where the parts are read (`./multipart.ts`).
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    check(
      [
        [request.params, '/params'],
        [request.query, '/query'],
        [request.headers, '/headers'],
      ],
      false,
    );
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    check([[request.body, '/body']], true);
  });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    check(
      [
        [request.params, '/params'],
        [request.query, '/query'],
        [request.body, '/body'],
      ],
      true,
    );
  });
}
