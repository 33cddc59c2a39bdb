// The observation's claims and the time each speaks of, for the Inspect view: a click on a claim
// lights the frames and the stretch of the clip it is about, a frame under the pointer lights
// the claims about it. A claim is a sentence of the observation that speaks of motion or change
// (a primitive, a verb of motion, a direction of travel). Its time span comes from what it says:
// explicit references ("frame 3", "frames 8–72", "the last frame", "at 2 s", "between 1 and 3
// seconds") map exactly; vague ones ("initially", "in the middle", "later", "throughout") map
// by rule to a third of the clip or the whole of it, and a claim that says nothing of time is
// about the whole clip. Each claim names the rule that placed it, so the view can say "exact"
// or "inferred" and show the words it went by.
//
// Frame numbers count the frames the chain's writer saw, from 1 as people count: a model's
// "frame 3" is the third frame it was sent (index 2 of the request's frames). A chain written
// from the whole clip (a person's, the synthetic chains of backend/motion/synth "over frames
// 8–72", the built-in model's, which reads motion evidence, not frames) numbers the clip's own
// frames; so do numbers past the last frame sent, given the clip's frame rate.
//
// The phrase lists come from the 138 CamReasoner outputs in data/camreasoner (their recurring
// "as the video progresses", "the initial frame", "subsequent frames", "throughout the
// sequence") and the synthetic chains; "frame" alone is mostly spatial there ("the left side
// of the frame"), so only a frame with a number or an ordinal is a reference.
import { parseChain, type TextSpan } from './parse';

/** How a claim's time span was found. */
export type ClaimRule =
  /** "frame 3", "frames 2–5", "the first 3 frames": frames sent to the model, by number. */
  | 'frame-number'
  /** "the first / second / last frame": a frame sent, by ordinal. */
  | 'frame-ordinal'
  /** "frames 8–72" beyond the frames sent, or in a chain written from the clip: the clip's frames. */
  | 'clip-frame'
  /** "at 2 s", "from 1.2 s to 3.4 s", "between 1 and 3 seconds", "the first 2 seconds". */
  | 'time'
  /** "initially", "the initial frame", "at the beginning", "early": the first third. */
  | 'early'
  /** "in the middle", "midway": the middle third. */
  | 'middle'
  /** "at the end", "finally", "later", "eventually": the last third. */
  | 'late'
  | 'first-half'
  | 'second-half'
  /** "throughout", "as the video progresses", "subsequent frames", "gradually": the whole clip. */
  | 'progression'
  /** Cues of different rules in one claim: the span covering them all. */
  | 'combined'
  /** No word of time: the whole clip. */
  | 'default';

export const EXACT_RULES: readonly ClaimRule[] = ['frame-number', 'frame-ordinal', 'clip-frame', 'time'];

/** The words a span was read from: [start, end) offsets into the whole chain text. */
export interface ClaimCue extends TextSpan {
  text: string;
  rule: ClaimRule;
}

/** Seconds from the clip's start, both ends included (a single frame or instant has start = end). */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface Claim extends TextSpan {
  /** The sentence, trimmed; `start`/`end` are its offsets into the whole chain text. */
  text: string;
  /** Where in the clip it speaks of; null when neither the clip's duration nor an exact reference places it. */
  span: TimeSpan | null;
  /** Indices into the frames sent that the claim speaks of (those in `span` unless named one by one). */
  frames: number[];
  rule: ClaimRule;
  /** Placed by an explicit reference, not by rule. */
  isExact: boolean;
  /** The phrases that placed it, in text order; empty for 'default'. */
  cues: ClaimCue[];
}

export interface ClaimContext {
  /** The clip's duration in seconds, when known. */
  durationSeconds: number | null;
  /** Timestamps (seconds) of the frames the writer was sent, in order; empty for a chain written from the clip. */
  frameTimes: readonly number[];
  /** The clip's frame rate, for the clip's own frame numbers. */
  fps: number | null;
}

// ---------------------------------------------------------------------------------------------
// Sentences

// Abbreviations whose period does not end a sentence when something follows.
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'approx', 'fig', 'cf', 'no', 'ca']);

/** Sentences of text[from, to), trimmed, as offsets into text. */
export function sentenceSpans(text: string, from = 0, to = text.length): TextSpan[] {
  const spans: TextSpan[] = [];
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start] as string)) start++;
    while (end > start && /\s/.test(text[end - 1] as string)) end--;
    if (end > start) spans.push({ start, end });
  };
  let start = from;
  // A sentence ends at . ! ? (and any closing quote or bracket) before whitespace, or at a line
  // break. "4.2%" has no space after its point; "e.g. the" goes on in lower case.
  const boundary = /([.!?…]+["'”’)\]]*)(?=\s|$)|\n/g;
  boundary.lastIndex = from;
  for (let match = boundary.exec(text); match !== null && match.index < to; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0] !== '\n') {
      const after = /\S/.exec(text.slice(end, to));
      const next = after ? (after[0] as string) : '';
      const word = /([\p{L}.]+)\.$/u.exec(text.slice(Math.max(from, match.index - 12), match.index + 1))?.[1]?.toLowerCase();
      if (next !== '' && /\p{Ll}/u.test(next)) continue;
      if (next !== '' && word !== undefined && ABBREVIATIONS.has(word)) continue;
    }
    push(start, Math.min(end, to));
    start = Math.min(end, to);
  }
  push(start, to);
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Which sentences are claims

const MOTION_WORDS = new RegExp(
  '\\b(?:' +
    [
      // CameraBench's primitives and their forms.
      'pan(?:s|ned|ning)?', 'tilt(?:s|ed|ing)?', 'roll(?:s|ed|ing)?', 'zoom(?:s|ed|ing)?', 'dolly(?:ing)?', 'dollies', 'dollied',
      'truck(?:s|ed|ing)?', 'pedestal(?:s|ed|ing)?', 'static', 'stationary', 'arc(?:s|ing)?', 'orbit(?:s|ed|ing)?', 'crane(?:s|d)?',
      // Verbs and nouns of motion and change.
      'mov(?:e|es|ed|ing)', 'movements?', 'motions?', 'shift(?:s|ed|ing)?', 'drift(?:s|ed|ing)?', 'expan(?:d|ds|ded|ding|sion)',
      'contract(?:s|ed|ing)?', 'shrink(?:s|ing)?', 'shrank', 'grow(?:s|ing)?', 'grew', 'rotat(?:e|es|ed|ing|ion|ional)', 'turn(?:s|ed|ing)?',
      'slid(?:e|es|ing)', 'jitter(?:s|ed|ing)?', 'shak(?:e|es|ing|y)', 'sway(?:s|ed|ing)?', 'travel(?:s|ed|ing|led|ling)?',
      'follow(?:s|ed|ing)?', 'track(?:s|ed|ing)', 'approach(?:es|ed|ing)?', 'reced(?:e|es|ed|ing)', 'converg(?:e|es|ed|ing)',
      'spread(?:s|ing)?', 'swing(?:s|ing)?', 'sweep(?:s|ing)?', 'chang(?:e|es|ed|ing)', 'reveal(?:s|ed|ing)?', 'parallax',
      'vibrat(?:e|es|ing|ion|ions)', 'wobbl(?:e|es|ing)', 'transition(?:s|ed|ing)?', 'trajector(?:y|ies)',
      // Directions of travel (not places: "left", "right", "up" alone are mostly "the left side").
      'leftwards?', 'rightwards?', 'upwards?', 'downwards?', 'forwards?', 'backwards?', 'inwards?', 'outwards?', 'laterally',
      '(?:counter-?|anti-?)?clockwise',
    ].join('|') +
    ')\\b' +
    // A thing growing or shrinking on screen: "appears larger as", "becomes more prominent".
    '|\\b(?:becom(?:e|es|ing)|gets?|getting|appears?)\\s+(?:\\w+\\s+)?(?:larger|smaller|bigger|closer|farther|further|wider|narrower|higher|lower|more|less)\\b' +
    '|\\b(?:into|out of) (?:view|frame|the frame)\\b' +
    '|\\bfrom (?:the )?(?:left|right|top|bottom) to (?:the )?(?:left|right|top|bottom)\\b' +
    // Stillness is a claim too: "the camera remains fixed", "the horizon stays level".
    '|\\b(?:remain(?:s|ed)?|stay(?:s|ed)?)\\s+(?:\\w+\\s+)?(?:fixed|still|steady|stable|level|constant|consistent|unchanged|the same|in place|centr?ed|centered)\\b' +
    '|\\bmaintain(?:s|ed|ing)?\\s+(?:a\\s+|the\\s+|its\\s+)?(?:fixed|consistent|steady|stable|constant)\\b',
  'i',
);

/** Whether a sentence speaks of motion or change (and so makes a claim about the clip). */
export function isClaimSentence(sentence: string): boolean {
  return MOTION_WORDS.test(sentence);
}

// ---------------------------------------------------------------------------------------------
// Time references

interface Reference extends TextSpan {
  rule: ClaimRule;
  /** A span in seconds, or frames (sent-frame indices) to take the span from. */
  span: TimeSpan | null;
  frames: number[] | null;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, twenty: 20 };
const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 };

function countOf(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word.toLowerCase()] ?? Number.NaN);
}

const SECONDS_UNIT = '(?:s|secs?|seconds?)\\b';
const NUMBER = '(\\d+(?:\\.\\d+)?)';
const CLOCK = '(\\d{1,2}):(\\d{2}(?:\\.\\d+)?)';
const COUNT = '(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)';
const DASH = '\\s*(?:[-–—]|to|through|thru|and|until|till)\\s*';
const TEMPORAL_NOUNS = new Set(['video', 'clip', 'sequence', 'shot', 'footage', 'recording', 'scene', 'frames', 'take', 'movement', 'motion', 'pan', 'tilt', 'zoom', 'roll', 'dolly', 'observation', 'period']);

interface Situation {
  duration: number | null;
  times: readonly number[];
  fps: number | null;
}

function clampSpan(span: TimeSpan, duration: number | null): TimeSpan {
  let { start, end } = span;
  if (end < start) [start, end] = [end, start];
  if (duration !== null) {
    start = Math.min(Math.max(0, start), duration);
    end = Math.min(Math.max(0, end), duration);
  }
  return { start: Math.max(0, start), end: Math.max(0, end) };
}

function clockSeconds(minutes: string, seconds: string): number {
  return Number(minutes) * 60 + Number(seconds);
}

/** Frames first..last (1-based, inclusive) as the writer numbered them: sent frames if they reach, else the clip's. */
function numberedFrames(first: number, last: number, situation: Situation): Pick<Reference, 'rule' | 'span' | 'frames'> | null {
  if (!(first >= 1) || !(last >= 1)) return null;
  const [low, high] = first <= last ? [first, last] : [last, first];
  const { times, fps, duration } = situation;
  if (times.length > 0 && high <= times.length) {
    const frames = Array.from({ length: high - low + 1 }, (_, offset) => low - 1 + offset);
    return { rule: 'frame-number', span: { start: times[low - 1] as number, end: times[high - 1] as number }, frames };
  }
  if (fps !== null && fps > 0) {
    // A frame number past the clip's end names nothing in it.
    if (duration !== null && (low - 1) / fps > duration) return null;
    return { rule: 'clip-frame', span: clampSpan({ start: (low - 1) / fps, end: high / fps }, duration), frames: null };
  }
  return null;
}

/** The k-th frame (1-based) or the k-th from the end (k < 0) of those the writer saw. */
function ordinalFrame(k: number, situation: Situation): Pick<Reference, 'rule' | 'span' | 'frames'> | null {
  const { times, fps, duration } = situation;
  if (times.length > 0) {
    const index = k > 0 ? k - 1 : times.length + k;
    if (index < 0 || index >= times.length) return null;
    const at = times[index] as number;
    return { rule: 'frame-ordinal', span: { start: at, end: at }, frames: [index] };
  }
  if (duration === null) return null;
  const step = fps !== null && fps > 0 ? 1 / fps : 0;
  const start = k > 0 ? (k - 1) * step : duration + k * step;
  if (start < 0 || start > duration) return null;
  return { rule: 'frame-ordinal', span: clampSpan({ start, end: start + step }, duration), frames: null };
}

interface Pattern {
  pattern: RegExp;
  read: (match: RegExpExecArray, situation: Situation) => Pick<Reference, 'rule' | 'span' | 'frames'> | null;
}

function thirds(rule: 'early' | 'middle' | 'late' | 'first-half' | 'second-half' | 'progression', duration: number | null): TimeSpan | null {
  if (duration === null) return null;
  switch (rule) {
    case 'early':
      return { start: 0, end: duration / 3 };
    case 'middle':
      return { start: duration / 3, end: (2 * duration) / 3 };
    case 'late':
      return { start: (2 * duration) / 3, end: duration };
    case 'first-half':
      return { start: 0, end: duration / 2 };
    case 'second-half':
      return { start: duration / 2, end: duration };
    case 'progression':
      return { start: 0, end: duration };
    default:
      throw new Error(`unknown rule ${String(rule satisfies never)}`);
  }
}

const vague = (rule: 'early' | 'middle' | 'late' | 'first-half' | 'second-half' | 'progression') =>
  (_match: RegExpExecArray, situation: Situation) => ({ rule, span: thirds(rule, situation.duration), frames: null });

// Explicit references, most specific first: a match masks the text it covers from later patterns
// ("the first 3 seconds" is not also "first"; "frames 8–72" is not also "frame 8").
const EXACT: Pattern[] = [
  // "from 1.2 s to 3.4 s", "between 1 and 3 seconds", "1–3 s", "from 0:01 to 0:03"
  {
    pattern: new RegExp(`\\b(?:(?:from|between)\\s+)?${NUMBER}\\s*(?:${SECONDS_UNIT})?${DASH}${NUMBER}\\s*${SECONDS_UNIT}`, 'gi'),
    read: (match, situation) => ({ rule: 'time', span: clampSpan({ start: Number(match[1]), end: Number(match[2]) }, situation.duration), frames: null }),
  },
  {
    pattern: new RegExp(`\\b(?:from|between)\\s+${CLOCK}${DASH}${CLOCK}`, 'gi'),
    read: (match, situation) => ({
      rule: 'time',
      span: clampSpan({ start: clockSeconds(match[1] as string, match[2] as string), end: clockSeconds(match[3] as string, match[4] as string) }, situation.duration),
      frames: null,
    }),
  },
  // "the first 2 seconds", "the last 1.5 s", "the final three seconds"
  {
    pattern: new RegExp(`\\b(first|last|final|opening|closing)\\s+(?:${NUMBER}|(one|two|three|four|five|six|seven|eight|nine|ten))\\s*${SECONDS_UNIT}`, 'gi'),
    read: (match, situation) => {
      const length = match[2] !== undefined ? Number(match[2]) : countOf(match[3] as string);
      const isStart = /^(?:first|opening)$/i.test(match[1] as string);
      if (isStart) return { rule: 'time', span: clampSpan({ start: 0, end: length }, situation.duration), frames: null };
      if (situation.duration === null) return null;
      return { rule: 'time', span: clampSpan({ start: situation.duration - length, end: situation.duration }, situation.duration), frames: null };
    },
  },
  // "after 3 s", "before 2 seconds", "until 2.5 s"
  {
    pattern: new RegExp(`\\b(after|before|until|till|by)\\s+(?:the\\s+)?${NUMBER}\\s*(?:-|\\s)?${SECONDS_UNIT}(?:\\s+mark)?`, 'gi'),
    read: (match, situation) => {
      const at = Number(match[2]);
      if (/^after$/i.test(match[1] as string)) return situation.duration === null ? null : { rule: 'time', span: clampSpan({ start: at, end: situation.duration }, situation.duration), frames: null };
      return { rule: 'time', span: clampSpan({ start: 0, end: at }, situation.duration), frames: null };
    },
  },
  // "at 2 s", "around 2.5 seconds", "at the 3-second mark", "at 0:02"
  {
    pattern: new RegExp(`\\b(?:at|around|near)\\s+(?:about\\s+|roughly\\s+|approximately\\s+)?(?:the\\s+)?${NUMBER}\\s*(?:-|\\s)?${SECONDS_UNIT}(?:\\s+mark)?`, 'gi'),
    read: (match, situation) => {
      const at = Number(match[1]);
      return { rule: 'time', span: clampSpan({ start: at, end: at }, situation.duration), frames: null };
    },
  },
  {
    pattern: new RegExp(`\\b(?:at|around|near)\\s+(?:the\\s+)?${CLOCK}\\b`, 'gi'),
    read: (match, situation) => {
      const at = clockSeconds(match[1] as string, match[2] as string);
      return { rule: 'time', span: clampSpan({ start: at, end: at }, situation.duration), frames: null };
    },
  },
  // "frames 8–72", "frames 3 to 5", "frames 2 and 4"
  {
    pattern: /\bframes?\s+#?(\d+)\s*(?:[-–—]|to|through|thru|and)\s*#?(\d+)\b/gi,
    read: (match, situation) => numberedFrames(Number(match[1]), Number(match[2]), situation),
  },
  // "the first 3 frames", "the last two frames"
  {
    pattern: new RegExp(`\\b(first|last|final)\\s+${COUNT}\\s+frames\\b`, 'gi'),
    read: (match, situation) => {
      const count = countOf(match[2] as string);
      if (!(count >= 1)) return null;
      if (/^first$/i.test(match[1] as string)) return numberedFrames(1, count, situation);
      const total = situation.times.length;
      if (total === 0 || count > total) return null;
      return numberedFrames(total - count + 1, total, situation);
    },
  },
  // "frame 3", "frame #12", "the 3rd frame"
  { pattern: /\bframe\s+#?(\d+)\b/gi, read: (match, situation) => numberedFrames(Number(match[1]), Number(match[1]), situation) },
  { pattern: /\b(\d+)(?:st|nd|rd|th)\s+frame\b/gi, read: (match, situation) => numberedFrames(Number(match[1]), Number(match[1]), situation) },
  // "the first frame", "the very last frame", "the second-to-last frame", "the penultimate frame"
  {
    pattern: /\b(?:the\s+)?(?:very\s+)?(second[- ]to[- ]last|penultimate|last|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+frame\b/gi,
    read: (match, situation) => {
      const word = (match[1] as string).toLowerCase();
      const isSecondToLast = word === 'penultimate' || (word.startsWith('second') && word.includes('last'));
      const k = word === 'last' ? -1 : isSecondToLast ? -2 : (ORDINALS[word] ?? 0);
      return k === 0 ? null : ordinalFrame(k, situation);
    },
  },
];

const VAGUE: Pattern[] = [
  { pattern: /\bfirst\s+half\b/gi, read: vague('first-half') },
  { pattern: /\b(?:second|latter)\s+half\b/gi, read: vague('second-half') },
  // The whole clip: change told over its course.
  {
    pattern: new RegExp(
      '\\b(?:throughout|(?:and\\s+)?then|over\\s+time|over\\s+the\\s+course|subsequent(?:ly)?|gradually|progressively|continuous(?:ly)?|steadily|across\\s+(?:all\\s+)?(?:the\\s+)?(?:frames|sequence|video|clip)' +
        '|as\\s+(?:the\\s+)?(?:video|clip|sequence|footage|shot|scene|it|time|they)\\s+(?:\\w+\\s+)?(?:progress(?:es|ed)?|continu(?:es|ed)|unfolds?|goes\\s+on|advances?|plays?|passe?s)' +
        '|(?:the\\s+)?(?:entire|whole)\\s+(?:video|clip|sequence|footage|shot|duration)|every\\s+frame|all\\s+(?:the\\s+)?frames)\\b',
      'gi',
    ),
    read: vague('progression'),
  },
  // The first third. "the initial frame" is CamReasoner's loose "at the start" (its prompts say
  // "with respect to the initial frame"), not a frame it can point to; "the first frame" is exact.
  {
    pattern: new RegExp(
      '\\b(?:initially|at\\s+first|early|earlier|at\\s+the\\s+outset|(?:at|from|near|in)\\s+the\\s+(?:very\\s+)?(?:beginning|start)|beginning\\s+of' +
        '|initial\\s+(?:[\\w-]+\\s+)?(?:frames?|shots?|views?|images?|moments?|seconds?|part|portion|segment)' +
        '|opening\\s+(?:frames?|shots?|seconds?|moments?)|first\\s+(?:few\\s+)?(?:frames|moments|part|portion|seconds)' +
        '|(?:video|clip|sequence|shot|footage|scene|camera|view)\\s+(?:\\w+\\s+){0,2}?(?:starts?|begins?|started|began)' +
        '|(?:starts?|begins?|started|began)\\s+(?:with|by|on|off))\\b',
      'gi',
    ),
    read: vague('early'),
  },
  {
    pattern: /\b(?:midway|halfway|mid-(?:video|clip|sequence|shot|way)|(?:in|at|around|near|towards?)\s+the\s+middle(?!\s+of\b)|middle\s+of\s+the\s+(?:video|clip|sequence|footage|shot|recording))\b/gi,
    read: vague('middle'),
  },
  {
    pattern: /\b(?:finally|eventually|later(?:\s+on)?|by\s+the\s+time|final\s+(?:[\w-]+\s+)?(?:frames?|shots?|views?|images?|moments?|seconds?|part|portion)|closing\s+(?:frames?|shots?|seconds?|moments?)|last\s+(?:few\s+)?(?:frames|moments|part|portion|seconds)|ends?\s+(?:with|up|on)|end\s+of\s+the\s+(?:video|clip|sequence|footage|shot|recording|scene)|(?:at|by|near|towards?|in)\s+the\s+(?:very\s+)?end(?:\s+of\s+the\s+(\w+))?)\b/gi,
    read: (match, situation) => {
      // "at the end of the tunnel" is a place; "at the end of the clip" is a time.
      const noun = match[1]?.toLowerCase();
      if (noun !== undefined && !TEMPORAL_NOUNS.has(noun)) return null;
      return vague('late')(match, situation);
    },
  },
];

function findReferences(text: string, from: number, to: number, patterns: readonly Pattern[], situation: Situation, taken: TextSpan[]): Reference[] {
  const found: Reference[] = [];
  const slice = text.slice(from, to);
  for (const { pattern, read } of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(slice); match !== null; match = pattern.exec(slice)) {
      const start = from + match.index;
      const end = start + match[0].length;
      if (taken.some((span) => span.start < end && start < span.end)) continue;
      const reading = read(match, situation);
      if (reading === null) continue;
      taken.push({ start, end });
      found.push({ start, end, ...reading });
    }
  }
  return found.sort((left, right) => left.start - right.start);
}

function framesIn(span: TimeSpan | null, times: readonly number[]): number[] {
  if (span === null) return [];
  const frames: number[] = [];
  // A frame sits in a span to a hair's tolerance: spans computed from thirds meet frame times exactly.
  times.forEach((time, index) => {
    if (time >= span.start - 1e-6 && time <= span.end + 1e-6) frames.push(index);
  });
  return frames;
}

function hull(spans: readonly (TimeSpan | null)[]): TimeSpan | null {
  const known = spans.filter((span): span is TimeSpan => span !== null);
  if (known.length === 0) return null;
  return { start: Math.min(...known.map((span) => span.start)), end: Math.max(...known.map((span) => span.end)) };
}

/** When the clip's duration is not known, the frames sent bound it from below. */
function situationOf(context: ClaimContext): Situation {
  const last = context.frameTimes.at(-1);
  const duration = context.durationSeconds !== null && context.durationSeconds > 0 ? context.durationSeconds : last !== undefined ? last : null;
  return { duration, times: context.frameTimes, fps: context.fps !== null && context.fps > 0 ? context.fps : null };
}

/** Where one sentence, text[start, end), speaks of. */
export function placeClaim(text: string, start: number, end: number, context: ClaimContext): Omit<Claim, 'start' | 'end' | 'text'> {
  const situation = situationOf(context);
  const taken: TextSpan[] = [];
  const exact = findReferences(text, start, end, EXACT, situation, taken);
  const references = exact.length > 0 ? exact : findReferences(text, start, end, VAGUE, situation, taken);
  const cues = references.map((reference) => ({ start: reference.start, end: reference.end, text: text.slice(reference.start, reference.end), rule: reference.rule }));
  if (references.length === 0) {
    const span = thirds('progression', situation.duration);
    return { span, frames: situation.times.map((_, index) => index), rule: 'default', isExact: false, cues };
  }
  const span = hull(references.map((reference) => reference.span));
  const named = references.every((reference) => reference.frames !== null);
  const frames = named ? [...new Set(references.flatMap((reference) => reference.frames ?? []))].sort((left, right) => left - right) : framesIn(span, situation.times);
  const rules = new Set(references.map((reference) => reference.rule));
  let rule: ClaimRule;
  if (rules.size === 1) rule = references[0]?.rule ?? 'default';
  else {
    // "initially …, but subsequent frames …": the span is the whole clip, as "subsequent" says.
    const covering = references.find((reference) => reference.span !== null && span !== null && reference.span.start <= span.start && reference.span.end >= span.end);
    rule = covering?.rule ?? (exact.length > 0 ? (references[0]?.rule ?? 'time') : 'combined');
  }
  return { span, frames, rule, isExact: exact.length > 0, cues };
}

/**
 * The claims of a chain's observation (the first `<observation>` section), in order, each with
 * the time it speaks of. A chain without an observation has none.
 */
export function observationClaims(chain: string, context: ClaimContext): Claim[] {
  const section = parseChain(chain).first.observation;
  if (!section) return [];
  const claims: Claim[] = [];
  for (const sentence of sentenceSpans(chain, section.contentSpan.start, section.contentSpan.end)) {
    const text = chain.slice(sentence.start, sentence.end);
    if (!isClaimSentence(text)) continue;
    claims.push({ start: sentence.start, end: sentence.end, text, ...placeClaim(chain, sentence.start, sentence.end, context) });
  }
  return claims;
}

/** The claims that speak of frame `index` of those sent. */
export function claimsOfFrame(claims: readonly Claim[], index: number): Claim[] {
  return claims.filter((claim) => claim.frames.includes(index));
}
