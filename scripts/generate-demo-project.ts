/**
 * Writes assets/demo/plant.yaml — the one-substation demo project on the built-in simulator —
 * from scripts/demo-project.ts (which builds it from the simulator's tag catalog).
 *   npx tsx scripts/generate-demo-project.ts
 * Projects for more substations are not committed: `serve` and the desktop app build them at
 * start (`--substations N`).
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { demoProjectYaml } from './demo-project.js';

export { demoProject, demoProjectYaml } from './demo-project.js';
export const demoProjectFile = new URL('../assets/demo/plant.yaml', import.meta.url).pathname;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(demoProjectFile, demoProjectYaml(1));
  process.stdout.write(`wrote ${demoProjectFile}\n`);
}
