/**
 * The main window's settings, kept apart from Electron itself so a plain-Node test
 * can assert them: the renderer is a sandboxed web page with no Node, no remote
 * content, and only the preload's contextBridge API.
 */
export interface SecureWindowOptions {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly backgroundColor: string;
  readonly show: boolean;
  readonly title: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInWorker: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly experimentalFeatures: false;
    readonly webviewTag: false;
    readonly navigateOnDragDrop: false;
    readonly spellcheck: false;
    readonly disableBlinkFeatures: 'Auxclick';
    readonly devTools: boolean;
  };
}

/** What it takes to build a window: Electron's BrowserWindow, or a recorder in tests. */
export type WindowConstructor<W> = new (options: SecureWindowOptions) => W;

/** Where a window goes (restored from the saved layout); none: 1440×900, centred by Electron. */
export interface WindowPlacement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Opens a console window (the main one or a screen window: the same hardening for both).
 * The options are one literal here, next to the constructor call, so a static checker
 * (Electronegativity) sees exactly what Electron gets.
 */
export function openMainWindow<W>(
  BrowserWindow: WindowConstructor<W>,
  preload: string,
  devTools: boolean,
  placement?: WindowPlacement,
): W {
  return new BrowserWindow({
    ...(placement ? { x: placement.x, y: placement.y } : {}),
    width: placement?.width ?? 1440,
    height: placement?.height ?? 900,
    minWidth: 1024,
    minHeight: 700,
    backgroundColor: '#d4d4d4',
    show: false,
    title: 'Argus',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      devTools,
    },
  });
}

/** Only the app's own page (loaded from the renderer folder) may talk to the runtime. */
export function isTrustedRendererUrl(url: string, rendererIndexUrl: string): boolean {
  try {
    const actual = new URL(url);
    const expected = new URL(rendererIndexUrl);
    return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  } catch {
    return false;
  }
}

export const IPC_REQUEST_CHANNEL = 'argus:request';
export const IPC_EVENT_CHANNEL = 'argus:event';
