// Greedy decoding of the built-in reasoner at its default sizes, random weights: the ONNX export
// run by onnxruntime (training/onnx/session.ts, one intra-op thread) against the same decoding
// step by step in TensorFlow.js (network.ts's decodeStep, argmax read back each step), on the
// backend loadTensorflow() picks, measured in one process. EOS is made unreachable so every row
// writes all its tokens. Run: `npm run build && node dist/bench/onnxDecoding.js` (part of `npm run bench`).
import { seededRandom } from '../common/random';
import { DEFAULT_SIZES, decodeStep, encode, initialWeights, type NetworkShape } from '../training/model/network';
import { BOS, EOS } from '../training/model/tokenizer';
import { exportOnnx } from '../training/onnx/export';
import { openReasonerSessions } from '../training/onnx/session';
import { loadTensorflow } from '../training/tensorflow';

const SHAPE: NetworkShape = { evidenceWidth: 480, questionWidth: 700, vocabulary: 400, ...DEFAULT_SIZES };
const TOKENS = 200;
const BATCHES = [1, 64];
const REPEATS = 5;

const loaded = await loadTensorflow();
const { tf } = loaded;
const variables = initialWeights(tf, SHAPE, 1);
const weights: Record<string, Float32Array> = {};
for (const [name, variable] of Object.entries(variables)) weights[name] = Float32Array.from(variable.dataSync());
(weights['out_b'] as Float32Array)[EOS] = -1000;
const model = Object.fromEntries(Object.entries(weights).map(([name, values]) => [name, tf.tensor(values, variables[name]?.shape)]));
for (const variable of Object.values(variables)) variable.dispose();
const sessions = await openReasonerSessions(exportOnnx(SHAPE, weights));

function rows(count: number, width: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: width }, () => random() * 2 - 1));
}

function tensorflowGreedy(evidence: Float32Array[], question: Float32Array[]): number[][] {
  const batch = evidence.length;
  const chains: number[][] = Array.from({ length: batch }, () => []);
  tf.tidy(() => {
    const encoded = encode(tf, model, tf.tensor2d(Float32Array.from(evidence.flatMap((row) => [...row])), [batch, SHAPE.evidenceWidth]), tf.tensor2d(Float32Array.from(question.flatMap((row) => [...row])), [batch, SHAPE.questionWidth]));
    let previous = tf.tensor1d(new Int32Array(batch).fill(BOS), 'int32');
    let state = encoded.state;
    for (let step = 0; step < TOKENS; step++) {
      // One step's tensors freed as it ends; only the carried state and token survive it.
      const next = tf.tidy(() => {
        const output = decodeStep(tf, model, encoded, previous, state);
        return { state: output.state, previous: tf.argMax(output.logits, 1).toInt() as typeof previous };
      });
      previous.dispose();
      if (step > 0) state.dispose();
      ({ state, previous } = next);
      const ids = previous.dataSync();
      chains.forEach((chain, row) => chain.push(ids[row] as number));
    }
  });
  return chains;
}

async function medianSeconds(run: () => unknown): Promise<{ seconds: number; result: unknown }> {
  let result = await run();
  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const started = performance.now();
    result = await run();
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)] as number, result };
}

const table: Array<{ batch: number; onnx: number; tensorflow: number; isSame: boolean }> = [];
for (const batch of BATCHES) {
  const evidence = rows(batch, SHAPE.evidenceWidth, 2);
  const question = rows(batch, SHAPE.questionWidth, 3);
  const onnx = await medianSeconds(() => sessions.generate({ evidence, question, maxTokens: TOKENS, mode: 'greedy' }));
  const tensorflow = await medianSeconds(() => tensorflowGreedy(evidence, question));
  table.push({ batch, onnx: (batch * TOKENS) / onnx.seconds, tensorflow: (batch * TOKENS) / tensorflow.seconds, isSame: JSON.stringify(onnx.result) === JSON.stringify(tensorflow.result) });
}
await sessions.close();

const sizes = `C ${SHAPE.context}, E ${SHAPE.embedding}, H ${SHAPE.hidden}, vocabulary ${SHAPE.vocabulary}, evidence ${SHAPE.evidenceWidth}, question ${SHAPE.questionWidth}`;
console.log(`\nGreedy decoding, ${TOKENS} tokens per row (${sizes}), medians of ${REPEATS}, one process`);
console.log(`ONNX: onnxruntime-node CPU, 1 intra-op thread; baseline: TensorFlow.js decodeStep on ${loaded.package} (backend "${loaded.backend}")\n`);
console.log('batch   ONNX tokens/s   TF.js tokens/s   ONNX / TF.js   same chains');
for (const row of table) {
  console.log(`${String(row.batch).padStart(5)}   ${row.onnx.toFixed(0).padStart(13)}   ${row.tensorflow.toFixed(0).padStart(14)}   ${`${(row.onnx / row.tensorflow).toFixed(2)}×`.padStart(12)}   ${row.isSame ? 'yes' : 'NO'}`);
}
