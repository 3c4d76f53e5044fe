import type { Command } from 'commander';
import { checkpointAudit } from '../../app/audit/checkpoint-audit.ts';
import { verifyAuditChain } from '../../app/audit/verify-audit-chain.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `audit verify`: recomputes every stream's keyed chain, the old global chain and the checkpoints (HMAC
 * under AUDIT_KEY or DATA_DIR/audit.key); exit code 1 and the first broken record when they do not hold;
 * seals what verified with a checkpoint (`--no-checkpoint`: read only). `audit checkpoint`: one run of the
 * checkpoint job `serve` runs after each sweeper pass (for cron-style deployments and the multi-process
 * test).
 */
export function registerAuditCommands(program: Command, open: () => Promise<Database>): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'verify the audit log (its streams and checkpoints); exits 1 and names the first broken record',
    )
    .option('--json', 'print the report as JSON')
    .option('--no-checkpoint', 'do not seal the verified stream heads with a checkpoint (read only)')
    .action(async (opts: { json?: boolean; checkpoint: boolean }) => {
      const database = await open();
      try {
        const report = await verifyAuditChain(database.db, { checkpoint: opts.checkpoint });
        if (opts.json) console.log(JSON.stringify(report));
        else if (report.ok) {
          console.log(
            `audit log OK: ${report.records} records in ${report.streams} streams, ${report.checkpoints} checkpoints`,
          );
          if (report.checkpoint)
            console.log(
              `latest checkpoint ${report.checkpoint.id} (${report.checkpoint.at}): ${report.checkpoint.hash} — keep a copy elsewhere to anchor the log`,
            );
          if (report.legacyRecords > 0)
            console.log(
              `(the first ${report.legacyRecords} records predate the keyed chain: plain SHA-256, sealed by what is keyed after them)`,
            );
        } else {
          const b = report.broken!;
          console.error(`audit log BROKEN at record #${b.seq} (${b.reason}): ${b.message}`);
          if (report.breaks > 1) console.error(`${report.breaks - 1} more breaks found`);
          console.error(`${report.records} records checked`);
        }
        if (!report.ok) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
  audit
    .command('checkpoint')
    .description('seal the heads of the streams written since the last checkpoint (once across processes)')
    .option('--at <iso>', 'run as of this instant (ISO 8601 with offset) instead of now')
    .option('--force', 'run even if the last scheduled checkpoint is recent')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { at?: string; force?: boolean; json?: boolean }) => {
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new AppError('validation_failed', `--at is not a valid instant: ${opts.at}`);
      const database = await open();
      try {
        const run = await checkpointAudit(database.db, { now: at, force: opts.force ?? false });
        if (opts.json) console.log(JSON.stringify(run));
        else if (!run.ran)
          console.log(`not run (${run.skipped === 'locked' ? 'another process is on it' : 'not due'})`);
        else if (run.checkpoints.length === 0) console.log('nothing to seal');
        else
          for (const c of run.checkpoints)
            console.log(`checkpoint ${c.id}: ${c.heads} stream heads sealed, ${c.hash}`);
      } finally {
        await database.close();
      }
    });
}
