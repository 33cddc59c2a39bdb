import { describe, expect, it } from 'vitest';
import { ApiError, type EventName } from '../../common/api/contract';
import type { FrustumBridge } from '../../common/api/wire';
import { createElectronClient } from './electronClient';

function fakeBridge(handler: (method: string, request: unknown) => Promise<unknown>) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const methods = new Proxy({}, { get: (_, method: string) => (request: unknown) => handler(method, request) });
  const bridge = {
    methods,
    on: (event: EventName, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  } as unknown as FrustumBridge;
  return { bridge, emit: (event: string, payload: unknown) => listeners.get(event)?.(payload) };
}

describe('electronClient', () => {
  it('validates responses and maps host errors to ApiError codes', async () => {
    const { bridge } = fakeBridge(async (method) => {
      if (method === 'project.info') return { path: '/p', name: 'p', host: 'electron', sampleCount: 1, clipCount: 1, readOnly: false };
      if (method === 'sample.get') throw new Error("Error invoking remote method 'frustum:sample.get': conflict: newer head");
      return { wrong: true };
    });
    const client = createElectronClient(bridge);
    await expect(client.call('project.info', {})).resolves.toMatchObject({ host: 'electron' });
    await expect(client.call('sample.get', { id: 1 })).rejects.toEqual(new ApiError('conflict', 'newer head'));
    await expect(client.call('stats.get', {})).rejects.toMatchObject({ code: 'internal' });
    await expect(client.call('sample.get', { id: 0 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('passes only valid events on', () => {
    const { bridge, emit } = fakeBridge(async () => ({}));
    const client = createElectronClient(bridge);
    const seen: unknown[] = [];
    client.on('job.finished', (payload) => seen.push(payload));
    emit('job.finished', { jobId: 7, kind: 'analyze', state: 'succeeded', error: null });
    emit('job.finished', { jobId: 3 });
    expect(seen).toEqual([{ jobId: 7, kind: 'analyze', state: 'succeeded', error: null }]);
  });
});
