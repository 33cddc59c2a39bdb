// O-T-A chains written from the true motion. The observation cites image-space facts measured
// from the ground truth (motionFacts.ts) — drift, expansion, turn, parallax, in numbers — and
// the think derives the camera motion from them with the rules of DESIGN.md "Camera motion,
// geometrically": a whole-frame shift without parallax is a rotation, parallax is translation,
// uniform scaling is zoom. The answer letter always matches the label.
import { PRIMITIVE_INFO, type Primitive } from '../../../common/camerabench/primitives';
import type { MotionFacts } from './motionFacts';
import type { MotionProgram } from './programs';

/** Below these the observation does not mention a component (rates per second). */
const NOTICEABLE = { drift: 0.3, expansion: 1, rotation: 0.5, parallax: 0.4 };

function round(value: number, digits = 1): string {
  return Math.abs(value).toFixed(digits);
}

function frameSpan(facts: MotionFacts): string {
  const [first, last] = facts.movingFrames ?? [1, facts.frameCount];
  return `frames ${first}–${last}`;
}

/** "the image drifts left about 4.2% of the frame width per second" and friends. */
export function observationOf(facts: MotionFacts, program: MotionProgram): string {
  const span = frameSpan(facts);
  if (facts.movingFrames === null) {
    return `Across frames 1–${facts.frameCount} nothing in the frame moves: every edge and corner stays on the same pixel, near objects and the far background alike, with no shake.`;
  }
  if (program.shake.length > 0 && program.primitives.length === 0) {
    return (
      `Over ${span} the whole image jitters back and forth by up to ${round(facts.excursion.translation)}% of the frame width ` +
      `and up to ${round(facts.excursion.rotation, 2)}° of rotation, but it does not travel: it ends within ${round(facts.netShift)}% of the width of where it started. ` +
      'Near objects and the far background jitter together, with no parallax between them.'
    );
  }
  const sentences: string[] = [];
  const parts: string[] = [];
  const { drift } = facts;
  const subject = facts.reference === 'far background' ? farBackground(facts) : 'the image content';
  // Compare components by how far each moves the frame edge (% of width per second), and name
  // only those at least a fifth of the largest: a wide pan also keystones the picture a little,
  // which is a true but distracting "turn" next to its drift.
  const edge = {
    x: Math.abs(drift.x),
    y: Math.abs(drift.y),
    expansion: Math.abs(facts.expansion) * 0.5,
    rotation: Math.abs(facts.rotation) * (Math.PI / 180) * 50,
  };
  const largest = Math.max(Math.hypot(edge.x, edge.y), edge.expansion, edge.rotation);
  const isShown = (value: number, threshold: number, edgeValue: number) => Math.abs(value) >= threshold && edgeValue >= 0.2 * largest;
  if (isShown(drift.x, NOTICEABLE.drift, edge.x)) parts.push(`${drift.x < 0 ? 'left' : 'right'} about ${round(drift.x)}%`);
  if (isShown(drift.y, NOTICEABLE.drift, edge.y)) parts.push(`${drift.y < 0 ? 'up' : 'down'} about ${round(drift.y)}%`);
  if (parts.length > 0) sentences.push(`Over ${span} ${subject} drifts ${parts.join(' and ')} of the frame width per second.`);
  if (isShown(facts.expansion, NOTICEABLE.expansion, edge.expansion)) {
    sentences.push(
      `${sentences.length ? 'It' : `Over ${span} ${subject}`} ${facts.expansion > 0 ? 'expands outward from' : 'contracts toward'} the frame centre, about ${round(facts.expansion)}% in scale per second.`,
    );
  }
  if (isShown(facts.rotation, NOTICEABLE.rotation, edge.rotation)) {
    sentences.push(
      `${sentences.length ? 'It' : `Over ${span} ${subject}`} turns ${facts.rotation > 0 ? 'clockwise' : 'counter-clockwise'} about the frame centre, about ${round(facts.rotation)}° per second.`,
    );
  }
  if (sentences.length === 0) sentences.push(`Over ${span} ${subject} stays almost in place.`);
  sentences.push(parallaxSentence(facts));
  return sentences.join(' ');
}

function farBackground(facts: MotionFacts): string {
  return facts.parallax.farDepth === null ? 'the far background' : `the far background (about ${Math.round(facts.parallax.farDepth)} m away)`;
}

function hasParallax(facts: MotionFacts): boolean {
  return facts.parallax.nearSpeed >= NOTICEABLE.parallax;
}

function parallaxSentence(facts: MotionFacts): string {
  const { parallax } = facts;
  const near = parallax.nearDepth === null ? 'near objects' : `near objects (about ${Math.round(parallax.nearDepth)} m away)`;
  const far = 'the far background';
  if (!hasParallax(facts)) {
    return `${capitalise(near)} and ${far} move together as one rigid picture: no parallax, their relative positions do not change.`;
  }
  // Name only the main directions: a component under 40% of the largest is layout, not motion
  // (near ground at the bottom of a dolly's view also slides down as it spreads outward).
  const dominant = Math.max(Math.abs(parallax.nearSlide.x), Math.abs(parallax.nearSlide.y), Math.abs(parallax.nearSpread));
  const isMain = (value: number) => Math.abs(value) >= NOTICEABLE.parallax && Math.abs(value) >= 0.4 * dominant;
  const directions: string[] = [];
  if (isMain(parallax.nearSlide.x)) directions.push(parallax.nearSlide.x < 0 ? 'left' : 'right');
  if (isMain(parallax.nearSlide.y)) directions.push(parallax.nearSlide.y < 0 ? 'up' : 'down');
  const spreading = isMain(parallax.nearSpread) ? (parallax.nearSpread > 0 ? 'outward from the centre' : 'inward toward the centre') : null;
  const sideways = directions.join(' and ');
  const how = sideways && spreading ? `${sideways}, spreading ${spreading}` : sideways || spreading || 'across the frame';
  const ratio = parallax.farSpeed > 1e-6 ? parallax.nearSpeed / parallax.farSpeed : Infinity;
  const ratioText = ratio >= 10 ? 'more than ten times as fast as' : `about ${ratio.toFixed(1)} times as fast as`;
  return `Relative to ${far}, ${near} slide ${how} about ${round(parallax.nearSpeed)}% of the width per second, ${ratioText} far points: clear parallax.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why each true primitive follows from the evidence; one sentence per primitive. */
const REASON: Record<Primitive, string> = {
  Move_In: 'Near things spreading outward from the centre faster than far ones is parallax from moving forward along the optical axis: the camera dollies in.',
  Move_Out: 'Near things converging toward the centre faster than far ones is parallax from moving backward along the optical axis: the camera dollies out.',
  Move_Up: 'Near things sliding down faster than far ones is parallax from a vertical translation: the camera moves up (pedestal up).',
  Move_Down: 'Near things sliding up faster than far ones is parallax from a vertical translation: the camera moves down (pedestal down).',
  Move_Left: 'Near things sliding right faster than far ones is parallax from a sideways translation: the camera moves left (truck left).',
  Move_Right: 'Near things sliding left faster than far ones is parallax from a sideways translation: the camera moves right (truck right).',
  Zoom_In: 'A scaling up about the centre that is the same for every depth is a focal-length change: the camera zooms in.',
  Zoom_Out: 'A scaling down about the centre that is the same for every depth is a focal-length change: the camera zooms out.',
  Pan_Left: 'A sideways shift of the whole picture, far background included, is a turn about the optical centre: the content goes right, so the camera pans left.',
  Pan_Right: 'A sideways shift of the whole picture, far background included, is a turn about the optical centre: the content goes left, so the camera pans right.',
  Tilt_Up: 'A vertical shift of the whole picture, far background included, is a rotation about the optical centre: the content goes down, so the camera tilts up.',
  Tilt_Down: 'A vertical shift of the whole picture, far background included, is a rotation about the optical centre: the content goes up, so the camera tilts down.',
  Roll_Clockwise: 'The picture turning counter-clockwise about the optical axis means the camera rolls clockwise.',
  Roll_Counterclockwise: 'The picture turning clockwise about the optical axis means the camera rolls counterclockwise.',
  Static: 'With no drift, no scaling, no turning and no shake, the camera is static.',
};

export function thinkOf(program: MotionProgram, asked: Primitive, isYes: boolean): string {
  const sentences: string[] = [];
  if (program.primitives.length === 0) {
    sentences.push(
      'Jitter that returns to where it started, with no drift and no parallax, is hand-held shake rather than an intentional camera move: ' +
        'there is no panning, no tilting, no rolling, no zooming and no translation, yet the camera is not completely still.',
    );
  } else {
    for (const primitive of program.primitives) sentences.push(REASON[primitive]);
    if (program.primitives.length > 1) {
      sentences.push(`So the camera ${joinAnd(program.primitives.map((primitive) => PRIMITIVE_INFO[primitive].assertion))} at the same time.`);
    }
  }
  const { does, doesNot } = askedPhrases(asked);
  sentences.push(`The question asks whether the camera ${does}; the evidence shows it ${isYes ? does : doesNot}, so the answer is ${isYes ? 'B (Yes)' : 'A (No)'}.`);
  return sentences.join(' ');
}

/**
 * The asked motion as a plain verb phrase. PRIMITIVE_INFO's "moves forward (dolly in)" would
 * do, but the lint reads a parenthetical as a claim of its own, even after "does not".
 */
function askedPhrases(primitive: Primitive): { does: string; doesNot: string } {
  if (primitive === 'Move_In') return { does: 'dollies in', doesNot: 'does not dolly in' };
  if (primitive === 'Move_Out') return { does: 'dollies out', doesNot: 'does not dolly out' };
  const info = PRIMITIVE_INFO[primitive];
  const plain = (text: string) => text.replace(/\s*\(.*\)$/, '');
  return { does: plain(info.assertion), doesNot: plain(info.denial) };
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function chainOf(facts: MotionFacts, program: MotionProgram, asked: Primitive): string {
  const isYes = program.primitives.includes(asked);
  return `<observation>${observationOf(facts, program)}</observation>\n<think>${thinkOf(program, asked, isYes)}</think>\n<answer>${isYes ? 'B' : 'A'}</answer>`;
}
