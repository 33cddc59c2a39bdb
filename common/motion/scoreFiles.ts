// CameraBench score files for the analyzer, one per primitive, in the shape the official
// evaluator reads and backend/formats/exportFiles.ts writes for models (metadata + scores,
// json.dump indent 2), so `frustum score` grades the analyzer exactly as CameraBench grades a
// model: the score is the analyzer's P(Yes) stand-in, and a clip that could not be analyzed
// is a row with an error (the evaluator skips it), never a silent 0.
import { PRIMITIVES, type Primitive } from '../camerabench/primitives';
import { PyFloat, pyDumps, type PyJsonValue } from '../formats/pyjson';

export const ANALYZER_MODEL_NAME = 'frustum-analyzer';

export interface AnalyzerQuestion {
  sampleId: string;
  primitive: Primitive;
  /** As the clip is named in the score file (the evaluator keys on it; exportScores writes the base name). */
  videoPath: string;
  question: string;
  groundTruth: 'Yes' | 'No';
}

/** The analyzer's answer for one question's clip: its scores, or why there are none. */
export type ClipOutcome = { scores: Readonly<Record<Primitive, number>> } | { error: string };

export interface ScoreFileDocument {
  primitive: Primitive;
  /** File name as CameraBench's score writer names it. */
  fileName: string;
  text: string;
}

export function scoreFileName(modelName: string, primitive: Primitive): string {
  return `classification_scores_${modelName.replace(/[/\\:]/g, '_')}_${primitive}.json`;
}

/**
 * One document per primitive that has questions, in PRIMITIVES order; rows keep the questions'
 * order. `outcomeOf` maps a question to its clip's outcome (the caller keys clips by path).
 */
export function buildScoreFiles(
  questions: readonly AnalyzerQuestion[],
  outcomeOf: (question: AnalyzerQuestion) => ClipOutcome,
  options: { modelName?: string; checkpoint?: string | null; timestamp: string },
): ScoreFileDocument[] {
  const modelName = options.modelName ?? ANALYZER_MODEL_NAME;
  const documents: ScoreFileDocument[] = [];
  for (const primitive of PRIMITIVES) {
    const rows: PyJsonValue[] = [];
    for (const question of questions) {
      if (question.primitive !== primitive) continue;
      const outcome = outcomeOf(question);
      const isError = 'error' in outcome;
      rows.push({
        sample_id: question.sampleId,
        video_path: question.videoPath,
        question: question.question,
        ground_truth_label: question.groundTruth,
        method: modelName,
        // The official writer stores 0.0 for failed rows; the evaluator skips them by `error`.
        score: new PyFloat(isError ? 0 : outcome.scores[primitive]),
        error: isError ? outcome.error : null,
      });
    }
    if (rows.length === 0) continue;
    const document: PyJsonValue = {
      metadata: {
        model_name: modelName,
        checkpoint: options.checkpoint ?? null,
        split_name: primitive,
        method_type: 'geometric_analyzer',
        generation_timestamp: options.timestamp,
      },
      scores: rows,
    };
    documents.push({ primitive, fileName: scoreFileName(modelName, primitive), text: pyDumps(document, { indent: 2, ensureAscii: true }) });
  }
  return documents;
}
