import { openDatabase } from '/work/main/src/db/database.ts';
import { migrate } from '/work/main/src/db/migrate.ts';
import { seedDemo } from '/work/main/src/demo/seed.ts';
import { seedDemoHistory } from '/work/main/src/demo/history.ts';
import type { KyselyPlugin } from 'kysely';
const base = await openDatabase({});
await migrate(base);
await seedDemo(base);
const counts = new Map<string, number>();
let total = 0;
const plugin: KyselyPlugin = {
  transformQuery(args) {
    total++;
    const n = args.node as any;
    const table = n.from?.froms?.[0]?.table?.identifier?.name ?? n.into?.table?.identifier?.name ?? n.table?.table?.identifier?.name ?? n.from?.froms?.[0]?.node?.table?.identifier?.name ?? '?';
    const key = `${n.kind}:${table}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return args.node;
  },
  async transformResult(args) { return args.result; },
};
const db = { ...base, db: base.db.withPlugin(plugin) };
const r = await seedDemoHistory(db as any, { now: new Date('2026-06-15T10:00:00+08:00'), days: 20 });
console.log({ cases: r.cases, actions: r.actions, sweeps: r.sweeps, ms: r.ms, timings: r.timings, total });
console.log([...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40));
await base.close();
