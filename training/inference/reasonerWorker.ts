// The built-in reasoner as a process of its own (bundled as dist/workers/reasoner.cjs), so the
// backend's inference engine (backend/inference/builtinEngine.ts) reaches onnxruntime without
// importing training/. `node reasoner.cjs CHECKPOINT_FOLDER`; JSON lines both ways:
//   → {"id", "problem", "options", "evidence": {"pairs", "dims", "data": base64 float32 LE}}
//   ← first {"ready": true, "evidenceFeatures": [...]} (or {"fatal": "…"}), then per request
//     {"id", "text", "tokens", "yesProbability"} or {"id", "error"}.
// Requests that arrive together are answered as one batch: onnxruntime's batched decoding is
// several times the throughput of one row at a time (bench/onnxDecoding.ts).
import { createInterface } from 'node:readline';
import { poolEvidence } from '../model/inputs';
import type { ModelInput } from '../model/reasoner';
import { openBuiltinReasoner, type BuiltinReasoner } from './builtinReasoner';

interface WorkerRequest {
  id: number;
  problem: string;
  options: string[];
  evidence: { pairs: number; dims: number; data: string };
}

const MAX_BATCH = 64;

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function inputOf(request: WorkerRequest): ModelInput {
  const bytes = Buffer.from(request.evidence.data, 'base64');
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  if (data.length !== request.evidence.pairs * request.evidence.dims) throw new Error(`evidence holds ${data.length} values, not ${request.evidence.pairs} × ${request.evidence.dims}`);
  return { input: { question: request.problem, options: request.options }, evidence: poolEvidence({ data, pairs: request.evidence.pairs, dims: request.evidence.dims }) };
}

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (folder === undefined) {
    send({ fatal: 'usage: reasoner.cjs CHECKPOINT_FOLDER' });
    process.exit(2);
  }
  let reasoner: BuiltinReasoner;
  try {
    reasoner = await openBuiltinReasoner(folder, { intraOpNumThreads: 1 });
  } catch (error) {
    send({ fatal: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  send({ ready: true, evidenceFeatures: reasoner.description.evidenceFeatures });
  const queue: WorkerRequest[] = [];
  let isBusy = false;
  const drain = async () => {
    if (isBusy) return;
    isBusy = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      const usable: Array<{ request: WorkerRequest; input: ModelInput }> = [];
      for (const request of batch) {
        try {
          usable.push({ request, input: inputOf(request) });
        } catch (error) {
          send({ id: request.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
      try {
        const answers = await reasoner.answer(usable.map((entry) => entry.input), { batchSize: MAX_BATCH });
        answers.forEach((answer, index) => send({ id: (usable[index] as { request: WorkerRequest }).request.id, ...answer }));
      } catch (error) {
        for (const entry of usable) send({ id: entry.request.id, error: error instanceof Error ? error.message : String(error) });
      }
      // Lets the requests that came in meanwhile join the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    isBusy = false;
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    try {
      queue.push(JSON.parse(line) as WorkerRequest);
    } catch {
      send({ id: -1, error: `not JSON: ${line.slice(0, 80)}` });
      return;
    }
    // After this turn, so the lines of one read form one batch.
    setImmediate(() => void drain());
  });
  lines.on('close', () => {
    void (async () => {
      while (isBusy || queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await reasoner.close();
      process.exit(0);
    })();
  });
}

void main();
