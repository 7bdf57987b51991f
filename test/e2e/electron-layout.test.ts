/**
 * The desktop window layout through Electron itself: windows saved in the user-data folder
 * come back on the next start with their screens; a screen opens in a new window from the
 * Window menu; moving a window and quitting saves where it is. Runs where Electron's binary is
 * installed; skips with the reason where it is not (as electron.test.ts). The placement rules
 * (displays that exist now, clamping) are unit-tested in test/unit/electron-window-layout.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, type ElectronApplication } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
const missing = !binary || !existsSync(binary) || !process.env.DISPLAY;
if (missing) {
  console.warn(
    `Electron window-layout tests skipped: ${!binary || !existsSync(binary) ? "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)" : 'no DISPLAY (run under xvfb-run)'}`,
  );
}

const routes = (app: ElectronApplication) =>
  app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()
      .map((w) => new URL(w.webContents.getURL()).hash)
      .sort(),
  );

describe.skipIf(missing)('desktop window layout (Electron)', () => {
  it('restores saved screen windows, opens a screen in a new window, and saves the layout on quit', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'argus-electron-layout-'));
    writeFileSync(
      join(userData, 'window-layout.json'),
      JSON.stringify({
        version: 1,
        windows: [
          {
            route: '#/screen/overview',
            bounds: { x: 20, y: 20, width: 1100, height: 760 },
            displayId: null,
            maximized: false,
            main: true,
          },
          // Saved on a monitor that is gone: it must come back onto the display that exists.
          {
            route: '#/screen/pump-1',
            bounds: { x: 9000, y: 40, width: 1024, height: 700 },
            displayId: 987654,
            maximized: false,
            main: false,
          },
        ],
      }),
    );
    let app = await electron.launch({
      executablePath: binary!,
      args: [root, `--user-data-dir=${userData}`],
      cwd: root,
    });
    try {
      await app.firstWindow();
      await expect.poll(() => routes(app), { timeout: 30_000 }).toEqual(['#/screen/overview', '#/screen/pump-1']);
      const onScreen = await app.evaluate(({ BrowserWindow, screen }) =>
        BrowserWindow.getAllWindows().every((w) => {
          const b = w.getBounds();
          const area = screen.getDisplayMatching(b).workArea;
          return (
            b.x >= area.x &&
            b.y >= area.y &&
            b.x + b.width <= area.x + area.width &&
            b.y + b.height <= area.y + area.height
          );
        }),
      );
      expect(onScreen).toBe(true);
      // Window → Open this screen in a new window.
      await app.evaluate(({ Menu, BrowserWindow }) => {
        const main = BrowserWindow.getAllWindows().find(
          (w) => new URL(w.webContents.getURL()).hash === '#/screen/overview',
        )!;
        main.focus();
        const item = Menu.getApplicationMenu()!
          .items.flatMap((i) => i.submenu?.items ?? [])
          .find((i) => i.label === 'Open this screen in a new window')!;
        item.click(undefined, main, undefined as never);
      });
      await expect
        .poll(() => routes(app), { timeout: 15_000 })
        .toEqual(['#/screen/overview', '#/screen/overview', '#/screen/pump-1']);
      // Every window keeps the hardening.
      const prefs = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) =>
          (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences(),
        ),
      );
      for (const p of prefs) expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      await app.evaluate(({ BrowserWindow }) => {
        const pump = BrowserWindow.getAllWindows().find(
          (w) => new URL(w.webContents.getURL()).hash === '#/screen/pump-1',
        )!;
        pump.setBounds({ x: 60, y: 50, width: 1200, height: 720 });
      });
    } finally {
      await app.close();
    }
    const saved = JSON.parse(readFileSync(join(userData, 'window-layout.json'), 'utf8')) as {
      windows: { route: string; bounds: { width: number }; main: boolean }[];
    };
    expect(saved.windows.map((w) => w.route).sort()).toEqual([
      '#/screen/overview',
      '#/screen/overview',
      '#/screen/pump-1',
    ]);
    expect(saved.windows[0]!.main).toBe(true);
    expect(saved.windows.find((w) => w.route === '#/screen/pump-1')!.bounds.width).toBe(1200);
    // Next start: the same three windows.
    app = await electron.launch({ executablePath: binary!, args: [root, `--user-data-dir=${userData}`], cwd: root });
    try {
      await app.firstWindow();
      await expect.poll(() => routes(app), { timeout: 30_000 }).toHaveLength(3);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  }, 180_000);
});
