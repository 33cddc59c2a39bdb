// Rebuilds examples/camerabench-sample/ from ../shared/data (run by hand; the output is
// committed so a fresh clone has a dataset to open): ten CameraBench questions per primitive
// in the CamReasoner evaluation schema, the same questions as CameraBench JSONL lines, and
// O-T-A chains for a third of them in LLaMA-Factory's sharegpt format. The chains are
// template-written from each question's true answer (marked as such in the README); the
// clips themselves are not redistributed, so they import as missing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared', 'data');
const out = join(root, 'examples', 'camerabench-sample');
mkdirSync(out, { recursive: true });

const questions = JSON.parse(readFileSync(join(shared, 'camreasoner', 'camerabench_binary.json'), 'utf8'));
const perPrimitive = new Map();
for (const record of questions) {
  const primitive = record.problem_id.replace(/_\d+$/, '');
  const list = perPrimitive.get(primitive) ?? [];
  // Keep both answers: the first 7 "No" and the first 3 "Yes" of each primitive.
  const isYes = record.solution === '<answer>B</answer>';
  if (list.filter((r) => (r.solution === '<answer>B</answer>') === isYes).length < (isYes ? 3 : 7)) list.push(record);
  perPrimitive.set(primitive, list);
}
const sample = [...perPrimitive.values()].flat();
writeFileSync(join(out, 'questions.json'), JSON.stringify(sample, null, 2));

const WHAT = {
  Move_In: ['near objects grow faster than the far background and slide outward', 'the camera moves forward (dolly in)'],
  Move_Out: ['near objects shrink faster than the far background and slide inward', 'the camera moves backward (dolly out)'],
  Move_Up: ['the scene drifts down, near things faster than far ones', 'the camera moves up (pedestal up)'],
  Move_Down: ['the scene drifts up, near things faster than far ones', 'the camera moves down (pedestal down)'],
  Move_Left: ['the scene drifts right, near things faster than far ones', 'the camera trucks left'],
  Move_Right: ['the scene drifts left, near things faster than far ones', 'the camera trucks right'],
  Zoom_In: ['everything expands from the centre at one rate, whatever its depth', 'the camera zooms in'],
  Zoom_Out: ['everything contracts toward the centre at one rate, whatever its depth', 'the camera zooms out'],
  Pan_Left: ['the background shifts right as one piece, with no parallax', 'the camera pans left'],
  Pan_Right: ['the background shifts left as one piece, with no parallax', 'the camera pans right'],
  Tilt_Up: ['the frame slides down as one piece, with no parallax', 'the camera tilts up'],
  Tilt_Down: ['the frame slides up as one piece, with no parallax', 'the camera tilts down'],
  Roll_Clockwise: ['the horizon turns counter-clockwise about the centre', 'the camera rolls clockwise'],
  Roll_Counterclockwise: ['the horizon turns clockwise about the centre', 'the camera rolls counterclockwise'],
  Static: ['the background stays put; only people and objects move', 'the camera is static'],
};
const sft = [];
const lines = [];
sample.forEach((record, index) => {
  const primitive = record.problem_id.replace(/_\d+$/, '');
  const isYes = record.solution === '<answer>B</answer>';
  lines.push(JSON.stringify({ image: record.path.replace(/^video\//, ''), question: record.problem, label: isYes ? 'Yes' : 'No' }));
  if (index % 3 !== 0) return;
  const [drift, motion] = WHAT[primitive];
  const observation = isYes
    ? `Between the first and last frames ${drift}.`
    : `Across the frames there is no sign that ${motion.replace('the camera ', 'the camera ')}: the pattern for it (${drift}) does not appear.`;
  const think = isYes
    ? `That pattern is what happens when ${motion}, so the answer is yes.`
    : `Without that pattern I cannot say that ${motion}, so the answer is no.`;
  const prompt = `<video>${record.problem}\nOptions:\n${record.options.join('\n')}` + JSON.parse(readFileSync(join(shared, 'camreasoner', 'prompts.json'), 'utf8')).question_template.replace('{Question}', '');
  sft.push({
    messages: [
      { role: 'user', content: prompt },
      { role: 'assistant', content: `<observation>${observation}</observation>\n<think>${think}</think>\n<answer>${isYes ? 'B' : 'A'}</answer>` },
    ],
    videos: [record.path],
  });
});
writeFileSync(join(out, 'sft.json'), JSON.stringify(sft, null, 2));
writeFileSync(join(out, 'camerabench.jsonl'), lines.join('\n') + '\n');
console.log(`wrote ${sample.length} questions, ${sft.length} chains to ${out}`);
