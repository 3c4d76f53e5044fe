import path from 'node:path';
import type { Command } from 'commander';
import { createCase } from '../../app/cases/create-case.ts';
import type { CaseDeps } from '../../app/cases/deps.ts';
import { NO_CHANGES } from '../../app/cases/events.ts';
import { localFileStore } from '../../app/cases/file-store.ts';
import { getCase } from '../../app/cases/get-case.ts';
import { performCaseAction } from '../../app/cases/perform-case-action.ts';
import { actorOfRow } from '../../app/identity/user-view.ts';
import type { Config } from '../../config.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `case report | act | show`: scripted demos and operations through the same use cases as the API,
 * acting as a named user (the operator running the CLI has the database, so this is an admin tool).
 */
export function registerCaseCommands(program: Command, open: () => Promise<Database>, config: Config): void {
  const cmd = program
    .command('case')
    .description('report, act on and show cases as a given user (scripted demos)');

  const withDeps = async <T>(fn: (deps: CaseDeps, database: Database) => Promise<T>) => {
    const database = await open();
    try {
      return await fn(
        {
          database,
          files: localFileStore(path.join(config.dataDir, 'files')),
          changes: NO_CHANGES,
          now: () => new Date(),
        },
        database,
      );
    } finally {
      await database.close();
    }
  };

  cmd
    .command('report')
    .description('report a problem at a place (the case is routed like any API report)')
    .requiredOption('--as <username>', 'the reporting user')
    .requiredOption('--lon <lon>', 'longitude', Number)
    .requiredOption('--lat <lat>', 'latitude', Number)
    .requiredOption('--description <text>', 'what was seen')
    .option('--category <code>', '小类 code, e.g. 0101 (群租)')
    .option('--crs <crs>', 'wgs84 | gcj02 | bd09', 'wgs84')
    .option('--urgent', 'urgent report')
    .action(
      async (o: {
        as: string;
        lon: number;
        lat: number;
        description: string;
        category?: string;
        crs: 'wgs84' | 'gcj02' | 'bd09';
        urgent?: boolean;
      }) => {
        const result = await withDeps(async (deps, database) =>
          createCase(deps, await actorByUsername(database, o.as), {
            description: o.description,
            category: o.category,
            location: { lon: o.lon, lat: o.lat, crs: o.crs },
            ...(o.urgent ? { urgency: 'urgent' as const } : {}),
          }),
        );
        console.log(JSON.stringify(result, null, 2));
      },
    );

  cmd
    .command('act <case> <action>')
    .description(
      'perform a workflow action, e.g. `case act 310112-2026-000001 register --as gumei.dispatcher`',
    )
    .requiredOption('--as <username>', 'the acting user')
    .option('--payload <json>', 'the action payload as JSON', '{}')
    .option('--version <n>', 'expected case version (default: the current one)', Number)
    .action(async (ref: string, action: string, o: { as: string; payload: string; version?: number }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(o.payload);
      } catch {
        throw new AppError('validation_failed', '--payload is not valid JSON');
      }
      const result = await withDeps(async (deps, database) => {
        const actor = await actorByUsername(database, o.as);
        const version = o.version ?? (await getCase(deps, actor, ref)).version;
        return performCaseAction(deps, actor, { caseRef: ref, action, version, payload });
      });
      console.log(JSON.stringify(result, null, 2));
    });

  cmd
    .command('show <case>')
    .description('the case with its timeline, as a given user sees it')
    .requiredOption('--as <username>', 'the viewing user')
    .action(async (ref: string, o: { as: string }) => {
      const detail = await withDeps(async (deps, database) =>
        getCase(deps, await actorByUsername(database, o.as), ref),
      );
      console.log(JSON.stringify(detail, null, 2));
    });
}

async function actorByUsername(database: Database, username: string): Promise<Actor> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!row || row.disabled) throw new AppError('not_found', `No active user ${username}`);
  return actorOfRow(row);
}
