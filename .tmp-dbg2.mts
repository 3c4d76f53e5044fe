import { createTestDatabase } from './test/support/database.ts';
import { seedDemo } from './src/demo/seed.ts';
import { sweepDeadlines } from './src/app/deadlines/sweep-deadlines.ts';
const db = await createTestDatabase();
await seedDemo(db, () => {}, { now: new Date('2026-11-28T10:40:00+08:00') });
const now = new Date('2027-01-01T10:00:00+08:00');
const before = await db.db.selectFrom('case_deadlines as d').innerJoin('cases as c','c.id','d.case_id').select(['d.id','d.stage','d.colour','d.escalation_level','d.due_at','d.warn_at','d.next_escalation_at','d.limit_unit','d.limit_amount','d.extension_amount','c.state','c.case_no']).where('d.status','=','running').execute();
const r = await sweepDeadlines({ database: db, now: () => now });
console.log(r);
const after = new Map((await db.db.selectFrom('case_deadlines').select(['id','colour','escalation_level']).execute()).map(x => [x.id, x]));
for (const b of before) { const a = after.get(b.id)!; if (a.colour !== b.colour || a.escalation_level !== b.escalation_level || (b.colour==='red' && b.escalation_level<3)) console.log(b, '→', a); }
await db.close();
