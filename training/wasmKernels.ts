// Kernels of our own for TensorFlow.js's WebAssembly backend, where its own make training a
// recurrent model slow or impossible (issue 11, item 1). Written here because tfjs-backend-wasm
// 4.22 (its newest release) has them so; each is tested against the CPU backend's result.
//   - Slice: the wasm kernel reads its whole input out of the heap (`readSync`, a copy) to take a
//     slice of it, so taking each of T time steps of a sequence costs O(T) each, O(T²) in all.
//     Ours reads the slice through a view of the heap: O(slice).
//   - Unpack (tf.unstack): calls that same slice per output; ours copies each output once.
//   - UnsortedSegmentSum: not in the wasm backend at all, and tf.gather's gradient is made of it
//     (an embedding lookup could not be trained on wasm).
//   - GatherV2 (an embedding lookup): about 5 µs a row in the wasm kernel; ours copies each row
//     with one TypedArray.set (4,800 rows of 64: 23 → under 1 ms).
//   - BatchMatMul and _FusedMatMul with a transposed operand: 2–5× slower than the same product
//     with that operand transposed first, and every matMul gradient takes one transposed. Ours
//     transposes (the wasm Transpose kernel) and multiplies untransposed.
import * as tf from '@tensorflow/tfjs';

type TypedArray = Float32Array | Int32Array | Uint8Array;

/** What these kernels use of the wasm backend (tfjs-backend-wasm's BackendWasm). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of the tensor's bytes in the wasm heap (no copy); detached when an allocation grows the heap, so taken after makeOutput. */
  typedArrayFromHeap(tensor: tf.TensorInfo): TypedArray;
}

let isRegistered = false;

/** Replaces the wasm backend's Slice, Unpack, GatherV2 and matMul kernels and adds UnsortedSegmentSum; once per process. */
export function registerWasmKernels(): void {
  // Set first: a registration that failed half-way is not tried again (a second pass would wrap
  // our own kernels as the "originals"); the loader then passes over the wasm backend.
  if (isRegistered) return;
  isRegistered = true;
  const original = tf.getKernel('Slice', 'wasm');
  if (original === undefined) throw new Error('the wasm backend has no Slice kernel to replace: is @tensorflow/tfjs-backend-wasm loaded?');
  const originalSlice = original.kernelFunc;
  replaceKernel({
    ...original,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = inputs['x'] as tf.TensorInfo;
      // Strings live outside the heap: the backend's own kernel handles them.
      if (x.dtype === 'string') return originalSlice(args);
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs?.['begin'] as number[], attrs?.['size'] as number[]) as [number[], number[]];
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(size, x.dtype);
      copyRegion(wasm.typedArrayFromHeap(x), x.shape, begin, size, wasm.typedArrayFromHeap(out));
      return out;
    },
  });
  replaceKernel({
    kernelName: 'Unpack',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const value = inputs['value'] as tf.TensorInfo;
      const axis = tf.util.parseAxisParam(attrs?.['axis'] as number, value.shape)[0] as number;
      const wasm = backend as unknown as WasmBackend;
      const count = value.shape[axis] as number;
      const outShape = value.shape.filter((_, dimension) => dimension !== axis);
      const size = value.shape.map((extent, dimension) => (dimension === axis ? 1 : extent));
      const outputs: tf.TensorInfo[] = [];
      for (let index = 0; index < count; index++) {
        const begin = value.shape.map((_, dimension) => (dimension === axis ? index : 0));
        const out = wasm.makeOutput(outShape, value.dtype);
        // Views after the allocation: growing the wasm memory detaches the views taken before it.
        copyRegion(wasm.typedArrayFromHeap(value), value.shape, begin, size, wasm.typedArrayFromHeap(out));
        outputs.push(out);
      }
      return outputs;
    },
  });
  transposingFirst('BatchMatMul');
  transposingFirst('_FusedMatMul');
  const originalGather = tf.getKernel('GatherV2', 'wasm');
  if (originalGather !== undefined) {
    replaceKernel({
      ...originalGather,
      kernelFunc: (args) => {
        const { inputs, attrs, backend } = args;
        const x = inputs['x'] as tf.TensorInfo;
        const indices = inputs['indices'] as tf.TensorInfo;
        const axis = tf.util.parseAxisParam(attrs?.['axis'] as number, x.shape)[0];
        // Rows of a table by int32 ids (an embedding lookup); anything else is the backend's.
        if (axis !== 0 || ((attrs?.['batchDims'] as number | undefined) ?? 0) !== 0 || x.dtype === 'string' || indices.dtype !== 'int32') return originalGather.kernelFunc(args);
        const wasm = backend as unknown as WasmBackend;
        const rows = x.shape[0] as number;
        const inner = tf.util.sizeFromShape(x.shape.slice(1));
        const out = wasm.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
        const table = wasm.typedArrayFromHeap(x);
        const ids = wasm.typedArrayFromHeap(indices);
        const gathered = wasm.typedArrayFromHeap(out);
        for (let index = 0; index < ids.length; index++) {
          const row = ids[index] as number;
          if (row < 0 || row >= rows) throw new Error(`GatherV2: index ${row} is not in [0, ${rows - 1}]`);
          gathered.set(table.subarray(row * inner, (row + 1) * inner), index * inner);
        }
        return out;
      },
    });
  }
  replaceKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const x = inputs['x'] as tf.TensorInfo;
      const segmentIds = inputs['segmentIds'] as tf.TensorInfo;
      const numSegments = attrs?.['numSegments'] as number;
      const wasm = backend as unknown as WasmBackend;
      // Each segment id picks a row of x's trailing dimensions to add into that output row.
      const inner = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const values = wasm.typedArrayFromHeap(x);
      const ids = wasm.typedArrayFromHeap(segmentIds);
      const sums = wasm.typedArrayFromHeap(out);
      sums.fill(0);
      for (let row = 0; row < ids.length; row++) {
        const segment = ids[row] as number;
        // TensorFlow drops ids outside [0, numSegments).
        if (segment < 0 || segment >= numSegments) continue;
        const from = row * inner;
        const to = segment * inner;
        for (let offset = 0; offset < inner; offset++) sums[to + offset] = (sums[to + offset] as number) + (values[from + offset] as number);
      }
      return out;
    },
  });
}

/** A matMul kernel that transposes a flagged operand itself, then runs the backend's own kernel untransposed. */
function transposingFirst(kernelName: 'BatchMatMul' | '_FusedMatMul'): void {
  const original = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (original === undefined || transpose === undefined) throw new Error(`the wasm backend has no ${kernelName} or Transpose kernel`);
  const multiply = original.kernelFunc;
  replaceKernel({
    // Its setupFunc too: it binds the wasm functions the original kernel calls when the backend starts.
    ...original,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      if (attrs?.['transposeA'] !== true && attrs?.['transposeB'] !== true) return multiply(args);
      const made: tf.TensorInfo[] = [];
      const untransposed = (operand: tf.TensorInfo): tf.TensorInfo => {
        const rank = operand.shape.length;
        const perm = [...Array.from({ length: rank - 2 }, (_, dimension) => dimension), rank - 1, rank - 2];
        const swapped = transpose.kernelFunc({ inputs: { x: operand }, attrs: { perm }, backend }) as tf.TensorInfo;
        made.push(swapped);
        return swapped;
      };
      const a = inputs['a'] as tf.TensorInfo;
      const b = inputs['b'] as tf.TensorInfo;
      try {
        return multiply({
          inputs: { ...inputs, a: attrs['transposeA'] === true ? untransposed(a) : a, b: attrs['transposeB'] === true ? untransposed(b) : b },
          attrs: { ...attrs, transposeA: false, transposeB: false },
          backend,
        });
      } finally {
        for (const info of made) (backend as unknown as { disposeData(dataId: object): void }).disposeData(info.dataId);
      }
    },
  });
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Copies the region [begin, begin + size) of a row-major array of `shape` into `out`. Trailing
 * dimensions taken whole join the innermost run, so a time step of a [batch, time, features]
 * sequence is `batch` runs of `features` values, and a slice of the leading axis is one run.
 */
export function copyRegion(source: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = source[0] as number;
    return;
  }
  if (size.some((extent) => extent === 0)) return;
  const strides = tf.util.computeStrides(shape as number[]);
  // The innermost dimension a run must stop at: every dimension after it is taken whole.
  let last = rank - 1;
  while (last > 0 && size[last] === shape[last] && begin[last] === 0) last--;
  const run = (size[last] as number) * (last === rank - 1 ? 1 : (strides[last] as number));
  const counters = new Array<number>(last).fill(0);
  let written = 0;
  for (;;) {
    let offset = (begin[last] as number) * (last === rank - 1 ? 1 : (strides[last] as number));
    for (let dimension = 0; dimension < last; dimension++) offset += ((begin[dimension] as number) + (counters[dimension] as number)) * (strides[dimension] as number);
    out.set(source.subarray(offset, offset + run), written);
    written += run;
    // The next index over the outer dimensions, last fastest.
    let dimension = last - 1;
    while (dimension >= 0) {
      counters[dimension] = (counters[dimension] as number) + 1;
      if ((counters[dimension] as number) < (size[dimension] as number)) break;
      counters[dimension] = 0;
      dimension--;
    }
    if (dimension < 0) return;
  }
}
