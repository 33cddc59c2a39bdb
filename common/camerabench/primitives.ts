// The 15 CameraBench binary-classification primitives and the exact strings their data files
// carry. The question, task and label_name strings are copied from the reference JSONL files
// (linzhiqiu/t2v_metrics @ 6ecb74f: camerabench/data/binary_classification/*.jsonl, mirrored in
// ../shared/data/camerabench); primitives.test.ts re-reads every record to keep them honest.

/** Table-1 column order of the CamReasoner paper (and DESIGN.md "Evaluation protocols"). */
export const PRIMITIVES = [
  'Move_In',
  'Move_Out',
  'Move_Up',
  'Move_Down',
  'Move_Left',
  'Move_Right',
  'Zoom_In',
  'Zoom_Out',
  'Pan_Left',
  'Pan_Right',
  'Tilt_Up',
  'Tilt_Down',
  'Roll_Clockwise',
  'Roll_Counterclockwise',
  'Static',
] as const;

export type Primitive = (typeof PRIMITIVES)[number];

/**
 * Film-grammar family. Translation: dolly (along the optical axis), pedestal (vertical), truck
 * (sideways). Rotation about the optical centre: pan, tilt, roll. Focal change: zoom.
 */
export type MotionFamily = 'dolly' | 'pedestal' | 'truck' | 'zoom' | 'pan' | 'tilt' | 'roll' | 'static';

export type MotionDirection = 'in' | 'out' | 'up' | 'down' | 'left' | 'right' | 'clockwise' | 'counterclockwise';

export interface PrimitiveInfo {
  primitive: Primitive;
  family: MotionFamily;
  /** null only for Static. */
  direction: MotionDirection | null;
  /** Plain film-grammar label: "dolly in", "pedestal up", "truck left", "static". */
  label: string;
  /** What the camera does, as a clause after "the camera": "pans left", "moves up (pedestal up)". */
  assertion: string;
  /** The same clause denied: "does not pan left". */
  denial: string;
  /** The exact CameraBench question (JSONL `question`, CamReasoner `problem`). */
  question: string;
  /** JSONL `task`, e.g. "Move Down". */
  task: string;
  /** JSONL `label_name`, the CameraBench taxonomy path. */
  labelName: string;
}

export const PRIMITIVE_INFO = {
  Move_In: {
    primitive: 'Move_In',
    family: 'dolly',
    direction: 'in',
    label: 'dolly in',
    assertion: 'moves forward (dolly in)',
    denial: 'does not move forward (dolly in)',
    question: 'Does the camera move forward (not zooming in) with respect to the initial frame?',
    task: 'Move In',
    labelName: 'cam_motion.camera_centric_movement.forward.has_forward_wrt_camera',
  },
  Move_Out: {
    primitive: 'Move_Out',
    family: 'dolly',
    direction: 'out',
    label: 'dolly out',
    assertion: 'moves backward (dolly out)',
    denial: 'does not move backward (dolly out)',
    question: 'Does the camera move backward (not zooming out) with respect to the initial frame?',
    task: 'Move Out',
    labelName: 'cam_motion.camera_centric_movement.backward.has_backward_wrt_camera',
  },
  Move_Up: {
    primitive: 'Move_Up',
    family: 'pedestal',
    direction: 'up',
    label: 'pedestal up',
    assertion: 'moves up (pedestal up)',
    denial: 'does not move up (pedestal up)',
    question: 'Does the camera move upward (not tilting up) with respect to the initial frame?',
    task: 'Move Up',
    labelName: 'cam_motion.camera_centric_movement.upward.has_upward_wrt_camera',
  },
  Move_Down: {
    primitive: 'Move_Down',
    family: 'pedestal',
    direction: 'down',
    label: 'pedestal down',
    assertion: 'moves down (pedestal down)',
    denial: 'does not move down (pedestal down)',
    question: 'Does the camera move downward (not tilting down) with respect to the initial frame?',
    task: 'Move Down',
    labelName: 'cam_motion.camera_centric_movement.downward.has_downward_wrt_camera',
  },
  Move_Left: {
    primitive: 'Move_Left',
    family: 'truck',
    direction: 'left',
    label: 'truck left',
    assertion: 'moves left (truck left)',
    denial: 'does not move left (truck left)',
    question: 'Does the camera move leftward in the scene?',
    task: 'Move Left',
    labelName: 'cam_motion.camera_centric_movement.leftward.has_leftward',
  },
  Move_Right: {
    primitive: 'Move_Right',
    family: 'truck',
    direction: 'right',
    label: 'truck right',
    assertion: 'moves right (truck right)',
    denial: 'does not move right (truck right)',
    question: 'Does the camera move rightward in the scene?',
    task: 'Move Right',
    labelName: 'cam_motion.camera_centric_movement.rightward.has_rightward',
  },
  Zoom_In: {
    primitive: 'Zoom_In',
    family: 'zoom',
    direction: 'in',
    label: 'zoom in',
    assertion: 'zooms in',
    denial: 'does not zoom in',
    question: 'Does the camera zoom in?',
    task: 'Zoom In',
    labelName: 'cam_motion.camera_centric_movement.zoom_in.has_zoom_in',
  },
  Zoom_Out: {
    primitive: 'Zoom_Out',
    family: 'zoom',
    direction: 'out',
    label: 'zoom out',
    assertion: 'zooms out',
    denial: 'does not zoom out',
    question: 'Does the camera zoom out?',
    task: 'Zoom Out',
    labelName: 'cam_motion.camera_centric_movement.zoom_out.has_zoom_out',
  },
  Pan_Left: {
    primitive: 'Pan_Left',
    family: 'pan',
    direction: 'left',
    label: 'pan left',
    assertion: 'pans left',
    denial: 'does not pan left',
    question: 'Does the camera pan to the left?',
    task: 'Pan Left',
    labelName: 'cam_motion.camera_centric_movement.pan_left.has_pan_left',
  },
  Pan_Right: {
    primitive: 'Pan_Right',
    family: 'pan',
    direction: 'right',
    label: 'pan right',
    assertion: 'pans right',
    denial: 'does not pan right',
    question: 'Does the camera pan to the right?',
    task: 'Pan Right',
    labelName: 'cam_motion.camera_centric_movement.pan_right.has_pan_right',
  },
  Tilt_Up: {
    primitive: 'Tilt_Up',
    family: 'tilt',
    direction: 'up',
    label: 'tilt up',
    assertion: 'tilts up',
    denial: 'does not tilt up',
    question: 'Does the camera tilt upward?',
    task: 'Tilt Up',
    labelName: 'cam_motion.camera_centric_movement.tilt_up.has_tilt_up',
  },
  Tilt_Down: {
    primitive: 'Tilt_Down',
    family: 'tilt',
    direction: 'down',
    label: 'tilt down',
    assertion: 'tilts down',
    denial: 'does not tilt down',
    question: 'Does the camera tilt downward?',
    task: 'Tilt Down',
    labelName: 'cam_motion.camera_centric_movement.tilt_down.has_tilt_down',
  },
  Roll_Clockwise: {
    primitive: 'Roll_Clockwise',
    family: 'roll',
    direction: 'clockwise',
    label: 'roll clockwise',
    assertion: 'rolls clockwise',
    denial: 'does not roll clockwise',
    question: 'Does the camera roll clockwise?',
    task: 'Roll Clockwise',
    labelName: 'cam_motion.camera_centric_movement.roll_clockwise.has_roll_clockwise',
  },
  Roll_Counterclockwise: {
    primitive: 'Roll_Counterclockwise',
    family: 'roll',
    direction: 'counterclockwise',
    label: 'roll counterclockwise',
    assertion: 'rolls counterclockwise',
    denial: 'does not roll counterclockwise',
    question: 'Does the camera roll counterclockwise?',
    task: 'Roll Counterclockwise',
    labelName: 'cam_motion.camera_centric_movement.roll_counterclockwise.has_roll_counterclockwise',
  },
  Static: {
    primitive: 'Static',
    family: 'static',
    direction: null,
    label: 'static',
    assertion: 'is static',
    denial: 'is not static',
    question: 'Is the camera completely still without any motion or shaking?',
    task: 'Static',
    labelName: 'cam_motion.steadiness_and_movement.fixed_camera',
  },
} as const satisfies { readonly [P in Primitive]: PrimitiveInfo & { primitive: P } };

export function primitiveInfo(primitive: Primitive): PrimitiveInfo {
  return PRIMITIVE_INFO[primitive];
}

export function isPrimitive(value: string): value is Primitive {
  return (PRIMITIVES as readonly string[]).includes(value);
}

/** A stored primitive column as the contract types it: anything else (hand-edited, older) reads as none. */
export function primitiveOrNull(value: string | null): Primitive | null {
  return value !== null && isPrimitive(value) ? value : null;
}

const OPPOSITE_DIRECTION: Readonly<Record<MotionDirection, MotionDirection>> = {
  in: 'out',
  out: 'in',
  up: 'down',
  down: 'up',
  left: 'right',
  right: 'left',
  clockwise: 'counterclockwise',
  counterclockwise: 'clockwise',
};

export function oppositeDirection(direction: MotionDirection): MotionDirection {
  return OPPOSITE_DIRECTION[direction];
}

/** The primitive of a family and direction ("pan", "left" → Pan_Left); null when none is. */
export function primitiveOfMotion(family: MotionFamily, direction: MotionDirection | null): Primitive | null {
  return PRIMITIVES.find((primitive) => {
    const info = primitiveInfo(primitive);
    return info.family === family && info.direction === direction;
  }) ?? null;
}

/** Pan_Left ↔ Pan_Right, Move_In ↔ Move_Out, …; Static has no opposite. */
export function oppositeOf(primitive: Primitive): Primitive | null {
  const { family, direction } = primitiveInfo(primitive);
  return direction === null ? null : primitiveOfMotion(family, oppositeDirection(direction));
}

function findPrimitive(predicate: (info: PrimitiveInfo) => boolean): Primitive | null {
  return PRIMITIVES.find((primitive) => predicate(primitiveInfo(primitive))) ?? null;
}

/**
 * "Move_Down_12" → "Move_Down". Works for both numbering schemes of camerabench_binary.json:
 * `problem_id` counts over the whole file ("Zoom_Out_7679") and `id` within one primitive's
 * JSONL, 1-based ("Zoom_Out_452"). The suffix must be a plain decimal index.
 */
export function primitiveFromProblemId(problemId: string): Primitive | null {
  const match = /^(.+)_(\d+)$/.exec(problemId);
  const prefix = match?.[1];
  return prefix !== undefined && isPrimitive(prefix) ? prefix : null;
}

/** JSONL `task` ("Move Down") → primitive. */
export function primitiveFromTask(task: string): Primitive | null {
  return findPrimitive((info) => info.task === task);
}

/** The exact CameraBench question, after trimming surrounding whitespace → primitive. */
export function primitiveFromQuestion(question: string): Primitive | null {
  const trimmed = question.trim();
  return findPrimitive((info) => info.question === trimmed);
}

/** JSONL `label_name` → primitive. */
export function primitiveFromLabelName(labelName: string): Primitive | null {
  return findPrimitive((info) => info.labelName === labelName);
}

// CamReasoner options are always ["A. No", "B. Yes"] for CameraBench (data/README.md), but the
// letter is not guaranteed to mean the same answer elsewhere, so both are read from the text.
const OPTION_PATTERN = /^\s*([A-Za-z])\s*[.)]\s*(.*?)\s*$/s;

/** "B. Yes" → "B"; null when the text is not a lettered option. */
export function letterOfOption(optionText: string): string | null {
  const letter = OPTION_PATTERN.exec(optionText)?.[1];
  return letter === undefined ? null : letter.toUpperCase();
}

/** "B. Yes" → 'yes', "A. No" → 'no'; null for any other option. */
export function yesNoOfOption(optionText: string): 'yes' | 'no' | null {
  const body = OPTION_PATTERN.exec(optionText)?.[2]?.toLowerCase();
  if (body === 'yes') return 'yes';
  if (body === 'no') return 'no';
  return null;
}
