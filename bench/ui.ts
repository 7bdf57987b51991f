/**
 * The console in Chromium through the station server (`npm run bench:ui`): one JSON line with
 *
 *   mimic_bound_elements, mimic_update_ms_p95   a generated screen of 1,000 bound elements
 *                                               updating every second (script + layout per update)
 *   trend_points, trend_render_ms               8 pens × 86,400 points of real history
 *   trend_live_append_ms_p95                    a live 1-hour window of 8 pens appending each second
 *   js_heap_mb, heap_growth_mb                  after a long live run on the process screen
 *
 * Each part runs on its own too: bench/ui-mimic.ts, bench/ui-trend.ts, bench/ui-heap.ts (their
 * headers say how each figure is taken). Parts run one after another, never side by side, so
 * one browser's work does not land in another's figure. Needs a build and /usr/bin/chromium.
 */
import { runHeapBench } from './ui-heap.js';
import { runMimicBench } from './ui-mimic.js';
import { runTrendBench } from './ui-trend.js';
import { benchMeta } from './meta.js';

const mimic = await runMimicBench();
const { meta: _trendMeta, ...trend } = await runTrendBench();
const heap = await runHeapBench();
console.log(
  JSON.stringify({
    ...mimic,
    ...trend,
    ...heap,
    targets: {
      mimic_update_ms_p95: '< 8',
      trend_render_ms: '< 150',
      trend_live_append_ms_p95: '< 8',
      heap_growth_mb: '< 20',
    },
    ...benchMeta(
      'Chromium 1920×1080 through the station server on the built-in plant: 1,000-element generated screen; 8 pens × 1 day of history; process screen under fast live updates',
    ),
  }),
);
