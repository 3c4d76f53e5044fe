/** Hostile-input handling at the edge (issue 9, finding 4): see each module. */
export { registerInputGuards, inputFaultError } from './guards.ts';
export { readSingleFile, multipartError, type UploadedFile } from './multipart.ts';
export { BoundedInteger, DateKey, INT4_MAX, MAX_YEAR, MIN_YEAR, isDateKey } from './schemas.ts';
export { findInputFault, isStorableText, type InputFault } from './text.ts';
