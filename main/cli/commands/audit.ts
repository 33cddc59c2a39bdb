// `frustum audit`: can the reference answer be predicted without the video? Each simple rule
// and the text-only classifier, fitted on one side and scored on the other, per group (the
// project, each imported file), against chance and the majority letter (common/audit).
import { MIN_EVALUATED, percentText, type AuditGroupReport, type ShortcutResult, type SplitBy } from '../../../common/audit/audit';
import { auditProject } from '../../../backend/evaluation/audit';
import { openProject } from '../../../db/connection';
import { printJson, printLines } from '../output';

const MARK: Record<ShortcutResult['level'], string> = { shortcut: '!', imbalance: '!', subsumed: '~', none: ' ' };
const SHOWN_IDS = 12;

export function run(project: string, options: { json?: boolean; splitBy?: SplitBy }): void {
  const db = openProject(project, { readonly: true });
  try {
    const report = auditProject(db, { splitBy: options.splitBy ?? 'auto' });
    if (options.json) {
      printJson(report);
      return;
    }
    const lines = [`${project}: can the reference answer be predicted without the video? (${report.samples} samples with a reference letter)`];
    if (report.groups.every((group) => group.audited === 0)) lines.push('  no sample has options and a reference letter: nothing to audit');
    for (const group of report.groups) lines.push('', ...groupLines(group));
    printLines(lines);
  } finally {
    db.close();
  }
}

function groupLines(group: AuditGroupReport): string[] {
  const skipped = Object.entries(group.skipped).filter(([, count]) => count > 0).map(([reason, count]) => `${count} ${reason}`);
  const letters = Object.entries(group.letters).sort(([a], [b]) => a.localeCompare(b)).map(([letter, count]) => `${letter} ${count}`).join(', ');
  const optionCounts = Object.entries(group.optionCounts).map(([count, samples]) => `${samples} with ${count}`).join(', ');
  const lines = [
    `== ${group.label}: ${group.audited} of ${group.samples} samples audited${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}`,
    `   answers ${letters || 'none'}; options: ${optionCounts || 'none'}`,
    `   held out: ${group.holdout.description}`,
    `   on ${group.holdout.evaluated} held-out samples: chance ${percentText(group.chance)}, majority letter ${group.majorityLetter || '-'} ${percentText(group.majority)}`,
    `   verdict: ${group.verdict}`,
  ];
  // Too few to tell: every row would say so.
  if (group.holdout.evaluated < MIN_EVALUATED) return lines;
  const width = Math.max(...group.shortcuts.map((shortcut) => shortcut.name.length));
  lines.push(`   ${'shortcut'.padEnd(width)}  accuracy  applies  verdict`);
  for (const shortcut of group.shortcuts) {
    const applies = String(shortcut.applies).padStart(7);
    lines.push(` ${MARK[shortcut.level]} ${shortcut.name.padEnd(width)}  ${percentText(shortcut.accuracy).padStart(8)}  ${applies}  ${shortcut.verdict}`);
  }
  for (const shortcut of group.shortcuts) {
    if (shortcut.level !== 'shortcut' && shortcut.level !== 'imbalance') continue;
    lines.push(`   ${shortcut.name} (${shortcut.title}):`);
    if (shortcut.id !== 'majority-letter') {
      for (const example of shortcut.examples.slice(0, 3)) {
        lines.push(example.letter
          ? `     · ${example.value} → ${example.letter} (${percentText(example.share)} of ${example.samples})`
          : `     · "${example.value}" is the answer in ${percentText(example.share)} of the ${example.samples} questions offering it`);
      }
    }
    for (const feature of shortcut.features.slice(0, 5)) {
      lines.push(`     · ${feature.description} → ${feature.letter} (${percentText(feature.share)} of ${feature.samples}, against ${percentText(feature.baseShare)} overall)`);
    }
    const ids = shortcut.explainedIds;
    lines.push(`     explains ${ids.length} samples: ids ${ids.slice(0, SHOWN_IDS).join(', ')}${ids.length > SHOWN_IDS ? ', … (--json lists them all)' : ''}`);
  }
  return lines;
}
