// A run's lineage as the steps of a chain: the dataset snapshot it asked about (its filter a link
// to the Library) → the training job whose checkpoint answered (a link to Train) → that
// checkpoint → the run with its settings; or, for an imported run, the file it came from.
import type { LibraryFilter, RunLineage } from '../../common/api/contract';
import { ENGINE_LABELS, filterSummary, OBJECTIVE_LABELS, shortHash, shortModel } from '../train/lineage';

export type LineageLink = { to: 'library'; filter: LibraryFilter } | { to: 'train'; jobId: number };

export interface LineageStep {
  kind: 'snapshot' | 'train' | 'checkpoint' | 'run' | 'source';
  title: string;
  lines: string[];
  link: LineageLink | null;
  /** What the link says. */
  linkLabel: string | null;
}

/** The last names of a checkpoint folder: "global_step_4/actor" → "global_step_4". */
export function checkpointName(path: string): string {
  const parts = path.replace(/^builtin:/, '').split(/[\\/]/).filter((part) => part !== '' && part !== 'actor');
  return parts.at(-1) ?? path;
}

export function lineageSteps(lineage: RunLineage): LineageStep[] {
  const steps: LineageStep[] = [];
  if (lineage.snapshotHash !== null || lineage.filter !== null) {
    const filter = lineage.filter ?? {};
    steps.push({
      kind: 'snapshot',
      title: 'Dataset snapshot',
      lines: [
        lineage.snapshotHash !== null ? `snapshot ${shortHash(lineage.snapshotHash)}` : 'no snapshot recorded',
        filterSummary(filter),
      ],
      link: lineage.filter !== null ? { to: 'library', filter } : null,
      linkLabel: lineage.filter !== null ? 'these samples in the Library' : null,
    });
  }
  const job = lineage.trainJob;
  if (job) {
    steps.push({
      kind: 'train',
      title: `Training job #${job.jobId}`,
      lines: [
        `${ENGINE_LABELS[job.engine]} ${OBJECTIVE_LABELS[job.objective]}`,
        [job.snapshotHash !== null ? `trained on snapshot ${shortHash(job.snapshotHash)}` : null, job.samples !== null ? `${job.samples.toLocaleString()} samples` : null].filter(Boolean).join(' · ') || 'training data not recorded',
      ],
      link: { to: 'train', jobId: job.jobId },
      linkLabel: 'open in Train',
    });
  }
  const checkpoint = lineage.checkpoint ?? (lineage.settings?.engine === 'builtin' ? lineage.settings.model : null);
  if (checkpoint !== null) {
    steps.push({ kind: 'checkpoint', title: 'Checkpoint', lines: [checkpointName(checkpoint), checkpoint], link: null, linkLabel: null });
  }
  if (lineage.kind !== 'inference' && lineage.source !== null) {
    steps.push({ kind: 'source', title: lineage.kind === 'scores' ? 'Imported scores' : 'Imported results', lines: [lineage.source], link: null, linkLabel: null });
  }
  steps.push({ kind: 'run', title: `This run #${lineage.runId}`, lines: runLines(lineage), link: null, linkLabel: null });
  return steps;
}

function runLines(lineage: RunLineage): string[] {
  const settings = lineage.settings;
  const created = `created ${lineage.createdAt.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '')}`;
  if (!settings) return [`model ${shortModel(lineage.model)}`, created];
  if (settings.engine === 'builtin') {
    return [
      `built-in model, checkpoint ${checkpointName(settings.model)}`,
      'reads motion evidence, not frames',
      `temperature ${settings.temperature} · max ${settings.maxTokens.toLocaleString()} tokens`,
      created,
    ];
  }
  const frames = settings.frames;
  return [
    `model ${settings.model}`,
    `endpoint ${settings.endpoint ?? '–'}`,
    `frames: ${frames.parts.replace('-', ' ')}, ${frames.sampling} ${frames.maxFrames} at ${frames.fps} fps, ≤ ${frames.maxPixels.toLocaleString()} px`,
    `temperature ${settings.temperature} · max ${settings.maxTokens.toLocaleString()} tokens`,
    created,
  ];
}
