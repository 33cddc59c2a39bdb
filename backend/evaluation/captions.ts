// CameraBench captioning for one run, as its evaluator scores a caption_results file
// (caption_evaluation.py, common/metrics/captions.ts): the run's captions against the items'
// reference captions, the mean of each metric over the valid captions. gen_match only with a
// judge the person names; otherwise "not computed", as the script reports null without an API key.
import type { EvalReport, EvalTable } from '../../common/api/contract';
import { GEN_MATCH_JUDGE, evaluateCaptionFile, judgeGenMatch, validCaptionRows, type CaptionRowInput } from '../../common/metrics/captions';
import type { RunItemRow } from '../../db/evaluation';
import { mapWithLimit, type Judge } from './judge';
import { countCell, fractionCell, itemState, linkOf, predictionText, runLabel, stateCounts, stateNotes, type RunInfo } from './runItems';

const BENCHMARK = 'camerabench-caption';

const METRICS = [
  { key: 'bleu2', label: 'BLEU-2' },
  { key: 'rouge_l', label: 'ROUGE-L' },
  { key: 'spice', label: 'SPICE*' },
  { key: 'cider', label: 'CIDEr*' },
  { key: 'meteor', label: 'METEOR*' },
  { key: 'gen_match', label: 'gen_match' },
] as const;

export async function captionReport(run: RunInfo, rows: readonly RunItemRow[], judge: Judge | null, wait: (seconds: number) => Promise<void> = sleep): Promise<EvalReport> {
  const link = linkOf(run.id, BENCHMARK);
  const counts = stateCounts(rows);
  // The file the generator would have written: one row per asked item, a failure as its error.
  const captions: CaptionRowInput[] = rows.filter((row) => itemState(row) !== 'pending').map((row) => ({
    reference_answer: row.reference ?? '',
    generated_caption: itemState(row) === 'failed' ? '' : (predictionText(row) ?? ''),
    error: itemState(row) === 'failed' ? (row.error ?? 'failed') : null,
  }));
  const file = { metadata: { model_name: run.model, checkpoint: null }, captions };
  let genMatch: number[] | null = null;
  if (judge !== null) {
    const valid = validCaptionRows(file);
    genMatch = await mapWithLimit(valid, judge.settings.concurrency ?? 8, (row) => judgeGenMatch(
      row.reference_answer ?? '',
      row.generated_caption ?? '',
      async (request) => (await judge.ask(request.messages[0]?.content ?? '', { maxTokens: request.max_tokens, temperature: request.temperature, topLogprobs: request.top_logprobs })).completion,
      wait,
    ));
  }
  const evaluation = evaluateCaptionFile(file, `run ${run.id}`, genMatch);
  const valid = evaluation?.valid_samples ?? 0;
  const table: EvalTable = {
    id: 'camerabench-caption/metrics',
    title: "CameraBench captioning (caption_evaluation.py's metrics, mean over valid captions)",
    columns: [{ key: 'samples', label: 'captions' }, { key: 'valid', label: 'valid' }, ...METRICS.map((metric) => ({ key: metric.key, label: metric.label }))],
    rows: evaluation === null ? [] : [{
      label: runLabel(run),
      basis: `CameraBench's caption_evaluation.py: each metric's mean over the ${valid} valid captions (no error, not empty); caption = the answer tag's text, else the whole output; ` +
        (judge === null ? 'gen_match not computed (no judge given)' : `gen_match judged by ${judge.label} with the script's prompt (the script uses ${GEN_MATCH_JUDGE.model})`),
      kind: 'run',
      runId: run.id,
      cells: [
        countCell(evaluation.total_samples, link),
        countCell(valid, link),
        fractionCell(evaluation.bleu2, valid, link),
        fractionCell(evaluation.rouge_l, valid, link),
        fractionCell(evaluation.spice, valid, link),
        fractionCell(evaluation.cider, valid, link),
        fractionCell(evaluation.meteor, valid, link),
        fractionCell(evaluation.gen_match, valid, link),
      ],
    }],
    notes: [
      '* SPICE, CIDEr and METEOR are CameraBench\'s own simplified re-implementations (unigram-set F1; cosine of word counts; 0.8/0.2 unigram/bigram precision and recall), not the standard metrics of those names: compare only with numbers from the same script.',
      'BLEU-2: NLTK sentence_bleu, weights (0.5, 0.5), smoothing method1, on the script\'s tokens; ROUGE-L: rouge_score rougeL F1 with the Porter stemmer.',
    ],
  };
  const notes = [
    judge === null
      ? 'gen_match: not computed. CameraBench asks GPT-4o whether each caption matches its reference; give a judge (frustum eval --judge-endpoint URL --judge-model NAME) to compute it.'
      : `gen_match: ${judge.label}, the script's prompt, temperature 0, 5 tokens, top-5 log-probs; a "yes" scores 1, a "no" 0, else P("yes") from the first token's log-probs; three failed calls score 0.5, as the script does.`,
    ...stateNotes(counts, 'rows with an error, which the evaluator counts in total_samples and leaves out of every mean.'),
  ];
  return {
    runId: run.id,
    model: run.model,
    benchmark: BENCHMARK,
    items: counts.items,
    answered: counts.answered,
    scoreSource: 'not-applicable',
    tables: [table],
    matrices: [],
    notes,
  };
}

function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
