// The words and grouping of the shortcut audit's panel (stats.audit, common/audit): which groups
// have enough held-out samples to tell anything, what each shortcut's level means, and where its
// accuracy sits against chance and the majority letter.
import type { MethodResponse } from '../../common/api/contract';
import { MIN_EVALUATED } from '../../common/audit/audit';

export type AuditReport = MethodResponse<'stats.audit'>;
export type AuditGroup = AuditReport['groups'][number];
export type AuditShortcut = AuditGroup['shortcuts'][number];

export const LEVEL_LABELS: Record<AuditShortcut['level'], string> = {
  shortcut: 'shortcut',
  imbalance: 'unbalanced letters',
  subsumed: 'no more than a simpler rule',
  none: '',
};

/** Groups whose held-out samples can tell something, and the rest (a verdict of "too few"). */
export function partitionGroups(report: AuditReport): { told: AuditGroup[]; tooFew: AuditGroup[] } {
  const told: AuditGroup[] = [];
  const tooFew: AuditGroup[] = [];
  for (const group of report.groups) (group.holdout.evaluated >= MIN_EVALUATED && group.audited > 0 ? told : tooFew).push(group);
  return { told, tooFew };
}

/** A shortcut or an imbalance: something that answers without the video. */
export function isFlagged(shortcut: Pick<AuditShortcut, 'level'>): boolean {
  return shortcut.level === 'shortcut' || shortcut.level === 'imbalance';
}

/** "93.3 %", as `frustum audit` prints it. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : '–';
}

/** "A 56, B 4": the reference letters, in letter order. */
export function letterCounts(letters: Record<string, number>): string {
  return Object.entries(letters).sort(([left], [right]) => left.localeCompare(right)).map(([letter, count]) => `${letter} ${count.toLocaleString()}`).join(', ');
}

/** Positions (0–100) on the accuracy bar: the shortcut's accuracy, chance and the majority letter. */
export function barMarks(shortcut: Pick<AuditShortcut, 'accuracy' | 'chance' | 'majority'>): { accuracy: number; chance: number; majority: number } {
  const clamp = (value: number) => Math.max(0, Math.min(100, Number.isFinite(value) ? value * 100 : 0));
  return { accuracy: clamp(shortcut.accuracy), chance: clamp(shortcut.chance), majority: clamp(shortcut.majority) };
}
