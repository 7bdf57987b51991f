/**
 * The sandboxed preload: exposes exactly the contract's `ArgusApi` to the page via
 * contextBridge. No Node, no ipcRenderer, no raw channels reach the renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  ArgusApi,
  EventName,
  EventPayload,
  RequestName,
  RequestParams,
  Reply,
  RequestResult,
} from './contract.js';

// Kept in step with main/electron/window-options.ts (the preload cannot import main/).
const IPC_REQUEST_CHANNEL = 'argus:request';
const IPC_EVENT_CHANNEL = 'argus:event';

const api: ArgusApi = {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Reply<RequestResult<N>>> {
    return ipcRenderer.invoke(IPC_REQUEST_CHANNEL, { method: name, params }) as Promise<Reply<RequestResult<N>>>;
  },
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: { event: string; data: unknown }) => {
      if (message?.event === name) listener(message.data as EventPayload<N>);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('argus', api);
