// Reading Observation–Think–Answer chains: the answer extraction that CamReasoner's reward and
// evaluator use (ported exactly, Python `\s` and strip included) and a structural parse with
// offsets for the editor and the linter.

import { PY_SPACE, pyStrip } from '../python';

// onethinker_reward.py ANSWER_CAPTURE_PATTERN and eval_bench.py ANSWER_RE, both
// re.compile(r"<answer>\s*(.*?)\s*</answer>", re.DOTALL); `[\s\S]` is DOTALL's dot.
const answerCapture = new RegExp(`<answer>${PY_SPACE}*([\\s\\S]*?)${PY_SPACE}*</answer>`);

/**
 * onethinker_reward.extract_answer: the first `<answer>…</answer>`'s content, Python-stripped,
 * or null when there is none. An empty tag gives "" (callers' `or` then treats it as missing).
 */
export function extractAnswerTag(text: string): string | null {
  const match = answerCapture.exec(text);
  return match ? pyStrip(match[1] ?? '') : null;
}

/** eval_bench.extract_answer: the answer tag's content, else the whole text, Python-stripped. */
export function extractAnswerForEval(text: string): string {
  return extractAnswerTag(text) ?? pyStrip(text);
}

const tagWhitespace = new RegExp(`${PY_SPACE}*([<>/])${PY_SPACE}*`, 'g');

/**
 * onethinker compute_score's `re.sub(r"\s*(<|>|/)\s*", r"\1", raw_response)`: removes
 * whitespace around every "<", ">" and "/" (anywhere, not only in tags: "a / b" → "a/b").
 */
export function normalizeTagWhitespace(text: string): string {
  return text.replace(tagWhitespace, '$1');
}

export type ChainTagName = 'observation' | 'think' | 'answer';

export const CHAIN_TAG_NAMES: readonly ChainTagName[] = ['observation', 'think', 'answer'];

/** A half-open range [start, end) of UTF-16 offsets into the parsed text. */
export interface TextSpan {
  start: number;
  end: number;
}

/** One `<name>` or `</name>` as written, possibly with whitespace inside (`< / think >`). */
export interface TagOccurrence extends TextSpan {
  name: ChainTagName;
  kind: 'open' | 'close';
  /** Written exactly `<name>` / `</name>`. The reward normalises spacing, the evaluator does not. */
  canonical: boolean;
}

/** An open tag and the first matching close tag after it (the reference regexes are lazy). */
export interface ChainSection extends TextSpan {
  name: ChainTagName;
  open: TagOccurrence;
  /** null when the tag is never closed; the section then runs to the end of the text. */
  close: TagOccurrence | null;
  /** The text between the tags, as written. */
  content: string;
  /** Where `content` lies in the text. */
  contentSpan: TextSpan;
  /** Another section (of any name) encloses this one's open tag. */
  nested: boolean;
}

export interface ParsedChain {
  text: string;
  /** Every tag occurrence in text order. */
  tags: TagOccurrence[];
  /** Every section in order of its open tag. */
  sections: ChainSection[];
  /** The first section of each name, when present. */
  first: Partial<Record<ChainTagName, ChainSection>>;
  /** Close tags with no open tag of their name before them. */
  strayCloses: TagOccurrence[];
  /**
   * All three sections present, their first occurrences in the order observation → think →
   * answer, none overlapping another.
   */
  inOrder: boolean;
  /** Runs of non-whitespace text covered by no section and no tag, trimmed of whitespace. */
  outside: TextSpan[];
}

// Tags are case-sensitive as in the reference; whitespace inside is tolerated because the reward
// removes it before matching (see normalizeTagWhitespace).
const tagPattern = new RegExp(`<${PY_SPACE}*(/?)${PY_SPACE}*(observation|think|answer)${PY_SPACE}*>`, 'g');

function findTags(text: string): TagOccurrence[] {
  const tags: TagOccurrence[] = [];
  for (const match of text.matchAll(tagPattern)) {
    const name = CHAIN_TAG_NAMES.find((candidate) => candidate === match[2]);
    if (name === undefined) continue;
    const kind = match[1] === '/' ? 'close' : 'open';
    const start = match.index;
    const end = start + match[0].length;
    const canonical = match[0] === (kind === 'open' ? `<${name}>` : `</${name}>`);
    tags.push({ name, kind, start, end, canonical });
  }
  return tags;
}

function pairSections(text: string, tags: TagOccurrence[]): { sections: ChainSection[]; strayCloses: TagOccurrence[] } {
  const sections: ChainSection[] = [];
  const strayCloses: TagOccurrence[] = [];
  const consumedCloses = new Set<TagOccurrence>();
  tags.forEach((tag, index) => {
    if (tag.kind === 'close') {
      if (!consumedCloses.has(tag)) strayCloses.push(tag);
      return;
    }
    const close = tags.slice(index + 1).find((other) => other.kind === 'close' && other.name === tag.name && !consumedCloses.has(other)) ?? null;
    if (close) consumedCloses.add(close);
    const contentEnd = close ? close.start : text.length;
    sections.push({
      name: tag.name,
      open: tag,
      close,
      start: tag.start,
      end: close ? close.end : text.length,
      content: text.slice(tag.end, contentEnd),
      contentSpan: { start: tag.end, end: contentEnd },
      nested: false,
    });
  });
  for (const section of sections) {
    section.nested = sections.some((other) => other !== section && other.start < section.start && section.start < other.end);
  }
  return { sections, strayCloses };
}

const nonSpaceRun = new RegExp(`[^${PY_SPACE.slice(1, -1)}]+(?:${PY_SPACE}+[^${PY_SPACE.slice(1, -1)}]+)*`, 'g');

function findOutside(text: string, covered: TextSpan[]): TextSpan[] {
  const sorted = [...covered].sort((left, right) => left.start - right.start);
  const gaps: TextSpan[] = [];
  let cursor = 0;
  for (const span of sorted) {
    if (span.start > cursor) gaps.push({ start: cursor, end: span.start });
    cursor = Math.max(cursor, span.end);
  }
  if (cursor < text.length) gaps.push({ start: cursor, end: text.length });
  const outside: TextSpan[] = [];
  for (const gap of gaps) {
    for (const match of text.slice(gap.start, gap.end).matchAll(nonSpaceRun)) {
      outside.push({ start: gap.start + match.index, end: gap.start + match.index + match[0].length });
    }
  }
  return outside;
}

/** Parses a chain into tags, sections and stray text, with offsets into `text`. */
export function parseChain(text: string): ParsedChain {
  const tags = findTags(text);
  const { sections, strayCloses } = pairSections(text, tags);
  const first: Partial<Record<ChainTagName, ChainSection>> = {};
  for (const section of sections) first[section.name] ??= section;
  const ordered = CHAIN_TAG_NAMES.map((name) => first[name]);
  const inOrder = ordered.every((section, index) => {
    if (!section) return false;
    const previous = index > 0 ? ordered[index - 1] : undefined;
    return !section.nested && (previous === undefined || previous.end <= section.start);
  });
  const outside = findOutside(text, [...sections, ...tags]);
  return { text, tags, sections, first, strayCloses, inOrder, outside };
}
