// The built-in reasoner as two ONNX models, so that inference needs onnxruntime and not
// TensorFlow.js: encoder.onnx (evidence and question → context and the GRU's first state) and
// decoder.onnx (tokens, context and a state → logits and the next state). The equations are
// network.ts's header; the decoder's recurrence is ONNX's own GRU operator
// (https://onnx.ai/onnx/operators/onnx__GRU.html), whose linear_before_reset = 0 form is the one
// the network was written in, so the exported weights are the trained ones rearranged, never
// approximated. The decoder takes any number of steps: a whole chain teacher-forced (parity
// tests, scoring) or one token at a time with the state carried between calls (generation).
import onnxProto, { type onnx as proto } from 'onnx-proto';
import { parameterShapes, type NetworkShape } from '../model/network';

// onnx-proto is CommonJS assigning `module.exports = $root`, which Node's ES module loader does
// not see named exports in: `import { onnx } from 'onnx-proto'` works under bundlers only.
const { onnx } = onnxProto;

export const ENCODER_ONNX = 'encoder.onnx';
export const DECODER_ONNX = 'decoder.onnx';
/** ONNX 1.10's IR (the onnx-proto release's), which opset 17 requires at least. */
export const ONNX_IR_VERSION = 8;
/** ONNX 1.12's opset, which onnxruntime has run fully since 1.12 (Squeeze/Unsqueeze take axes as inputs from 13 on). */
export const ONNX_OPSET = 17;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
type Dimension = number | string;

/** A graph under construction: nodes in order, weights and constants as initializers. */
interface GraphParts {
  nodes: proto.INodeProto[];
  initializers: proto.ITensorProto[];
}

function floatTensor(name: string, dims: readonly number[], values: Float32Array): proto.ITensorProto {
  const size = dims.reduce((product, side) => product * side, 1);
  if (values.length !== size) throw new Error(`ONNX export: ${name} has ${values.length} values, its shape [${dims.join(', ')}] needs ${size}`);
  // raw_data is little-endian by the ONNX spec, whatever this machine's order.
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let index = 0; index < values.length; index++) view.setFloat32(index * 4, values[index] as number, true);
  return { name, dims: [...dims], dataType: FLOAT, rawData: raw };
}

function int64Tensor(name: string, values: readonly number[]): proto.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: [...values] };
}

function node(parts: GraphParts, opType: string, inputs: string[], outputs: string[], attributes: proto.IAttributeProto[] = []): void {
  parts.nodes.push({ opType, input: inputs, output: outputs, name: `${opType}_${parts.nodes.length}`, attribute: attributes });
}

function intAttribute(name: string, value: number): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function intsAttribute(name: string, values: number[]): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}

function valueInfo(name: string, elementType: number, dims: readonly Dimension[]): proto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementType,
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  };
}

function modelBytes(name: string, parts: GraphParts, inputs: proto.IValueInfoProto[], outputs: proto.IValueInfoProto[], shape: NetworkShape): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'frustum',
    docString: 'The Frustum built-in reasoner (training/model/network.ts), exported by training/onnx/export.ts.',
    graph: { name, node: parts.nodes, initializer: parts.initializers, input: inputs, output: outputs },
    // For people and tools reading the file; the session checks the graph's own shapes.
    metadataProps: [{ key: 'frustum.shape', value: JSON.stringify(shape) }],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Row-major [rows, columns] → [columns, rows]. */
function transpose(values: Float32Array, rows: number, columns: number): Float32Array {
  const result = new Float32Array(values.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) result[column * rows + row] = values[row * columns + column] as number;
  }
  return result;
}

function checkedWeights(shape: NetworkShape, weights: Record<string, Float32Array>): Record<string, Float32Array> {
  for (const [name, dims] of Object.entries(parameterShapes(shape))) {
    const values = weights[name];
    const size = dims.reduce((product, side) => product * side, 1);
    if (values === undefined) throw new Error(`ONNX export: weight ${name} is missing`);
    if (values.length !== size) throw new Error(`ONNX export: weight ${name} has ${values.length} values, [${dims.join(', ')}] needs ${size}`);
  }
  return weights;
}

/**
 * The GRU's weights in the ONNX operator's layout, from network.ts's:
 *   W [1, 3H, E+C] = ([gru_w_token ; gru_w_context])ᵀ — ours is [E+C, 3H] with column blocks z | r | h,
 *     so its transpose has row blocks z | r | h, ONNX's gate order for W, R and B alike;
 *   R [1, 3H, H]   = gru_rᵀ;
 *   B [1, 6H]      = [gru_b ; 0₃H] — ONNX adds Wb and Rb; with linear_before_reset = 0 its candidate
 *     is tanh(x W_hᵀ + (r ⊙ h) R_hᵀ + Rb_h + Wb_h), Rb_h outside the reset product, so a zero Rb
 *     leaves exactly network.ts's ĥ = tanh(x W_h + (r ⊙ h) R_h + b_h).
 */
export function gruOperatorWeights(shape: NetworkShape, weights: Record<string, Float32Array>): { w: Float32Array; r: Float32Array; b: Float32Array } {
  const { embedding, context, hidden } = shape;
  const stacked = new Float32Array((embedding + context) * 3 * hidden);
  stacked.set(weights['gru_w_token'] as Float32Array, 0);
  stacked.set(weights['gru_w_context'] as Float32Array, embedding * 3 * hidden);
  const b = new Float32Array(6 * hidden);
  b.set(weights['gru_b'] as Float32Array, 0);
  return {
    w: transpose(stacked, embedding + context, 3 * hidden),
    r: transpose(weights['gru_r'] as Float32Array, hidden, 3 * hidden),
    b,
  };
}

function encoderModel(shape: NetworkShape, weights: Record<string, Float32Array>): Uint8Array {
  const { evidenceWidth, questionWidth, context, hidden } = shape;
  const parts: GraphParts = { nodes: [], initializers: [] };
  const shapes = parameterShapes(shape);
  for (const name of ['enc_w1', 'enc_b1', 'enc_w2', 'enc_b2', 'enc_wq', 'enc_bq', 'enc_wm', 'enc_wmq', 'enc_bm', 'enc_wm2', 'enc_bm2', 'init_w', 'init_b']) {
    parts.initializers.push(floatTensor(name, shapes[name] as number[], weights[name] as Float32Array));
  }
  parts.initializers.push(int64Tensor('axis_0', [0]));
  const dense = (input: string, weight: string, bias: string, output: string) => {
    node(parts, 'MatMul', [input, weight], [`${output}_product`]);
    node(parts, 'Add', [`${output}_product`, bias], [output]);
  };
  dense('evidence', 'enc_w1', 'enc_b1', 'seen_linear');
  node(parts, 'Relu', ['seen_linear'], ['seen']);
  dense('seen', 'enc_w2', 'enc_b2', 'motion_linear');
  node(parts, 'Tanh', ['motion_linear'], ['motion']);
  dense('question', 'enc_wq', 'enc_bq', 'asked_linear');
  node(parts, 'Tanh', ['asked_linear'], ['asked']);
  dense('seen', 'enc_wm', 'enc_bm', 'both_seen');
  node(parts, 'MatMul', ['question', 'enc_wmq'], ['both_asked']);
  node(parts, 'Add', ['both_seen', 'both_asked'], ['both_linear']);
  node(parts, 'Relu', ['both_linear'], ['both']);
  dense('both', 'enc_wm2', 'enc_bm2', 'match_linear');
  node(parts, 'Tanh', ['match_linear'], ['match']);
  node(parts, 'Concat', ['motion', 'asked', 'match'], ['context'], [intAttribute('axis', 1)]);
  node(parts, 'MatMul', ['context', 'init_w'], ['context_init']);
  node(parts, 'Add', ['context_init', 'init_b'], ['state_linear']);
  node(parts, 'Tanh', ['state_linear'], ['state_rows']);
  // [B, H] → [1, B, H]: the GRU operator's initial_h (num_directions first).
  node(parts, 'Unsqueeze', ['state_rows', 'axis_0'], ['state']);
  return modelBytes(
    'frustum_reasoner_encoder',
    parts,
    [valueInfo('evidence', FLOAT, ['batch', evidenceWidth]), valueInfo('question', FLOAT, ['batch', questionWidth])],
    [valueInfo('context', FLOAT, ['batch', context]), valueInfo('state', FLOAT, [1, 'batch', hidden])],
    shape,
  );
}

function decoderModel(shape: NetworkShape, weights: Record<string, Float32Array>): Uint8Array {
  const { vocabulary, embedding, context, hidden } = shape;
  const parts: GraphParts = { nodes: [], initializers: [] };
  const gru = gruOperatorWeights(shape, weights);
  parts.initializers.push(
    floatTensor('emb', [vocabulary, embedding], weights['emb'] as Float32Array),
    floatTensor('gru_w', [1, 3 * hidden, embedding + context], gru.w),
    floatTensor('gru_r', [1, 3 * hidden, hidden], gru.r),
    floatTensor('gru_b', [1, 6 * hidden], gru.b),
    floatTensor('out_w', [hidden, vocabulary], weights['out_w'] as Float32Array),
    floatTensor('out_b', [vocabulary], weights['out_b'] as Float32Array),
    int64Tensor('axis_1', [1]),
    int64Tensor('one', [1]),
  );
  // x_t = [emb[token_t] ; context]: the context repeated over the steps by broadcasting
  // [B, 1, C] against [B, T, 1] (Expand's shape is bidirectionally broadcast).
  node(parts, 'Gather', ['emb', 'tokens'], ['embedded'], [intAttribute('axis', 0)]);
  node(parts, 'Unsqueeze', ['context', 'axis_1'], ['context_once']);
  node(parts, 'Shape', ['tokens'], ['tokens_shape']);
  node(parts, 'Concat', ['tokens_shape', 'one'], ['tiled_shape'], [intAttribute('axis', 0)]);
  node(parts, 'Expand', ['context_once', 'tiled_shape'], ['context_tiled']);
  node(parts, 'Concat', ['embedded', 'context_tiled'], ['inputs_by_row'], [intAttribute('axis', 2)]);
  // layout = 0 (the default, and the form every runtime implements): time first.
  node(parts, 'Transpose', ['inputs_by_row'], ['inputs_by_time'], [intsAttribute('perm', [1, 0, 2])]);
  node(parts, 'GRU', ['inputs_by_time', 'gru_w', 'gru_r', 'gru_b', '', 'state'], ['states_by_time', 'state_out'], [
    intAttribute('hidden_size', hidden),
    intAttribute('linear_before_reset', 0),
  ]);
  // Y [T, 1, B, H] → [T, B, H] → [B, T, H].
  node(parts, 'Squeeze', ['states_by_time', 'axis_1'], ['states_squeezed']);
  node(parts, 'Transpose', ['states_squeezed'], ['states'], [intsAttribute('perm', [1, 0, 2])]);
  node(parts, 'MatMul', ['states', 'out_w'], ['states_out']);
  node(parts, 'Add', ['states_out', 'out_b'], ['logits']);
  return modelBytes(
    'frustum_reasoner_decoder',
    parts,
    [valueInfo('tokens', INT64, ['batch', 'steps']), valueInfo('context', FLOAT, ['batch', context]), valueInfo('state', FLOAT, [1, 'batch', hidden])],
    [valueInfo('logits', FLOAT, ['batch', 'steps', vocabulary]), valueInfo('state_out', FLOAT, [1, 'batch', hidden])],
    shape,
  );
}

/** Both models' bytes, for writeCheckpoint's extra files (ENCODER_ONNX, DECODER_ONNX). */
export function exportOnnx(shape: NetworkShape, weights: Record<string, Float32Array>): { encoder: Uint8Array; decoder: Uint8Array } {
  const checked = checkedWeights(shape, weights);
  return { encoder: encoderModel(shape, checked), decoder: decoderModel(shape, checked) };
}
