// `frustum export --format camerabench-caption-results`: a run's captions as the
// `caption_results_*.json` file CameraBench's caption generator writes and its evaluator reads
// (camerabench/caption_generation.py and caption_evaluation.py, linzhiqiu/t2v_metrics @ 6ecb74f;
// evaluation.md §1.2). The file itself is common/metrics/captions.ts's (captionResultsFile and
// captionResultsText, checked byte for byte against the generator's own output); this file reads
// the captions (db/benchmarks.ts: benchmark 'camerabench-caption', the reference on the item)
// and what the run answered for each.
import { join } from 'node:path';
import { UsageError } from '../../common/errors';
import { captionResultsFile, captionResultsFileName, captionResultsText, pythonFileStamp, pythonIsoformat, type CaptionGenerationSample } from '../../common/metrics/captions';
import { benchmarkItems } from '../../db/benchmarks';
import type { ReadableDB } from '../../db/connection';
import { samplesForExport } from '../../db/exports';
import { predictionsOfRun } from '../../db/runs';
import { checkOutFolder, chosenRun, writeAtomically } from './exportCommon';
import type { ExportOptions, ExportReport } from './exportFiles';

/** caption_generation.py's --video_dir default: each row's full_video_path is this joined with its video. */
export const CAPTION_VIDEO_DIR = 'data/videos';

/**
 * The captions the run answered, in the order they were imported (caption_data.json's order),
 * each as the generator pairs a record with what the model said: the output text exactly (the
 * API wrappers' generate returns the message content as it came: gpt4v_model.py line 296), or,
 * for a failed request, its error (the generator writes "" as the caption and the message).
 */
export function captionSamplesOfRun(
  db: ReadableDB,
  runId: number,
  keep: ReadonlySet<number> | null = null,
): { samples: CaptionGenerationSample[]; skipped: Map<string, number> } {
  const predictions = new Map(predictionsOfRun(db, runId).map((row) => [row.sample_id, row]));
  const skipped = new Map<string, number>();
  const skip = (reason: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const samples: CaptionGenerationSample[] = [];
  for (const item of benchmarkItems(db, 'camerabench-caption')) {
    if (keep !== null && !keep.has(item.sample_id)) {
      skip('left out by --split / --status');
      continue;
    }
    const prediction = predictions.get(item.sample_id);
    if (prediction === undefined) {
      skip(`not asked in run ${runId}`);
      continue;
    }
    const video = item.clip_ref ?? item.clip_name ?? '';
    const record = { video, question: item.question, answer: item.reference ?? '' };
    if (prediction.error !== null) samples.push({ ...record, outcome: { error: prediction.error } });
    else if (prediction.output !== null) samples.push({ ...record, outcome: { caption: prediction.output } });
    else if (prediction.prediction !== null) samples.push({ ...record, outcome: { caption: prediction.prediction } });
    else skip('a prediction without text (a score)');
  }
  return { samples, skipped };
}

export function exportCaptionResults(db: ReadableDB, options: ExportOptions, outDir: string): ExportReport {
  const run = chosenRun(db, options.run);
  checkOutFolder(outDir, 'camerabench-caption-results', 'caption result files');
  const isFiltered = options.split !== undefined || options.status !== undefined;
  const keep = isFiltered ? new Set(samplesForExport(db, { split: options.split, status: options.status }).map((sample) => sample.id)) : null;
  const { samples, skipped } = captionSamplesOfRun(db, run.id, keep);
  if (samples.length === 0) {
    const why = benchmarkItems(db, 'camerabench-caption').length === 0
      ? 'this project holds no CameraBench captions: import caption_data.json first (--format camerabench-caption)'
      : `run ${run.id} answered none of the project's CameraBench captions`;
    throw new UsageError(why);
  }
  const now = new Date();
  const file = captionResultsFile(samples, {
    modelName: run.model,
    checkpoint: null,
    videoDir: options.videoDir ?? CAPTION_VIDEO_DIR,
    generationTimestamp: pythonIsoformat(now),
  });
  const path = join(outDir, captionResultsFileName(run.model, null, pythonFileStamp(now)));
  writeAtomically(path, captionResultsText(file));
  const errors = samples.filter((sample) => 'error' in sample.outcome).length;
  return {
    format: 'camerabench-caption-results',
    files: [path],
    records: samples.length,
    verbatim: 0,
    changed: 0,
    fresh: samples.length,
    skipped: [...skipped].map(([reason, count]) => ({ reason, count })),
    run: run.id,
    errors,
    ...(errors > 0 ? { notes: [`${errors} failed caption(s) written as the generator writes them: "generated_caption": "" and the error`] } : {}),
  };
}
