import { describe, expect, it } from 'vitest';
import { extractMotionClaims, findMotionContradictions } from './motionClaims';
import type { MotionClaim } from './motionClaims';

/** Claims as "family/direction/polarity:phrase", for compact expectations. */
function summary(text: string): string[] {
  return extractMotionClaims(text).map((claim) => `${claim.family}/${claim.direction ?? '-'}/${claim.polarity}:${claim.phrase}`);
}

describe('extractMotionClaims: vocabulary', () => {
  it.each([
    ['The camera pans left.', 'pan/left/asserted:pans left'],
    ['The camera is panning slowly to the left.', 'pan/left/asserted:panning slowly to the left'],
    ['It panned right.', 'pan/right/asserted:panned right'],
    ['a slow leftward pan', 'pan/left/asserted:leftward pan'],
    ['The camera pans from right to left.', 'pan/left/asserted:pans from right to left'],
    ['The camera turns to the right.', 'pan/right/asserted:turns to the right'],
    ['The camera tilts upward.', 'tilt/up/asserted:tilts upward'],
    ['a gentle downward tilt', 'tilt/down/asserted:downward tilt'],
    ['The camera rolls clockwise.', 'roll/clockwise/asserted:rolls clockwise'],
    ['a counter-clockwise roll', 'roll/counterclockwise/asserted:counter-clockwise roll'],
    ['It rolls anticlockwise.', 'roll/counterclockwise/asserted:rolls anticlockwise'],
    ['The camera rotates counterclockwise.', 'roll/counterclockwise/asserted:rotates counterclockwise'],
    ['The lens zooms in on the face.', 'zoom/in/asserted:zooms in'],
    ['a quick zoom-out', 'zoom/out/asserted:zoom-out'],
    ['The camera dollies in.', 'dolly/in/asserted:dollies in'],
    ['A push-in toward the actor.', 'dolly/in/asserted:push-in'],
    ['The camera pulls back from the table.', 'dolly/out/asserted:pulls back'],
    ['The camera moves forward toward the building.', 'dolly/in/asserted:moves forward'],
    ['The camera moves away from the car.', 'dolly/out/asserted:moves away'],
    ['The camera approaches the door.', 'dolly/in/asserted:approaches'],
    ['The camera trucks to the right.', 'truck/right/asserted:trucks to the right'],
    ['A smooth trucking left along the wall.', 'truck/left/asserted:trucking left'],
    ['The camera slides left past the shelves.', 'truck/left/asserted:slides left'],
    ['The camera moves to the right.', 'truck/right/asserted:moves to the right'],
    ['The camera cranes up.', 'pedestal/up/asserted:cranes up'],
    ['The camera pedestals down.', 'pedestal/down/asserted:pedestals down'],
    ['The camera rises above the crowd.', 'pedestal/up/asserted:rises'],
    ['The camera descends the stairs.', 'pedestal/down/asserted:descends'],
    ['The camera moves upward.', 'pedestal/up/asserted:moves upward'],
    ["The camera's downward movement is smooth.", 'pedestal/down/asserted:downward movement'],
    ['The camera remains static.', 'static/-/asserted:remains static'],
    ['The camera is stationary.', 'static/-/asserted:stationary'],
    ['A locked-off shot of the street.', 'static/-/asserted:locked-off shot'],
    ['There is no camera movement.', 'static/-/asserted:no camera movement'],
    ['The camera does not move.', 'static/-/asserted:does not move'],
    ['The camera remains completely still.', 'static/-/asserted:remains completely still'],
  ])('%s', (text, expected) => {
    expect(summary(text)).toEqual([expected]);
  });

  it('names a family without a direction', () => {
    expect(summary('There is some panning.')).toEqual(['pan/-/asserted:panning']);
    expect(summary('The camera rolls.')).toEqual(['roll/-/asserted:rolls']);
  });

  it('gives offsets into the text', () => {
    const text = '<think>Uniform drift: the camera pans right.</think>';
    const [claim] = extractMotionClaims(text);
    expect(claim).toEqual({ family: 'pan', direction: 'right', polarity: 'asserted', start: 33, end: 43, phrase: 'pans right' } satisfies MotionClaim);
    expect(text.slice(claim?.start, claim?.end)).toBe('pans right');
  });
});

describe('extractMotionClaims: what is not a camera claim', () => {
  it.each([
    'The car moves left across the frame.',
    'A truck drives past.',
    'Rolling waves crash on the shore.',
    'The person remains still.',
    'The building is fixed in the frame.',
    'The camera is fixed on the subject.',
    'A zoomed-in view of the face.',
    'The horizon is tilted.',
    'The camera moves left and right.',
    'The question asks whether the camera pans left.',
    'Does the camera pan to the left?',
    'If the camera zoomed in, the objects would grow.',
    'Option B says the camera tilts up.',
  ])('%s', (text) => {
    expect(summary(text)).toEqual([]);
  });

  it('still reads the claim after a conditional clause', () => {
    expect(summary('If the camera zoomed in, objects would grow. The camera zooms out.')).toEqual(['zoom/out/asserted:zooms out']);
    expect(summary('If the camera panned left, the background would drift right, so the camera pans left.')).toEqual(['pan/left/asserted:pans left']);
  });
});

describe('extractMotionClaims: negation', () => {
  it.each([
    ['The camera does not pan right.', ['pan/right/negated:pan right']],
    ["The camera doesn't zoom in.", ['zoom/in/negated:zoom in']],
    ['The camera never tilts down.', ['tilt/down/negated:tilts down']],
    ['There is no panning.', ['pan/-/negated:panning']],
    ['The shot is captured without any zoom.', ['zoom/-/negated:zoom']],
    ['The camera is not static.', ['static/-/negated:static']],
    ['The camera does not appear to pan.', ['pan/-/negated:pan']],
    ['There is no evidence of any significant zoom.', ['zoom/-/negated:zoom']],
    ['There is no evidence that the camera pans left.', ['pan/left/negated:pans left']],
    ['Panning is not observed.', ['pan/-/negated:Panning']],
    ['A zoom can be ruled out.', ['zoom/-/negated:zoom']],
    ['The lack of parallax rules out a dolly.', ['dolly/-/negated:dolly']],
  ])('%s', (text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it('negates both sides of neither/nor and every item of a list', () => {
    expect(summary('The camera neither pans nor tilts.')).toEqual(['pan/-/negated:pans', 'tilt/-/negated:tilts']);
    expect(summary('There is no pan, tilt, or zoom.')).toEqual(['pan/-/negated:pan', 'tilt/-/negated:tilt', 'zoom/-/negated:zoom']);
    expect(summary('There is no camera movement or zoom.')).toEqual(['static/-/asserted:no camera movement', 'zoom/-/negated:zoom']);
  });

  it('asserts what comes before "rather than" / "instead of" and negates what follows', () => {
    expect(summary('The camera pans left rather than trucking.')).toEqual(['pan/left/asserted:pans left', 'truck/-/negated:trucking']);
    expect(summary('It zooms in instead of dollying in.')).toEqual(['zoom/in/asserted:zooms in', 'dolly/in/negated:dollying in']);
  });

  it('lets "but" end a negation: not … but …', () => {
    expect(summary('The camera is not trucking but panning left.')).toEqual(['truck/-/negated:trucking', 'pan/left/asserted:panning left']);
    expect(summary('There is no zoom, only a pan to the right.')).toEqual(['zoom/-/negated:zoom', 'pan/right/asserted:pan to the right']);
  });

  it('does not let a negation of something else leak onto the motion', () => {
    expect(summary('The objects do not change size as the camera pans left.')).toEqual(['pan/left/asserted:pans left']);
    expect(summary('The camera not only pans left but also tilts up.')).toEqual(['pan/left/asserted:pans left', 'tilt/up/asserted:tilts up']);
  });

  it('reads an elliptic opposite direction as negated', () => {
    expect(summary('The camera tilts upward, not downward.')).toEqual(['tilt/up/asserted:tilts upward', 'tilt/down/negated:downward']);
    expect(summary('It pans to the right, not to the left.')).toEqual(['pan/right/asserted:pans to the right', 'pan/left/negated:left']);
    expect(summary('It zooms in rather than out.')).toEqual(['zoom/in/asserted:zooms in', 'zoom/out/negated:out']);
  });
});

describe('findMotionContradictions', () => {
  it('flags the opposite direction for a Yes', () => {
    const text = 'The background drifts right, so the camera pans right.';
    expect(findMotionContradictions(text, 'Pan_Left', true)).toEqual([
      { message: 'says "pans right", but the answer says the camera pans left', start: 43, end: 53 },
    ]);
  });

  it('accepts the opposite direction when the text also asserts the primitive (a sequence)', () => {
    expect(findMotionContradictions('The camera first pans right, then pans left.', 'Pan_Left', true)).toEqual([]);
    expect(findMotionContradictions('The camera is static at first, then pans left.', 'Pan_Left', true)).toEqual([]);
  });

  it('flags a static camera for a motion, and a negated primitive or family', () => {
    expect(findMotionContradictions('The camera remains static.', 'Tilt_Up', true).map((found) => found.message)).toEqual([
      'says "remains static", but the answer says the camera tilts up',
    ]);
    expect(findMotionContradictions('There is no panning.', 'Pan_Left', true).map((found) => found.message)).toEqual([
      'rules out "panning", but the answer says the camera pans left',
    ]);
    expect(findMotionContradictions('The camera does not pan left.', 'Pan_Left', true)).toHaveLength(1);
  });

  it('ignores other primitives and the opposite negated for a Yes', () => {
    expect(findMotionContradictions('The camera does not pan right and there is no zoom.', 'Pan_Left', true)).toEqual([]);
    expect(findMotionContradictions('The camera tilts up.', 'Pan_Left', true)).toEqual([]);
  });

  it('separates pan from truck: "pans left rather than trucking"', () => {
    const text = 'The camera pans left rather than trucking.';
    expect(findMotionContradictions(text, 'Pan_Left', true)).toEqual([]);
    expect(findMotionContradictions(text, 'Move_Left', true)).toEqual([
      { message: 'rules out "trucking", but the answer says the camera moves left (truck left)', start: 33, end: 41 },
    ]);
  });

  it('flags the primitive asserted for a No', () => {
    expect(findMotionContradictions('The camera pans left.', 'Pan_Left', false)).toEqual([
      { message: 'says "pans left", but the answer says the camera does not pan left', start: 11, end: 20 },
    ]);
    expect(findMotionContradictions('The camera does not pan left.', 'Pan_Left', false)).toEqual([]);
    expect(findMotionContradictions('The camera pans right.', 'Pan_Left', false)).toEqual([]);
    expect(findMotionContradictions('The camera remains static.', 'Static', false).map((found) => found.message)).toEqual([
      'says "remains static", but the answer says the camera is not static',
    ]);
  });

  it('for Static Yes, flags any asserted motion and a negated static', () => {
    expect(findMotionContradictions('There is no camera movement.', 'Static', true)).toEqual([]);
    expect(findMotionContradictions('The camera does not pan or zoom.', 'Static', true)).toEqual([]);
    expect(findMotionContradictions('The camera pans left.', 'Static', true).map((found) => found.message)).toEqual([
      'says "pans left", but the answer says the camera is static',
    ]);
    expect(findMotionContradictions('The camera is not static.', 'Static', true).map((found) => found.message)).toEqual([
      'rules out "static", but the answer says the camera is static',
    ]);
  });

  it('finds nothing in a question restated by the chain', () => {
    const text = 'The question asks whether the camera pans to the left. The background drifts right, so it pans left.';
    expect(findMotionContradictions(text, 'Pan_Left', false).map((found) => found.message)).toEqual([
      'says "pans left", but the answer says the camera does not pan left',
    ]);
    expect(findMotionContradictions(text, 'Pan_Left', true)).toEqual([]);
  });
});

describe('findMotionContradictions on CamReasoner-style chains', () => {
  const panRight = '<observation>Across the frames, the storefronts on the left edge leave the frame while new ones enter '
    + 'from the right. Near and far objects shift left at the same rate, with no parallax.</observation>'
    + '<think>Uniform drift without parallax indicates a rotation rather than a translation, so the camera is not trucking. '
    + 'Since the content moves left, the camera pans to the right, not to the left.</think><answer>A</answer>';

  it('agrees with a consistent No for Pan_Left', () => {
    expect(findMotionContradictions(panRight, 'Pan_Left', false)).toEqual([]);
  });

  it('reports both the opposite pan and the ruled-out direction for a Yes to Pan_Left', () => {
    const found = findMotionContradictions(panRight, 'Pan_Left', true);
    expect(found.map((contradiction) => contradiction.message)).toEqual([
      'says "pans to the right", but the answer says the camera pans left',
      'rules out "left", but the answer says the camera pans left',
    ]);
    for (const contradiction of found) expect(contradiction.end).toBeGreaterThan(contradiction.start);
    expect(panRight.slice(found[0]?.start, found[0]?.end)).toBe('pans to the right');
  });

  it('agrees with a Yes to Pan_Right and flags a Yes to Move_Right', () => {
    expect(findMotionContradictions(panRight, 'Pan_Right', true)).toEqual([]);
    expect(findMotionContradictions(panRight, 'Move_Right', true).map((found) => found.message)).toEqual([
      'rules out "trucking", but the answer says the camera moves right (truck right)',
    ]);
  });

  const dollyIn = '<observation>The doorway grows larger and the nearby chair expands faster than the back wall, '
    + 'showing strong parallax.</observation><think>Objects at different depths scale at different rates, which '
    + 'rules out a zoom; the camera physically moves forward into the room.</think><answer>B</answer>';

  it('tells dolly from zoom', () => {
    expect(findMotionContradictions(dollyIn, 'Move_In', true)).toEqual([]);
    expect(findMotionContradictions(dollyIn, 'Zoom_In', true).map((found) => found.message)).toEqual([
      'rules out "zoom", but the answer says the camera zooms in',
    ]);
    expect(findMotionContradictions(dollyIn, 'Move_In', false).map((found) => found.message)).toEqual([
      'says "moves forward", but the answer says the camera does not move forward (dolly in)',
    ]);
  });

  const staticShot = '<observation>The woman walks from left to right while the background stays in place; the '
    + 'edges of the frame do not shift between frames.</observation><think>Since nothing in the background moves, '
    + 'there is no camera movement: the camera is static, with no pan, tilt or zoom.</think><answer>B</answer>';

  it('accepts a static chain for Static and flags it for a motion', () => {
    expect(findMotionContradictions(staticShot, 'Static', true)).toEqual([]);
    expect(findMotionContradictions(staticShot, 'Pan_Right', true).map((found) => found.message)).toEqual([
      'says "no camera movement", but the answer says the camera pans right',
      'says "static", but the answer says the camera pans right',
      'rules out "pan", but the answer says the camera pans right',
    ]);
    expect(findMotionContradictions(staticShot, 'Static', false)).toHaveLength(2);
  });

  const tiltUp = '<observation>The floor slides out of view at the bottom as the ceiling lights appear at the top; '
    + 'near and far objects move down together.</observation><think>A uniform downward drift with no parallax points '
    + 'to a rotation, an upward tilt rather than a pedestal up.</think><answer>B</answer>';

  it('tells tilt from pedestal', () => {
    expect(summary(tiltUp)).toEqual(['tilt/up/asserted:upward tilt', 'pedestal/up/negated:pedestal up']);
    expect(findMotionContradictions(tiltUp, 'Tilt_Up', true)).toEqual([]);
    expect(findMotionContradictions(tiltUp, 'Move_Up', true)).toHaveLength(1);
    expect(findMotionContradictions(tiltUp, 'Tilt_Down', true)).toHaveLength(1);
  });
});

describe('negation through reporting verbs and glosses', () => {
  it.each([
    ['There is no sign that the camera moves down (pedestal down).', [['moves down', 'negated'], ['pedestal down', 'negated']]],
    ['I cannot say that the camera pans left.', [['pans left', 'negated']]],
    ['The frames do not suggest that the camera tilts up.', [['tilts up', 'negated']]],
    ['The drift suggests that the camera pans left (a leftward pan).', [['pans left', 'asserted'], ['leftward pan', 'asserted']]],
  ])('%s', (text, expected) => {
    expect(extractMotionClaims(text).map((claim) => [claim.phrase, claim.polarity])).toEqual(expected);
  });
});
