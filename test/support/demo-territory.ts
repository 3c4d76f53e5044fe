import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoTerritory, loadMinhangSource, type RegionRow } from '../../src/demo/territory.ts';
import { IMAGE_DIR, pruneImages } from './images.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Everything the generated territory depends on: the generator, the geo core, the data, the libraries. */
const INPUTS = ['src/demo/territory.ts', 'src/core/geo', 'demo-data', 'package-lock.json'];

function inputsHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    if (fs.statSync(file).isDirectory()) {
      for (const entry of fs.readdirSync(file).sort()) add(path.join(file, entry));
    } else hash.update(`\0${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file));
  };
  for (const input of INPUTS) add(path.join(ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

let rows: RegionRow[] | undefined;

/**
 * The generated Minhang demo territory (default seed), as `generateDemoTerritory(loadMinhangSource())`
 * returns it, from a file cache next to the database images: generating it costs seconds of CPU in
 * every test file that seeds it. The cache is named by a hash of the generator, the geo core, the demo
 * data and the lockfile, so any change there regenerates it. `territory.test.ts` tests the generator
 * itself and never reads this cache.
 */
export function demoTerritoryRows(): RegionRow[] {
  if (rows) return rows;
  const file = path.join(IMAGE_DIR, `territory-${inputsHash()}.json`);
  if (fs.existsSync(file)) {
    rows = JSON.parse(fs.readFileSync(file, 'utf8')) as RegionRow[];
    return rows;
  }
  rows = generateDemoTerritory(loadMinhangSource());
  fs.mkdirSync(IMAGE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, JSON.stringify(rows));
  fs.renameSync(partial, file);
  pruneImages('territory-', '.json');
  return rows;
}
