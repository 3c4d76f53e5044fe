import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { inputFaultError } from './guards.ts';
import { findInputFault } from './text.ts';

/** A status the multipart plugin set on its own errors (413 limits, 406 not multipart, 400 premature close). */
const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * Maps what reading a multipart body can throw to a client error: busboy's own parse errors ("Boundary
 * not found", "Unexpected end of form", "Malformed part header") carry no status and would otherwise be
 * answered 500. Errors that already carry a 4xx status (size and part limits) keep it.
 */
export function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    return status === 406
      ? new AppError('unsupported_media_type', 'Send the file as multipart/form-data')
      : error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('validation_failed', `Malformed multipart body: ${message}`, {
    errors: [{ path: '/body', message: 'malformed multipart/form-data' }],
  });
}

export interface UploadedFile {
  data: Buffer;
  filename: string;
  fieldname: string;
}

/**
 * The one file of a multipart upload, read to a buffer, with its field and file names checked like any
 * other text (no NUL, no unpaired surrogate) and malformed bodies answered 400.
 */
export async function readSingleFile(request: FastifyRequest): Promise<UploadedFile | null> {
  let file: MultipartFile | undefined;
  let data: Buffer;
  try {
    file = await request.file();
    if (!file) return null;
    data = await file.toBuffer();
  } catch (error) {
    const mapped = multipartError(error);
    // a client's broken upload, not ours: worth a line at info, not an error
    if (mapped !== error) request.log.info({ err: error }, 'malformed multipart upload refused');
    throw mapped;
  }
  const fault =
    findInputFault(file.fieldname, '/body/fieldname') ??
    findInputFault(file.filename, '/body/filename') ??
    findInputFault(Object.fromEntries(Object.entries(file.fields).map(([k]) => [k, ''])), '/body/fields');
  if (fault) throw inputFaultError(fault);
  return { data, filename: file.filename, fieldname: file.fieldname };
}
