/**
 * Writes simulated runs for the model training: `npx tsx models/training/generate-data.ts
 * <plan.json> <out-dir> [--shard i/n]`. The plan is a JSON array of runs (see sim-runs.ts);
 * each run becomes `<id>.f32` (float32 little-endian, [minutes, channels]) and `<id>.json`
 * (channels, times, conventional alarm activations, the plan itself).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProjectFile } from '../../main/runtime/config/load-project.js';
import { simulateRun, type RunPlan } from './sim-runs.js';

const [planFile, outDir, ...rest] = process.argv.slice(2);
if (!planFile || !outDir) {
  console.error('usage: generate-data.ts <plan.json> <out-dir> [--shard i/n] [--project assets/demo/plant.yaml]');
  process.exit(2);
}
let shard = 0;
let shards = 1;
let projectFile = resolve(import.meta.dirname, '../../assets/demo/plant.yaml');
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--shard') [shard, shards] = (rest[++i] ?? '0/1').split('/').map(Number) as [number, number];
  else if (rest[i] === '--project') projectFile = resolve(rest[++i]!);
}

const plans = JSON.parse(readFileSync(planFile, 'utf8')) as RunPlan[];
const project = plans.some((p) => p.alarms) ? loadProjectFile(projectFile) : null;
mkdirSync(outDir, { recursive: true });
const started = performance.now();
let simulatedMin = 0;
plans.forEach((plan, index) => {
  if (index % shards !== shard) return;
  const run = simulateRun(plan, project);
  writeFileSync(
    join(outDir, `${plan.id}.f32`),
    Buffer.from(run.values.buffer, run.values.byteOffset, run.values.byteLength),
  );
  writeFileSync(
    join(outDir, `${plan.id}.json`),
    JSON.stringify({
      plan,
      channels: run.channels,
      rows: plan.minutes,
      firstTime: run.times[0],
      periodS: 60,
      alarms: run.alarms,
    }),
  );
  simulatedMin += plan.minutes;
});
const wallS = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    shard,
    shards,
    simulatedDays: +(simulatedMin / 1440).toFixed(2),
    wallS: +wallS.toFixed(1),
    speedup: Math.round((simulatedMin * 60) / wallS),
  }),
);
