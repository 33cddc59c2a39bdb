// Dataset records for synthetic clips, in the formats `frustum import` reads: CamReasoner
// evaluation questions, CameraBench JSONL, LLaMA-Factory SFT and EasyR1 RL. Every clip gets
// all 15 CameraBench questions, as CameraBench asks every primitive of every video.
import { PRIMITIVES, PRIMITIVE_INFO, type Primitive } from '../../../common/camerabench/primitives';
import { sftUserContent } from '../../../common/formats/prompts';
import type { PyJsonValue } from '../../../common/formats/pyjson';
import { chainOf } from './chains';
import type { MotionFacts } from './motionFacts';
import type { MotionProgram } from './programs';

export const DATA_SOURCE = 'frustum-synth';
export const OPTIONS = ['A. No', 'B. Yes'] as const;

export interface ClipRecordInput {
  /** Relative to the output folder: clips/<name>.mp4. */
  clipPath: string;
  program: MotionProgram;
  facts: MotionFacts;
}

export interface DatasetRecords {
  questions: PyJsonValue[];
  sft: PyJsonValue[];
  rl: PyJsonValue[];
  cameraBench: Record<Primitive, PyJsonValue[]>;
}

export function labelOf(program: MotionProgram, primitive: Primitive): 'Yes' | 'No' {
  return program.primitives.includes(primitive) ? 'Yes' : 'No';
}

/** Grouped by primitive in Table-1 order, clips in order within each, as camerabench_binary.json is. */
export function datasetRecords(clips: readonly ClipRecordInput[]): DatasetRecords {
  const records: DatasetRecords = {
    questions: [],
    sft: [],
    rl: [],
    cameraBench: Object.fromEntries(PRIMITIVES.map((primitive) => [primitive, []])) as unknown as Record<Primitive, PyJsonValue[]>,
  };
  let problemNumber = 0;
  for (const primitive of PRIMITIVES) {
    const info = PRIMITIVE_INFO[primitive];
    clips.forEach((clip, index) => {
      problemNumber++;
      const label = labelOf(clip.program, primitive);
      const letter = label === 'Yes' ? 'B' : 'A';
      // problem_id counts over the whole file, id within the primitive (camerabench_binary.json).
      const problemId = `${primitive}_${problemNumber}`;
      records.questions.push({
        problem_id: problemId,
        problem: info.question,
        data_type: 'video',
        problem_type: 'multiple choice',
        options: [...OPTIONS],
        process: '',
        solution: `<answer>${letter}</answer>`,
        path: clip.clipPath,
        data_source: DATA_SOURCE,
        dataset: DATA_SOURCE,
        output: [],
        id: `${primitive}_${index + 1}`,
      });
      records.sft.push({
        messages: [
          { role: 'user', content: sftUserContent(info.question, OPTIONS) },
          { role: 'assistant', content: chainOf(clip.facts, clip.program, primitive) },
        ],
        videos: [clip.clipPath],
      });
      records.rl.push({
        problem_id: problemId,
        problem: info.question,
        data_type: 'video',
        problem_type: 'multiple choice',
        options: [...OPTIONS],
        answer: `<answer>${letter}</answer>`,
        videos: [clip.clipPath],
      });
      records.cameraBench[primitive].push({
        image: clip.clipPath,
        question: info.question,
        label,
        task: info.task,
        label_name: info.labelName,
      });
    });
  }
  return records;
}
