// Renders frames on worker threads, one clip per worker at a time: the ray caster is pure CPU
// and a clip's frames are independent, so N cores render N clips at once while the main thread
// only pipes finished frames to ffmpeg. Workers run the kernel's source text (see the note at
// the top of rayKernel.ts), so no worker file has to be built or found on disk.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cameraToWorldRotation, type CameraState } from '../../../common/geometry/camera';
import { kernelSource, renderFrame } from './rayKernel';

export interface RenderPool {
  /**
   * Renders the frames of one clip in order and hands each to `onFrame`, which may be slow
   * (an encoder pipe): at most LOOKAHEAD frames wait for it.
   */
  renderClip(clip: ClipRenderJob, onFrame: (pixels: Uint8Array, index: number) => Promise<void>, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface ClipRenderJob {
  scene: Float64Array;
  cameras: readonly Float64Array[];
  width: number;
  height: number;
}

const LOOKAHEAD = 3;

export function packCamera(state: CameraState): Float64Array {
  const { fx, fy, cx, cy } = state.intrinsics;
  return Float64Array.from([...cameraToWorldRotation(state), ...state.position, fx, fy, cx, cy]);
}

/** Renders one frame on the calling thread (tests, previews, and `workers: 0`). */
export function renderFrameHere(scene: Float64Array, camera: Float64Array, width: number, height: number, depth: Float32Array | null = null): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  renderFrame(scene, camera, width, height, out, depth);
  return out;
}

function workerCode(): string {
  // renderFrame.name, not a literal: a bundler may have renamed the function.
  return `'use strict';
const { parentPort } = require('node:worker_threads');
${kernelSource()}
let scene = null;
parentPort.on('message', (message) => {
  if (message.type === 'scene') { scene = message.scene; return; }
  const out = new Uint8Array(message.width * message.height * 3);
  ${renderFrame.name}(scene, message.camera, message.width, message.height, out, null);
  parentPort.postMessage({ id: message.id, pixels: out.buffer }, [out.buffer]);
});`;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (pixels: Uint8Array) => void; reject: (error: Error) => void }>;
}

/** size 0 renders on the calling thread. */
export function createRenderPool(size = availableParallelism()): RenderPool {
  if (size <= 0) return inlinePool();
  const code = workerCode();
  const idle: PooledWorker[] = [];
  const waiting: Array<(worker: PooledWorker) => void> = [];
  const all: PooledWorker[] = [];
  let nextId = 0;
  let closed = false;

  const spawnWorker = (): PooledWorker => {
    const pooled: PooledWorker = { worker: new Worker(code, { eval: true }), pending: new Map() };
    pooled.worker.on('message', (message: { id: number; pixels: ArrayBuffer }) => {
      const request = pooled.pending.get(message.id);
      pooled.pending.delete(message.id);
      request?.resolve(new Uint8Array(message.pixels));
    });
    const failAll = (error: Error) => {
      for (const request of pooled.pending.values()) request.reject(error);
      pooled.pending.clear();
    };
    pooled.worker.on('error', failAll);
    pooled.worker.on('exit', (code) => failAll(new Error(`render worker exited (code ${code})`)));
    all.push(pooled);
    return pooled;
  };

  const acquire = (): Promise<PooledWorker> => {
    const ready = idle.pop();
    if (ready) return Promise.resolve(ready);
    if (all.length < size) return Promise.resolve(spawnWorker());
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (pooled: PooledWorker) => {
    const next = waiting.shift();
    if (next) next(pooled);
    else idle.push(pooled);
  };
  const request = (pooled: PooledWorker, camera: Float64Array, job: ClipRenderJob) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const id = nextId++;
      pooled.pending.set(id, { resolve, reject });
      pooled.worker.postMessage({ type: 'frame', id, camera, width: job.width, height: job.height });
    });

  return {
    async renderClip(job, onFrame, signal) {
      if (closed) throw new Error('render pool is closed');
      const pooled = await acquire();
      try {
        pooled.worker.postMessage({ type: 'scene', scene: job.scene });
        const inFlight: Array<Promise<Uint8Array>> = [];
        let requested = 0;
        for (let index = 0; index < job.cameras.length; index++) {
          while (requested < job.cameras.length && requested < index + LOOKAHEAD) {
            const frame = request(pooled, job.cameras[requested]!, job);
            // Frames still in flight when the clip fails are dropped, not unhandled.
            frame.catch(() => {});
            inFlight.push(frame);
            requested++;
          }
          signal?.throwIfAborted();
          const pixels = await inFlight.shift()!;
          await onFrame(pixels, index);
        }
        release(pooled);
      } catch (error) {
        // Its queue may still hold frames of this clip: replace the worker rather than reuse it.
        all.splice(all.indexOf(pooled), 1);
        await pooled.worker.terminate();
        const next = waiting.shift();
        if (next && !closed) next(spawnWorker());
        throw error;
      }
    },
    async close() {
      closed = true;
      await Promise.all(all.map((pooled) => pooled.worker.terminate()));
      all.length = 0;
      idle.length = 0;
    },
  };
}

function inlinePool(): RenderPool {
  return {
    async renderClip(job, onFrame, signal) {
      for (let index = 0; index < job.cameras.length; index++) {
        signal?.throwIfAborted();
        await onFrame(renderFrameHere(job.scene, job.cameras[index]!, job.width, job.height), index);
        // Let other clips' encoders and abort signals run between frames.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {},
  };
}
