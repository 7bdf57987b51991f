import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isTrustedRendererUrl, openMainWindow, type SecureWindowOptions } from '../../main/electron/window-options.js';

describe('Electron main window hardening', () => {
  // Records what Electron's BrowserWindow would be given.
  class RecordingWindow {
    constructor(readonly options: SecureWindowOptions) {}
  }
  const prefs = openMainWindow(RecordingWindow, '/app/dist/preload/index.cjs', false).options.webPreferences;

  it('isolates and sandboxes the renderer with no Node', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('trusts IPC only from the app page itself', () => {
    const index = 'file:///app/dist/renderer/index.html';
    expect(isTrustedRendererUrl('file:///app/dist/renderer/index.html#/devices', index)).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/evil.html', index)).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/app/dist/renderer/index.html', index)).toBe(false);
    expect(isTrustedRendererUrl('not a url', index)).toBe(false);
  });

  it('packages with the security fuses set', () => {
    const config = parse(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as {
      electronFuses: Record<string, boolean>;
      asar: boolean;
    };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});
