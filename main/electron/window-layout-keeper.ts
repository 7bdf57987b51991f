/**
 * The Electron side of the window layout (the pure rules are in window-layout.ts): reads the
 * saved layout from the user-data folder at start, places it on the displays that exist
 * now, follows every window's place, size and console route, and writes the layout back
 * (half a second after a change, and once more when the app quits).
 */
import { screen, type BrowserWindow } from 'electron';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LAYOUT_FILE,
  boundsForNewWindow,
  defaultLayout,
  isConsoleRoute,
  parseWindowLayout,
  placeOnDisplays,
  serializeLayout,
  type DisplayArea,
  type SavedWindow,
} from './window-layout.js';

const SAVE_DELAY_MS = 500;

export function currentDisplays(): DisplayArea[] {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }));
}

/** The console route a window shows (`#/screen/pumps`), '' when it is not a console place. */
export function routeOf(win: BrowserWindow): string {
  try {
    const hash = new URL(win.webContents.getURL()).hash;
    return isConsoleRoute(hash) ? hash : '';
  } catch {
    return '';
  }
}

export class WindowLayoutKeeper {
  private readonly file: string;
  private readonly windows = new Map<BrowserWindow, boolean>();
  private timer: NodeJS.Timeout | null = null;
  private frozen = false;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = join(dir, LAYOUT_FILE);
  }

  /** The windows to open at start: the saved layout on today's displays, else one main window. */
  initial(): SavedWindow[] {
    let text: string | null;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      text = null; // first start: nothing saved yet
    }
    const { layout, problems } = parseWindowLayout(text);
    for (const problem of problems) this.warn(problem);
    const displays = currentDisplays();
    return placeOnDisplays(layout ?? defaultLayout(displays), displays);
  }

  /** Where a new screen window opens: the next display (a second monitor), else beside the opener. */
  placementFor(opener: BrowserWindow | null): SavedWindow {
    const displays = currentDisplays();
    const openerBounds =
      opener && !opener.isDestroyed() ? opener.getNormalBounds() : defaultLayout(displays).windows[0]!.bounds;
    const openerDisplay = opener && !opener.isDestroyed() ? screen.getDisplayMatching(openerBounds).id : null;
    const { bounds, displayId } = boundsForNewWindow(openerDisplay, displays, openerBounds);
    return { route: opener ? routeOf(opener) : '', bounds, displayId, maximized: false, main: false };
  }

  track(win: BrowserWindow, main: boolean): void {
    this.windows.set(win, main);
    const save = () => this.saveSoon();
    win.on('move', save);
    win.on('resize', save);
    win.on('maximize', save);
    win.on('unmaximize', save);
    win.webContents.on('did-navigate-in-page', save);
    win.on('closed', () => {
      this.windows.delete(win);
      this.saveSoon();
    });
  }

  snapshot(): SavedWindow[] {
    const out: SavedWindow[] = [];
    for (const [win, main] of this.windows) {
      if (win.isDestroyed()) continue;
      const bounds = win.getNormalBounds();
      out.push({
        route: routeOf(win),
        bounds,
        displayId: screen.getDisplayMatching(bounds).id,
        maximized: win.isMaximized(),
        main,
      });
    }
    // The main window first: it is the one restored as main.
    return out.sort((a, b) => Number(b.main) - Number(a.main));
  }

  saveSoon(): void {
    if (this.frozen || this.timer) return;
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  /** Writes the layout now (a temp file renamed over the old one, so a crash never leaves half a file). */
  saveNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.frozen) return;
    const windows = this.snapshot();
    if (windows.length === 0) return;
    try {
      writeFileSync(`${this.file}.tmp`, serializeLayout(windows));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.warn(
        `${this.file}: the window layout could not be saved (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }

  /** The app is quitting: save once more and keep that (windows closing one by one must not shrink it). */
  saveAndFreeze(): void {
    this.saveNow();
    this.frozen = true;
  }
}
