/**
 * The desktop window layout: which console places are open in which windows, where and how
 * large, on which display — saved in the user-data folder on every move and restored on the
 * next start. Pure (no Electron, no files): `parseWindowLayout` reads what was saved and
 * drops what makes no sense, `placeOnDisplays` moves every window onto the displays that
 * exist NOW (a second monitor unplugged overnight must not leave a window off-screen).
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DisplayArea {
  readonly id: number;
  /** The usable area (without task bars), as Electron's `Display.workArea`. */
  readonly workArea: Rect;
  readonly primary?: boolean;
}

export interface SavedWindow {
  /** The console place, a URL hash such as `#/screen/pumps` (empty: the default place). */
  readonly route: string;
  readonly bounds: Rect;
  /** Display the window was on when saved. */
  readonly displayId: number | null;
  readonly maximized: boolean;
  /** The main window (closing it quits the app); exactly one. */
  readonly main: boolean;
}

export interface WindowLayout {
  readonly version: 1;
  readonly windows: readonly SavedWindow[];
}

export const LAYOUT_FILE = 'window-layout.json';
export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 700;
export const MAX_WINDOWS = 8;
export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;

/** Places a window may show: console hash routes only (never a URL of somewhere else). */
export function isConsoleRoute(route: string): boolean {
  return route === '' || /^#\/[a-z0-9/-]{1,80}$/.test(route);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseRect(v: unknown): Rect | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (!finite(r.x) || !finite(r.y) || !finite(r.width) || !finite(r.height) || r.width <= 0 || r.height <= 0)
    return null;
  return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
}

/**
 * The saved layout, or null when there is none worth restoring. Windows that cannot be read
 * are dropped one by one (with the reason in `problems`), never the whole file for one bad entry.
 */
export function parseWindowLayout(text: string | null): { layout: WindowLayout | null; problems: string[] } {
  if (text === null) return { layout: null, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      layout: null,
      problems: [`${LAYOUT_FILE}: not JSON (${err instanceof Error ? err.message : String(err)})`],
    };
  }
  const problems: string[] = [];
  const list =
    typeof raw === 'object' && raw !== null && Array.isArray((raw as { windows?: unknown }).windows)
      ? (raw as { windows: unknown[] }).windows
      : null;
  if (!list) return { layout: null, problems: [`${LAYOUT_FILE}: no "windows" list`] };
  const windows: SavedWindow[] = [];
  list.slice(0, MAX_WINDOWS).forEach((w, i) => {
    const entry = (typeof w === 'object' && w !== null ? w : {}) as Record<string, unknown>;
    const bounds = parseRect(entry.bounds);
    const route = typeof entry.route === 'string' ? entry.route : '';
    if (!bounds) return void problems.push(`${LAYOUT_FILE}: windows[${i}].bounds is not a rectangle`);
    if (!isConsoleRoute(route))
      return void problems.push(`${LAYOUT_FILE}: windows[${i}].route "${route.slice(0, 40)}" is not a console place`);
    windows.push({
      route,
      bounds,
      displayId: finite(entry.displayId) ? entry.displayId : null,
      maximized: entry.maximized === true,
      main: entry.main === true,
    });
  });
  if (list.length > MAX_WINDOWS) problems.push(`${LAYOUT_FILE}: only the first ${MAX_WINDOWS} windows are restored`);
  if (windows.length === 0) return { layout: null, problems };
  // Exactly one main window: the first marked one, else the first.
  const mainIndex = Math.max(
    0,
    windows.findIndex((w) => w.main),
  );
  return { layout: { version: 1, windows: windows.map((w, i) => ({ ...w, main: i === mainIndex })) }, problems };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Fits `bounds` inside `area`: shrunk to fit (not below the minimum unless the area is smaller), then moved in. */
export function clampToArea(bounds: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(bounds.width, Math.min(MIN_WIDTH, area.width)), area.width);
  const height = Math.min(Math.max(bounds.height, Math.min(MIN_HEIGHT, area.height)), area.height);
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/**
 * The display a saved window goes to: its own display if it still exists, else the display
 * it overlaps most, else the primary (the first when none is marked).
 */
export function displayFor(
  saved: Pick<SavedWindow, 'bounds' | 'displayId'>,
  displays: readonly DisplayArea[],
): DisplayArea | null {
  if (displays.length === 0) return null;
  const own = saved.displayId !== null ? displays.find((d) => d.id === saved.displayId) : undefined;
  if (own) return own;
  let best: DisplayArea | null = null;
  let bestArea = 0;
  for (const d of displays) {
    const a = overlap(saved.bounds, d.workArea);
    if (a > bestArea) [best, bestArea] = [d, a];
  }
  return best ?? displays.find((d) => d.primary) ?? displays[0]!;
}

/**
 * Every saved window placed on the displays that exist now: on its own display (or the
 * best other one) and clamped inside its work area. A window whose display is gone and
 * which overlaps no display keeps its size and offset relative to the primary's corner.
 */
export function placeOnDisplays(layout: WindowLayout, displays: readonly DisplayArea[]): SavedWindow[] {
  return layout.windows.map((w) => {
    const display = displayFor(w, displays);
    if (!display) return w;
    const sameDisplay = w.displayId === display.id || overlap(w.bounds, display.workArea) > 0;
    const start = sameDisplay ? w.bounds : { ...w.bounds, x: display.workArea.x + 40, y: display.workArea.y + 40 };
    return { ...w, bounds: clampToArea(start, display.workArea), displayId: display.id };
  });
}

/** The layout when nothing was saved: one main window, centred on the primary display. */
export function defaultLayout(displays: readonly DisplayArea[]): WindowLayout {
  const primary = displays.find((d) => d.primary) ?? displays[0];
  const area = primary?.workArea ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const width = Math.min(DEFAULT_SIZE.width, area.width);
  const height = Math.min(DEFAULT_SIZE.height, area.height);
  const bounds = {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
  return { version: 1, windows: [{ route: '', bounds, displayId: primary?.id ?? null, maximized: false, main: true }] };
}

/** Where a new screen window opens: the display after the opener's (a second monitor), else offset on the same. */
export function boundsForNewWindow(
  openerDisplayId: number | null,
  displays: readonly DisplayArea[],
  opener: Rect,
): { bounds: Rect; displayId: number | null } {
  if (displays.length === 0) return { bounds: { ...opener, x: opener.x + 40, y: opener.y + 40 }, displayId: null };
  const index = Math.max(
    0,
    displays.findIndex((d) => d.id === openerDisplayId),
  );
  const target = displays.length > 1 ? displays[(index + 1) % displays.length]! : displays[index]!;
  const start =
    target.id === openerDisplayId || displays.length === 1
      ? { ...opener, x: opener.x + 40, y: opener.y + 40 }
      : { x: target.workArea.x, y: target.workArea.y, width: target.workArea.width, height: target.workArea.height };
  return { bounds: clampToArea(start, target.workArea), displayId: target.id };
}

export function serializeLayout(windows: readonly SavedWindow[]): string {
  return JSON.stringify({ version: 1, windows: windows.slice(0, MAX_WINDOWS) }, null, 2) + '\n';
}
