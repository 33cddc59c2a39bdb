// The preload with Electron's two modules replaced by fakes (the real `electron` is never
// loaded: its binary is not installed here). It must expose exactly window.frustum, one
// function per contract method on its own channel, and turn error envelopes into errors.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { METHODS } from '../common/api/contract';

const exposed = new Map<string, unknown>();
const invoked: Array<{ channel: string; request: unknown }> = [];
const listeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
let reply: unknown = { ok: true, response: { fine: true } };

vi.mock('electron', () => ({
  webUtils: { getPathForFile: (file: { name: string }) => `/home/me/${file.name}` },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      invoked.push({ channel, request });
      return reply;
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => listeners.get(channel)?.delete(listener),
  },
}));

interface Bridge {
  methods: Record<string, (request: unknown) => Promise<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: unknown): string;
}

beforeEach(async () => {
  await import('./preload');
});

describe('preload', () => {
  it('exposes exactly window.frustum with one function per method, never ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual(['frustum']);
    const bridge = exposed.get('frustum') as Bridge;
    expect(Object.keys(bridge).sort()).toEqual(['methods', 'on', 'pathForFile']);
    expect(Object.keys(bridge.methods).sort()).toEqual(Object.keys(METHODS).sort());
  });

  it('calls each method on its own channel and unwraps the envelope', async () => {
    const bridge = exposed.get('frustum') as Bridge;
    reply = { ok: true, response: { fine: true } };
    expect(await bridge.methods['sample.get']?.({ id: 1 })).toEqual({ fine: true });
    expect(invoked.at(-1)).toEqual({ channel: 'frustum:sample.get', request: { id: 1 } });
    reply = { ok: false, error: { code: 'conflict', message: 'the head moved' } };
    await expect(bridge.methods['sample.saveChain']?.({})).rejects.toThrow(/^conflict: the head moved$/);
    reply = { ok: false, error: { code: 'weird', message: 'x' } };
    await expect(bridge.methods['project.info']?.({})).rejects.toThrow(/^internal: x$/);
    reply = 'not an envelope';
    await expect(bridge.methods['project.info']?.({})).rejects.toThrow(/^internal:/);
  });

  it("gives a dropped file's path through webUtils (sandboxed pages have no File.path)", () => {
    const bridge = exposed.get('frustum') as Bridge;
    expect(bridge.pathForFile({ name: 'train.json' })).toBe('/home/me/train.json');
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const bridge = exposed.get('frustum') as Bridge;
    const seen: unknown[] = [];
    const off = bridge.on('samples.changed', (payload) => seen.push(payload));
    const emit = (message: unknown) => listeners.get('frustum:event')?.forEach((listener) => listener({}, message));
    emit({ event: 'samples.changed', payload: { ids: [1], reason: 'bulk' } });
    emit({ event: 'job.progress', payload: {} });
    emit(null);
    off();
    emit({ event: 'samples.changed', payload: { ids: [2], reason: 'bulk' } });
    expect(seen).toEqual([{ ids: [1], reason: 'bulk' }]);
    expect(() => bridge.on('no.such.event', () => undefined)).toThrow(/unknown event/);
  });
});
