/**
 * The Electron shell: windows onto the same station runtime the station server runs, with
 * the contract carried over IPC. Everything plant-related lives in main/runtime; this file
 * only does windows (a screen may open in its own window, e.g. on a second monitor; the
 * layout is restored on the next start), hardening and the IPC binding.
 */
import { app, BrowserWindow, ipcMain, Menu, session, dialog, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startStation, type StationRuntime } from '../runtime/station.js';
import { createLogger } from '../runtime/logging/logger.js';
import { appRoot, demoProjectFile, rendererDir, prepareDataDir } from '../runtime/app-paths.js';
import { dispatch } from '../runtime/api/dispatch.js';
import { ClientChannel } from '../runtime/api/client-channel.js';
import { channelAccessFor } from '../runtime/api/channel-access.js';
import type { SessionBinding } from '../runtime/api/caller.js';
import { loadProjectFile } from '../runtime/config/load-project.js';
import { isBuiltinSimulatorDevice } from '../runtime/config/schema.js';
import { parseSubstations, writeDemoProject } from '../../scripts/demo-project.js';
import { errorReply, type EventName, type EventPayload } from '../../preload/contract.js';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, isTrustedRendererUrl, openMainWindow } from './window-options.js';
import { WindowLayoutKeeper } from './window-layout-keeper.js';
import type { SavedWindow } from './window-layout.js';
import { startSimulator } from '../../simulator/index.js';

const indexHtml = join(rendererDir(), 'index.html');
const indexUrl = pathToFileURL(indexHtml).toString();
const preloadPath = join(appRoot(), 'dist', 'preload', 'index.cjs');

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

// Deny every permission (camera, notifications, geolocation …) the console never needs.
function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/**
 * The session id stays in the main process, never in a renderer: a compromised page cannot
 * read or replay it. All windows of the desktop console share it (one operator at one
 * desk: signing in, out or switching user in one window applies to every screen window,
 * which hears of it through its client channel's `auth.changed`).
 */
let desktopSession: string | null = null;

/** Each window's client channel narrows its pushes through this (the `tags.watch` request), by webContents id. */
const watchers = new Map<number, (tags: ReadonlySet<string> | null) => void>();

function sessionOf(): SessionBinding {
  return {
    get: () => desktopSession,
    set: (id) => void (desktopSession = id),
    canChange: true,
  };
}

function createWindow(runtime: StationRuntime, layout: WindowLayoutKeeper, place: SavedWindow): BrowserWindow {
  const win = openMainWindow(BrowserWindow, preloadPath, !app.isPackaged, place.bounds);
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });

  const channel = new ClientChannel(
    runtime.tags,
    runtime.devices,
    <N extends EventName>(event: N, data: EventPayload<N>) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { event, data });
    },
    channelAccessFor(runtime.security, sessionOf()),
    { events: runtime.events, alarms: runtime.alarms },
  );
  watchers.set(win.webContents.id, (tags) => channel.watch(tags));
  layout.track(win, place.main);
  if (place.main) {
    // Closing the main window ends the console, screen windows included; the layout keeps them.
    win.on('close', () => {
      layout.saveAndFreeze();
      app.quit();
    });
  }
  const contentsId = win.webContents.id;
  win.on('closed', () => {
    watchers.delete(contentsId);
    channel.close();
    if (BrowserWindow.getAllWindows().length === 0 && desktopSession) {
      runtime.security.auth.logout(desktopSession);
      desktopSession = null;
    }
  });
  void win.loadFile(indexHtml, place.route ? { hash: place.route.replace(/^#/, '') } : {});
  return win;
}

/** The app menu: the usual roles, and Window → open the current screen in a new window. */
function installMenu(open: () => void): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      {
        label: 'Window',
        submenu: [
          { label: 'Open this screen in a new window', accelerator: 'CmdOrCtrl+Shift+N', click: open },
          { type: 'separator' },
          { role: 'minimize' },
          { role: 'close' },
        ],
      },
    ]),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { project: { type: 'string' }, substations: { type: 'string' } },
    strict: false,
    args: process.argv.slice(app.isPackaged ? 1 : 2),
  });
  const dataDir = prepareDataDir(app.getPath('userData')).root;
  const log = createLogger({ dir: dataDir, echo: true });
  await app.whenReady();
  hardenSession();

  let runtime: StationRuntime;
  try {
    // One substation is the committed demo project; more are generated into the data folder at every start.
    const substations = parseSubstations(typeof values.substations === 'string' ? values.substations : undefined);
    const projectFile =
      typeof values.project === 'string'
        ? values.project
        : substations === 1
          ? demoProjectFile()
          : writeDemoProject(dataDir, substations);
    // The desktop binds no port: on the simulated demo plant it may offer demo accounts.
    const demo = loadProjectFile(projectFile).devices.every(isBuiltinSimulatorDevice);
    runtime = await startStation({
      projectFile,
      dataDir,
      mode: 'desktop',
      log,
      demoUsers: demo,
      startPlant: startSimulator,
    });
  } catch (err) {
    dialog.showErrorBox('Argus cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }

  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, message: unknown) => {
    // Only our own top-level page may call the runtime.
    const frameUrl = event.senderFrame?.url ?? '';
    if (event.senderFrame?.parent || !isTrustedRendererUrl(frameUrl, indexUrl)) {
      log.warn({ frameUrl: frameUrl.slice(0, 200) }, 'IPC request from an untrusted frame refused');
      return errorReply('FORBIDDEN', 'request from an untrusted frame');
    }
    const { method, params } = (typeof message === 'object' && message !== null ? message : {}) as {
      method?: unknown;
      params?: unknown;
    };
    return dispatch(runtime.dispatchTarget, method, params, {
      source: 'desktop',
      session: sessionOf(),
      watchTags: watchers.get(event.sender.id),
    });
  });

  const layout = new WindowLayoutKeeper(app.getPath('userData'), (message) =>
    log.warn({ file: 'window-layout.json' }, message),
  );
  for (const place of layout.initial()) createWindow(runtime, layout, place);
  installMenu(() => {
    const opener = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null;
    createWindow(runtime, layout, layout.placementFor(opener));
  });
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    layout.saveAndFreeze();
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void runtime.stop().finally(() => {
      log.flush();
      app.exit(0);
    });
  });
  app.on('window-all-closed', () => app.quit());
}

void main();
