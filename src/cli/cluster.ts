import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import { describeDatabase, openConfiguredDatabase } from './open.ts';
import { serve, type ServeOptions } from './serve.ts';

/** A worker that dies within this long of its start is not restarted again and again (a crash loop). */
const MIN_LIFETIME_MS = 10_000;

/**
 * `liandong serve --workers N` (issue 10 §4): N server processes on this machine sharing one port through
 * node:cluster (the primary accepts connections and hands them out round robin). Each worker is a whole
 * `serve`: sessions, throttles and rate limits live in the database, live updates cross processes by
 * LISTEN/NOTIFY, and the sweeper and webhook worker claim rows with SKIP LOCKED, so N workers behave as N
 * instances behind a load balancer. Needs DATABASE_URL (PGlite is one process's).
 *
 * The primary migrates once before forking, restarts a worker that dies (unless it dies right after its
 * start: then it stops everything, so a broken configuration does not loop), and passes SIGINT/SIGTERM on.
 */
export async function serveCluster(config: Config, options: ServeOptions, workers: number): Promise<void> {
  if (cluster.isWorker) return serve(config, options);
  if (!config.databaseUrl)
    throw new Error(
      `--workers ${workers} needs DATABASE_URL: the embedded database (PGlite) is one process's; ` +
        'run one process, or point the workers at a PostgreSQL server',
    );
  if (options.demo)
    throw new Error(
      '--demo with --workers: seed the demo once with `liandong serve --demo` (one process), then start the workers',
    );

  // migrate once, here, so N workers do not queue on the migration lock at start
  const database = await openConfiguredDatabase(config, { command: 'serve' });
  await database.close();
  console.log(`liandong: starting ${workers} server processes on ${describeDatabase(config)}`);

  // the workers run the same command line (cluster.fork's default): `serve` with the same options
  const started = new Map<Worker, number>();
  let stopping = false;
  let exitCode = 0;
  const fork = () => {
    // WORKERS=1 in the worker: it serves alone and never forks
    const worker = cluster.fork({ WORKERS: '1' });
    started.set(worker, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    console.error(`liandong: worker ${worker.process.pid} ended (${signal ?? `exit ${code}`})`);
    if (lived < MIN_LIFETIME_MS) {
      console.error('liandong: it ended right after its start; stopping every worker (see its log above)');
      void stop(1);
      return;
    }
    fork();
  });
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (started.size === 0) process.exit(exitCode);
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  for (let i = 0; i < workers; i++) fork();
}
