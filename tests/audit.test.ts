// `frustum audit` end to end: the built command over a project imported from files, in text
// and JSON, its --split-by choices, and what a wrong value or a missing project exits with.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../common/audit/audit';
import { frustum, frustumJson } from './support/cli';
import { tempDir } from './support/tempDir';

/** 200 questions whose clip names spell the motion asked about when the answer is Yes. */
function leakyProject(): string {
  const folder = tempDir();
  const motions = ['pan_left', 'pan_right', 'tilt_up', 'tilt_down', 'zoom_in', 'zoom_out'];
  const records = Array.from({ length: 200 }, (_, index) => {
    const asked = motions[index % motions.length]!;
    const isYes = index % 2 === 0;
    // A No clip shows another motion: an offset of 1 to 5 of the 6 never lands on the one asked.
    const shown = isYes ? asked : motions[(index + 1 + (index % 5)) % motions.length]!;
    return {
      problem_id: `q${index}`,
      problem: `Does the camera ${asked.replace('_', ' ')}?`,
      data_type: 'video',
      problem_type: 'multiple choice',
      options: ['A. No', 'B. Yes'],
      solution: `<answer>${isYes ? 'B' : 'A'}</answer>`,
      path: `video/${String(index).padStart(4, '0')}_${shown}.mp4`,
    };
  });
  const file = join(folder, 'questions.json');
  writeFileSync(file, JSON.stringify(records, null, 2));
  const project = join(folder, 'p.frustum');
  expect(frustum(['init', project]).code).toBe(0);
  expect(frustum(['import', project, file]).code).toBe(0);
  return project;
}

describe('frustum audit', () => {
  it('prints each shortcut with its verdict, and the same report as JSON', () => {
    const project = leakyProject();
    const text = frustum(['audit', project]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('== all samples (questions.json): 200 of 200 samples audited');
    expect(text.stdout).toMatch(/! clip name +100\.0 % +200 +explains 100\.0 % of answers against 50\.0 % for the majority letter and 50\.0 % chance: the clip names carry the label/);
    expect(text.stdout).toContain('explains 200 samples: ids 1, 2, 3');

    const { code, json } = frustumJson<AuditReport>(['audit', project]);
    expect(code).toBe(0);
    expect(json.splitBy).toBe('auto');
    const clipName = json.groups[0]!.shortcuts.find((shortcut) => shortcut.id === 'clip-name')!;
    expect(clipName.explainedIds).toHaveLength(200);
    expect(json.groups[0]!.holdout.method).toBe('clip-hash');
  });

  it('takes --split-by and refuses values it does not know (exit 2), and a missing project (exit 1)', () => {
    const project = leakyProject();
    expect(frustumJson<AuditReport>(['audit', project, '--split-by', 'split']).json.groups[0]!.holdout.description).toMatch(/^no 'train' and 'test' splits here/);
    const wrong = frustum(['audit', project, '--split-by', 'source']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("argument 'source' is invalid");
    expect(frustum(['audit', join(tempDir(), 'absent.frustum')]).code).toBe(1);
  });
});
