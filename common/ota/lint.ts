// Lint for O-T-A chains (DESIGN.md "O-T-A semantics", Lint): structure, answer against the
// options, reward format, length against the dataset, and motion claims that contradict the
// answer. Each issue has a stable code that the UI and the CLI may key on.

import { findMotionContradictions } from '../camerabench/motionClaims';
import { letterOfOption, yesNoOfOption, type Primitive } from '../camerabench/primitives';
import { firstCodePoint, pyStrip, pyUpper } from '../python';
import { gradeAnswer } from './grade';
import {
  CHAIN_TAG_NAMES, extractAnswerForEval, extractAnswerTag, normalizeTagWhitespace, parseChain,
  type ChainSection, type ChainTagName, type ParsedChain, type TextSpan,
} from './parse';
import { formatReward } from './reward';

export type LintCode =
  | 'missing-tag'
  | 'repeated-tag'
  | 'misordered-tags'
  | 'nested-tag'
  | 'unclosed-tag'
  | 'unopened-tag'
  | 'tag-spacing'
  | 'text-outside-tags'
  | 'empty-observation'
  | 'empty-think'
  | 'empty-answer'
  | 'answer-not-an-option'
  | 'answer-not-bare-letter'
  | 'no-format-reward'
  | 'length-outlier'
  | 'motion-contradiction';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintIssue {
  code: LintCode;
  severity: LintSeverity;
  message: string;
  /** Where to highlight, as UTF-16 offsets into the linted text. */
  span?: TextSpan;
}

/** Chain length across the dataset, measured with {@link chainLength}. */
export interface ChainLengthNorms {
  median: number;
  p05: number;
  p95: number;
}

export interface LintContext {
  /** The sample's options, e.g. ["A. No", "B. Yes"]. */
  options?: string[];
  /** The CameraBench primitive the question asks about, for motion-claim checks. */
  primitive?: Primitive;
  norms?: ChainLengthNorms;
}

/**
 * Length rule: an outlier is shorter than half the 5th percentile or longer than twice the
 * 95th. Chains between p05 and p95 are normal; a chain merely outside that band is common
 * enough (10 % of any dataset) that flagging it would be noise.
 */
export const LENGTH_OUTLIER_FACTOR = 2;

/** A chain's length as the norms measure it: `String.length` (UTF-16 units; characters for BMP text). */
export function chainLength(text: string): number {
  return text.length;
}

const emptyCodes = {
  observation: { code: 'empty-observation', severity: 'warning' },
  think: { code: 'empty-think', severity: 'warning' },
  answer: { code: 'empty-answer', severity: 'error' },
} satisfies Record<ChainTagName, { code: LintCode; severity: LintSeverity }>;

function structureIssues(chain: ParsedChain): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const name of CHAIN_TAG_NAMES) {
    const sections = chain.sections.filter((section) => section.name === name);
    if (sections.length === 0) {
      issues.push({ code: 'missing-tag', severity: 'error', message: `The chain has no <${name}> section.` });
    }
    for (const repeated of sections.slice(1)) {
      const consequence = name === 'answer' ? ' The reward and the evaluator read only the first one.' : '';
      issues.push({ code: 'repeated-tag', severity: 'warning', message: `<${name}> appears more than once.${consequence}`, span: spanOf(repeated) });
    }
  }
  const firsts = CHAIN_TAG_NAMES.map((name) => chain.first[name]).filter((section) => section !== undefined);
  const anyNested = chain.sections.some((section) => section.nested);
  if (firsts.length === CHAIN_TAG_NAMES.length && !chain.inOrder && !anyNested) {
    const order = [...firsts].sort((left, right) => left.start - right.start).map((section) => `<${section.name}>`);
    issues.push({ code: 'misordered-tags', severity: 'error', message: `The sections come as ${order.join(', ')}; expected <observation>, <think>, <answer>.` });
  }
  for (const section of chain.sections) {
    if (section.nested) {
      issues.push({ code: 'nested-tag', severity: 'error', message: `<${section.name}> is inside another section.`, span: spanOf(section) });
    }
    if (!section.close) {
      issues.push({ code: 'unclosed-tag', severity: 'error', message: `<${section.name}> is never closed.`, span: spanOf(section.open) });
    }
  }
  for (const stray of chain.strayCloses) {
    issues.push({ code: 'unopened-tag', severity: 'error', message: `</${stray.name}> closes a section that was never opened.`, span: spanOf(stray) });
  }
  for (const tag of chain.tags.filter((occurrence) => !occurrence.canonical)) {
    const written = chain.text.slice(tag.start, tag.end);
    const canonical = tag.kind === 'open' ? `<${tag.name}>` : `</${tag.name}>`;
    // The evaluator (eval_bench) does not normalise spacing: a spaced answer tag loses the answer.
    const severity = tag.name === 'answer' ? 'warning' : 'info';
    issues.push({
      code: 'tag-spacing',
      severity,
      message: `${JSON.stringify(written)} should be written ${canonical}; the reward tolerates the spacing, the evaluator does not.`,
      span: spanOf(tag),
    });
  }
  for (const span of chain.outside) {
    issues.push({ code: 'text-outside-tags', severity: 'warning', message: 'Text outside the <observation>, <think> and <answer> sections.', span });
  }
  for (const section of chain.sections) {
    if (pyStrip(section.content) !== '') continue;
    const { code, severity } = emptyCodes[section.name];
    issues.push({ code, severity, message: `<${section.name}> is empty.`, span: spanOf(section) });
  }
  return issues;
}

function spanOf(span: TextSpan): TextSpan {
  return { start: span.start, end: span.end };
}

/** The option letter the evaluator reads (eval_bench: first character, upper-cased). */
function evaluatedLetter(text: string): string {
  const answer = extractAnswerForEval(text) || pyStrip(text);
  return pyUpper(firstCodePoint(pyStrip(answer)));
}

/** The answer the reward grades (onethinker: after tag-whitespace normalisation). */
function rewardedAnswer(text: string): string {
  const normalized = normalizeTagWhitespace(text);
  return pyStrip(extractAnswerTag(normalized) || pyStrip(normalized));
}

function optionIssues(text: string, answer: ChainSection | undefined, options: string[]): LintIssue[] {
  if (!answer || pyStrip(answer.content) === '') return [];
  const letters = options.map(letterOfOption).filter((letter) => letter !== null);
  const letter = evaluatedLetter(text);
  const span = { ...answer.contentSpan };
  const shown = JSON.stringify(pyStrip(answer.content));
  if (!letters.includes(letter)) {
    return [{ code: 'answer-not-an-option', severity: 'error', message: `The answer ${shown} is not one of the options ${letters.join(', ')}.`, span }];
  }
  if (!gradeAnswer(rewardedAnswer(text), letter)) {
    return [{
      code: 'answer-not-bare-letter',
      severity: 'warning',
      message: `The evaluator reads ${shown} as ${letter}, but the reward compares the whole answer with "${letter}" and scores it 0; write the bare letter.`,
      span,
    }];
  }
  return [];
}

function lengthIssues(text: string, norms: ChainLengthNorms): LintIssue[] {
  const length = chainLength(text);
  if (length < norms.p05 / LENGTH_OUTLIER_FACTOR) {
    return [{ code: 'length-outlier', severity: 'warning', message: `The chain is ${length} characters long, far shorter than usual (5th percentile ${norms.p05}, median ${norms.median}).` }];
  }
  if (length > norms.p95 * LENGTH_OUTLIER_FACTOR) {
    return [{ code: 'length-outlier', severity: 'warning', message: `The chain is ${length} characters long, far longer than usual (95th percentile ${norms.p95}, median ${norms.median}).` }];
  }
  return [];
}

function motionIssues(text: string, chain: ParsedChain, options: string[], primitive: Primitive): LintIssue[] {
  const letter = evaluatedLetter(text);
  const chosen = options.find((option) => letterOfOption(option) === letter);
  const yesNo = chosen === undefined ? null : yesNoOfOption(chosen);
  if (yesNo === null) return [];
  const issues: LintIssue[] = [];
  for (const section of chain.sections.filter((candidate) => candidate.name === 'observation' || candidate.name === 'think')) {
    for (const contradiction of findMotionContradictions(section.content, primitive, yesNo === 'yes')) {
      issues.push({
        code: 'motion-contradiction',
        severity: 'warning',
        message: contradiction.message,
        span: { start: section.contentSpan.start + contradiction.start, end: section.contentSpan.start + contradiction.end },
      });
    }
  }
  return issues;
}

/** Every issue found in `text`, structural ones first. */
export function lintChain(text: string, context: LintContext = {}): LintIssue[] {
  const chain = parseChain(text);
  const issues = structureIssues(chain);
  if (formatReward(text) === 0) {
    issues.push({ code: 'no-format-reward', severity: 'error', message: 'The chain fails the reward\'s format check (format reward 0).' });
  }
  if (context.options) issues.push(...optionIssues(text, chain.first.answer, context.options));
  if (context.norms) issues.push(...lengthIssues(text, context.norms));
  if (context.options && context.primitive) issues.push(...motionIssues(text, chain, context.options, context.primitive));
  return issues;
}
