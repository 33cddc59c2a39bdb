// Test-only file access (the folder rule exempts tests): the table under test must be the
// official data's folder layout, which only Node can read.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VQA_SKILLS, VQA_TASK_SKILL, isMatchingRole, vqaSkillOf, VQA_ROLES } from './vqa';

const VQA_FOLDER = join(__dirname, '..', '..', '..', 'shared', 'data', 'camerabench', 'vqa_and_retrieval');

describe.runIf(existsSync(VQA_FOLDER))('CameraBench VQA skills and tasks', () => {
  it('are the official folders and task files, 9 skills and 81 tasks', () => {
    const layout: Record<string, string> = {};
    for (const skill of readdirSync(VQA_FOLDER).sort()) {
      for (const file of readdirSync(join(VQA_FOLDER, skill))) layout[file.replace(/\.jsonl$/, '')] = skill;
    }
    expect(Object.keys(layout)).toHaveLength(81);
    expect(Object.fromEntries(Object.entries(VQA_TASK_SKILL).sort())).toEqual(Object.fromEntries(Object.entries(layout).sort()));
    expect([...VQA_SKILLS].sort()).toEqual(readdirSync(VQA_FOLDER).sort());
  });
});

describe('vqaSkillOf', () => {
  it('takes the folder when it is a skill folder, else the task list, else nothing', () => {
    expect(vqaSkillOf('pan_left_vs_pan_right', 'motion_direction')).toBe('motion_direction');
    expect(vqaSkillOf('pan_left_vs_pan_right', 'converted_vqa_samples')).toBe('motion_direction');
    expect(vqaSkillOf('pan_left_vs_pan_right', null)).toBe('motion_direction');
    expect(vqaSkillOf('a_new_task', 'has_motion')).toBe('has_motion');
    expect(vqaSkillOf('a_new_task', 'elsewhere')).toBeNull();
    expect(vqaSkillOf('constructor', null)).toBeNull();
  });

  it('names the roles as CameraBench scores them, Yes for the two that match', () => {
    expect(VQA_ROLES.map(isMatchingRole)).toEqual([true, false, false, true]);
  });
});
