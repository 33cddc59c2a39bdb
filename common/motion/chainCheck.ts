// Chain-vs-geometry checking (issue #3, item 4): which claims of an O-T-A chain the analyzer's
// stored reading of its clip contradicts, with [start, end) offsets into the chain text for the
// editor's highlighting (common/api/contract.ts `Contradiction`). Claims are read by
// common/camerabench/motionClaims.ts, sections by common/ota/parse.ts.
//
// Conservative on purpose: a contradiction here is shown to a person as "the chain is wrong", so
// it must be one they agree with after looking at the clip. The analyzer's scores are logistic
// steps around its thresholds; between ABSENT and PRESENT it is unsure and nothing is reported.
// A claimed motion counts as contradicted only when its score is clearly low AND the analyzer
// clearly saw something else (the opposite direction, another motion, or a still camera): a low
// score alone may just mean the tracker saw nothing (a blank wall, a dark shot). A denied motion
// counts only when its score is clearly high. Readings with too few tracks or too many
// unmeasured frame pairs are not used at all. Segments save stretch claims: "static at first"
// is fine when the reading has a still segment, even if the clip as a whole moves.
import type { Contradiction } from '../api/contract';
import { letterOfOption, oppositeOf, primitiveInfo, primitiveOfMotion, PRIMITIVES, yesNoOfOption, type MotionFamily, type Primitive } from '../camerabench/primitives';
import { extractMotionClaims, type MotionClaim } from '../camerabench/motionClaims';
import { extractAnswerTag, parseChain } from '../ota/parse';

/** Below this score the analyzer says the motion is clearly absent. */
export const ABSENT_BELOW = 0.2;
/** At or above this score the analyzer says the motion is clearly present. */
export const PRESENT_FROM = 0.8;
/** Fewer tracked points per frame pair than this and the reading is too thin to contradict anyone. */
export const MIN_MEAN_TRACKS = 40;
/** More than this share of frame pairs unmeasured and the reading is not trusted. */
export const MAX_UNMEASURED_SHARE = 0.25;

/** What the check needs of a stored reading (common/motion/reading.ts MotionReading has it all). */
export interface ReadingForCheck {
  scores: Readonly<Record<string, number>>;
  segments: ReadonlyArray<{ primitive: string }>;
  summary?: { frameCount?: number; meanTrackCount?: number; unmeasuredPairs?: number };
}

/** The binary question the chain answers, to check its <answer> too. */
export interface QuestionForCheck {
  primitive: Primitive;
  /** "A. No", "B. Yes" (CameraBench) or any lettered Yes/No options. */
  options: readonly string[];
}

export const CONTRADICTION_KINDS = ['opposite-direction', 'absent-motion', 'not-static', 'denied-motion', 'answer'] as const;
export type ContradictionKind = (typeof CONTRADICTION_KINDS)[number];

export interface ChainContradiction extends Contradiction {
  /**
   * opposite-direction: "pans left", measured pan right. absent-motion: a motion the analyzer
   * clearly did not see while it saw another. not-static: "static" while it saw motion.
   * denied-motion: "does not pan left" / "not static" while it clearly saw that. answer: the
   * option letter says the opposite of the measurement.
   */
  kind: ContradictionKind;
}

/** Why a reading is not used, or null when it is trustworthy enough to check against. */
export function unreliableReason(reading: ReadingForCheck): string | null {
  const summary = reading.summary;
  if (summary === undefined) return null;
  if (summary.meanTrackCount !== undefined && summary.meanTrackCount < MIN_MEAN_TRACKS) {
    return `only ${Math.round(summary.meanTrackCount)} tracked points per frame pair`;
  }
  const pairs = (summary.frameCount ?? 0) - 1;
  if (pairs <= 0) return 'no frame pairs were measured';
  if (summary.unmeasuredPairs !== undefined && summary.unmeasuredPairs / pairs > MAX_UNMEASURED_SHARE) {
    return `${summary.unmeasuredPairs} of ${pairs} frame pairs could not be measured`;
  }
  return null;
}

// What the content does under each camera motion (DESIGN.md "Camera motion, geometrically"):
// the "measured" side of a message names what was seen before what it means.
const CONTENT: Record<Primitive, string> = {
  Move_In: 'the content expands, near points faster',
  Move_Out: 'the content contracts, near points faster',
  Move_Up: 'the content drifts down, near points faster',
  Move_Down: 'the content drifts up, near points faster',
  Move_Left: 'the content drifts right, near points faster',
  Move_Right: 'the content drifts left, near points faster',
  Zoom_In: 'the content expands by one factor at all depths',
  Zoom_Out: 'the content contracts by one factor at all depths',
  Pan_Left: 'the content drifts right, uniformly at all depths',
  Pan_Right: 'the content drifts left, uniformly at all depths',
  Tilt_Up: 'the content drifts down, uniformly at all depths',
  Tilt_Down: 'the content drifts up, uniformly at all depths',
  Roll_Clockwise: 'the content turns counter-clockwise',
  Roll_Counterclockwise: 'the content turns clockwise',
  Static: 'the content holds still',
};

// Rotation and translation that look alike in one frame pair; told apart only by parallax.
const TWIN_FAMILY: Partial<Record<MotionFamily, MotionFamily>> = {
  pan: 'truck', truck: 'pan', tilt: 'pedestal', pedestal: 'tilt', zoom: 'dolly', dolly: 'zoom',
};

const MOVING: readonly Primitive[] = PRIMITIVES.filter((primitive) => primitive !== 'Static');

interface Scores {
  of(primitive: Primitive): number | null;
  isAbsent(primitive: Primitive): boolean;
  isPresent(primitive: Primitive): boolean;
}

function scoresOf(reading: ReadingForCheck): Scores {
  const of = (primitive: Primitive): number | null => {
    const value = reading.scores[primitive];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return {
    of,
    isAbsent: (primitive) => {
      const value = of(primitive);
      return value !== null && value < ABSENT_BELOW;
    },
    isPresent: (primitive) => {
      const value = of(primitive);
      return value !== null && value >= PRESENT_FROM;
    },
  };
}

/**
 * Each primitive's geometric twin: the other motion that drifts the image the same way (pan
 * right and truck right both move the content left; tilt up and pedestal up move it down;
 * zoom in and dolly in both expand it). Only parallax tells twins apart (DESIGN.md), and that
 * is where the analyzer is least sure.
 */
const TWIN: Partial<Record<Primitive, Primitive>> = {
  Pan_Left: 'Move_Left', Move_Left: 'Pan_Left', Pan_Right: 'Move_Right', Move_Right: 'Pan_Right',
  Tilt_Up: 'Move_Up', Move_Up: 'Tilt_Up', Tilt_Down: 'Move_Down', Move_Down: 'Tilt_Down',
  Zoom_In: 'Move_In', Move_In: 'Zoom_In', Zoom_Out: 'Move_Out', Move_Out: 'Zoom_Out',
};
/** A twin scoring this high means the reading has not told the two apart. */
const TWIN_UNSURE_FROM = 0.5;

/**
 * Present, and told apart from its twin. "Does not zoom out" is not contradicted by a reading
 * that scores zoom out 0.81 and dolly out 0.80: it saw a contraction, not which of the two.
 */
function isPresentAndTold(scores: Scores, primitive: Primitive): boolean {
  const twin = TWIN[primitive];
  return scores.isPresent(primitive) && (twin === undefined || (scores.of(twin) ?? 0) < TWIN_UNSURE_FROM);
}

function label(primitive: Primitive): string {
  return primitiveInfo(primitive).label;
}

function scoreText(scores: Scores, primitive: Primitive): string {
  return (scores.of(primitive) ?? 0).toFixed(2);
}

/** The clearly present measurement that best explains why `claimed` is wrong, or null. */
function evidenceAgainst(scores: Scores, claimed: readonly Primitive[]): Primitive | null {
  const present = MOVING.filter((primitive) => scores.isPresent(primitive) && !claimed.includes(primitive));
  if (present.length === 0) return scores.isPresent('Static') ? 'Static' : null;
  const claimedFamilies = new Set(claimed.map((primitive) => primitiveInfo(primitive).family));
  const rank = (primitive: Primitive): number => {
    const family = primitiveInfo(primitive).family;
    if (claimedFamilies.has(family)) return 0;
    if ([...claimedFamilies].some((claimedFamily) => TWIN_FAMILY[claimedFamily] === family)) return 1;
    return 2;
  };
  return [...present].sort((left, right) => rank(left) - rank(right) || (scores.of(right) ?? 0) - (scores.of(left) ?? 0))[0] ?? null;
}

function primitivesOfFamily(family: MotionFamily): Primitive[] {
  return PRIMITIVES.filter((primitive) => primitiveInfo(primitive).family === family);
}

interface SectionClaim extends MotionClaim {
  section: Contradiction['section'];
}

/** Every claim of the chain's observation, think and answer sections, offsets into the whole text. */
function claimsOf(text: string): SectionClaim[] {
  const claims: SectionClaim[] = [];
  for (const section of parseChain(text).sections) {
    // A section inside another would be read twice (once as part of its parent).
    if (section.nested) continue;
    const offset = section.contentSpan.start;
    let previous: MotionClaim | null = null;
    for (const claim of extractMotionClaims(section.content)) {
      // "moves down (pedestal down)": a gloss repeats the claim before it; one claim, one report.
      const isGloss = previous !== null && claim.family === previous.family && claim.direction === previous.direction
        && claim.polarity === previous.polarity && /^\s*\(\s*$/.test(section.content.slice(previous.end, claim.start));
      previous = claim;
      if (isGloss) continue;
      claims.push({ ...claim, start: claim.start + offset, end: claim.end + offset, section: section.name });
    }
  }
  return claims;
}

/**
 * The contradictions between a chain and its clip's stored reading, in text order; empty when
 * the reading is not trustworthy (see unreliableReason) or the analyzer is unsure.
 */
export function checkChainAgainstReading(text: string, reading: ReadingForCheck, question?: QuestionForCheck): ChainContradiction[] {
  if (unreliableReason(reading) !== null) return [];
  const scores = scoresOf(reading);
  const segmentLabels = new Set(reading.segments.map((segment) => segment.primitive));
  const hasStillSegment = segmentLabels.has('still') || segmentLabels.has('Static');
  const claims = claimsOf(text);
  const assertsPresentMotion = claims.some((claim) => {
    const primitive = claim.polarity === 'asserted' ? primitiveOfMotion(claim.family, claim.direction) : null;
    return primitive !== null && primitive !== 'Static' && scores.isPresent(primitive);
  });
  const found: ChainContradiction[] = [];
  const report = (claim: SectionClaim, kind: ContradictionKind, measured: Primitive, message: string): void => {
    found.push({
      section: claim.section, start: claim.start, end: claim.end, claim: claim.phrase, kind,
      measured: `${label(measured)} (score ${scoreText(scores, measured)})`,
      message,
    });
  };
  const seen = (measured: Primitive) => `${CONTENT[measured]} → ${label(measured)} (score ${scoreText(scores, measured)})`;

  for (const claim of claims) {
    if (claim.family === 'static') {
      if (claim.polarity === 'asserted') {
        // "Static at first, then pans left" describes a sequence: leave it to the segments.
        if (hasStillSegment || assertsPresentMotion || !scores.isAbsent('Static')) continue;
        const measured = evidenceAgainst(scores, ['Static']);
        if (measured === null || measured === 'Static') continue;
        report(claim, 'not-static', measured, `says "${claim.phrase}"; measured: ${seen(measured)}`);
      } else if (scores.isPresent('Static')) {
        report(claim, 'denied-motion', 'Static', `says "${claim.phrase}"; measured: ${seen('Static')}`);
      }
      continue;
    }
    const named = claim.direction === null ? primitivesOfFamily(claim.family) : [primitiveOfMotion(claim.family, claim.direction)].filter((primitive): primitive is Primitive => primitive !== null);
    if (named.length === 0) continue;
    if (claim.polarity === 'negated') {
      const denied = named.filter((primitive) => isPresentAndTold(scores, primitive)).sort((left, right) => (scores.of(right) ?? 0) - (scores.of(left) ?? 0))[0];
      if (denied !== undefined) report(claim, 'denied-motion', denied, `says "${claim.phrase}"; measured: ${seen(denied)}`);
      continue;
    }
    // Asserted: every primitive it may mean must be clearly absent, and not a segment's label.
    if (!named.every((primitive) => scores.isAbsent(primitive) && !segmentLabels.has(primitive))) continue;
    const single = named.length === 1 ? named[0]! : null;
    const opposite = single === null ? null : oppositeOf(single);
    if (opposite !== null && scores.isPresent(opposite)) {
      report(claim, 'opposite-direction', opposite, `says "${claim.phrase}"; measured: ${seen(opposite)}`);
      continue;
    }
    const measured = evidenceAgainst(scores, named);
    if (measured === null) continue;
    const claimedScores = named.map((primitive) => `${label(primitive)} ${scoreText(scores, primitive)}`).join(', ');
    report(claim, 'absent-motion', measured, `says "${claim.phrase}" (${claimedScores}); measured: ${seen(measured)}`);
  }

  if (question !== undefined) {
    const answer = answerContradiction(text, question, scores, segmentLabels, hasStillSegment);
    if (answer !== null) found.push(answer);
  }
  return found.sort((left, right) => left.start - right.start);
}

/** The <answer>'s option read as Yes/No for the question, checked like a claim of the primitive. */
function answerContradiction(
  text: string,
  question: QuestionForCheck,
  scores: Scores,
  segmentLabels: ReadonlySet<string>,
  hasStillSegment: boolean,
): ChainContradiction | null {
  const section = parseChain(text).first.answer;
  const answer = extractAnswerTag(text);
  if (section === undefined || answer === null || answer === '') return null;
  // CamReasoner's evaluator reads the first character as the letter ("B. Yes" counts as B).
  const letter = answer.charAt(0).toUpperCase();
  const option = question.options.find((candidate) => letterOfOption(candidate) === letter);
  const isYes = option === undefined ? null : yesNoOfOption(option);
  if (isYes === null) return null;
  const { primitive } = question;
  const measuredOf = (): Primitive | null => {
    if (isYes === 'no') return isPresentAndTold(scores, primitive) ? primitive : null;
    if (!scores.isAbsent(primitive)) return null;
    if (primitive === 'Static' ? hasStillSegment : segmentLabels.has(primitive)) return null;
    const opposite = oppositeOf(primitive);
    if (opposite !== null && scores.isPresent(opposite)) return opposite;
    const against = evidenceAgainst(scores, [primitive]);
    return against === primitive ? null : against;
  };
  const measured = measuredOf();
  if (measured === null) return null;
  const trimmed = section.content.trim();
  const start = section.contentSpan.start + section.content.indexOf(trimmed);
  const info = primitiveInfo(primitive);
  const says = isYes === 'yes' ? info.assertion : info.denial;
  return {
    section: 'answer', start, end: start + trimmed.length, claim: trimmed, kind: 'answer',
    measured: `${label(measured)} (score ${scoreText(scores, measured)})`,
    message: `answers ${option ?? letter}: the camera ${says}; measured: ${CONTENT[measured]} → ${label(measured)} (score ${scoreText(scores, measured)})`,
  };
}

/** Counts per kind, every kind present (zero where none), for stats. */
export function countByKind(contradictions: readonly ChainContradiction[]): Record<ContradictionKind, number> {
  const counts = Object.fromEntries(CONTRADICTION_KINDS.map((kind) => [kind, 0])) as Record<ContradictionKind, number>;
  for (const contradiction of contradictions) counts[contradiction.kind] += 1;
  return counts;
}
