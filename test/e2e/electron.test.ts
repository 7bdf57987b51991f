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
});
