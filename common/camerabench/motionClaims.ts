// What an O-T-A chain's text claims about camera motion: which family (pan, dolly, …), which
// direction, asserted or negated, with offsets into the text for the editor's highlighting and
// for the lint rule "observation or think naming a motion that contradicts the answer"
// (DESIGN.md, O-T-A semantics). Vocabulary follows film grammar as DESIGN.md "Camera motion,
// geometrically" and the CameraBench questions use it: moving forward/back is dolly, up/down is
// pedestal, left/right is truck; pan, tilt and roll rotate; zoom changes the focal length.
//
// A rule-based reader, tuned to avoid false alarms: a contradiction it reports should be one a
// person agrees with. So words that often describe the scene rather than the camera ("moves
// left", "remains still", "rotates", "truck") count only when the camera is their subject, and
// mentions inside questions and conditionals ("whether the camera pans left", "if it zoomed
// in, …") are not claims at all.
import { oppositeDirection, primitiveInfo } from './primitives';
import type { MotionDirection, MotionFamily, Primitive } from './primitives';

export interface MotionClaim {
  family: MotionFamily;
  /** null for a family named without a direction ("no panning") and for static. */
  direction: MotionDirection | null;
  polarity: 'asserted' | 'negated';
  /** UTF-16 offsets of the motion phrase in the text; phrase = text.slice(start, end). */
  start: number;
  end: number;
  phrase: string;
}

export interface MotionContradiction {
  message: string;
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Where the direction of a pattern comes from. */
type DirectionSource = MotionDirection | null | 'captured';

interface MotionPattern {
  pattern: RegExp;
  /** A fixed family, or 'byDirection' for verbs whose family follows the direction ("moves up"). */
  family: MotionFamily | 'byDirection';
  direction: DirectionSource;
  /** Counts only when "camera" is the subject (after auxiliaries, adverbs and negations). */
  needsCamera: boolean;
  /** The phrase carries its own negation ("no camera movement" asserts static). */
  isSelfNegated?: boolean;
}

// Adverbs and the like between a verb and its direction: "pans slowly to the left".
const GAP = String.raw`(?:[\s-]+(?:[a-z]+ly|a\s+(?:bit|little)|further|again|also|then|now|back))*?`;
const TO = String.raw`(?:(?:to|toward|towards)\s+(?:the\s+)?(?:camera\s+)?)?`;
const LEFT_RIGHT = String.raw`(?<direction>left|right|leftwards?|rightwards?)`;
const FROM_TO_LEFT_RIGHT = String.raw`from\s+(?:the\s+)?(?:left|right)\s+to\s+(?:the\s+)?(?<endDirection>left|right)`;
const UP_DOWN = String.raw`(?<direction>up|down|upwards?|downwards?)`;
const ROLL_DIRECTION = String.raw`(?<direction>clockwise|counter[\s-]?clockwise|anti[\s-]?clockwise)`;
const SIDEWAYS = String.raw`(?:${TO}${LEFT_RIGHT}|${FROM_TO_LEFT_RIGHT})`;
// "moves left and right", "up and down", "in and out": oscillation, no single direction.
const NOT_OSCILLATION = String.raw`(?![\s-]+and[\s-]+(?:left|right|up|down|in|out|forth|back))`;
const END = String.raw`\b${NOT_OSCILLATION}`;

const PAN = String.raw`pan(?:s|ned|ning)?`;
const TILT = String.raw`tilt(?:s|ed|ing)?`;
const ROLL = String.raw`roll(?:s|ed|ing)?`;
const ZOOM = String.raw`zoom(?:s|ing)?`;
const DOLLY = String.raw`doll(?:y|ies|ied|ying)`;
const TRUCK = String.raw`(?:truck|track)(?:s|ed|ing)?`;
const PEDESTAL = String.raw`(?:pedestal(?:s|ed|led|ing|ling)?|cran(?:e|es|ed|ing)|boom(?:s|ed|ing)?)`;
const MOVE = String.raw`(?:mov(?:e|es|ed|ing)|slid(?:e|es|ing)|shift(?:s|ed|ing)?|translat(?:e|es|ed|ing)|glid(?:e|es|ed|ing)|travel(?:s|ed|led|ing|ling)?|drift(?:s|ed|ing)?|strafe(?:s|d)?|strafing|step(?:s|ped|ping)?|head(?:s|ed|ing)?)`;
const TURN = String.raw`(?:turn(?:s|ed|ing)?|swivel(?:s|ed|led|ing|ling)?|rotat(?:e|es|ed|ing)|swing(?:s|ing)?|swung|sweep(?:s|ing)?|swept)`;
const ADJECTIVE = String.raw`(?:[\s-]+(?:slow|smooth|gentle|slight|gradual|steady|quick|rapid|subtle|small|large|wide|long|short|continuous|clear|camera))?`;
const INTENSITY = String.raw`(?:(?:completely|perfectly|entirely|totally|absolutely|fully|essentially|mostly|largely|relatively)\s+)?`;
const QUALIFIER = String.raw`(?:(?:significant|noticeable|apparent|visible|obvious|discernible|perceptible|actual|real|overall|global|meaningful|further|other|additional|evident|clear|substantial|deliberate)\s+)*`;
// "static" words, except "fixed on the subject" / "locked onto" (aiming, not standing still).
const STILL_WORD = String.raw`(?:static|stationary|motionless|unmoving|immobile|fixed(?!\s+on)|locked(?:[\s-]+(?:off|down))?(?!\s+on))`;

function motion(pattern: string, family: MotionPattern['family'], direction: DirectionSource, needsCamera = false): MotionPattern {
  return { pattern: new RegExp(pattern, 'gi'), family, direction, needsCamera };
}

const PATTERNS: readonly MotionPattern[] = [
  // Rotation about the optical centre.
  motion(String.raw`\b${PAN}${GAP}\s+${SIDEWAYS}${END}`, 'pan', 'captured'),
  motion(String.raw`\b${LEFT_RIGHT}${ADJECTIVE}[\s-]+(?:pan|pans|panning)\b`, 'pan', 'captured'),
  motion(String.raw`\b${TURN}${GAP}\s+${SIDEWAYS}${END}`, 'pan', 'captured', true),
  motion(String.raw`\b${TILT}${GAP}[\s-]+${TO}${UP_DOWN}${END}`, 'tilt', 'captured'),
  motion(String.raw`\b${UP_DOWN}${ADJECTIVE}[\s-]+(?:tilt|tilts|tilting)\b`, 'tilt', 'captured'),
  motion(String.raw`\b${ROLL}${GAP}\s+(?:in\s+a\s+)?${ROLL_DIRECTION}\b`, 'roll', 'captured'),
  motion(String.raw`\b${ROLL_DIRECTION}${ADJECTIVE}[\s-]+(?:roll|rolls|rolling)\b`, 'roll', 'captured'),
  motion(String.raw`\b${TURN}${GAP}\s+(?:in\s+a\s+)?${ROLL_DIRECTION}\b`, 'roll', 'captured', true),
  motion(String.raw`\b${ROLL_DIRECTION}${ADJECTIVE}[\s-]+(?:rotation|rotating|turn|spin)\b`, 'roll', 'captured', true),
  // Focal change. "zoomed-in view" is a framing, not a zoom.
  motion(String.raw`\b${ZOOM}${GAP}[\s-]+(?<direction>in|out)\b(?!\s+of\b)`, 'zoom', 'captured'),
  motion(String.raw`\bzoomed[\s-]+(?<direction>in|out)\b(?![\s-]+(?:view|shot|image|frame|close[\s-]?up|perspective|framing|version|picture|photo|look|detail))`, 'zoom', 'captured'),
  // Translation along the optical axis.
  motion(String.raw`\b${DOLLY}${GAP}[\s-]+${TO}(?<direction>in|out|forwards?|backwards?|back|closer|away|inward|outward)${END}`, 'dolly', 'captured'),
  motion(String.raw`\b(?<direction>forward|backward|inward|outward)${ADJECTIVE}[\s-]+(?:dolly|dollying|push|travel)\b`, 'dolly', 'captured'),
  motion(String.raw`\b(?:push-in|push\s+in)\b`, 'dolly', 'in'),
  motion(String.raw`\b(?:pull-out|pull-back)\b`, 'dolly', 'out'),
  motion(String.raw`\bpush(?:es|ed|ing)?${GAP}\s+(?:in|forward)\b`, 'dolly', 'in', true),
  motion(String.raw`\bpull(?:s|ed|ing)?${GAP}\s+(?:out|back|backward|away)\b${NOT_OSCILLATION}`, 'dolly', 'out', true),
  motion(String.raw`\b(?:advanc(?:e|es|ed|ing)|approach(?:es|ed|ing)?)\b`, 'dolly', 'in', true),
  motion(String.raw`\b(?:retreat(?:s|ed|ing)?|reced(?:e|es|ed|ing)|withdraw(?:s|ing|n)?|withdrew|back(?:s|ed|ing)?\s+(?:away|up|out))\b`, 'dolly', 'out', true),
  // Sideways and vertical translation.
  motion(String.raw`\b(?:trucking|tracking)${GAP}\s+${SIDEWAYS}${END}`, 'truck', 'captured'),
  motion(String.raw`\b${TRUCK}${GAP}\s+${SIDEWAYS}${END}`, 'truck', 'captured', true),
  motion(String.raw`\b${PEDESTAL}${GAP}[\s-]+${TO}${UP_DOWN}${END}`, 'pedestal', 'captured'),
  motion(String.raw`\b${UP_DOWN}${ADJECTIVE}[\s-]+(?:pedestal|crane|boom)\b`, 'pedestal', 'captured'),
  motion(String.raw`\b(?:ris(?:e|es|ing|en)|rose|ascend(?:s|ed|ing)?|climb(?:s|ed|ing)?|elevat(?:e|es|ed|ing)|lift(?:s|ed|ing)?)(?:\s+(?:up|upwards?))?\b`, 'pedestal', 'up', true),
  motion(String.raw`\b(?:descend(?:s|ed|ing)?|lower(?:s|ed|ing)?|sink(?:s|ing)?|sank|drop(?:s|ped|ping)?)(?:\s+(?:down|downwards?))?\b`, 'pedestal', 'down', true),
  // Camera-centric "moves …": the family follows the direction.
  motion(String.raw`\b${MOVE}${GAP}\s+(?:${TO}(?<direction>left|right|leftwards?|rightwards?|up|down|upwards?|downwards?|forwards?|backwards?|closer|inward|outward)|${FROM_TO_LEFT_RIGHT})${END}`, 'byDirection', 'captured', true),
  motion(String.raw`\b${MOVE}${GAP}\s+(?<direction>in|back)(?=\s*(?:[,.;:!?)]|$|\s+(?:toward|towards|on|closer|slowly|gradually|steadily|from|away)\b))`, 'byDirection', 'captured', true),
  motion(String.raw`\b${MOVE}${GAP}\s+(?<direction>toward|towards|away)\b(?!\s+(?:the\s+)?(?:left|right|top|bottom|sky|ground|ceiling|floor)\b)`, 'byDirection', 'captured', true),
  motion(String.raw`\b(?<direction>leftward|rightward|upward|downward|forward|backward|lateral|sideways)${ADJECTIVE}\s+(?:movement|motion|translation|travel|shift)\b`, 'byDirection', 'captured', true),
  motion(String.raw`\bcamera(?:'s|’s)?\s+(?:movement|motion|translation|travel)\s+${TO}(?<direction>left|right|leftwards?|rightwards?|up|down|upwards?|downwards?|forwards?|backwards?)${END}`, 'byDirection', 'captured'),
  // Families named without a direction. "tilted" and "zoomed" are left out: "a tilted horizon",
  // "a zoomed-in view" describe the picture, not a motion. Roll, truck, crane and boom are
  // everyday words ("rolling waves", "a truck"), so they need the camera, or a list of motions.
  motion(String.raw`\b(?:pan|pans|panned|panning|tilt|tilts|tilting|zoom|zooms|zooming|dolly|dollies|dollied|dollying|pedestal(?:s|ing|ling)?|trucking)\b`, 'byDirection', null),
  motion(String.raw`\b(?:roll|rolls|rolled|rolling|truck|trucks|trucked|crane|craning|boom|booming)\b`, 'byDirection', null, true),
  // The lookahead first, so the lookbehind only runs where the word is (else quadratic on spaces).
  motion(String.raw`\b(?=roll(?:ing)?\b)(?<=\b(?:no|any|or|nor|without|and|neither)\s{1,8})(?:roll|rolling)\b`, 'roll', null),
  // Static. Adjectives need the camera as subject ("the camera remains static") or noun
  // ("a static shot"); "still" only after a copula ("is still", not "still pans").
  motion(String.raw`\b${STILL_WORD}\b`, 'static', null, true),
  motion(String.raw`\b(?=still\b)(?<=\b(?:is|was|be|being|remains?|remained|remaining|stays?|stayed|staying|held|kept|holds?|completely|perfectly|entirely|totally|absolutely|fully|stands?|stood|sits?)\s{1,8})still\b(?!\s+\w+ing\b)`, 'static', null, true),
  motion(String.raw`\b(?:static|stationary|fixed|locked[\s-]?off|locked[\s-]?down|motionless|unmoving|tripod)[\s-]+(?:camera|shot|viewpoint|vantage\s+point)\b`, 'static', null),
  motion(String.raw`\b(?:remain(?:s|ed|ing)?|stay(?:s|ed|ing)?|stand(?:s|ing)?|stood|hold(?:s|ing)?|held)\s+${INTENSITY}(?:still|steady|in\s+place|stationary|static|motionless|fixed|put)\b`, 'static', null, true),
  {
    pattern: new RegExp(String.raw`\b(?:no|without\s+(?:any\s+)?)\s*${QUALIFIER}(?:camera\s+(?:movement|motion)s?|(?:movement|motion)\s+of\s+the\s+camera)\b`, 'gi'),
    family: 'static', direction: null, needsCamera: false, isSelfNegated: true,
  },
  {
    pattern: new RegExp(String.raw`\b(?:(?:does|did|do)\s+not|(?:does|did|do)n['’]t|never|cannot|can['’]t)\s+(?:\w+ly\s+)?mov(?:e|es|ed)\b(?!\s+(?:to|toward|towards|left|right|up|down|forwards?|backwards?|in|out|closer|away|laterally|sideways|vertically|horizontally)\b)`, 'gi'),
    family: 'static', direction: null, needsCamera: true, isSelfNegated: true,
  },
  {
    pattern: new RegExp(String.raw`\b(?:(?:is|was)\s+not|isn['’]t|wasn['’]t)\s+(?:\w+ly\s+)?moving\b(?!\s+(?:to|toward|towards|left|right|up|down|forwards?|backwards?|in|out|closer|away|laterally|sideways|vertically|horizontally)\b)`, 'gi'),
    family: 'static', direction: null, needsCamera: true, isSelfNegated: true,
  },
];

function directionOfWord(word: string): MotionDirection | null {
  const lower = word.toLowerCase();
  if (/^(?:counter|anti)/.test(lower)) return 'counterclockwise';
  if (lower.startsWith('clockwise')) return 'clockwise';
  if (lower.startsWith('left')) return 'left';
  if (lower.startsWith('right')) return 'right';
  if (lower.startsWith('up')) return 'up';
  if (lower.startsWith('down')) return 'down';
  if (/^(?:in|inward|forwards?|closer|toward|towards)$/.test(lower)) return 'in';
  if (/^(?:out|outward|backwards?|back|away)$/.test(lower)) return 'out';
  return null;
}

function familyOfDirectionlessWord(word: string): MotionFamily | null {
  const lower = word.toLowerCase();
  if (lower.startsWith('pan')) return 'pan';
  if (lower.startsWith('tilt')) return 'tilt';
  if (lower.startsWith('zoom')) return 'zoom';
  if (lower.startsWith('doll')) return 'dolly';
  if (lower.startsWith('roll')) return 'roll';
  if (lower.startsWith('truck')) return 'truck';
  if (/^(?:pedestal|cran|boom)/.test(lower)) return 'pedestal';
  return null;
}

/** "moves up" is pedestal, "moves left" truck, "moves forward" dolly (CameraBench's questions). */
function familyOfTranslation(direction: MotionDirection | null, word: string): MotionFamily | null {
  if (/^(?:lateral|sideways)$/i.test(word)) return 'truck';
  switch (direction) {
    case 'left':
    case 'right':
      return 'truck';
    case 'up':
    case 'down':
      return 'pedestal';
    case 'in':
    case 'out':
      return 'dolly';
    case 'clockwise':
    case 'counterclockwise':
    case null:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens, for reading the words around a phrase

interface Token {
  /** Lower case, curly apostrophes straightened. */
  word: string;
  start: number;
  end: number;
  isPunctuation: boolean;
}

const TOKEN_PATTERN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
// A sentence or tag ends a clause; so do brackets and quotes. A full stop inside a number
// ("2.5 s") is a token of its own, which only shortens a clause: harmless.
const HARD_BOUNDARY = new Set(['.', '!', '?', ';', ':', '(', ')', '[', ']', '{', '}', '<', '>', '"', '“', '”', '\n', '—', '–']);

function tokenize(text: string): Token[] {
  return Array.from(text.matchAll(TOKEN_PATTERN), (match) => ({
    word: match[0].toLowerCase().replaceAll('’', "'"),
    start: match.index,
    end: match.index + match[0].length,
    isPunctuation: !/[\p{L}\p{N}]/u.test(match[0]),
  }));
}

function isHardBoundary(token: Token, text: string): boolean {
  if (!token.isPunctuation) return false;
  if (token.word === '.' && /\d/.test(text[token.end] ?? '')) return false;
  return HARD_BOUNDARY.has(token.word);
}

const NEGATORS = new Set([
  'no', 'not', 'never', 'without', 'neither', 'nor', 'none', 'nothing', 'cannot', 'lack', 'lacks', 'lacking',
  'absence', 'absent', 'devoid', 'excluding', 'excludes',
]);

function isNegatorAt(tokens: readonly Token[], index: number): boolean {
  const word = tokens[index]?.word ?? '';
  const previous = tokens[index - 1]?.word ?? '';
  if (NEGATORS.has(word) || /n't$/.test(word)) return true;
  if (word === 'than' && previous === 'rather') return true;
  if (word === 'of' && previous === 'instead') return true;
  if (word === 'to' && previous === 'opposed') return true;
  return word === 'out' && /^rul(?:e|es|ed|ing)$/.test(previous);
}

// Words a negation reaches across: "does not appear to pan", "no evidence of any zoom".
const NEGATION_FILLERS = new Set([
  'a', 'an', 'the', 'any', 'some', 'much', 'more', 'its', 'it', 'this', 'either', 'there', 'is', 'are', 'was', 'were',
  'be', 'been', 'being', 'am', 'do', 'does', 'did', 'has', 'have', 'had', 'having', 'can', 'could', 'will', 'would',
  'shall', 'should', 'may', 'might', 'must', 'to', 'of', 'itself', 'also', 'even', 'at', 'all', 'appear', 'appears',
  'appeared', 'seem', 'seems', 'seemed', 'evidence', 'sign', 'signs', 'indication', 'indications', 'hint', 'hints',
  'trace', 'traces', 'kind', 'type', 'form', 'amount', 'degree', 'significant', 'noticeable', 'obvious', 'clear',
  'apparent', 'visible', 'discernible', 'perceptible', 'detectable', 'meaningful', 'substantial', 'real', 'actual',
  'genuine', 'true', 'pure', 'further', 'additional', 'slight', 'subtle', 'small', 'large', 'camera', "camera's",
  'perform', 'performs', 'performed', 'performing', 'undergo', 'undergoes', 'undergoing', 'exhibit', 'exhibits',
  'exhibiting', 'show', 'shows', 'showing', 'involve', 'involves', 'involving', 'include', 'includes', 'including',
  'contain', 'contains', 'make', 'makes', 'execute', 'executes', 'overall', 'global', 'strong', 'consistent',
  'definite', 'horizontal', 'vertical', 'physical', 'optical', 'such', 'evident', 'other', 'observable',
]);

function isNegationFiller(tokens: readonly Token[], index: number): boolean {
  const word = tokens[index]?.word ?? '';
  if (NEGATION_FILLERS.has(word)) return true;
  if (REPORTING_VERBS.has(word) && tokens[index + 1]?.word === 'that') return true;
  // "not only pans" asserts: "only" stops the walk.
  if (word.endsWith('ly') && word !== 'only') return true;
  // "no evidence that the camera pans"
  // "no evidence that the camera pans", "I cannot say that the camera pans"
  return word === 'that' && /^(?:evidence|indication|sign|suggestion|reason|hint|proof|say|tell|claim|conclude|confirm|see|think|believe|suggest|suggests|indicate|indicates|mean|means)$/.test(tokens[index - 1]?.word ?? '');
}

// Verbs a negation reaches across before "that": "cannot say that", "does not suggest that".
const REPORTING_VERBS = new Set(['say', 'tell', 'claim', 'conclude', 'confirm', 'see', 'think', 'believe', 'suggest', 'indicate', 'mean']);

const CONNECTORS = new Set([',', 'and', 'or', '/']);

// Words between "camera" and its verb: "the camera itself does not really appear to move left".
const CAMERA_SUBJECT_FILLERS = new Set([
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'does', 'did', 'do', 'has', 'have', 'had', 'can', 'could', 'will',
  'would', 'should', 'may', 'might', 'must', 'to', 'itself', 'also', 'then', 'now', 'first', 'again', 'seem', 'seems',
  'seemed', 'appear', 'appears', 'appeared', 'not', 'never', 'still', 'continues', 'continue', 'continued', 'starts',
  'start', 'started', 'begins', 'begin', 'began', 'keeps', 'kept', 'position', 'body', 'view', 'remains', 'remain',
  'remained', 'stays', 'stay', 'stayed', 'gets', "camera's", 'its', 'very', 'quite', 'rather', 'somewhat', 'subtle',
  'slow', 'steady', 'smooth', 'gentle', 'gradual', 'slight', 'the', 'a', 'an', 'overall', 'perhaps', 'clear',
]);
const CAMERA_WORDS = new Set(['camera', 'cameras', "camera's", 'viewpoint', 'camerawork']);

function hasCameraSubject(tokens: readonly Token[], index: number): boolean {
  for (let back = index - 1, steps = 0; back >= 0 && steps < 9; back -= 1, steps += 1) {
    const token = tokens[back];
    if (token === undefined || token.isPunctuation) return false;
    if (CAMERA_WORDS.has(token.word)) return true;
    const isFiller = CAMERA_SUBJECT_FILLERS.has(token.word) || /n't$/.test(token.word)
      || (token.word.endsWith('ly') && token.word !== 'only');
    if (!isFiller) return false;
  }
  return false;
}

// A mention in a question, a condition or a hypothesis is not a claim.
const HYPOTHETICAL = new Set([
  'whether', 'if', 'unless', 'would', 'could', 'might', 'should', 'asks', 'ask', 'asked', 'asking', 'question',
  'determine', 'determining', 'check', 'checking', 'verify', 'verifying', 'decide', 'deciding', 'suppose',
  'supposing', 'assume', 'assuming', 'hypothetically', 'otherwise', 'imagine', 'option', 'options',
]);
// A new clause of reasoning ends the reach of "if", "whether": "…, so the camera pans left".
const HYPOTHESIS_ENDS = new Set([
  'because', 'since', 'so', 'therefore', 'thus', 'hence', 'but', 'yet', 'which', 'as', 'indicating', 'suggesting',
  'meaning', 'showing', 'confirming', 'implying', 'instead',
]);

function isHypothetical(tokens: readonly Token[], text: string, first: number, last: number): boolean {
  for (let back = first - 1; back >= 0; back -= 1) {
    const token = tokens[back];
    if (token === undefined || isHardBoundary(token, text) || token.word === ',' || HYPOTHESIS_ENDS.has(token.word)) break;
    if (HYPOTHETICAL.has(token.word)) return true;
  }
  for (let ahead = last + 1; ahead < tokens.length; ahead += 1) {
    const token = tokens[ahead];
    if (token !== undefined && isHardBoundary(token, text)) return token.word === '?';
  }
  return false;
}

// "Panning is not observed", "a zoom can be ruled out", "zoom isn't present". A bare "not" before a
// direction ("pans left not right") negates that direction, not the claim before it.
const TRAILING_NEGATION = new RegExp(
  String.raw`\s+(?:(?:is|was|are|were|has|have|had|been|be|can|could|may|might|must|should|would|will|does|did|do|also|clearly|definitely|certainly|likely|probably|therefore|thus|hence|really|actually|entirely|completely)\s+)*`
  + String.raw`(?:not\b(?!\s+(?:to\s+the\s+)?(?:left|right|up|down|in|out|clockwise|counter|anti|forwards?|backwards?|only|just)\b)|never\b|absent\b|ruled\s+out\b|excluded\b|unlikely\b|impossible\b|(?:is|was|are|were|does|did|do|has|have|can|could|would|should)n['’]t\b|cannot\b)`,
  'iuy',
);

function hasTrailingNegation(text: string, offset: number): boolean {
  TRAILING_NEGATION.lastIndex = offset;
  return TRAILING_NEGATION.test(text);
}

const ELLIPTIC_DIRECTIONS: Readonly<Record<MotionFamily, string>> = {
  pan: 'left|right|leftwards?|rightwards?',
  truck: 'left|right|leftwards?|rightwards?',
  tilt: 'up|down|upwards?|downwards?',
  pedestal: 'up|down|upwards?|downwards?',
  zoom: 'in|out',
  dolly: 'in|out|forwards?|backwards?',
  roll: String.raw`clockwise|counter[\s-]?clockwise|anti[\s-]?clockwise`,
  static: '(?!)',
};

// ---------------------------------------------------------------------------------------------
// Extraction

interface Candidate {
  family: MotionFamily;
  direction: MotionDirection | null;
  start: number;
  end: number;
  needsCamera: boolean;
  isSelfNegated: boolean;
}

function candidatesOf(text: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (const spec of PATTERNS) {
    for (const match of text.matchAll(spec.pattern)) {
      // Node 20 has no duplicate group names, so "from left to right" captures its own group.
      const directionWord = match.groups?.['direction'] ?? match.groups?.['endDirection'] ?? '';
      const direction = spec.direction === 'captured' ? directionOfWord(directionWord) : spec.direction;
      const family = spec.family !== 'byDirection'
        ? spec.family
        : spec.direction === null
          ? familyOfDirectionlessWord(match[0])
          : familyOfTranslation(direction, directionWord);
      if (family === null) continue;
      candidates.push({
        family,
        direction: family === 'truck' && /^(?:lateral|sideways)$/i.test(directionWord) ? null : direction,
        start: match.index,
        end: match.index + match[0].length,
        needsCamera: spec.needsCamera,
        isSelfNegated: spec.isSelfNegated ?? false,
      });
    }
  }
  return candidates;
}

/** Longest phrase first; a phrase overlapping a kept one is dropped ("pans left" over "pans"). */
function withoutOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const byLength = [...candidates].sort((left, right) => (right.end - right.start) - (left.end - left.start) || left.start - right.start);
  const kept: Candidate[] = [];
  for (const candidate of byLength) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end)) kept.push(candidate);
  }
  return kept.sort((left, right) => left.start - right.start);
}

/** Binary search: the first index whose token satisfies a predicate monotone over the tokens. */
function firstIndexWhere(tokens: readonly Token[], predicate: (token: Token) => boolean): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const token = tokens[middle];
    if (token !== undefined && predicate(token)) high = middle;
    else low = middle + 1;
  }
  return low;
}

interface ResolvedClaim extends MotionClaim {
  firstToken: number;
  lastToken: number;
  /** Negation that a coordinated next phrase shares: "no pan, tilt or zoom". */
  isNegationShared: boolean;
}

/**
 * Every camera-motion claim in `text`, in reading order. Mentions inside questions and
 * conditionals are left out, and so are scene words that do not have the camera as subject.
 */
export function extractMotionClaims(text: string): MotionClaim[] {
  const tokens = tokenize(text);
  const firstTokenAt = (offset: number): number => {
    const index = firstIndexWhere(tokens, (token) => token.start >= offset);
    return index === tokens.length ? -1 : index;
  };
  const lastTokenBefore = (offset: number): number => firstIndexWhere(tokens, (token) => token.end > offset) - 1;
  const claims: ResolvedClaim[] = [];
  const ownerOfToken = new Map<number, ResolvedClaim>();

  for (const candidate of withoutOverlaps(candidatesOf(text))) {
    const firstToken = firstTokenAt(candidate.start);
    const lastToken = lastTokenBefore(candidate.end);
    if (firstToken === -1 || lastToken < firstToken) continue;
    if (candidate.needsCamera && !hasCameraSubject(tokens, firstToken)) continue;
    if (isHypothetical(tokens, text, firstToken, lastToken)) continue;
    const isNegatedBefore = negationBefore(tokens, text, firstToken, ownerOfToken);
    const isNegatedAfter = hasTrailingNegation(text, candidate.end);
    const claim: ResolvedClaim = {
      family: candidate.family,
      direction: candidate.direction,
      polarity: isNegatedBefore || isNegatedAfter ? 'negated' : 'asserted',
      start: candidate.start,
      end: candidate.end,
      phrase: text.slice(candidate.start, candidate.end),
      firstToken,
      lastToken,
      isNegationShared: isNegatedBefore || candidate.isSelfNegated,
    };
    claims.push(claim);
    for (let index = firstToken; index <= lastToken; index += 1) ownerOfToken.set(index, claim);
    const elliptic = ellipticDirection(text, claim);
    if (elliptic !== null) claims.push({ ...elliptic, firstToken: lastToken + 1, lastToken: lastToken + 1, isNegationShared: false });
  }
  return claims
    .sort((left, right) => left.start - right.start)
    .map(({ family, direction, polarity, start, end, phrase }) => ({ family, direction, polarity, start, end, phrase }));
}

/**
 * Walks back from a phrase over words a negation reaches across. A negator found first negates
 * the phrase; a previous phrase reached through "," / "and" / "or" passes its negation on.
 * Anything else (a verb, "but", "so", "which", a sentence end) stops the walk: asserted.
 */
function negationBefore(tokens: readonly Token[], text: string, firstToken: number, ownerOfToken: ReadonlyMap<number, ResolvedClaim>): boolean {
  let hasPassedConnector = false;
  for (let index = firstToken - 1; index >= 0; index -= 1) {
    const token = tokens[index];
    // A gloss in parentheses right after a claim shares its polarity: "moves down (pedestal down)".
    if (token?.word === '(' && index === firstToken - 1) {
      const glossed = ownerOfToken.get(index - 1);
      if (glossed !== undefined) return glossed.polarity === 'negated';
    }
    if (token === undefined || isHardBoundary(token, text)) return false;
    const owner = ownerOfToken.get(index);
    if (owner !== undefined) return hasPassedConnector && owner.isNegationShared;
    if (isNegatorAt(tokens, index)) return true;
    if (CONNECTORS.has(token.word)) {
      hasPassedConnector = true;
      continue;
    }
    if (token.isPunctuation || !isNegationFiller(tokens, index)) return false;
  }
  return false;
}

/** "pans left, not right" / "zooms in rather than out": the second direction, negated. */
function ellipticDirection(text: string, claim: MotionClaim): MotionClaim | null {
  if (claim.direction === null) return null;
  const pattern = new RegExp(
    String.raw`\s*,?\s*(?:and\s+|but\s+)?(?:not|rather\s+than|instead\s+of|as\s+opposed\s+to)\s+(?:(?:to|toward|towards)\s+(?:the\s+)?)?(?<direction>${ELLIPTIC_DIRECTIONS[claim.family]})\b`,
    'iuy',
  );
  pattern.lastIndex = claim.end;
  const match = pattern.exec(text);
  const word = match?.groups?.['direction'];
  if (match === null || word === undefined) return null;
  const direction = directionOfWord(word);
  const start = claim.end + match[0].length - word.length;
  return { family: claim.family, direction, polarity: 'negated', start, end: start + word.length, phrase: word };
}

// ---------------------------------------------------------------------------------------------
// Contradictions with the answer

function isClaimOf(claim: MotionClaim, primitive: Primitive): boolean {
  const info = primitiveInfo(primitive);
  return claim.family === info.family && claim.direction === info.direction;
}

/**
 * Claims in `text` that contradict the answer to `primitive`'s question (isYes: the answer
 * means "yes, the camera does this").
 *
 * Answer Yes: a contradiction is an asserted opposite direction of the same family ("pans right"
 * for Pan_Left) or an asserted static camera for a motion, unless the text also asserts the
 * primitive itself (then it describes a sequence: "static at first, then pans left"); a negation
 * of the primitive or of its whole family ("does not pan", "no panning"); for Static, any
 * asserted motion or a negated static.
 * Answer No: an asserted primitive ("pans left" when the answer says it does not).
 */
export function findMotionContradictions(text: string, primitive: Primitive, isYes: boolean): MotionContradiction[] {
  const info = primitiveInfo(primitive);
  const claims = extractMotionClaims(text);
  const contradictions: MotionContradiction[] = [];
  const report = (claim: MotionClaim, verb: string, answer: string): void => {
    contradictions.push({ message: `${verb} "${claim.phrase}", but the answer says the camera ${answer}`, start: claim.start, end: claim.end });
  };

  if (!isYes) {
    for (const claim of claims) {
      if (claim.polarity === 'asserted' && isClaimOf(claim, primitive)) report(claim, 'says', info.denial);
    }
    return contradictions;
  }

  const assertsPrimitive = claims.some((claim) => claim.polarity === 'asserted' && isClaimOf(claim, primitive));
  const opposite = info.direction === null ? null : oppositeDirection(info.direction);
  for (const claim of claims) {
    if (claim.polarity === 'negated') {
      const isSameFamily = claim.family === info.family;
      if (isSameFamily && (claim.direction === null || claim.direction === info.direction)) report(claim, 'rules out', info.assertion);
      continue;
    }
    if (info.family === 'static') {
      if (claim.family !== 'static') report(claim, 'says', info.assertion);
      continue;
    }
    if (assertsPrimitive) continue;
    const isOpposite = claim.family === info.family && claim.direction !== null && claim.direction === opposite;
    if (isOpposite || claim.family === 'static') report(claim, 'says', info.assertion);
  }
  return contradictions;
}
