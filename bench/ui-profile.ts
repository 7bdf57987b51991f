/**
 * Where a page's main-thread time goes, for the console benchmarks (`ARGUS_BENCH_PROFILE=1`
 * with `tsx bench/ui-mimic.ts` or `tsx bench/ui-trend.ts`; written to stderr, never part of the
 * JSON line):
 *
 *   traceBreakdown   a DevTools trace of the renderer's main thread: self CPU time per event
 *                    kind (script, style recalculation, layout, pre-paint, paint, GC …) per second
 *   cpuProfileTop    a V8 CPU profile: self time per function, mapped back through the built
 *                    renderer's source maps to the original file and line, and per source file
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time of the event, where the trace has it. */
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string; readonly data?: { readonly frame?: string } };
}

/** Self time per trace event name on the page's main thread (ms per second of trace, and events per second), largest first. */
export async function traceBreakdown(browser: Browser, page: Page, ms: number): Promise<[string, number, number][]> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'],
  });
  await sleep(ms);
  const buffer = await browser.stopTracing();
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const complete = traceEvents
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const count = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of complete) {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    // CPU time where the trace has it: other load on the machine stretches wall time, not this.
    const cost = e.tdur ?? e.dur!;
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - cost);
    self.set(e.name, (self.get(e.name) ?? 0) + cost);
    count.set(e.name, (count.get(e.name) ?? 0) + 1);
    stack.push({ end: e.ts + e.dur!, name: e.name });
  }
  const seconds = ms / 1000;
  return [...self]
    .map(([name, us]): [string, number, number] => [name, us / 1000 / seconds, (count.get(name) ?? 0) / seconds])
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1]);
}

interface SourceMapJson {
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
}

/** A source map's positions: per generated line, segments [column, source, line, column, name?]. */
class SourceMapLookup {
  private readonly lines: number[][][] = [];
  constructor(private readonly map: SourceMapJson) {
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let source = 0;
    let line = 0;
    let column = 0;
    let name = 0;
    for (const text of map.mappings.split(';')) {
      const segments: number[][] = [];
      let generated = 0;
      for (const segment of text.split(',')) {
        if (!segment) continue;
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const ch of segment) {
          const d = digits.indexOf(ch);
          value += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        generated += fields[0]!;
        if (fields.length < 4) continue;
        source += fields[1]!;
        line += fields[2]!;
        column += fields[3]!;
        if (fields.length > 4) name += fields[4]!;
        segments.push(fields.length > 4 ? [generated, source, line, column, name] : [generated, source, line, column]);
      }
      this.lines.push(segments);
    }
  }

  /** The original source, 1-based line and name at a 1-based line and 0-based column of the built file. */
  at(line: number, column: number): { source: string; line: number; name: string | undefined } | null {
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return null;
    let lo = 0;
    let hi = segments.length - 1;
    if (segments[0]![0]! > column) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]![0]! <= column) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo]!;
    return {
      source: this.map.sources[s[1]!] ?? '?',
      line: s[2]! + 1,
      name: s[4] !== undefined ? this.map.names[s[4]] : undefined,
    };
  }
}

/** The built renderer's source maps, by the script file name the page loads. */
function rendererMaps(): Map<string, SourceMapLookup> {
  const dir = join(root, 'dist/renderer/assets');
  const maps = new Map<string, SourceMapLookup>();
  if (!existsSync(dir)) return maps;
  for (const f of readdirSync(dir))
    if (f.endsWith('.js.map'))
      maps.set(
        f.slice(0, -'.map'.length),
        new SourceMapLookup(JSON.parse(readFileSync(join(dir, f), 'utf8')) as SourceMapJson),
      );
  return maps;
}

const shortSource = (s: string): string => s.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/');

/** Self time per function and per source file (ms per second), from a CPU profile of `ms`. */
export async function cpuProfileTop(
  cdp: CDPSession,
  ms: number,
  top = 30,
): Promise<{ functions: [string, number][]; files: [string, number][] }> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await sleep(ms);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  const maps = rendererMaps();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas ?? [];
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() ?? '';
    let where = file ? `${file}:${f.lineNumber + 1}` : '(native)';
    let source = file || f.functionName || '(native)';
    let name = f.functionName || '(anonymous)';
    const map = maps.get(file);
    if (map && f.lineNumber >= 0) {
      const orig = map.at(f.lineNumber + 1, f.columnNumber);
      if (orig) {
        source = shortSource(orig.source);
        where = `${source}:${orig.line}`;
        if (orig.name && name.length <= 2) name = orig.name;
      }
    }
    const key = `${name} ${where}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + dt);
    fileSelf.set(source, (fileSelf.get(source) ?? 0) + dt);
  });
  const seconds = ms / 1000;
  const rank = (m: Map<string, number>): [string, number][] =>
    [...m]
      .map(([k, v]): [string, number] => [k, v / seconds])
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return { functions: rank(fnSelf), files: rank(fileSelf) };
}

/** Both, one after the other, to stderr under `title`. */
export async function profileToStderr(
  title: string,
  browser: Browser,
  page: Page,
  cdp: CDPSession,
  ms = 10_000,
): Promise<void> {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  const trace = await traceBreakdown(browser, page, ms);
  out(`--- ${title}: main-thread self time by trace event (ms per s, events per s)`);
  for (const [name, v, n] of trace.slice(0, 25))
    out(`${v.toFixed(1).padStart(8)} ${n.toFixed(1).padStart(7)}  ${name}`);
  const { functions, files } = await cpuProfileTop(cdp, ms);
  out(`--- ${title}: JS self time by function (ms per s)`);
  for (const [k, v] of functions) out(`${v.toFixed(1).padStart(8)}  ${k}`);
  out(`--- ${title}: JS self time by source file (ms per s)`);
  for (const [k, v] of files) out(`${v.toFixed(1).padStart(8)}  ${k}`);
}
