import { describe, expect, it } from 'vitest';
import type { ApiClient, EventPayload, MethodRequest, MethodResponse } from '../../common/api/contract';
import { columnView } from './metrics';
import { createMetricsHub } from './metricsHub';

type MetricsRequest = MethodRequest<'training.metrics'>;
type MetricsAnswer = MethodResponse<'training.metrics'>;

/** A client whose training.metrics answers wait until the test releases them, and whose events the test sends. */
function fakeClient() {
  const calls: Array<{ request: MetricsRequest; answer: (value: MetricsAnswer) => void }> = [];
  let listener: ((payload: EventPayload<'training.metrics'>) => void) | null = null;
  let connection: ((state: 'connecting' | 'open' | 'closed') => void) | null = null;
  const client = {
    onConnection: (next: typeof connection) => {
      connection = next;
      return () => {
        connection = null;
      };
    },
    call: (method: string, request: MetricsRequest) => {
      if (method !== 'training.metrics') throw new Error(`unexpected ${method}`);
      return new Promise<MetricsAnswer>((resolve) => calls.push({ request, answer: resolve }));
    },
    on: (_event: string, next: typeof listener) => {
      listener = next;
      return () => {
        listener = null;
      };
    },
  } as unknown as ApiClient;
  return { client, calls, send: (payload: EventPayload<'training.metrics'>) => listener?.(payload), connect: (state: 'connecting' | 'open' | 'closed') => connection?.(state) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the metrics hub', () => {
  it('fetches, holds back events during the fetch, applies the newer ones, and notifies once per frame', async () => {
    const { client, calls, send } = fakeClient();
    const frames: Array<() => void> = [];
    const hub = createMetricsHub(client, { schedule: (callback) => frames.push(callback) });
    const heard: string[][] = [];
    const stop = hub.watch(7, (keys) => heard.push([...keys].filter(Boolean).sort()));
    expect(calls.map((call) => call.request)).toEqual([{ jobId: 7 }]);
    // Seq 3 is in the fetch's answer; seq 5 came later and a resume re-logged step 2.
    send({ jobId: 7, seq: 3, previousSeq: 1, series: [{ key: 'loss', steps: [2], values: [1.5] }] });
    send({ jobId: 7, seq: 5, previousSeq: 3, series: [{ key: 'loss', steps: [2, 3], values: [1.4, 1.2] }] });
    send({ jobId: 8, seq: 6, previousSeq: 0, series: [{ key: 'loss', steps: [1], values: [9] }] });
    calls[0]?.answer({ series: [{ key: 'loss', steps: [1, 2], values: [2, 1.5] }, { key: 'lr', steps: [1, 2], values: [1, 1] }], seq: 3 });
    await settle();
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(heard).toEqual([['loss', 'lr']]);
    const loss = hub.get(7)?.columns.get('loss');
    expect(loss && [...columnView(loss).values]).toEqual([2, 1.4, 1.2]);
    expect(hub.get(7)?.seq).toBe(5);
    expect(calls).toHaveLength(1);
    stop();
    hub.dispose();
  });

  it('catches up after a gap with afterSeq, and ignores what it already has', async () => {
    const { client, calls, send } = fakeClient();
    const hub = createMetricsHub(client, { schedule: (callback) => callback() });
    hub.watch(1, () => undefined);
    calls[0]?.answer({ series: [{ key: 'loss', steps: [1], values: [3] }], seq: 10 });
    await settle();
    send({ jobId: 1, seq: 11, previousSeq: 10, series: [{ key: 'loss', steps: [2], values: [2.5] }] });
    expect(calls).toHaveLength(1);
    send({ jobId: 1, seq: 11, previousSeq: 10, series: [{ key: 'loss', steps: [2], values: [2.5] }] });
    send({ jobId: 1, seq: 20, previousSeq: 15, series: [{ key: 'loss', steps: [5], values: [1] }] });
    // Points of this job stored before seq 20 (up to 15) are missing: ask for everything after 11; the event's own point is shown meanwhile.
    expect(calls[1]?.request).toEqual({ jobId: 1, afterSeq: 11 });
    const column = () => {
      const loss = hub.get(1)?.columns.get('loss');
      return loss ? [...columnView(loss).steps] : [];
    };
    expect(column()).toEqual([1, 2, 5]);
    calls[1]?.answer({ series: [{ key: 'loss', steps: [3, 4, 5], values: [2, 1.5, 1] }], seq: 20 });
    await settle();
    expect(column()).toEqual([1, 2, 3, 4, 5]);
    expect(hub.get(1)?.seq).toBe(20);
    hub.dispose();
  });

  it('catches up from its seq after the connection comes back', async () => {
    const { client, calls, connect } = fakeClient();
    const hub = createMetricsHub(client, { schedule: (callback) => callback() });
    hub.watch(3, () => undefined);
    calls[0]?.answer({ series: [{ key: 'loss', steps: [1], values: [3] }], seq: 42 });
    await settle();
    connect('open');
    expect(calls).toHaveLength(1);
    connect('closed');
    connect('connecting');
    connect('open');
    expect(calls[1]?.request).toEqual({ jobId: 3, afterSeq: 42 });
    hub.dispose();
  });
});
