import { v7 } from 'uuid';

/**
 * A new key for a record of a growing table (cases, attachments, visits, warnings): a UUIDv7, whose
 * leading bits are the time. The primary key, and every index keyed by it (events by case, clocks by
 * case…), then grow at their right edge like a serial instead of splitting random pages across the
 * whole index: at a million cases the random keys made each insert a few random page reads (issue 10 §2).
 */
export const newRecordId = (): string => v7();
