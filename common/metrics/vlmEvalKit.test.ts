// VLMEvalKit's exact matching and report_acc, against what VLMEvalKit itself computed for the
// rows of tests/reference/vlmevalkit-cases.json (tests/reference/vlmEvalKitOracle.py ran
// ImageMCQDataset.evaluate_heuristic @ e8e78f05 and wrote vlmevalkit-expected.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXACT_MATCHING_FAILURE, accCsvText, canInfer, canInferOption, canInferText, cellAsRead, evalVanilla, predictionAsRead, reportAcc, xlsxWriterText, type VlmChoices } from './vlmEvalKit';

const REFERENCE = join(import.meta.dirname, '../../tests/reference');
type Row = Record<string, string | number>;
const CASES = JSON.parse(readFileSync(join(REFERENCE, 'vlmevalkit-cases.json'), 'utf8')) as { datasets: Array<{ name: string; columns: string[]; rows: Row[] }> };
const ORACLE = JSON.parse(readFileSync(join(REFERENCE, 'vlmevalkit-expected.json'), 'utf8')) as { datasets: Array<{ name: string; results: { rows: Array<Array<string | number | null>> }; acc_csv: string }> };

function choicesOf(row: Row, columns: readonly string[]): VlmChoices {
  return columns.filter((column) => /^[A-Z]$/.test(column)).map((letter) => [letter, String(row[letter])] as const);
}

describe('exact matching, row by row as VLMEvalKit matched them', () => {
  it.each(CASES.datasets.map((dataset) => [dataset.name, dataset] as const))('%s', (name, dataset) => {
    const oracle = ORACLE.datasets.find((entry) => entry.name === name);
    const byIndex = new Map((oracle?.results.rows ?? []).slice(1).map((row) => [row[0], row]));
    expect(byIndex.size).toBe(dataset.rows.length);
    const scored = dataset.rows.map((row) => {
      const match = evalVanilla(predictionAsRead(String(row['prediction'])), choicesOf(row, dataset.columns), String(row['answer']));
      const expected = byIndex.get(row['index'] as number) ?? [];
      // The result row ends in prediction (as read back), hit, log (as read back).
      expect([predictionAsRead(String(row['prediction'])), match.hit, cellAsRead(match.log)], `index ${row['index']}`).toEqual(expected.slice(-3));
      return { hit: match.hit, category: String(row['category']), ...(row['l2-category'] === undefined ? {} : { l2Category: String(row['l2-category']) }) };
    });
    expect(accCsvText(reportAcc(scored, dataset.columns.includes('l2-category')))).toBe(oracle?.acc_csv);
  });
});

describe('can_infer', () => {
  const choices: VlmChoices = [['A', 'Zoom in'], ['B', 'Arc'], ['C', 'Pan left'], ['D', 'Pull out']];

  it('takes a lone letter only among the last four tokens, else "answer is X", else a lone option text', () => {
    expect(canInferOption('I would say the answer is B', choices)).toBe('B');
    expect(canInferOption('B is my answer, as the frames show', choices)).toBeNull();
    expect(canInferOption('B is my answer', choices)).toBe('B');
    expect(canInferOption('The correct answer is **c**', choices)).toBe('C');
    expect(canInferOption('Cannot determine the answer', choices)).toBe('Z');
    expect(canInferOption('Failed to obtain answer via API. B', choices)).toBeNull();
    expect(canInferText('it is a pull out', choices)).toBe('D');
    // Longer than twice the options' 23 characters: not even looked at.
    expect(canInferText(`it is a pull out${' '.repeat(40)}`, choices)).toBeNull();
    expect(canInfer('zoom in or arc', choices)).toBeNull();
  });

  it('logs the prediction it matched, or the failure (whose full stop makes "..")', () => {
    expect(evalVanilla('B', choices, 'B')).toEqual({ hit: 1, log: 'Match Log: B. ', letter: 'B' });
    expect(evalVanilla('nan', choices, 'B')).toEqual({ hit: 0, log: `Match Log: ${EXACT_MATCHING_FAILURE}. `, letter: 'Z' });
    expect(EXACT_MATCHING_FAILURE.endsWith('policy.')).toBe(true);
  });
});

describe('workbook text', () => {
  it('is stored as xlsxwriter stores it and read back as pandas (openpyxl) reads it', () => {
    expect(xlsxWriterText('B\u0007 _x0041_')).toEqual({ text: 'B_x0007_ _x005F_x0041_', isCut: false });
    expect(cellAsRead('B\u0007 _x0041_')).toBe('B_x0007_ _x0041_');
    expect(predictionAsRead('')).toBe('nan');
    const long = 'é'.repeat(32_768);
    expect(xlsxWriterText(long)).toEqual({ text: 'é'.repeat(32_767), isCut: true });
  });
});
