import type { AuditKey } from './hash.ts';

/**
 * The process's audit key (issue 9 finding 10). It never enters the database: the CLI and server load it
 * at start from AUDIT_KEY or DATA_DIR/audit.key (src/cli/audit-key.ts) and set it here; every append
 * and verification uses it. Process-wide because audit records are appended from inside many use cases'
 * transactions, which carry only the transaction.
 */
let current: AuditKey | null = null;

export function setAuditKey(key: AuditKey | null): void {
  current = key;
}

/** The configured key; an error when none was set (an unkeyed append would be forgeable). */
export function auditKey(): AuditKey {
  if (!current) {
    throw new Error(
      'no audit key configured: set AUDIT_KEY or open the database through the CLI (DATA_DIR/audit.key)',
    );
  }
  return current;
}
