// The exact prompt strings CamReasoner-7B was trained and evaluated with
// (../shared/data/camreasoner/prompts.json, from wuhang03/CamReasoner @ 8b71188:
// Inference/infer/eval_bench.py and EasyR1/verl/utils/dataset.py). A model answers in its
// trained format only when given these strings, so they are constants, never paraphrased.

export const QUESTION_TEMPLATE_TAIL =
  '\n\nPlease carefully analyze the video by first focusing on the differences between various frames, ' +
  'especially those that reveal overall movement or changes. Your <observation> should emphasize these ' +
  'frame-to-frame differences and describe the overall movement observed in the video. Then, in <think>, ' +
  'reason about the camera motion based on your observations, explaining how the visual evidence leads to ' +
  'your conclusion about the type of camera movement. Finally, provide only the single option letter ' +
  '(e.g., A, B, C, D, E, F etc.) within the <answer> </answer> tags. Follow the format specified in the instructions.';

export const MULTIPLE_CHOICE_TAIL =
  'Please provide only the single option letter (e.g., A, B, C, D, etc.) within the <answer>...</answer> tags.\n' +
  'Example:\n<answer>A</answer>';

/** `{problem}\nOptions:\n{options joined by newline}` — only for multiple choice with options. */
export function questionWithOptions(problem: string, options: readonly string[]): string {
  return options.length > 0 ? `${problem}\nOptions:\n${options.join('\n')}` : problem;
}

/** The RL prompt (EasyR1's dataset loader; no type tail). */
export function rlPrompt(problem: string, options: readonly string[]): string {
  return questionWithOptions(problem, options) + QUESTION_TEMPLATE_TAIL;
}

/** The evaluation prompt (eval_bench.py: question template + the multiple-choice tail). */
export function evalPrompt(problem: string, options: readonly string[]): string {
  return rlPrompt(problem, options) + MULTIPLE_CHOICE_TAIL;
}

/** The user turn of an SFT record: one <video> token per video, then the RL prompt. */
export function sftUserContent(problem: string, options: readonly string[], videoCount = 1): string {
  return '<video>'.repeat(videoCount) + rlPrompt(problem, options);
}

/**
 * Recovers the bare question and its options from a prompt built as above (or a plain
 * question), so SFT, RL and evaluation records of one question meet in one sample.
 */
export function parsePrompt(text: string): { problem: string; options: string[] } {
  let body = text.replace(/<video>/g, '');
  const tail = body.indexOf(QUESTION_TEMPLATE_TAIL.trimStart().slice(0, 60));
  if (tail !== -1) body = body.slice(0, tail);
  // The newline ahead keeps a prompt with no question ("<video>\nOptions:\n…", whose marker's own
  // newline the trim took) from reading as a question "Options: A. No B. Yes" without options.
  body = `\n${body.trim()}`;
  const marker = body.lastIndexOf('\nOptions:\n');
  if (marker === -1) return { problem: body.slice(1), options: [] };
  const options = body
    .slice(marker + '\nOptions:\n'.length)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return { problem: body.slice(0, marker).trim(), options };
}
