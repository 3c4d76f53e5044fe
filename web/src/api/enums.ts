/**
 * The contract's case states and sources as run-time lists, in its order. `models.ts` checks them against
 * the generated types (exhaustive) and test/web-validate.test.ts against openapi.json (order); they are
 * not read from openapi.json at run time so the whole contract stays out of the first page load.
 */
export const STATE_LIST = [
  'reported',
  'verifying',
  'registered',
  'dispatched',
  'in_progress',
  'suspended',
  'handled',
  'checking',
  'resolved',
  'closed',
  'rejected',
  'cancelled',
] as const;
export const SOURCE_LIST = [
  'patrol',
  'screening',
  'station',
  'citizen',
  'hotline',
  'walk_in',
  'department',
  'leader',
  'warning',
] as const;
