// A built-in checkpoint run over a project's CameraBench-style samples (a Yes/No question about
// one primitive, a clip with motion evidence) and scored the ways the results ask for:
// accuracy and format with CamReasoner's reward (common/ota), CameraBench's mean AP with
// score = P(Yes) from the answer token (common/metrics/camerabench, the official evaluator's
// arithmetic), and the share of chains the analyzer's reading contradicts (common/motion/chainCheck).
import { isPrimitive, letterOfOption, yesNoOfOption, type Primitive } from '../../common/camerabench/primitives';
import { evaluateScoreFile, summarizeSplits, type CameraBenchScoreRow } from '../../common/metrics/camerabench';
import { checkChainAgainstReading, unreliableReason } from '../../common/motion/chainCheck';
import { camReasonerReward } from '../../common/ota/reward';
import { parseStringArray } from '../../common/formats/jsonText';
import { loadLatestReadings, samplesForAnalysis } from '../../db/analysis';
import type { WritableDB } from '../../db/connection';
import { evidenceOfClips } from '../../db/evidence';
import { EVIDENCE_FEATURES } from '../../backend/motion/analyze/evidence';
import { ensureClipEvidence, EVIDENCE_SETTINGS } from '../../backend/motion/analyze/projectEvidence';
import { ProjectError } from '../../common/errors';
import { poolEvidence } from '../model/inputs';
import type { ModelInput } from '../model/reasoner';
import { openBuiltinReasoner } from './builtinReasoner';

export interface EvaluatedSample {
  sampleId: number;
  primitive: Primitive;
  answer: string;
  text: string;
  yesProbability: number | null;
  accuracy: number;
  format: number;
  /** Contradictions with the analyzer's reading; null when the reading is missing or not trusted. */
  contradictions: number | null;
}

export interface ProjectEvaluation {
  samples: EvaluatedSample[];
  accuracy: number;
  format: number;
  /** CameraBench: mean over primitives of AP with score = P(Yes) (0 where the chain has no answer). */
  meanAveragePrecision: number | null;
  /** Chains with at least one contradiction, among those whose clip has a trusted reading. */
  contradictionShare: number | null;
  /** What a model answering No to everything scores: the accuracy to beat. */
  majorityAccuracy: number;
}

export async function evaluateBuiltinOnProject(db: WritableDB, checkpointFolder: string, options: { signal?: AbortSignal } = {}): Promise<ProjectEvaluation> {
  const rows = samplesForAnalysis(db).filter((row) => row.clip_id !== null && row.answer !== null && row.primitive !== null && isPrimitive(row.primitive));
  const clipIds = [...new Set(rows.map((row) => row.clip_id as number))];
  await ensureClipEvidence(db, clipIds, options.signal ? { signal: options.signal } : {});
  const evidence = evidenceOfClips(db, clipIds, { settings: EVIDENCE_SETTINGS });
  const readings = loadLatestReadings(db).readings;
  const usable = rows.filter((row) => evidence.has(row.clip_id as number));
  const inputs: ModelInput[] = usable.map((row) => ({
    input: { question: row.question, options: parseStringArray(row.options) ?? [] },
    evidence: poolEvidence(evidence.get(row.clip_id as number) as { data: Float32Array; pairs: number; dims: number }),
  }));
  const reasoner = await openBuiltinReasoner(checkpointFolder);
  let answers;
  try {
    // Evidence of another feature version would be read as something it is not.
    if (reasoner.description.evidenceFeatures.join(',') !== EVIDENCE_FEATURES.join(',')) {
      throw new ProjectError(checkpointFolder, `was trained on motion evidence with other features (${reasoner.description.evidenceFeatures.length} of them) than this Frustum computes (${EVIDENCE_FEATURES.length}); train it again`);
    }
    answers = await reasoner.answer(inputs);
  } finally {
    await reasoner.close();
  }
  const samples = usable.map((row, index): EvaluatedSample => {
    const answer = answers[index] as (typeof answers)[number];
    const reward = camReasonerReward(answer.text, row.answer as string);
    const reading = readings.get(row.clip_id as number)?.reading;
    const primitive = row.primitive as Primitive;
    const contradictions = reading === undefined || unreliableReason(reading) !== null
      ? null
      : checkChainAgainstReading(answer.text, reading, { primitive, options: parseStringArray(row.options) ?? [] }).length;
    return { sampleId: row.id, primitive, answer: row.answer as string, text: answer.text, yesProbability: answer.yesProbability, accuracy: reward.accuracy, format: reward.format, contradictions };
  });
  return { samples, ...summarize(samples, usable.map((row) => ({ options: parseStringArray(row.options) ?? [], answer: row.answer as string }))) };
}

/** "Yes" or "No": what the reference letter's option says. */
function referenceLabel(question: { options: string[]; answer: string }): 'yes' | 'no' | null {
  const option = question.options.find((candidate) => letterOfOption(candidate) === question.answer.trim().toUpperCase());
  return option === undefined ? null : yesNoOfOption(option);
}

function summarize(samples: readonly EvaluatedSample[], questions: ReadonlyArray<{ options: string[]; answer: string }>): Omit<ProjectEvaluation, 'samples'> {
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const labels = questions.map(referenceLabel);
  const byPrimitive = new Map<Primitive, CameraBenchScoreRow[]>();
  samples.forEach((sample, index) => {
    const label = labels[index];
    if (label === null || label === undefined) return;
    const list = byPrimitive.get(sample.primitive) ?? [];
    // A chain without an answer scores 0, as the evaluator's writer scores a failed row.
    list.push({ video_path: String(sample.sampleId), question: '', ground_truth_label: label === 'yes' ? 'Yes' : 'No', method: 'builtin', score: sample.yesProbability ?? 0, error: null });
    byPrimitive.set(sample.primitive, list);
  });
  const splits = [...byPrimitive.entries()].map(([primitive, scores]) => evaluateScoreFile({ scores }, primitive));
  const checked = samples.filter((sample) => sample.contradictions !== null);
  return {
    accuracy: mean(samples.map((sample) => sample.accuracy)),
    format: mean(samples.map((sample) => sample.format)),
    meanAveragePrecision: summarizeSplits(splits)?.mean_average_precision ?? null,
    contradictionShare: checked.length === 0 ? null : checked.filter((sample) => (sample.contradictions ?? 0) > 0).length / checked.length,
    majorityAccuracy: labels.filter((label) => label === 'no').length / Math.max(1, samples.length),
  };
}
