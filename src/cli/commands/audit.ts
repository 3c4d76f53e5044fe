import type { Command } from 'commander';
import { verifyAuditChain } from '../../app/audit/verify-audit-chain.ts';
import type { Database } from '../../db/database.ts';

/** `audit verify`: recomputes the keyed hash chain (HMAC under AUDIT_KEY or DATA_DIR/audit.key); exit code 1 and the first broken record when it does not hold. */
export function registerAuditCommands(program: Command, open: () => Promise<Database>): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('verify the hash chain of the audit log; exits 1 and names the first broken record')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const database = await open();
      try {
        const report = await verifyAuditChain(database.db);
        if (opts.json) console.log(JSON.stringify(report));
        else if (report.ok) {
          console.log(`audit log OK: ${report.records} records, head ${report.headHash}`);
          if (report.legacyRecords > 0)
            console.log(
              `(the first ${report.legacyRecords} records predate the keyed chain: plain SHA-256, sealed by the keyed records after them)`,
            );
        } else {
          const b = report.broken!;
          console.error(`audit log BROKEN at record #${b.seq} (${b.reason}): ${b.message}`);
          console.error(`${report.records} records before it verified`);
        }
        if (!report.ok) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
}
