// Test-only file access (the folder rule exempts tests): the module under test stays runtime-free,
// but its string constants must agree with the reference data files, which only Node can read.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PRIMITIVES,
  PRIMITIVE_INFO,
  isPrimitive,
  letterOfOption,
  oppositeOf,
  primitiveFromLabelName,
  primitiveFromProblemId,
  primitiveFromQuestion,
  primitiveFromTask,
  primitiveInfo,
  primitiveOfMotion,
  yesNoOfOption,
} from './primitives';
import type { Primitive } from './primitives';

// vitest runs from the repository root; the shared data sits beside it (data/README.md).
const dataRoot = new URL('../../../shared/data/', import.meta.url);
const jsonlFolder = new URL('camerabench/binary_classification/', dataRoot);
const camreasonerFile = new URL('camreasoner/camerabench_binary.json', dataRoot);
const hasData = existsSync(jsonlFolder) && existsSync(camreasonerFile);
const missingDataNote = hasData ? '' : ' (SKIPPED: reference data not found at ../shared/data)';

interface JsonlRecord {
  image: string;
  question: string;
  label: string;
  task: string;
  label_name: string;
}

interface CamReasonerRecord {
  problem_id: string;
  problem: string;
  options: string[];
  solution: string;
  path: string;
  id: string;
}

function readJsonl(primitive: Primitive): JsonlRecord[] {
  const text = readFileSync(new URL(`${primitive}.jsonl`, jsonlFolder), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): JsonlRecord => JSON.parse(line));
}

describe('PRIMITIVES', () => {
  it('lists the 15 Table-1 columns in order', () => {
    expect(PRIMITIVES).toEqual([
      'Move_In', 'Move_Out', 'Move_Up', 'Move_Down', 'Move_Left', 'Move_Right', 'Zoom_In', 'Zoom_Out',
      'Pan_Left', 'Pan_Right', 'Tilt_Up', 'Tilt_Down', 'Roll_Clockwise', 'Roll_Counterclockwise', 'Static',
    ]);
  });

  it('keys the metadata by primitive, with the film-grammar labels of DESIGN.md', () => {
    expect(Object.keys(PRIMITIVE_INFO)).toEqual([...PRIMITIVES]);
    for (const primitive of PRIMITIVES) expect(primitiveInfo(primitive).primitive).toBe(primitive);
    expect(PRIMITIVES.map((primitive) => primitiveInfo(primitive).label)).toEqual([
      'dolly in', 'dolly out', 'pedestal up', 'pedestal down', 'truck left', 'truck right', 'zoom in', 'zoom out',
      'pan left', 'pan right', 'tilt up', 'tilt down', 'roll clockwise', 'roll counterclockwise', 'static',
    ]);
  });

  it('gives every family and direction pair to exactly one primitive', () => {
    for (const primitive of PRIMITIVES) {
      const { family, direction } = primitiveInfo(primitive);
      expect(primitiveOfMotion(family, direction)).toBe(primitive);
    }
    expect(primitiveOfMotion('pan', 'up')).toBeNull();
  });
});

describe('primitive lookups', () => {
  it('reads problem ids of both numbering schemes', () => {
    expect(primitiveFromProblemId('Move_Down_12')).toBe('Move_Down');
    expect(primitiveFromProblemId('Move_Down_1')).toBe('Move_Down');
    expect(primitiveFromProblemId('Roll_Counterclockwise_3')).toBe('Roll_Counterclockwise');
    expect(primitiveFromProblemId('Zoom_Out_7679')).toBe('Zoom_Out');
    expect(primitiveFromProblemId('Static_966')).toBe('Static');
  });

  it('returns null for unknown or malformed problem ids', () => {
    expect(primitiveFromProblemId('Move_Diagonal_3')).toBeNull();
    expect(primitiveFromProblemId('Move_Down')).toBeNull();
    expect(primitiveFromProblemId('Move_Down_')).toBeNull();
    expect(primitiveFromProblemId('Move_Down_x1')).toBeNull();
    expect(primitiveFromProblemId('move_down_1')).toBeNull();
    expect(primitiveFromProblemId('')).toBeNull();
  });

  it('reads tasks, questions and label names', () => {
    expect(primitiveFromTask('Move Down')).toBe('Move_Down');
    expect(primitiveFromTask('Roll Counterclockwise')).toBe('Roll_Counterclockwise');
    expect(primitiveFromTask('Move_Down')).toBeNull();
    expect(primitiveFromQuestion('  Does the camera pan to the left?\n')).toBe('Pan_Left');
    expect(primitiveFromQuestion('Does the camera pan to the left')).toBeNull();
    expect(primitiveFromQuestion('does the camera pan to the left?')).toBeNull();
    expect(primitiveFromLabelName('cam_motion.steadiness_and_movement.fixed_camera')).toBe('Static');
    expect(primitiveFromLabelName('cam_motion.camera_centric_movement.zoom_in')).toBeNull();
  });

  it('pairs opposites, with none for Static', () => {
    const pairs: [Primitive, Primitive][] = [
      ['Move_In', 'Move_Out'], ['Move_Up', 'Move_Down'], ['Move_Left', 'Move_Right'], ['Zoom_In', 'Zoom_Out'],
      ['Pan_Left', 'Pan_Right'], ['Tilt_Up', 'Tilt_Down'], ['Roll_Clockwise', 'Roll_Counterclockwise'],
    ];
    for (const [one, other] of pairs) {
      expect(oppositeOf(one)).toBe(other);
      expect(oppositeOf(other)).toBe(one);
    }
    expect(oppositeOf('Static')).toBeNull();
  });

  it('guards primitive names', () => {
    expect(isPrimitive('Pan_Left')).toBe(true);
    expect(isPrimitive('Pan Left')).toBe(false);
  });
});

describe('options', () => {
  it('reads yes/no and the letter of CamReasoner options', () => {
    expect(yesNoOfOption('B. Yes')).toBe('yes');
    expect(yesNoOfOption('A. No')).toBe('no');
    expect(yesNoOfOption('  a)  no ')).toBe('no');
    expect(yesNoOfOption('C. Maybe')).toBeNull();
    expect(yesNoOfOption('Yes')).toBeNull();
    expect(yesNoOfOption('B. Yes, it pans')).toBeNull();
    expect(letterOfOption('B. Yes')).toBe('B');
    expect(letterOfOption('a. No')).toBe('A');
    expect(letterOfOption('Yes')).toBeNull();
    expect(letterOfOption('')).toBeNull();
  });
});

describe(`reference data${missingDataNote}`, () => {
  it.skipIf(!hasData)('every JSONL record carries its primitive\'s question, task and label_name', () => {
    let total = 0;
    for (const primitive of PRIMITIVES) {
      const info = primitiveInfo(primitive);
      const records = readJsonl(primitive);
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        expect(record.question).toBe(info.question);
        expect(record.task).toBe(info.task);
        expect(record.label_name).toBe(info.labelName);
        expect(primitiveFromQuestion(record.question)).toBe(primitive);
        expect(primitiveFromTask(record.task)).toBe(primitive);
        expect(primitiveFromLabelName(record.label_name)).toBe(primitive);
        expect(['Yes', 'No']).toContain(record.label);
      }
      total += records.length;
    }
    expect(total).toBe(7679);
  });

  it.skipIf(!hasData)('camerabench_binary.json ids index the JSONL files (1-based) with the same question and label', () => {
    const records: CamReasonerRecord[] = JSON.parse(readFileSync(camreasonerFile, 'utf8'));
    const jsonl = new Map(PRIMITIVES.map((primitive) => [primitive, readJsonl(primitive)]));
    expect(records).toHaveLength(7679);
    let yesCount = 0;
    for (const record of records) {
      const primitive = primitiveFromProblemId(record.id);
      expect(primitive).not.toBeNull();
      if (primitive === null) continue;
      expect(primitiveFromProblemId(record.problem_id)).toBe(primitive);
      expect(primitiveFromQuestion(record.problem)).toBe(primitive);
      const index = Number(record.id.slice(primitive.length + 1)) - 1;
      const source = jsonl.get(primitive)?.[index];
      expect(source?.question).toBe(record.problem);
      expect(`video/${source?.image}`).toBe(record.path);
      const answer = /<answer>(.)<\/answer>/.exec(record.solution)?.[1];
      const option = record.options.find((text) => letterOfOption(text) === answer) ?? '';
      expect(yesNoOfOption(option)).toBe(source?.label.toLowerCase());
      if (yesNoOfOption(option) === 'yes') yesCount += 1;
    }
    expect(yesCount).toBe(942);
  });
});
