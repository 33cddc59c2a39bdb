import { describe, expect, it } from 'vitest';
import type { ApiClient, EventPayload, Prediction } from '../../common/api/contract';
import { createAskStream } from './askStream';

type StreamEvent = EventPayload<'inference.stream'>;

/** A client whose inference.ask answers when the test says, and whose stream events the test sends. */
function fakeClient() {
  const asks: Array<{ request: unknown; answer: (value: { streamId: string; runId: number }) => void; fail: (error: Error) => void }> = [];
  const cancelled: string[] = [];
  let listener: ((payload: StreamEvent) => void) | null = null;
  const client = {
    call: (method: string, request: { streamId?: string }) => {
      if (method === 'inference.cancelAsk') {
        cancelled.push(request.streamId ?? '');
        return Promise.resolve({ ok: true });
      }
      if (method !== 'inference.ask') throw new Error(`unexpected ${method}`);
      return new Promise((resolve, reject) => asks.push({ request, answer: resolve, fail: reject }));
    },
    on: (_event: string, next: typeof listener) => {
      listener = next;
      return () => {
        listener = null;
      };
    },
  } as unknown as ApiClient;
  return { client, asks, cancelled, send: (event: StreamEvent) => listener?.(event), isListening: () => listener !== null };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function frameQueue() {
  const frames: Array<() => void> = [];
  return { schedule: (callback: () => void) => void frames.push(callback), run: () => frames.splice(0).forEach((callback) => callback()), get pending() {
    return frames.length;
  } };
}

const base = { streamId: 's1', sampleId: 7, runId: 3 };
const PREDICTION = { runId: 3, sampleId: 7, output: '<answer>B</answer>' } as Prediction;

describe('the ask stream', () => {
  it('accumulates deltas into O-T-A sections and tells the view once per animation frame', async () => {
    const { client, asks, send } = fakeClient();
    const frames = frameQueue();
    const stream = createAskStream(client, frames.schedule);
    let notified = 0;
    stream.subscribe(() => notified++);
    const started = stream.start({ sampleId: 7, runId: 3 });
    asks[0]?.answer({ streamId: 's1', runId: 3 });
    await started;
    frames.run();
    const before = notified;
    send({ type: 'frames', ...base, frames: [{ timestamp: 0, width: 64, height: 36 }, { timestamp: 1, width: 64, height: 36 }], at: 1 });
    for (const text of ['<obser', 'vation>The camera', ' pans left.</observation><think>', 'So.</think>']) send({ type: 'delta', ...base, text, at: 2 });
    // Five events, one frame: one notification.
    expect(frames.pending).toBe(1);
    frames.run();
    expect(notified).toBe(before + 1);
    const state = stream.getState();
    expect(state).toMatchObject({ phase: 'streaming', runId: 3, streamId: 's1', firstDeltaAt: 2 });
    expect(state?.frames).toHaveLength(2);
    expect(state?.spans.text).toBe('<observation>The camera pans left.</observation><think>So.</think>');
    expect(state?.spans.sections.map((section) => [section.name, section.closed])).toEqual([['observation', true], ['think', true]]);
  });

  it('drops what was shown on a reset, and ends with the stored prediction', async () => {
    const { client, asks, send } = fakeClient();
    const frames = frameQueue();
    const stream = createAskStream(client, frames.schedule);
    const started = stream.start({ sampleId: 7, runId: 3 });
    asks[0]?.answer({ streamId: 's1', runId: 3 });
    await started;
    send({ type: 'delta', ...base, text: '<observation>half', at: 1 });
    send({ type: 'reset', ...base, reason: 'the stream broke', at: 2 });
    expect(stream.getState()?.spans.text).toBe('');
    expect(stream.getState()?.resets).toBe(1);
    send({ type: 'delta', ...base, text: '<answer>B</answer>', at: 3 });
    send({ type: 'done', ...base, prediction: PREDICTION, at: 4 });
    // Nothing after the end counts.
    send({ type: 'delta', ...base, text: 'late', at: 5 });
    expect(stream.getState()).toMatchObject({ phase: 'done', prediction: PREDICTION });
    expect(stream.getState()?.spans.text).toBe('<answer>B</answer>');
  });

  it('keeps events that overtake the ask\'s answer, and ignores other streams', async () => {
    const { client, asks, send } = fakeClient();
    const stream = createAskStream(client, frameQueue().schedule);
    const started = stream.start({ sampleId: 7, runId: 3 });
    send({ type: 'delta', ...base, text: 'early ', at: 1 });
    send({ type: 'delta', ...base, streamId: 'other', text: 'not mine', at: 1 });
    asks[0]?.answer({ streamId: 's1', runId: 3 });
    await started;
    send({ type: 'delta', ...base, text: 'then more', at: 2 });
    send({ type: 'delta', ...base, streamId: 'other', text: 'not mine', at: 2 });
    expect(stream.getState()?.spans.text).toBe('early then more');
  });

  it('stops: cancels the backend\'s stream, even one asked for but not yet answered', async () => {
    const { client, asks, cancelled, send } = fakeClient();
    const stream = createAskStream(client, frameQueue().schedule);
    const first = stream.start({ sampleId: 7, runId: 3 });
    asks[0]?.answer({ streamId: 's1', runId: 3 });
    await first;
    await stream.stop();
    expect(cancelled).toEqual(['s1']);
    expect(stream.getState()?.phase).toBe('stopped');
    send({ type: 'error', ...base, message: 'stopped', at: 3 });
    expect(stream.getState()?.phase).toBe('stopped');

    const second = stream.start({ sampleId: 7, runId: 3 });
    await stream.stop();
    asks[1]?.answer({ streamId: 's2', runId: 3 });
    await second;
    await settle();
    expect(cancelled).toEqual(['s1', 's2']);
  });

  it('reports a refused ask and a failed answer as errors', async () => {
    const { client, asks, send } = fakeClient();
    const stream = createAskStream(client, frameQueue().schedule);
    const refused = stream.start({ sampleId: 7, runId: 3 });
    asks[0]?.fail(new Error('no run 3 in this project'));
    await expect(refused).rejects.toThrow('no run 3');
    expect(stream.getState()).toMatchObject({ phase: 'error', error: 'no run 3 in this project' });

    const failed = stream.start({ sampleId: 7, runId: 3 });
    asks[1]?.answer({ streamId: 's1', runId: 3 });
    await failed;
    send({ type: 'error', ...base, message: 'HTTP 500 from the server', at: 1 });
    expect(stream.getState()).toMatchObject({ phase: 'error', error: 'HTTP 500 from the server' });
  });

  it('lets go of its listener when disposed', () => {
    const { client, isListening } = fakeClient();
    const stream = createAskStream(client, frameQueue().schedule);
    expect(isListening()).toBe(true);
    stream.dispose();
    expect(isListening()).toBe(false);
  });
});
