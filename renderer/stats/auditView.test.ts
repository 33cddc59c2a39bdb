import { describe, expect, it } from 'vitest';
import { MIN_EVALUATED } from '../../common/audit/audit';
import { barMarks, isFlagged, letterCounts, partitionGroups, percent, type AuditGroup, type AuditReport } from './auditView';

function group(key: string, evaluated: number, audited = evaluated): AuditGroup {
  return {
    key, label: key, samples: audited, audited, skipped: {}, letters: { B: 4, A: 56 }, optionCounts: { 2: audited },
    holdout: { method: 'clip-hash', description: '5 folds', fitted: evaluated, evaluated, clipsOnBothSides: 0 },
    chance: 0.5, majority: 0.933, majorityLetter: 'A', shortcuts: [], verdict: '',
  };
}

describe('the audit panel', () => {
  it('sets apart the groups with too few held-out samples to tell', () => {
    const report: AuditReport = { splitBy: 'auto', samples: 60, groups: [group('project', 60), group('Move_In.jsonl', 4), group('empty', MIN_EVALUATED, 0), group('edge', MIN_EVALUATED)] };
    const { told, tooFew } = partitionGroups(report);
    expect(told.map((item) => item.key)).toEqual(['project', 'edge']);
    expect(tooFew.map((item) => item.key)).toEqual(['Move_In.jsonl', 'empty']);
  });

  it('says what it found in the CLI\'s words', () => {
    expect(percent(0.9333)).toBe('93.3 %');
    expect(percent(Number.NaN)).toBe('–');
    expect(letterCounts({ B: 4, A: 56 })).toBe('A 56, B 4');
    expect(isFlagged({ level: 'imbalance' })).toBe(true);
    expect(isFlagged({ level: 'subsumed' })).toBe(false);
    expect(barMarks({ accuracy: 1.2, chance: 0.25, majority: 0.5 })).toEqual({ accuracy: 100, chance: 25, majority: 50 });
  });
});
