import type { Command } from 'commander';
import { piiKeyring } from '../../app/baseinfo/pii.ts';
import { rotatePiiKey } from '../../app/baseinfo/rotate-pii-key.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { addPiiKey, dropRetiredPiiKeys } from '../pii-key.ts';

/**
 * `pii rotate-key`: a new key for personal data at rest (issue 12 §3). With DATA_DIR/pii.key a new key
 * is put first in the file (the old ones stay, retired); with PII_KEY the operator puts the new key
 * first in the variable on every instance and runs this to re-encrypt. Every person and unit under
 * another key is then re-encrypted and re-hashed in batches; retired keys no row needs any more are
 * dropped from the file. Interrupted, it resumes with `--resume` (no new key).
 */
export function registerPiiCommands(program: Command, open: () => Promise<Database>, config: Config): void {
  const pii = program.command('pii').description('personal data at rest (ID and phone numbers, encrypted)');
  pii
    .command('rotate-key')
    .description('start using a new encryption key and re-encrypt every stored ID/phone number with it')
    .option('--resume', 'do not make a new key: finish re-encrypting with the current one')
    .option('--batch <rows>', 'rows per transaction', '500')
    .action(async (opts: { resume?: boolean; batch: string }) => {
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new Error('--batch takes a whole number of rows from 1 to 10000');
      if (!opts.resume && config.piiKey === undefined) addPiiKey(config);
      const database = await open();
      try {
        const keyring = piiKeyring();
        if (!opts.resume && config.piiKey !== undefined && keyring.keys.length < 2)
          throw new Error(
            'PII_KEY holds one key: put the new key first (PII_KEY=new,old) on every instance, then run this again',
          );
        console.error(`current key ${keyring.current.id}; re-encrypting…`);
        const report = await rotatePiiKey(
          { database, log: { info: () => undefined, warn: console.warn, error: console.error } },
          keyring,
          {
            batchSize,
            onProgress: (done) =>
              process.stderr.write(
                `\r  people ${done.people}  units ${done.units}  contacts ${done.contacts}`,
              ),
          },
        );
        process.stderr.write('\n');
        const dropped = dropRetiredPiiKeys(config, keyring, new Set(report.keysInUse));
        console.log(
          `re-encrypted ${report.people} people, ${report.units} units and ${report.contacts} contacts with key ${keyring.current.id}` +
            (dropped > 0 ? `; ${dropped} retired key(s) removed from the key file` : ''),
        );
        if (config.piiKey !== undefined && keyring.keys.length > 1)
          console.log('you may now remove the old key(s) from PII_KEY (restart every instance after)');
      } finally {
        await database.close();
      }
    });
}
