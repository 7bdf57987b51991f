/**
 * The desktop shell itself: runs where Electron's binary is installed (a developer's
 * machine), and skips with a message where it is not (CI installs with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1; the same runtime and renderer are tested there through
 * the station server in Chromium).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
const missing = !binary || !existsSync(binary) || !process.env.DISPLAY;
if (missing) {
  console.warn(
    `Electron tests skipped: ${!binary || !existsSync(binary) ? "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)" : 'no DISPLAY (run under xvfb-run)'}`,
  );
}

describe.skipIf(missing)('desktop console (Electron)', () => {
  it('opens a sandboxed window without Node and shows the sign-in screen for the demo plant', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'argus-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, `--user-data-dir=${userData}`],
      cwd: root,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { argus?: { request?: unknown } }).argus?.request)).toBe(
        'function',
      );
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
          getLastWebPreferences(): Record<string, unknown>;
        };
        return wc.getLastWebPreferences();
      });
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      // Navigation away and new windows are refused.
      await page.evaluate(() => window.open('https://example.com'));
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  }, 120_000);

  it('opens a screen in a window of its own and restores both windows, with their screens and places, at the next start', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'argus-electron-'));
    const launch = () =>
      electron.launch({ executablePath: binary!, args: [root, `--user-data-dir=${userData}`], cwd: root });
    try {
      const first = await launch();
      const main = await first.firstWindow();
      await main.waitForLoadState('domcontentloaded');
      await main.evaluate(() => void (location.hash = '#/screen/pump-1'));
      // Window → "Open this screen in a new window" (the menu's own handler, as a click would run it).
      await first.evaluate(({ Menu }) => {
        const windowMenu = Menu.getApplicationMenu()!.items.find((i) => i.label === 'Window')!;
        const open = windowMenu.submenu!.items.find((i) => i.label === 'Open this screen in a new window')!;
        (open.click as () => void)();
      });
      await expect.poll(() => first.windows().length, { timeout: 20_000 }).toBe(2);
      const screenWindow = first.windows().find((w) => w !== main)!;
      await screenWindow.waitForLoadState('domcontentloaded');
      expect(new URL(screenWindow.url()).hash).toBe('#/screen/pump-1');
      await screenWindow.evaluate(() => void (location.hash = '#/screen/hx'));
      await first.evaluate(({ BrowserWindow }) => {
        const [, second] = BrowserWindow.getAllWindows().sort((a, b) => a.id - b.id);
        second!.setBounds({ x: 140, y: 90, width: 1100, height: 700 });
      });
      await first.close();

      const saved = JSON.parse(readFileSync(join(userData, 'window-layout.json'), 'utf8')) as {
        windows: { route: string; main: boolean; bounds: { width: number; height: number } }[];
      };
      expect(saved.windows.map((w) => [w.route, w.main])).toEqual([
        ['#/screen/pump-1', true],
        ['#/screen/hx', false],
      ]);

      const second = await launch();
      try {
        await expect.poll(() => second.windows().length, { timeout: 30_000 }).toBe(2);
        const places = await second.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows().map((w) => ({
            hash: new URL(w.webContents.getURL()).hash,
            width: w.getNormalBounds().width,
            height: w.getNormalBounds().height,
          })),
        );
        expect(places.map((p) => p.hash).sort()).toEqual(['#/screen/hx', '#/screen/pump-1']);
        expect(places.find((p) => p.hash === '#/screen/hx')).toMatchObject({ width: 1100, height: 700 });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  }, 180_000);
});
