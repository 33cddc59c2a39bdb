// The editor's view of a chain: three fields when the text is exactly
// `…<observation>O</observation>…<think>T</think>…<answer>A</answer>…` (canonical tags, each once,
// in order, only whitespace around them), else raw text. The whitespace between the tags is kept
// so that splitting and composing an untouched chain gives back its exact bytes: an export of an
// unedited sample must not change (README "Formats").
import { parseChain } from '../../common/ota/parse';

export interface ChainFields {
  observation: string;
  think: string;
  answer: string;
}

/** The whitespace before, between and after the three sections. */
export interface ChainLayout {
  before: string;
  afterObservation: string;
  afterThink: string;
  after: string;
}

export const DEFAULT_LAYOUT: ChainLayout = { before: '', afterObservation: '\n', afterThink: '\n', after: '' };

export interface SplitChain {
  fields: ChainFields;
  layout: ChainLayout;
}

const onlySpace = /^\s*$/;

/** The three fields of a well-formed chain, or null when it must be edited as raw text. */
export function splitChain(text: string): SplitChain | null {
  if (text.trim() === '') return { fields: { observation: '', think: '', answer: '' }, layout: DEFAULT_LAYOUT };
  const parsed = parseChain(text);
  if (!parsed.inOrder || parsed.tags.length !== 6 || parsed.sections.length !== 3 || parsed.strayCloses.length > 0) return null;
  if (parsed.tags.some((tag) => !tag.canonical)) return null;
  const [observation, think, answer] = parsed.sections;
  if (!observation || !think || !answer || !observation.close || !think.close || !answer.close) return null;
  if (observation.name !== 'observation' || think.name !== 'think' || answer.name !== 'answer') return null;
  const layout: ChainLayout = {
    before: text.slice(0, observation.start),
    afterObservation: text.slice(observation.end, think.start),
    afterThink: text.slice(think.end, answer.start),
    after: text.slice(answer.end),
  };
  if (!Object.values(layout).every((gap) => onlySpace.test(gap))) return null;
  // Tags inside a field would change the structure when composed again.
  const fields = { observation: observation.content, think: think.content, answer: answer.content };
  if (Object.values(fields).some((field) => /<\s*\/?\s*(observation|think|answer)\s*>/.test(field))) return null;
  return { fields, layout };
}

export function composeChain(fields: ChainFields, layout: ChainLayout = DEFAULT_LAYOUT): string {
  return `${layout.before}<observation>${fields.observation}</observation>${layout.afterObservation}<think>${fields.think}</think>${layout.afterThink}<answer>${fields.answer}</answer>${layout.after}`;
}

/** The option letter of "B. Yes" / "(B) Yes" / "B" style options, by position as a fallback. */
export function optionLetter(option: string, index: number): string {
  const match = /^\s*\(?([A-Z])[.):]/.exec(option) ?? /^\s*([A-Z])\s*$/.exec(option);
  return match?.[1] ?? String.fromCharCode(65 + index);
}

/** Where each field's content starts in the composed chain text (for highlighting spans). */
export function fieldOffsets(fields: ChainFields, layout: ChainLayout): Record<keyof ChainFields, number> {
  const observation = layout.before.length + '<observation>'.length;
  const think = observation + fields.observation.length + '</observation>'.length + layout.afterObservation.length + '<think>'.length;
  const answer = think + fields.think.length + '</think>'.length + layout.afterThink.length + '<answer>'.length;
  return { observation, think, answer };
}

/** The chain with its answer set to `letter`: the answer field, or the raw text's first answer tag. */
export function withAnswer(raw: string, letter: string): string {
  const tag = /<answer>[\s\S]*?<\/answer>/;
  if (tag.test(raw)) return raw.replace(tag, `<answer>${letter}</answer>`);
  return `${raw}${raw === '' || raw.endsWith('\n') ? '' : '\n'}<answer>${letter}</answer>`;
}
