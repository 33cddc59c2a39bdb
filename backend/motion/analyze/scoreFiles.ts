// Writes the analyzer's CameraBench score files (common/motion/scoreFiles builds them) into a
// folder, each file written whole under a temporary name and renamed, so an interrupted run
// never leaves a half file that the evaluator would choke on.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScoreFiles, type AnalyzerQuestion, type ClipOutcome } from '../../../common/motion/scoreFiles';

export function writeAnalyzerScoreFiles(
  outDir: string,
  questions: readonly AnalyzerQuestion[],
  outcomeOf: (question: AnalyzerQuestion) => ClipOutcome,
  options: { modelName?: string; timestamp?: string } = {},
): string[] {
  mkdirSync(outDir, { recursive: true });
  const documents = buildScoreFiles(questions, outcomeOf, { modelName: options.modelName, timestamp: options.timestamp ?? new Date().toISOString() });
  return documents.map((document) => {
    const file = join(outDir, document.fileName);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, document.text);
    renameSync(temporary, file);
    return file;
  });
}
