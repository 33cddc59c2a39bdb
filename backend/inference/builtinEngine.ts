// The built-in engine: a built-in checkpoint's ONNX export answering in a process of its own
// (dist/workers/reasoner.cjs, training/inference/reasonerWorker.ts), fed each clip's stored
// motion evidence. backend/ may not import training/ (the layer rule), and a process keeps
// onnxruntime's threads off the job's or studio's event loop. Questions asked together are
// batched by the worker. There are no frames: the model reads motion evidence, not pixels.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { InferenceSettings } from '../../common/api/contract';
import { ProjectError } from '../../common/errors';
import type { WritableDB } from '../../db/connection';
import { evidenceOfClips } from '../../db/evidence';
import { EVIDENCE_FEATURES } from '../motion/analyze/evidence';
import { ensureClipEvidence, EVIDENCE_SETTINGS } from '../motion/analyze/projectEvidence';
import { workerScript } from '../packageRoot';
import type { EngineAnswer, InferenceEngine, InferenceHooks, InferenceQuestion } from './engine';

interface WorkerAnswer {
  id: number;
  text?: string;
  tokens?: number;
  yesProbability?: number | null;
  error?: string;
}

interface Waiting {
  resolve: (answer: WorkerAnswer) => void;
  reject: (error: Error) => void;
}

export async function openBuiltinEngine(db: WritableDB, settings: InferenceSettings): Promise<InferenceEngine> {
  const checkpoint = settings.model;
  const child: ChildProcess = spawn(process.execPath, [workerScript('reasoner'), checkpoint], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Inside Electron, process.execPath is the app: this makes it run the script as Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let failure: Error | null = null;
  const ready = new Promise<string[]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      let message: WorkerAnswer & { ready?: boolean; evidenceFeatures?: string[]; fatal?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.fatal !== undefined) reject(new ProjectError(checkpoint, message.fatal));
      else if (message.ready === true) resolve(message.evidenceFeatures ?? []);
      else waiting.get(message.id)?.resolve(message);
      waiting.delete(message.id);
    });
    child.on('exit', (code, signal) => {
      failure = new ProjectError(checkpoint, `the built-in reasoner stopped (${signal ?? `exit ${code}`})${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n').slice(-3).join(' ')}`}`);
      reject(failure);
      for (const entry of waiting.values()) entry.reject(failure);
      waiting.clear();
    });
    child.on('error', (error) => reject(error));
  });
  const features = await ready;
  // Evidence of another feature version would be read as something it is not.
  if (features.join(',') !== EVIDENCE_FEATURES.join(',')) {
    child.kill();
    throw new ProjectError(checkpoint, `was trained on motion evidence with other features (${features.length} of them) than this Frustum computes (${EVIDENCE_FEATURES.length}); train it again`);
  }

  const ask = (request: object): Promise<WorkerAnswer> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      child.stdin?.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  };

  return {
    settings,
    async answer(question: InferenceQuestion, hooks: InferenceHooks = {}): Promise<EngineAnswer> {
      hooks.signal?.throwIfAborted();
      const started = performance.now();
      // Tracked once per clip; a run tracks all of its clips before the first question.
      await ensureClipEvidence(db, [question.clipId], hooks.signal ? { signal: hooks.signal } : {});
      const evidence = evidenceOfClips(db, [question.clipId], { settings: EVIDENCE_SETTINGS }).get(question.clipId);
      if (evidence === undefined) throw new ProjectError(question.clipPath, 'has no motion evidence (the tracker could not read it)');
      hooks.onFrames?.([]);
      const data = Buffer.from(evidence.data.buffer, evidence.data.byteOffset, evidence.data.byteLength).toString('base64');
      const answer = await ask({ problem: question.problem, options: question.options, evidence: { pairs: evidence.pairs, dims: evidence.dims, data } });
      if (answer.error !== undefined) throw new ProjectError(checkpoint, answer.error);
      const output = answer.text ?? '';
      // The whole chain comes at once: ONNX decoding does not stream, and takes milliseconds.
      const firstTokenMs = performance.now() - started;
      if (output !== '') hooks.onDelta?.(output);
      return {
        output,
        frames: [],
        yesProbability: answer.yesProbability ?? null,
        completionTokens: answer.tokens ?? null,
        firstTokenMs,
        durationMs: performance.now() - started,
        finishReason: 'stop',
      };
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
