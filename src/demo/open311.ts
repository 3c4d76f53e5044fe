import { registerOpen311Client } from '../app/open311/open311-clients.ts';
import { SYSTEM_ACTOR } from '../core/actor.ts';
import type { Database } from '../db/database.ts';

/** The demo 12345 hotline's Open311 key: published like the demo password, on demo databases only. */
export const DEMO_OPEN311_KEY = 'liandong-demo-open311';

/** Registers the demo 12345 citizen hotline as an Open311 client system (source 'hotline'). */
export async function seedDemoOpen311(database: Database, now: Date = new Date()): Promise<void> {
  await registerOpen311Client({ database, now: () => now }, SYSTEM_ACTOR, {
    name: '12345 市民服务热线 (demo)',
    source: 'hotline',
    key: DEMO_OPEN311_KEY,
  });
}
