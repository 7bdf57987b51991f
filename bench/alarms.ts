/**
 * Alarm flood benchmark (`npm run bench:alarms`). 10,000 tags with a high alarm each go
 * into alarm within one tag-table batch, as a plant-wide upset would deliver them, through
 * the station's real path: tag table → alarm service (engine, DTOs for the windows) →
 * journal (a real SQLite file, batched). Then an operator acknowledges the visible page
 * (100 alarms) through the contract handler, audit trail included.
 *
 *   evaluate_ms  tag batch in → every alarm evaluated, transitions queued, windows told
 *   journal_ms   flood start → every transition durably stored (flush resolved)
 *   ack_page_ms  `alarms.acknowledge` of 100 alarms: audit entries, engine, journal queue
 *
 * Each round floods, acknowledges pages, clears, and resets; medians over the rounds.
 * When bench/alarms-ui.ts exists, its figures (the summary in Chromium during the flood)
 * are added to the same line. Prints one JSON line.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { AlarmService } from '../main/runtime/alarms/alarm-service.js';
import { TagTable } from '../main/runtime/tags/tag-table.js';
import { createLogger } from '../main/runtime/logging/logger.js';
import { openSecurityServices } from '../main/runtime/security/security-services.js';
import { createAlarmHandlers } from '../main/runtime/api/alarm-handlers.js';
import { memorySessionBinding } from '../main/runtime/api/caller.js';
import type { Sample } from '../protocols/driver.js';
import { floodProject } from '../test/support/alarm-project.js';
import { benchMeta } from './meta.js';

const FLOOD = 10_000;
const ROUNDS = 5;
const PAGE = 100;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-alarms-'));
  try {
    const project = floodProject(FLOOD);
    const tags = new TagTable(project.tags.map((t) => t.name));
    const alarms = new AlarmService({
      project,
      tags,
      devices: { list: () => [], onChange: () => () => undefined },
      file: join(dir, 'alarms.db'),
      log: createLogger({ level: 'silent' }),
    });
    // A window listening, as the station server's channel does.
    let pushed = 0;
    alarms.subscribe((changed) => (pushed += changed.length));
    alarms.start();
    const security = openSecurityServices(dir);
    const handlers = createAlarmHandlers({
      alarms,
      security,
      projectFile: join(dir, 'none.yaml'),
      dataDir: dir,
      onExportProgress: () => undefined,
    });
    const caller = {
      source: 'bench',
      session: memorySessionBinding(null),
      principal: { name: 'night-operator', role: 'operator' as const, areas: [] },
    };

    const batch = (value: number): Sample[] => {
      const now = Date.now();
      return project.tags.map((t) => ({
        tag: t.name,
        value,
        quality: { code: 'Good' as const },
        sourceTime: now,
        receiveTime: now,
      }));
    };
    const evaluate: number[] = [];
    const journal: number[] = [];
    const ackPage: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const samples = batch(90);
      const t0 = performance.now();
      tags.apply(samples);
      const t1 = performance.now();
      await alarms.flush();
      const t2 = performance.now();
      evaluate.push(t1 - t0);
      journal.push(t2 - t0);
      const active = alarms.list().filter((a) => a.state === 'unack-active');
      if (active.length !== FLOOD) throw new Error(`expected ${FLOOD} active alarms, got ${active.length}`);
      // The operator acknowledges what the summary shows, page by page (10 pages per round).
      for (let p = 0; p < 10; p++) {
        const ids = active.slice(p * PAGE, (p + 1) * PAGE).map((a) => a.id);
        const a0 = performance.now();
        const result = await handlers['alarms.acknowledge']({ ids }, caller);
        ackPage.push(performance.now() - a0);
        if (result.acknowledged.length !== PAGE)
          throw new Error(`page acknowledge: ${result.refused[0]?.reason ?? 'short'}`);
      }
      // Back to normal, and the rest acknowledged, for the next round.
      tags.apply(batch(50));
      const rest = alarms.list().map((a) => a.id);
      for (let i = 0; i < rest.length; i += 1000) await alarms.acknowledge(rest.slice(i, i + 1000), 'bench', null);
      await alarms.flush();
      if (alarms.list().length !== 0) throw new Error('alarms left after reset');
    }
    const stored = alarms.journal.writtenCount;
    await alarms.stop();
    security.close();

    let ui: Record<string, unknown> = {};
    const uiBench = join(import.meta.dirname, 'alarms-ui.ts');
    if (existsSync(uiBench) && !process.argv.includes('--no-ui')) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', uiBench], { encoding: 'utf8', timeout: 600_000 });
      const line = run.stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        ui = { ui_first_paint_ms: parsed.ui_first_paint_ms, ui_scroll_frame_ms_p95: parsed.ui_scroll_frame_ms_p95 };
      } catch {
        ui = { ui_error: (run.stderr || line).slice(-300) };
      }
    }
    const figures = {
      flood_alarms: FLOOD,
      rounds: ROUNDS,
      evaluate_ms: round(median(evaluate)),
      evaluate_ms_max: round(Math.max(...evaluate)),
      journal_ms: round(median(journal)),
      journal_ms_max: round(Math.max(...journal)),
      ack_page_ms: round(median(ackPage)),
      ack_page_ms_p95: round([...ackPage].sort((a, b) => a - b)[Math.floor(ackPage.length * 0.95)]!),
      journal_rows: stored,
      window_updates: pushed,
      ...ui,
      targets: {
        evaluate_ms: 100,
        journal_ms: 500,
        ack_page_ms: 50,
        ui_first_paint_ms: 500,
        ui_scroll_frame_ms_p95: 16,
      },
      ...benchMeta(
        `${FLOOD} high alarms raised in one batch, journal on SQLite, ${PAGE}-alarm acknowledge pages through the contract handler with audit, ${ROUNDS} rounds`,
      ),
    };
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
