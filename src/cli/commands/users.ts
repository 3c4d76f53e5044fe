import os from 'node:os';
import readline from 'node:readline';
import { Option, type Command } from 'commander';
import { createUser } from '../../app/identity/create-user.ts';
import type { IdentityDeps } from '../../app/identity/deps.ts';
import { listUsers } from '../../app/identity/list-users.ts';
import { resetPassword } from '../../app/identity/reset-password.ts';
import { setUserDisabled } from '../../app/identity/set-user-disabled.ts';
import { updateUser } from '../../app/identity/update-user.ts';
import { SYSTEM_ACTOR, type Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { formatUnit, parseUnit, ROLE_UNITS } from '../../core/policy/units.ts';
import type { Database } from '../../db/database.ts';
import type { UserRole } from '../../db/schema/identity.ts';

/** The CLI acts as the platform, named after the operating-system user who ran it (for the audit log). */
const cliActor = (): Actor => ({
  ...SYSTEM_ACTOR,
  username: `cli:${os.userInfo().username}`,
  displayName: '命令行 CLI',
});

const roleOption = () =>
  new Option('--role <role>', 'role').choices(Object.keys(ROLE_UNITS)).makeOptionMandatory(true);

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const writable = rl as unknown as { _writeToOutput: (s: string) => void };
  let muted = false;
  writable._writeToOutput = (s: string) => {
    if (!muted) process.stdout.write(s);
  };
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = true;
  try {
    return await answer;
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

/** --password, else a prompt (twice) on a terminal, else undefined (a password is generated). */
async function passwordFrom(option: string | undefined): Promise<string | undefined> {
  if (option !== undefined) return option;
  if (!process.stdin.isTTY) return undefined;
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat password: ');
  if (first !== second) throw new AppError('validation_failed', 'The passwords differ');
  return first;
}

async function userIdOf(database: Database, username: string): Promise<string> {
  const row = await database.db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.trim().toLowerCase()))
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No user ${username}`);
  return row.id;
}

const depsOf = (database: Database): IdentityDeps => ({
  db: database.db,
  now: () => new Date(),
  sessionHours: 12,
});

/**
 * `users create|list|disable|enable|reset-password|assign`. Production's first admin is created here:
 * `liandong users create --username admin --role admin --unit 310112` (the password is prompted for).
 */
export function registerUserCommands(program: Command, open: () => Promise<Database>): void {
  const users = program.command('users').description('manage user accounts (audited)');
  const withDatabase = async <T>(fn: (database: Database) => Promise<T>): Promise<T> => {
    const database = await open();
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };

  users
    .command('create')
    .description(
      'create an account; without --password it is prompted for (or generated when not on a terminal)',
    )
    .requiredOption('--username <name>', 'login name, e.g. gumei.dispatcher')
    .addOption(roleOption())
    .requiredOption('--unit <unit>', 'region code (310112006), department id (police-310112006) or "none"')
    .option('--display-name <name>', 'name shown in the UI')
    .option('--phone <phone>', 'work phone')
    .option('--password <password>', 'initial password (avoid: it stays in the shell history)')
    .action(
      async (opts: {
        username: string;
        role: UserRole;
        unit: string;
        displayName?: string;
        phone?: string;
        password?: string;
      }) => {
        const unit = parseUnit(opts.unit);
        const password = await passwordFrom(opts.password);
        await withDatabase(async (database) => {
          const { user, generatedPassword } = await createUser(depsOf(database), cliActor(), {
            username: opts.username,
            displayName: opts.displayName,
            phone: opts.phone ?? null,
            role: opts.role,
            unit,
            password,
          });
          console.log(
            `created ${user.username} (${user.role} @ ${formatUnit(user.unit)}${user.unitName ? ` ${user.unitName}` : ''}) id=${user.id}`,
          );
          if (generatedPassword)
            console.log(
              `generated password (shown once, must be changed at first login): ${generatedPassword}`,
            );
        });
      },
    );

  users
    .command('list')
    .description('list accounts')
    .addOption(new Option('--role <role>', 'only this role').choices(Object.keys(ROLE_UNITS)))
    .option('--all', 'include disabled accounts')
    .action(async (opts: { role?: UserRole; all?: boolean }) => {
      await withDatabase(async (database) => {
        const { items } = await listUsers(depsOf(database), cliActor(), {
          role: opts.role,
          includeDisabled: opts.all,
          limit: 500,
        });
        for (const u of items) {
          console.log(
            [
              u.username.padEnd(24),
              u.role.padEnd(16),
              formatUnit(u.unit).padEnd(28),
              u.unitName ?? '',
              u.disabled ? '(disabled)' : '',
            ]
              .join(' ')
              .trimEnd(),
          );
        }
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(name)
      .description(disabled ? 'disable an account and end its sessions' : 're-enable an account')
      .argument('<username>')
      .action(async (username: string) => {
        await withDatabase(async (database) => {
          await setUserDisabled(depsOf(database), cliActor(), await userIdOf(database, username), disabled);
          console.log(`${username} ${disabled ? 'disabled' : 'enabled'}`);
        });
      });
  }

  users
    .command('reset-password')
    .description(
      'set a new password (prompted, or generated when not on a terminal); the user must change it',
    )
    .argument('<username>')
    .option('--password <password>', 'the new password')
    .option('--generate', 'generate a random password instead of prompting')
    .action(async (username: string, opts: { password?: string; generate?: boolean }) => {
      const password = opts.generate ? undefined : await passwordFrom(opts.password);
      await withDatabase(async (database) => {
        const { generatedPassword } = await resetPassword(
          depsOf(database),
          cliActor(),
          await userIdOf(database, username),
          {
            password,
          },
        );
        console.log(`password of ${username} reset; all sessions ended`);
        if (generatedPassword) console.log(`generated password (shown once): ${generatedPassword}`);
      });
    });

  users
    .command('assign')
    .description('bind an account to another role and/or unit')
    .argument('<username>')
    .addOption(new Option('--role <role>', 'new role').choices(Object.keys(ROLE_UNITS)))
    .option('--unit <unit>', 'new unit')
    .action(async (username: string, opts: { role?: UserRole; unit?: string }) => {
      await withDatabase(async (database) => {
        const user = await updateUser(depsOf(database), cliActor(), await userIdOf(database, username), {
          role: opts.role,
          unit: opts.unit === undefined ? undefined : parseUnit(opts.unit),
        });
        console.log(`${user.username} is now ${user.role} @ ${formatUnit(user.unit)}`);
      });
    });
}
