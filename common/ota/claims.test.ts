import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimsOfFrame, EXACT_RULES, isClaimSentence, observationClaims, placeClaim, sentenceSpans, type Claim, type ClaimContext } from './claims';
import { parseChain } from './parse';

const CHAINS = (JSON.parse(readFileSync(join(import.meta.dirname, '../../../shared/data/camreasoner/eval_camerabench_OTA_outputs_138.json'), 'utf8')) as { output: string[] }[]).map(
  (record) => record.output[0] as string,
);

/** The real chain whose observation holds `words`. */
function realChain(words: string): string {
  const chain = CHAINS.find((candidate) => candidate.includes(words));
  if (!chain) throw new Error(`no chain says "${words}"`);
  return chain;
}

/** The claim of `chain` that holds `words`. */
function claimWith(claims: readonly Claim[], words: string): Claim {
  const claim = claims.find((candidate) => candidate.text.includes(words));
  if (!claim) throw new Error(`no claim says "${words}": ${claims.map((candidate) => candidate.text).join(' | ')}`);
  return claim;
}

const chainOf = (observation: string) => `<observation>${observation}</observation>\n<think>…</think>\n<answer>B</answer>`;

/** Six frames at 1 fps from a 6 s clip at 24 fps: CamReasoner's request for a short clip. */
const SIX_FRAMES: ClaimContext = { durationSeconds: 6, frameTimes: [0, 1, 2, 3, 4, 5], fps: 24 };
/** A chain written from the clip itself (a person's, the synthetic chains, the built-in model's). */
const FROM_CLIP: ClaimContext = { durationSeconds: 3, frameTimes: [], fps: 24 };

/** The one claim of a one-sentence observation. */
function only(sentence: string, context: ClaimContext = SIX_FRAMES): Claim {
  const claims = observationClaims(chainOf(sentence), context);
  expect(claims).toHaveLength(1);
  return claims[0] as Claim;
}

describe('sentenceSpans', () => {
  it('cuts at sentence ends, not at decimals, abbreviations or a lower-case continuation', () => {
    const text = 'It drifts left about 4.2% of the width, e.g. the tree. Near objects move (about 3 m away). Then it stops!\nNew line';
    expect(sentenceSpans(text).map((span) => text.slice(span.start, span.end))).toEqual([
      'It drifts left about 4.2% of the width, e.g. the tree.',
      'Near objects move (about 3 m away).',
      'Then it stops!',
      'New line',
    ]);
  });

  it('keeps offsets into the whole text when given a range, trimmed of whitespace', () => {
    const chain = chainOf('  The camera pans left.  It stops. ');
    const section = parseChain(chain).first.observation;
    if (!section) throw new Error('no observation');
    const spans = sentenceSpans(chain, section.contentSpan.start, section.contentSpan.end);
    expect(spans.map((span) => chain.slice(span.start, span.end))).toEqual(['The camera pans left.', 'It stops.']);
  });
});

describe('isClaimSentence on real CamReasoner sentences', () => {
  it.each([
    'The camera angle appears to change as the video progresses, specifically showing a shift in perspective that suggests an upward movement.',
    'The illustrations become larger and more detailed as the video progresses, indicating a change in perspective.',
    'The camera remains fixed above the character, providing a clear view of the surroundings and enemies.',
    'The horizon remains level throughout the sequence, and the airplane and runway stay in clear focus without any blurring that would suggest camera instability.',
    'The video shows a stick figure walking from left to right while carrying a briefcase.',
    'The camera appears to maintain a consistent altitude and angle throughout the sequence.',
    'There are no visible signs of camera movement such as blurring, shifting perspectives, or changes in framing.',
  ])('claims: %s', (sentence) => expect(isClaimSentence(sentence)).toBe(true));

  it.each([
    'The video shows a scene where a humanoid figure is interacting with an old-fashioned television set.',
    'The IGN logo is visible in the bottom right corner, indicating the source of the video.',
    'The sun remains consistently on the right side',
    'The video shows a hallway with a door at the end, illuminated by red lighting.',
    'The larger character is positioned closer to the camera, while the smaller character is further back.',
  ])('describes: %s', (sentence) => expect(isClaimSentence(sentence)).toBe(false));
});

describe('observationClaims on real CamReasoner chains', () => {
  it('places "as the video progresses" and "initial frame … subsequent frames" over the whole clip', () => {
    const chain = realChain('The initial frame captures the figure and the TV');
    const claims = observationClaims(chain, SIX_FRAMES);
    expect(claims.map((claim) => claim.text)).toEqual([
      'The camera angle appears to change as the video progresses, specifically showing a shift in perspective that suggests an upward movement.',
      'The initial frame captures the figure and the TV at a certain level, but subsequent frames indicate that the camera has moved higher, providing a different view of the scene.',
      "This upward shift in the camera's position is a key visual clue that supports the notion of an upward tilting motion.",
    ]);
    const [progresses, subsequent, clue] = claims as [Claim, Claim, Claim];
    expect(progresses).toMatchObject({ rule: 'progression', isExact: false, span: { start: 0, end: 6 }, frames: [0, 1, 2, 3, 4, 5] });
    expect(progresses.cues.map((cue) => cue.text)).toEqual(['as the video progresses']);
    // "initial frame" alone is the first third; with "subsequent frames" the claim covers the clip.
    expect(subsequent.cues.map((cue) => [cue.text, cue.rule])).toEqual([['initial frame', 'early'], ['subsequent', 'progression']]);
    expect(subsequent).toMatchObject({ rule: 'progression', span: { start: 0, end: 6 } });
    expect(clue).toMatchObject({ rule: 'default', isExact: false, span: { start: 0, end: 6 }, cues: [] });
    for (const claim of claims) expect(chain.slice(claim.start, claim.end)).toBe(claim.text);
  });

  it('maps "the initial frame" to the first third and "initially" likewise', () => {
    const claims = observationClaims(realChain('towards the right side of the initial frame'), SIX_FRAMES);
    expect(claimWith(claims, 'right side of the initial frame')).toMatchObject({ rule: 'early', span: { start: 0, end: 2 }, frames: [0, 1, 2] });
    const kite = observationClaims(realChain('The camera initially focuses on the hand and the reel'), SIX_FRAMES);
    // "initially … but then moves upward": the start, and what follows it.
    expect(claimWith(kite, 'initially focuses').cues.map((cue) => cue.rule)).toEqual(['early', 'progression']);
    expect(claimWith(kite, 'initially focuses').span).toEqual({ start: 0, end: 6 });
  });

  it('joins "at the beginning and end of the sequence" into one span', () => {
    const claim = claimWith(observationClaims(realChain('at the beginning and end of the sequence'), SIX_FRAMES), 'at the beginning and end');
    expect(claim.cues.map((cue) => [cue.text, cue.rule])).toEqual([['at the beginning', 'early'], ['end of the sequence', 'late']]);
    expect(claim).toMatchObject({ rule: 'combined', span: { start: 0, end: 6 } });
  });

  it('gives every claim of the 138 chains offsets of its own text inside the observation, a span inside the clip and sorted frames', () => {
    let count = 0;
    for (const chain of CHAINS) {
      const observation = parseChain(chain).first.observation;
      for (const claim of observationClaims(chain, SIX_FRAMES)) {
        count += 1;
        expect(chain.slice(claim.start, claim.end)).toBe(claim.text);
        expect(claim.start).toBeGreaterThanOrEqual(observation?.contentSpan.start ?? Infinity);
        expect(claim.end).toBeLessThanOrEqual(observation?.contentSpan.end ?? -1);
        expect(claim.span).not.toBeNull();
        expect(claim.span?.start).toBeGreaterThanOrEqual(0);
        expect(claim.span?.end).toBeLessThanOrEqual(6);
        expect(claim.frames).toEqual([...new Set(claim.frames)].sort((left, right) => left - right));
        expect(claim.isExact).toBe(EXACT_RULES.includes(claim.rule));
        for (const cue of claim.cues) expect(chain.slice(cue.start, cue.end)).toBe(cue.text);
      }
    }
    // Most sentences of a CamReasoner observation speak of motion.
    expect(count).toBeGreaterThan(400);
  });
});

describe('observationClaims on the synthetic chains (backend/motion/synth/chains.ts phrasing)', () => {
  it('reads "frames 8–72" as the clip\'s frames when the chain was written from the clip', () => {
    const claims = observationClaims(
      chainOf('Over frames 8–72 the image content drifts left about 4.2% of the frame width per second. Near objects and the far background move together as one rigid picture: no parallax, their relative positions do not change.'),
      FROM_CLIP,
    );
    expect(claims).toHaveLength(2);
    expect(claims[0]).toMatchObject({ rule: 'clip-frame', isExact: true, frames: [] });
    expect(claims[0]?.span?.start).toBeCloseTo(7 / 24, 9);
    expect(claims[0]?.span?.end).toBeCloseTo(3, 9);
    expect(claims[0]?.cues.map((cue) => cue.text)).toEqual(['frames 8–72']);
    expect(claims[1]).toMatchObject({ rule: 'default', span: { start: 0, end: 3 } });
  });

  it('reads frame numbers past the frames sent as the clip\'s, and lights the sent frames inside them', () => {
    const claim = only('Across frames 25–72 nothing in the frame moves: every edge and corner stays on the same pixel.', { durationSeconds: 3, frameTimes: [0, 1, 2], fps: 24 });
    expect(claim).toMatchObject({ rule: 'clip-frame', span: { start: 1, end: 3 }, frames: [1, 2] });
  });

  it('leaves a frame number past the clip\'s end unplaced (then the claim is about the whole clip)', () => {
    expect(only('Over frames 100–140 the image content drifts left.', FROM_CLIP)).toMatchObject({ rule: 'default', span: { start: 0, end: 3 } });
  });
});

describe('explicit references map exactly', () => {
  it.each<[string, Partial<Claim>]>([
    ['In frame 3 the camera pans left.', { rule: 'frame-number', frames: [2], span: { start: 2, end: 2 } }],
    ['The camera tilts up over frames 2–4.', { rule: 'frame-number', frames: [1, 2, 3], span: { start: 1, end: 3 } }],
    ['The camera tilts up from frame 2 to frame 5.', { rule: 'frame-number', frames: [1, 4], span: { start: 1, end: 4 } }],
    ['The first frame shows the door, and the camera then moves right.', { rule: 'frame-ordinal', frames: [0], span: { start: 0, end: 0 } }],
    ['By the second frame the camera has panned left.', { rule: 'frame-ordinal', frames: [1], span: { start: 1, end: 1 } }],
    ['In the last frame the camera has moved closer.', { rule: 'frame-ordinal', frames: [5], span: { start: 5, end: 5 } }],
    ['The camera zooms in over the first 3 frames.', { rule: 'frame-number', frames: [0, 1, 2], span: { start: 0, end: 2 } }],
    ['The camera zooms in over the last two frames.', { rule: 'frame-number', frames: [4, 5], span: { start: 4, end: 5 } }],
    ['At 2 s the camera starts to pan right.', { rule: 'time', frames: [2], span: { start: 2, end: 2 } }],
    ['The camera pans right from 1.2 s to 3.4 s.', { rule: 'time', frames: [2, 3], span: { start: 1.2, end: 3.4 } }],
    ['The camera tilts down between 1 and 3 seconds.', { rule: 'time', frames: [1, 2, 3], span: { start: 1, end: 3 } }],
    ['The camera rolls clockwise in the first 2 seconds.', { rule: 'time', frames: [0, 1, 2], span: { start: 0, end: 2 } }],
    ['After 4 s the camera is static.', { rule: 'time', frames: [4, 5], span: { start: 4, end: 6 } }],
    ['The camera moves left at the 3-second mark.', { rule: 'time', frames: [3], span: { start: 3, end: 3 } }],
  ])('%s', (sentence, expected) => {
    const claim = only(sentence);
    expect(claim).toMatchObject({ ...expected, isExact: true });
    expect(claim.cues.length).toBeGreaterThan(0);
  });

  it('prefers an explicit reference over a vague one in the same sentence', () => {
    const claim = only('Throughout frames 2–3 the camera pans left, as the video progresses.');
    expect(claim).toMatchObject({ rule: 'frame-number', isExact: true, frames: [1, 2] });
  });

  it('does not read "per second" or "frame width" as times or frames', () => {
    expect(only('The image content drifts left about 4.2% of the frame width per second.')).toMatchObject({ rule: 'default', isExact: false });
    expect(only('It turns clockwise about the frame centre, about 3.1° per second.')).toMatchObject({ rule: 'default' });
  });
});

describe('vague references map by rule', () => {
  it.each<[string, string, [number, number]]>([
    ['At the beginning the camera pans left.', 'early', [0, 2]],
    ['The video starts with the camera moving up.', 'early', [0, 2]],
    ['Early on, the camera tilts down.', 'early', [0, 2]],
    ['From the start the camera rolls clockwise.', 'early', [0, 2]],
    ['In the initial frames the camera is static.', 'early', [0, 2]],
    ['In the middle of the video the camera pans right.', 'middle', [2, 4]],
    ['Midway, the camera shifts upward.', 'middle', [2, 4]],
    ['At the end the camera zooms in.', 'late', [4, 6]],
    ['Later, the camera moves forward.', 'late', [4, 6]],
    ['The final frames show the camera rolling clockwise.', 'late', [4, 6]],
    ['In the final frame the camera has tilted up.', 'late', [4, 6]],
    ['By the end of the clip the camera has zoomed out.', 'late', [4, 6]],
    ['Eventually the camera pans left.', 'late', [4, 6]],
    ['In the second half the camera drifts right.', 'second-half', [3, 6]],
    ['The camera drifts left throughout the clip.', 'progression', [0, 6]],
    ['The camera pans left.', 'default', [0, 6]],
  ])('%s → %s', (sentence, rule, [start, end]) => {
    const claim = only(sentence);
    expect(claim).toMatchObject({ rule, isExact: false });
    expect(claim.span?.start).toBeCloseTo(start, 9);
    expect(claim.span?.end).toBeCloseTo(end, 9);
  });

  it('does not read a place as a time ("the end of the tunnel")', () => {
    expect(only('The camera moves toward the light at the end of the tunnel.')).toMatchObject({ rule: 'default' });
  });

  it('falls back to the last frame sent for the duration, and places nothing without either', () => {
    expect(only('At the end the camera zooms in.', { durationSeconds: null, frameTimes: [0, 1, 2, 3], fps: null })).toMatchObject({ rule: 'late', span: { start: 2, end: 3 }, frames: [2, 3] });
    expect(only('At the end the camera zooms in.', { durationSeconds: null, frameTimes: [], fps: null })).toMatchObject({ rule: 'late', span: null, frames: [] });
    // An exact time needs no duration.
    expect(only('At 2 s the camera zooms in.', { durationSeconds: null, frameTimes: [], fps: null })).toMatchObject({ rule: 'time', span: { start: 2, end: 2 } });
  });
});

describe('placeClaim and claimsOfFrame', () => {
  it('places any span of a text, and finds the claims about a frame', () => {
    const chain = chainOf('At the beginning the camera pans left. Later, the camera tilts up. The camera is static in frame 5.');
    const claims = observationClaims(chain, SIX_FRAMES);
    expect(claims.map((claim) => claim.rule)).toEqual(['early', 'late', 'frame-number']);
    expect(claimsOfFrame(claims, 0).map((claim) => claim.rule)).toEqual(['early']);
    expect(claimsOfFrame(claims, 4).map((claim) => claim.rule)).toEqual(['late', 'frame-number']);
    const placed = placeClaim(chain, claims[1]?.start ?? 0, claims[1]?.end ?? 0, SIX_FRAMES);
    expect(placed.rule).toBe('late');
  });

  it('finds no claims without an observation', () => {
    expect(observationClaims('<think>The camera pans.</think><answer>B</answer>', SIX_FRAMES)).toEqual([]);
  });
});
