import { describe, expect, it } from 'vitest';
import {
  boundsForNewWindow,
  clampToArea,
  defaultLayout,
  displayFor,
  isConsoleRoute,
  parseWindowLayout,
  placeOnDisplays,
  serializeLayout,
  type DisplayArea,
  type SavedWindow,
} from '../../main/electron/window-layout.js';

const left: DisplayArea = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, primary: true };
const right: DisplayArea = { id: 2, workArea: { x: 1920, y: 0, width: 1366, height: 728 } };
const win = (over: Partial<SavedWindow>): SavedWindow => ({
  route: '#/screen/overview',
  bounds: { x: 100, y: 80, width: 1440, height: 900 },
  displayId: 1,
  maximized: false,
  main: true,
  ...over,
});

describe('window layout: reading what was saved', () => {
  it('round-trips a layout and keeps exactly one main window', () => {
    const text = serializeLayout([
      win({}),
      win({ route: '#/screen/pumps', bounds: { x: 2000, y: 10, width: 1200, height: 700 }, displayId: 2, main: false }),
    ]);
    const { layout, problems } = parseWindowLayout(text);
    expect(problems).toEqual([]);
    expect(layout!.windows.map((w) => [w.route, w.main, w.displayId])).toEqual([
      ['#/screen/overview', true, 1],
      ['#/screen/pumps', false, 2],
    ]);
    const none = parseWindowLayout(JSON.stringify({ windows: [win({ main: false }), win({ main: false })] })).layout!;
    expect(none.windows.map((w) => w.main)).toEqual([true, false]);
  });

  it('drops bad entries one by one and says why', () => {
    const { layout, problems } = parseWindowLayout(
      JSON.stringify({
        windows: [
          win({}),
          { route: 'https://example.com', bounds: { x: 0, y: 0, width: 800, height: 600 } },
          { route: '#/tags', bounds: { x: 0, y: 0, width: -5, height: 600 } },
        ],
      }),
    );
    expect(layout!.windows).toHaveLength(1);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/windows\[1\]\.route/);
    expect(problems[1]).toMatch(/windows\[2\]\.bounds/);
    expect(parseWindowLayout('{oops').problems[0]).toMatch(/window-layout\.json: not JSON/);
    expect(parseWindowLayout(null)).toEqual({ layout: null, problems: [] });
  });

  it('accepts only console places as routes', () => {
    expect(isConsoleRoute('#/screen/pumps')).toBe(true);
    expect(isConsoleRoute('#/alarms/journal')).toBe(true);
    expect(isConsoleRoute('')).toBe(true);
    expect(isConsoleRoute('javascript:alert(1)')).toBe(false);
    expect(isConsoleRoute('#/screen/<img>')).toBe(false);
  });
});

describe('window layout: placing windows on the displays that exist now', () => {
  it('keeps a window where it was when its display is still there', () => {
    const placed = placeOnDisplays(
      {
        version: 1,
        windows: [win({}), win({ bounds: { x: 2000, y: 20, width: 1200, height: 700 }, displayId: 2, main: false })],
      },
      [left, right],
    );
    expect(placed[0]!.bounds).toEqual({ x: 100, y: 80, width: 1440, height: 900 });
    expect(placed[1]!.bounds).toEqual({ x: 2000, y: 20, width: 1200, height: 700 });
  });

  it('brings a window from an unplugged monitor back onto the primary display', () => {
    const placed = placeOnDisplays(
      {
        version: 1,
        windows: [win({ bounds: { x: 2100, y: 50, width: 1300, height: 700 }, displayId: 2, main: false })],
      },
      [left],
    );
    expect(placed[0]!.displayId).toBe(1);
    const b = placed[0]!.bounds;
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(1920);
    expect(b.y + b.height).toBeLessThanOrEqual(1040);
    expect(b.width).toBe(1300);
  });

  it('shrinks a window larger than its display, but not below the minimum the display allows', () => {
    expect(clampToArea({ x: -50, y: -50, width: 3000, height: 2000 }, right.workArea)).toEqual({
      x: 1920,
      y: 0,
      width: 1366,
      height: 728,
    });
    expect(clampToArea({ x: 10, y: 10, width: 300, height: 200 }, left.workArea)).toEqual({
      x: 10,
      y: 10,
      width: 1024,
      height: 700,
    });
    // Off the bottom-right corner: moved in, size kept.
    expect(clampToArea({ x: 1800, y: 900, width: 1100, height: 720 }, left.workArea)).toEqual({
      x: 820,
      y: 320,
      width: 1100,
      height: 720,
    });
  });

  it('finds the display a window overlaps most when its own id is gone', () => {
    expect(displayFor({ bounds: { x: 1800, y: 0, width: 800, height: 600 }, displayId: 99 }, [left, right])!.id).toBe(
      2,
    );
    expect(
      displayFor({ bounds: { x: 9000, y: 9000, width: 800, height: 600 }, displayId: null }, [right, left])!.id,
    ).toBe(1);
    expect(displayFor({ bounds: { x: 0, y: 0, width: 10, height: 10 }, displayId: 1 }, [])).toBeNull();
  });

  it('opens a new screen window on the next monitor, or offset on a single one', () => {
    expect(boundsForNewWindow(1, [left, right], { x: 100, y: 80, width: 1440, height: 900 })).toEqual({
      bounds: right.workArea,
      displayId: 2,
    });
    expect(boundsForNewWindow(1, [left], { x: 100, y: 80, width: 1440, height: 900 })).toEqual({
      bounds: { x: 140, y: 120, width: 1440, height: 900 },
      displayId: 1,
    });
  });

  it('starts with one main window centred on the primary display', () => {
    const d = defaultLayout([right, left]);
    expect(d.windows).toEqual([
      { route: '', bounds: { x: 240, y: 70, width: 1440, height: 900 }, displayId: 1, maximized: false, main: true },
    ]);
  });
});
