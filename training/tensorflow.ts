// TensorFlow.js for the built-in model (issue 11, item 1), with the fastest backend this machine
// has, chosen at run time: tfjs-node-gpu (CUDA), then tfjs-node (libtensorflow on the CPU), then
// the WebAssembly backend (one thread in Node), then the pure-JS CPU backend (~125× slower than
// wasm; last resort). TensorFlow.js itself is the union package @tensorflow/tfjs: tfjs-core with
// every op's gradient registered (tfjs-core alone has none in Node), the layers API and the CPU
// backend. The two native packages are optionalDependencies: they download
// libtensorflow when they install, which fails on machines without that network, and npm then
// leaves them out. What was chosen, and why each faster one was not, is said by `frustum doctor`
// and in a training job's log.
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasmKernels';

/** In the order tried; '@tensorflow/tfjs' stands for its own pure-JS CPU backend. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs'] as const;
export type TensorflowPackage = (typeof TENSORFLOW_PACKAGES)[number];

/** The backend each package registers with tfjs-core. */
const BACKEND_OF: Record<TensorflowPackage, string> = {
  '@tensorflow/tfjs-node-gpu': 'tensorflow',
  '@tensorflow/tfjs-node': 'tensorflow',
  '@tensorflow/tfjs-backend-wasm': 'wasm',
  '@tensorflow/tfjs': 'cpu',
};

export interface LoadedTensorflow {
  tf: typeof tf;
  package: TensorflowPackage;
  /** tfjs-core's name for it: tensorflow, wasm or cpu. */
  backend: string;
  /** The faster packages that were tried first, with why each was not used. */
  passedOver: Array<{ package: TensorflowPackage; reason: string }>;
}

let loading: Promise<LoadedTensorflow> | null = null;

/**
 * tfjs-core with the first backend that loads and runs (its backend is process-wide, so the
 * first answer is kept). `only` restricts the choice to one package (tests, benchmarks).
 */
export function loadTensorflow(options: { only?: TensorflowPackage } = {}): Promise<LoadedTensorflow> {
  if (options.only !== undefined) return tryInOrder([options.only]);
  loading ??= tryInOrder(TENSORFLOW_PACKAGES);
  return loading;
}

async function tryInOrder(packages: readonly TensorflowPackage[]): Promise<LoadedTensorflow> {
  const passedOver: LoadedTensorflow['passedOver'] = [];
  for (const name of packages) {
    try {
      await importPackage(name);
      const backend = BACKEND_OF[name];
      if (backend === 'wasm') registerWasmKernels();
      // A native package built against another tfjs-core registers its backend there, not here.
      if (tf.findBackendFactory(backend) === null) throw new Error(`it did not register the "${backend}" backend with tfjs-core ${tf.version_core} (a different tfjs-core version?)`);
      if (!(await tf.setBackend(backend))) throw new Error(`the "${backend}" backend did not initialise`);
      await tf.ready();
      checkArithmetic();
      return { tf, package: name, backend, passedOver };
    } catch (error) {
      passedOver.push({ package: name, reason: reasonOf(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend loads: ${passedOver.map((entry) => `${entry.package}: ${entry.reason}`).join('; ')}`);
}

/** Static names, so the bundler keeps each import as an external package (scripts/build.mjs). */
function importPackage(name: TensorflowPackage): Promise<unknown> {
  switch (name) {
    case '@tensorflow/tfjs-node-gpu':
      return import('@tensorflow/tfjs-node-gpu');
    case '@tensorflow/tfjs-node':
      return import('@tensorflow/tfjs-node');
    case '@tensorflow/tfjs-backend-wasm':
      return import('@tensorflow/tfjs-backend-wasm');
    case '@tensorflow/tfjs':
      // Already loaded above: it registers the CPU backend itself.
      return Promise.resolve(tf);
    default: {
      const unknown: never = name;
      throw new Error(`unknown TensorFlow.js package ${String(unknown)}`);
    }
  }
}

/** A backend that registers but computes wrongly (a broken native build) must not train anything. */
function checkArithmetic(): void {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync());
  if (product[0] !== 17 || product[1] !== 39) throw new Error(`a 2×2 by 2×1 product came out [${[...product].join(', ')}], not [17, 39]`);
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 300) ?? message;
}
