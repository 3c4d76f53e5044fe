import type { LockHolder } from '../db/data-dir-lock.ts';

/** Exit code of a command refused because another process holds the embedded data folder (EX_TEMPFAIL). */
export const EXIT_DATA_DIR_LOCKED = 75;

/**
 * What to do instead, when a command meets a data folder held by another process: the commands that are
 * useful while the server runs have an API twin on the running server (README "Security").
 */
export function lockedHint(command: string, holder: LockHolder): string | null {
  const url = holder.url ?? 'the running server';
  const api = (what: string) =>
    `While it runs, do this through its API instead: ${what} (log in with POST ${url}/api/v1/auth/login ` +
    'and send the token as "Authorization: Bearer TOKEN"), or in the web console.';
  if (holder.command !== 'serve') return 'Wait until that command ends, then run this one again.';
  if (command.startsWith('case report')) return api(`POST ${url}/api/v1/cases`);
  if (command.startsWith('case act')) return api(`POST ${url}/api/v1/cases/CASE_ID/actions/ACTION`);
  if (command.startsWith('case show')) return api(`GET ${url}/api/v1/cases/CASE_ID`);
  if (command.startsWith('audit verify')) return api(`GET ${url}/api/v1/audit/verify as an administrator`);
  if (command.startsWith('users')) return api(`${url}/api/v1/users (administrators)`);
  if (command.startsWith('sweep'))
    return 'The running server sweeps deadlines itself every minute (unless started with --no-sweeper).';
  if (command.startsWith('serve')) return `The server is already running at ${url}.`;
  return 'Stop the server first (Ctrl-C or SIGTERM), run this command, then start the server again.';
}
