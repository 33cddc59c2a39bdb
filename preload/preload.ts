// The Electron preload (STYLE.md §4, after VS Code's validateIPC): exposes exactly
// `window.frustum` (common/api/wire.ts FrustumBridge), one function per contract method,
// generated from METHODS — never ipcRenderer itself, never a channel the contract does not
// name. Runs sandboxed, so it is bundled to one CommonJS file (scripts/build.mjs).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_ERROR_CODES, EVENTS, METHODS, type MethodName } from '../common/api/contract';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, type FrustumBridge } from '../common/api/wire';

type Envelope = { ok: true; response: unknown } | { ok: false; error: { code: string; message: string } };

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'response' in value;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

// Errors crossing contextBridge keep only their message: the renderer's electron client reads
// "code: message" back into an ApiError (renderer/api/electronClient.ts).
async function invoke(method: MethodName, request: unknown): Promise<unknown> {
  const envelope: unknown = await ipcRenderer.invoke(`${IPC_PREFIX}${method}`, request);
  if (!isEnvelope(envelope)) throw new Error(`internal: ${method}: the host sent no envelope`);
  if (envelope.ok) return envelope.response;
  const code = (API_ERROR_CODES as readonly string[]).includes(envelope.error.code) ? envelope.error.code : 'internal';
  throw new Error(`${code}: ${envelope.error.message}`);
}

const methods = Object.fromEntries(
  (Object.keys(METHODS) as MethodName[]).map((method) => [method, (request: unknown) => invoke(method, request)]),
) as unknown as FrustumBridge['methods'];

const bridge: FrustumBridge = {
  methods,
  on(event, listener) {
    if (!Object.hasOwn(EVENTS, event)) throw new Error(`bad-request: unknown event ${String(event)}`);
    const handler = (_event: unknown, message: unknown) => {
      const frame = message as { event?: unknown; payload?: unknown } | null;
      if (frame?.event === event) (listener as (payload: unknown) => void)(frame.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  // Only a File the page holds (dropped or picked by the person) has a path to give.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('frustum', bridge);

