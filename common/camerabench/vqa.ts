// CameraBench's VQA skills and the task files each holds, as the official data lays them out
// (linzhiqiu/t2v_metrics @ 6ecb74f: camerabench/data/vqa_and_retrieval/<skill>/<task>.jsonl,
// mirrored in ../shared/data/camerabench; vqa.test.ts re-reads the folders to keep this honest).
// The skill is the FOLDER: a pair record's own `skill` field holds a sub-skill
// ("rotation_direction", "instrinsic_vs_extrinsic" [sic]) and is not what Table 2 reports.
// CamReasoner's OneThinker-style conversions name only the task (problem_id "<task>.jsonl_<k>" or
// "<task>-<k>"); this table gives their skill wherever the file sits (../shared/data/evaluation.md §1.4).

/** The 9 skills, in the column order of CamReasoner's Table 2 (evaluation.md §1.1). */
export const VQA_SKILLS = [
  'motion_and_steadiness',
  'scene_dynamics',
  'motion_speed',
  'motion_direction',
  'confusable_motion',
  'has_motion',
  'tracking_shot',
  'only_motion',
  'complex_description',
] as const;

export type VqaSkill = (typeof VQA_SKILLS)[number];

/** Task file stem → skill folder: 81 task files (3,543 pairs, 14,172 yes/no items). Task stems are unique across skills. */
export const VQA_TASK_SKILL: Readonly<Record<string, VqaSkill>> = {
  // motion_and_steadiness
  is_the_camera_clearly_moving_or_not: 'motion_and_steadiness',
  is_the_camera_fixed_or_moving: 'motion_and_steadiness',
  is_the_camera_stable_or_shaky: 'motion_and_steadiness',
  is_the_fixed_camera_shaking_or_not: 'motion_and_steadiness',
  // scene_dynamics
  has_frame_freeze_or_not: 'scene_dynamics',
  is_scene_static_or_not: 'scene_dynamics',
  // motion_speed
  has_motion_blur_or_not: 'motion_speed',
  is_camera_movement_slow_or_fast: 'motion_speed',
  // motion_direction
  arc_ccw_vs_arc_cc: 'motion_direction',
  crane_up_vs_crane_down: 'motion_direction',
  dolly_zoom_in_vs_dolly_zoom_out: 'motion_direction',
  has_forward_vs_backward_ground: 'motion_direction',
  has_leftward_vs_rightward: 'motion_direction',
  has_upward_vs_downward_ground: 'motion_direction',
  lead_tracking_vs_tail_tracking: 'motion_direction',
  pan_left_vs_pan_right: 'motion_direction',
  roll_cc_vs_roll_ccw: 'motion_direction',
  side_tracking_leftward_vs_rightward: 'motion_direction',
  tilt_up_vs_tilt_down: 'motion_direction',
  zoom_in_vs_zoom_out: 'motion_direction',
  // confusable_motion
  backward_camera_only_vs_backward_ground_and_camera: 'confusable_motion',
  downward_camera_only_vs_downward_camera_and_ground: 'confusable_motion',
  forward_camera_only_vs_forward_ground_and_camera: 'confusable_motion',
  only_pan_left_vs_only_truck_left: 'confusable_motion',
  only_pan_right_vs_only_truck_right: 'confusable_motion',
  only_tilt_down_vs_only_pedestal_down: 'confusable_motion',
  only_tilt_up_vs_only_pedestal_up: 'confusable_motion',
  only_zoom_in_vs_only_forward: 'confusable_motion',
  only_zoom_out_vs_only_backward: 'confusable_motion',
  upward_camera_only_vs_upward_camera_and_ground: 'confusable_motion',
  // has_motion
  has_arc_clockwise: 'has_motion',
  has_arc_counterclockwise: 'has_motion',
  has_backward_motion: 'has_motion',
  has_crane_down: 'has_motion',
  has_crane_up: 'has_motion',
  has_forward_motion: 'has_motion',
  has_pan_left: 'has_motion',
  has_pan_left_not_truck_vs_has_truck_not_pan_left: 'has_motion',
  has_pan_right: 'has_motion',
  has_pan_right_not_truck_vs_has_truck_not_pan_right: 'has_motion',
  has_pedestal_down: 'has_motion',
  has_pedestal_up: 'has_motion',
  has_roll_clockwise: 'has_motion',
  has_roll_counterclockwise: 'has_motion',
  has_tilt_down: 'has_motion',
  has_tilt_down_not_pedestal_vs_has_pedestal_not_tilt_down: 'has_motion',
  has_tilt_up: 'has_motion',
  has_tilt_up_not_pedestal_vs_has_pedestal_not_tilt_up: 'has_motion',
  has_truck_left: 'has_motion',
  has_truck_right: 'has_motion',
  has_zoom_in: 'has_motion',
  has_zoom_in_not_move_vs_has_move_not_zoom_in: 'has_motion',
  has_zoom_out: 'has_motion',
  has_zoom_out_not_move_vs_has_move_not_zoom_out: 'has_motion',
  // tracking_shot
  has_aerial_tracking: 'tracking_shot',
  has_arc_tracking: 'tracking_shot',
  has_front_side_tracking: 'tracking_shot',
  has_lead_tracking: 'tracking_shot',
  has_pan_tracking: 'tracking_shot',
  has_rear_side_tracking: 'tracking_shot',
  has_side_tracking: 'tracking_shot',
  has_tail_tracking: 'tracking_shot',
  has_tilt_tracking: 'tracking_shot',
  is_tracking: 'tracking_shot',
  tracking_subject_larger: 'tracking_shot',
  tracking_subject_smaller: 'tracking_shot',
  // only_motion
  only_backward_vs_has_backward_and_not_only: 'only_motion',
  only_forward_vs_has_forward_and_not_only: 'only_motion',
  only_pan_left_vs_has_pan_left_and_not_only: 'only_motion',
  only_pan_right_vs_has_pan_right_and_not_only: 'only_motion',
  only_pedestal_down_vs_has_pedestal_down_and_not_only: 'only_motion',
  only_pedestal_up_vs_has_pedestal_up_and_not_only: 'only_motion',
  only_roll_cc_vs_has_roll_cc_and_not_only: 'only_motion',
  only_roll_ccw_vs_has_roll_ccw_and_not_only: 'only_motion',
  only_tilt_down_vs_has_tilt_down_and_not_only: 'only_motion',
  only_tilt_up_vs_has_tilt_up_and_not_only: 'only_motion',
  only_truck_left_vs_has_truck_left_and_not_only: 'only_motion',
  only_truck_right_vs_has_truck_right_and_not_only: 'only_motion',
  only_zoom_in_vs_has_zoom_in_and_not_only: 'only_motion',
  only_zoom_out_vs_has_zoom_out_and_not_only: 'only_motion',
  // complex_description
  all: 'complex_description',
};

/**
 * The four yes/no items of one pair, in the order every converter emits them (CamReasoner's
 * converted_vqa and run.py alike), named as CameraBench's evaluator keys its yes/no scores
 * (`yes_scores.pos_text_pos_image`, …). The reference answer is Yes for the matching two.
 */
export const VQA_ROLES = ['pos_text_pos_image', 'pos_text_neg_image', 'neg_text_pos_image', 'neg_text_neg_image'] as const;

export type VqaRole = (typeof VQA_ROLES)[number];

/** Whether the item's text describes its video: Yes for pos/pos and neg/neg, No for the crossed two. */
export function isMatchingRole(role: VqaRole): boolean {
  return role === 'pos_text_pos_image' || role === 'neg_text_neg_image';
}

/**
 * CamReasoner's correctly labelled yes/no form (Evaluation/data/converted_vqa @ 7538e50): this
 * problem text, then the pair's text; options ["A. Yes", "B. No"]. Its prompt and evaluator
 * work on it unchanged.
 */
export const CONVERTED_VQA_PREFIX = 'Does the camera movement in this video match the following description?\n\n';
export const CONVERTED_VQA_OPTIONS = ['A. Yes', 'B. No'] as const;

/** run.py's two problems (Evaluation/data/run.py @ 7538e50; Inference/camerabench_vqa.json). */
export const RUNPY_PROBLEM_YES = "Which of the following options is more likely to have the answer 'yes'?";
export const RUNPY_PROBLEM_NO = "Which of the following options is more likely to have the answer 'no'?";

export function isVqaSkill(name: string): name is VqaSkill {
  return (VQA_SKILLS as readonly string[]).includes(name);
}

/**
 * A VQA item's skill: the folder its file sits in when that is one of the 9 skill folders (the
 * official layout, and converted_vqa/<skill>/), else the skill of its task in the official
 * layout; null when neither tells (a task this table does not know, in a folder of another name).
 */
export function vqaSkillOf(task: string, folder: string | null): VqaSkill | null {
  if (folder !== null && isVqaSkill(folder)) return folder;
  return Object.hasOwn(VQA_TASK_SKILL, task) ? (VQA_TASK_SKILL[task] as VqaSkill) : null;
}
