import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../common/api/contract';
import { createWebSocketClient, webSocketUrl, type SocketLike } from './webSocketClient';

class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  lastCall(): { id: number; method: string; request: unknown } {
    return JSON.parse(this.sent.at(-1) ?? 'null');
  }
}

const info = { path: '/p.frustum', name: 'p', host: 'web', sampleCount: 3, clipCount: 1, readOnly: false };

function setup(options: { timeoutMs?: number } = {}) {
  FakeSocket.instances = [];
  const errors: string[] = [];
  const client = createWebSocketClient({
    url: 'ws://x/api/ws?token=t',
    createSocket: (url) => new FakeSocket(url),
    timeoutMs: options.timeoutMs ?? 1000,
    backoffMs: [10],
    onProtocolError: (message) => errors.push(message),
  });
  const socket = () => FakeSocket.instances.at(-1) as FakeSocket;
  return { client, socket, errors };
}

afterEach(() => vi.useRealTimers());

describe('webSocketClient', () => {
  it('builds the socket URL from the page URL and its token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a%2Bb' })).toBe('ws://127.0.0.1:5000/api/ws?token=a%2Bb');
  });

  it('queues calls until open, then resolves validated responses', async () => {
    const { client, socket } = setup();
    const answer = client.call('project.info', {});
    expect(socket().sent).toEqual([]);
    socket().open();
    const frame = socket().lastCall();
    expect(frame).toMatchObject({ type: 'call', method: 'project.info', request: {} });
    socket().receive({ type: 'result', id: frame.id, response: info });
    await expect(answer).resolves.toEqual(info);
    client.dispose();
  });

  it('rejects a response that does not match the contract, and server errors keep their code', async () => {
    const { client, socket } = setup();
    socket().open();
    const bad = client.call('project.info', {});
    socket().receive({ type: 'result', id: socket().lastCall().id, response: { name: 3 } });
    await expect(bad).rejects.toMatchObject({ code: 'internal' });
    const conflict = client.call('sample.get', { id: 1 });
    socket().receive({ type: 'error', id: socket().lastCall().id, error: { code: 'conflict', message: 'newer' } });
    await expect(conflict).rejects.toEqual(new ApiError('conflict', 'newer'));
    client.dispose();
  });

  it('refuses a bad request before sending it', async () => {
    const { client, socket } = setup();
    socket().open();
    await expect(client.call('sample.get', { id: -1 })).rejects.toMatchObject({ code: 'bad-request' });
    expect(socket().sent).toEqual([]);
    client.dispose();
  });

  it('rejects pending calls with unavailable on disconnect and reconnects', async () => {
    vi.useFakeTimers();
    const { client, socket } = setup();
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    socket().open();
    const answer = client.call('project.info', {});
    const first = socket();
    first.drop();
    await expect(answer).rejects.toMatchObject({ code: 'unavailable' });
    await vi.advanceTimersByTimeAsync(20);
    expect(FakeSocket.instances.length).toBe(2);
    socket().open();
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    client.dispose();
  });

  it('times out a call that gets no answer', async () => {
    vi.useFakeTimers();
    const { client, socket } = setup({ timeoutMs: 50 });
    socket().open();
    const answer = client.call('project.info', {});
    const assertion = expect(answer).rejects.toMatchObject({ code: 'timeout' });
    await vi.advanceTimersByTimeAsync(60);
    await assertion;
    client.dispose();
  });

  it('delivers validated events and reports malformed frames without throwing', () => {
    const { client, socket, errors } = setup();
    socket().open();
    const seen: unknown[] = [];
    const off = client.on('samples.changed', (payload) => seen.push(payload));
    socket().receive({ type: 'event', event: 'samples.changed', payload: { ids: [1], reason: 'chain' } });
    socket().receive({ type: 'event', event: 'samples.changed', payload: { ids: 'x' } });
    socket().receive('not json');
    socket().receive({ type: 'what' });
    off();
    socket().receive({ type: 'event', event: 'samples.changed', payload: { ids: [2], reason: 'chain' } });
    expect(seen).toEqual([{ ids: [1], reason: 'chain' }]);
    expect(errors.length).toBe(3);
    client.dispose();
  });
});
