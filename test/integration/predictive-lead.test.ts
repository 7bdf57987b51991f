/**
 * Fault early warning through the station's own path, against the plant's conventional
 * alarms: heat-exchanger fouling injected into the substation physics (accelerated, one
 * row a simulated minute, the demo project's alarms run over it by the real engine), the
 * rows written to a real history file and the tag table at their simulated times, the
 * shipped fault classifier run every minute by the prediction service, its threshold
 * raising a predictive alarm in the alarm service. The predictive alarm must come first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateRun, SUBSTATION_PREFIX } from '../../models/training/sim-runs.js';
import { loadProjectFile } from '../../main/runtime/config/load-project.js';
import { openHistorian } from '../../main/runtime/historian/index.js';
import { TagTable } from '../../main/runtime/tags/tag-table.js';
import { AlarmService } from '../../main/runtime/alarms/alarm-service.js';
import { createLogger } from '../../main/runtime/logging/logger.js';
import { readModelPackage } from '../../main/runtime/predictions/model-package.js';
import { PredictionService, predictiveAlarmId } from '../../main/runtime/predictions/prediction-service.js';
import { demoProjectPath } from '../support/demo-project.js';
import type { Sample } from '../../protocols/driver.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-lead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fault early warning', () => {
  it('warns of heat-exchanger fouling before the plant’s first conventional alarm', async () => {
    const project = loadProjectFile(demoProjectPath);
    const faultStartMin = 90;
    const run = simulateRun(
      {
        id: 'lead-fouling',
        seed: 41,
        startTime: Date.UTC(2025, 0, 14, 0, 0),
        minutes: 7 * 60,
        faults: [{ kind: 'hx-fouling', startMin: faultStartMin, severity: 0.95 }],
        alarms: true,
      },
      project,
    );
    const conventional = run.alarms[0];
    expect(conventional, 'the fault reaches a conventional alarm in the run').toBeDefined();

    const pkg = readModelPackage(join(import.meta.dirname, '../../models/ss01_faults.model.yaml'));
    const m = pkg.manifest;
    const inputs = m.input.tags.map((t) => t.tag);
    const channelOf = new Map(run.channels.map((c, i) => [`${SUBSTATION_PREFIX}.${c}`, i]));
    for (const tag of inputs) expect(channelOf.has(tag), `${tag} is simulated`).toBe(true);

    let now = run.plan.startTime;
    const log = createLogger({ level: 'silent' });
    const tags = new TagTable(inputs, now);
    const historian = openHistorian({ file: join(dir, 'history.db') });
    const alarms = new AlarmService({
      project: {
        ...project,
        tags: [],
        devices: project.devices,
        alarmSettings: { ...(project.alarmSettings ?? {}), commLostPriority: 'off' },
      } as typeof project,
      tags,
      devices: { list: () => [], onChange: () => () => undefined },
      file: join(dir, 'alarms.db'),
      log,
      now: () => now,
    });
    alarms.start();
    const service = new PredictionService({ tags, history: historian, alarms, log, now: () => now });
    await service.activate(pkg);
    const foulingAlarm = predictiveAlarmId(m, m.thresholds.find((t) => t.output === 'P_HX_FOULING')!.output);

    const width = run.channels.length;
    let warnedAtMin: number | null = null;
    let highest = 0;
    const foulingOutput = m.output.values.find((o) => o.label === 'hx-fouling')!;
    const foulingTag = `${SUBSTATION_PREFIX}.FAULTS.${foulingOutput.name}`;
    for (let row = 0; row < run.times.length; row++) {
      now = run.times[row]!;
      const samples: Sample[] = inputs.map((tag) => ({
        tag,
        value: run.values[row * width + channelOf.get(tag)!]!,
        quality: { code: 'Good' },
        sourceTime: now,
        receiveTime: now,
      }));
      historian.ingest(samples);
      tags.apply(samples);
      if (row % 10 === 0) await historian.flush();
      if (row < m.input.window) continue;
      await service.runOnce(m.name);
      const p = tags.get(foulingTag)?.value;
      if (typeof p === 'number') highest = Math.max(highest, p);
      if (warnedAtMin === null && alarms.get(foulingAlarm)?.state === 'unack-active')
        warnedAtMin = (now - run.plan.startTime) / 60_000;
      if (warnedAtMin !== null && (now - run.plan.startTime) / 60_000 > conventional!.atMin) break;
    }
    await service.stop();
    await alarms.stop();
    await historian.close();

    expect(highest, 'the fouling probability rises').toBeGreaterThan(0.9);
    expect(warnedAtMin, `predictive alarm ${foulingAlarm} raised`).not.toBeNull();
    expect(warnedAtMin!).toBeGreaterThan(faultStartMin);
    // Before the first conventional alarm (e.g. the exchanger's UA low).
    expect(
      warnedAtMin!,
      `warned at ${warnedAtMin} min, first conventional alarm ${conventional!.id} at ${conventional!.atMin} min`,
    ).toBeLessThan(conventional!.atMin);
  }, 180_000);
});
