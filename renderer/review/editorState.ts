// The editor's state: three fields or raw text, and conversions between them. Kept as plain
// values so that the undo stack (undoStack.ts) can hold whole states.
import { composeChain, DEFAULT_LAYOUT, splitChain, withAnswer, type ChainFields, type ChainLayout } from './chainFields';

export type EditorState =
  | { mode: 'fields'; fields: ChainFields; layout: ChainLayout }
  | { mode: 'raw'; raw: string };

export function stateOfText(text: string): EditorState {
  const split = splitChain(text);
  return split ? { mode: 'fields', fields: split.fields, layout: split.layout } : { mode: 'raw', raw: text };
}

export function textOf(state: EditorState): string {
  return state.mode === 'fields' ? composeChain(state.fields, state.layout) : state.raw;
}

/** Switch modes: fields → raw always works; raw → fields only when the text splits (else null). */
export function toggleMode(state: EditorState): EditorState | null {
  if (state.mode === 'fields') return { mode: 'raw', raw: textOf(state) };
  const split = splitChain(state.raw);
  return split ? { mode: 'fields', fields: split.fields, layout: split.layout } : null;
}

export function setAnswer(state: EditorState, letter: string): EditorState {
  if (state.mode === 'fields') return { ...state, fields: { ...state.fields, answer: letter } };
  return { mode: 'raw', raw: withAnswer(state.raw, letter) };
}

export function setField(state: EditorState, field: keyof ChainFields, value: string): EditorState {
  if (state.mode !== 'fields') return state;
  return { ...state, fields: { ...state.fields, [field]: value } };
}

/**
 * Whether the editor holds something to save over `baseText`, the chain on disk. A sample
 * without a chain opens as three empty fields, which compose to the empty template
 * (`<observation></observation>…`): that is still no chain, not a person's edit, so it must not
 * be saved (browsing would write empty chains and swell the lint counts). Emptying the fields
 * of a chain that exists is an edit.
 */
export function isChainDirty(state: EditorState, baseText: string): boolean {
  if (baseText.trim() === '' && isBlank(state)) return false;
  return textOf(state) !== baseText;
}

/** Three empty sections (or nothing), in either mode: switching to raw text is not an edit either. */
function isBlank(state: EditorState): boolean {
  const fields = state.mode === 'fields' ? state.fields : splitChain(state.raw)?.fields;
  return fields !== undefined && Object.values(fields).every((field) => field.trim() === '');
}

export const EMPTY_STATE: EditorState = { mode: 'fields', fields: { observation: '', think: '', answer: '' }, layout: DEFAULT_LAYOUT };
