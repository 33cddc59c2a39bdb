// The project's training runs, newest first: state, engine and objective, model, progress, and
// the lineage line — dataset snapshot (short hash, samples, filter) → the job (→ the jobs that
// resumed it) → its checkpoints with the last and best marked. A click shows a run; the box
// (or Space / X on the cursor run) adds it to the comparison on the same charts.
import type { Job, TrainRun } from '../../common/api/contract';
import { checkpointLabel, ENGINE_LABELS, filterSummary, OBJECTIVE_LABELS, resumesOf, shortHash, shortModel } from './lineage';

export interface RunItem {
  run: TrainRun;
  /** The job's row, with live progress; undefined when the jobs list does not reach back to it. */
  job: Job | undefined;
}

/** "14:02" today, "Dec 6" before: the list's time column stays narrow. */
function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const isToday = date.toDateString() === new Date().toDateString();
  return isToday ? date.toTimeString().slice(0, 5) : date.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

export function isOpenJob(job: Job | undefined): boolean {
  return job?.state === 'queued' || job?.state === 'running';
}

export function RunsList({ items, selectedId, compared, colours, onSelect, onToggleCompare }: {
  items: readonly RunItem[];
  selectedId: number | null;
  compared: ReadonlySet<number>;
  /** The colour each run draws with where it is on the charts. */
  colours: ReadonlyMap<number, string>;
  onSelect: (jobId: number) => void;
  onToggleCompare: (jobId: number) => void;
}) {
  const runs = items.map((item) => item.run);
  const move = (delta: number) => {
    const index = items.findIndex((item) => item.run.jobId === selectedId);
    const next = items[Math.max(0, Math.min(items.length - 1, (index < 0 ? (delta > 0 ? -1 : items.length) : index) + delta))];
    if (next) {
      onSelect(next.run.jobId);
      document.getElementById(`train-run-${next.run.jobId}`)?.scrollIntoView({ block: 'nearest' });
    }
  };
  return (
    <ol
      className="train-runs"
      data-testid="train-runs"
      role="listbox"
      aria-label="Training runs"
      aria-multiselectable="true"
      tabIndex={0}
      {...(selectedId !== null ? { 'aria-activedescendant': `train-run-${selectedId}` } : {})}
      onKeyDown={(event) => {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === 'ArrowDown' || event.key === 'j') move(1);
        else if (event.key === 'ArrowUp' || event.key === 'k') move(-1);
        else if (event.key === 'Home') move(-items.length);
        else if (event.key === 'End') move(items.length);
        else if ((event.key === ' ' || event.key === 'x') && selectedId !== null) onToggleCompare(selectedId);
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {items.length === 0 && <li className="muted runs-empty">No training runs yet. Start one with New run (N).</li>}
      {items.map(({ run, job }) => {
        const isSelected = run.jobId === selectedId;
        const isCompared = compared.has(run.jobId);
        const colour = colours.get(run.jobId);
        const state = job?.state ?? 'unknown';
        return (
          <li
            key={run.jobId}
            id={`train-run-${run.jobId}`}
            data-testid={`train-run-${run.jobId}`}
            role="option"
            aria-selected={isSelected}
            className={`train-run${isSelected ? ' selected' : ''}${isCompared ? ' compared' : ''}`}
            onClick={() => onSelect(run.jobId)}
          >
            <div className="run-line">
              <input
                type="checkbox"
                checked={isCompared}
                onChange={() => onToggleCompare(run.jobId)}
                onClick={(event) => event.stopPropagation()}
                aria-label={`Compare run #${run.jobId}`}
                title="Compare on the same charts (Space)"
              />
              {colour && <span className="run-swatch" style={{ background: colour }} />}
              <span className={`job-state ${state}`}>{state}</span>
              <strong>#{run.jobId}</strong>
              <span className="run-kind">{ENGINE_LABELS[run.engine]} {OBJECTIVE_LABELS[run.objective]}</span>
              <span className="run-model muted" title={run.model}>{shortModel(run.model)}</span>
              <span className="spacer" />
              {job && <span className="muted run-time" title={job.startedAt ?? job.createdAt}>{shortTime(job.startedAt ?? job.createdAt)}</span>}
            </div>
            {isOpenJob(job) && job && (
              <div className="run-progress">
                {job.total > 0 ? <progress value={job.done} max={job.total} /> : <progress />}
                <span className="muted">{job.total > 0 ? `${job.done.toLocaleString()} / ${job.total.toLocaleString()}` : job.message}</span>
              </div>
            )}
            {job?.state === 'failed' && job.error && <div className="run-error bad" title={job.error}>{job.error.split('\n')[0]}</div>}
            <Lineage run={run} runs={runs} isCompact />
          </li>
        );
      })}
    </ol>
  );
}

/** snapshot → job (→ resumes) → checkpoints, in one line (compact) or with the paths (the run's header). */
export function Lineage({ run, runs, isCompact = false }: { run: TrainRun; runs: readonly TrainRun[]; isCompact?: boolean }) {
  const resumes = resumesOf(run, runs);
  const checkpoints = [...run.checkpoints].sort((left, right) => left.step - right.step);
  const shown = isCompact && checkpoints.length > 3 ? checkpoints.filter((checkpoint, index) => checkpoint.isBest || checkpoint.isLast || index === checkpoints.length - 1) : checkpoints;
  const hidden = checkpoints.length - shown.length;
  return (
    <div className={isCompact ? 'lineage compact' : 'lineage'} data-testid={`lineage-${run.jobId}`}>
      {run.snapshot ? (
        <span className="lineage-snapshot" title={`dataset snapshot ${run.snapshot.hash}\nfilter: ${JSON.stringify(run.snapshot.filter)}`}>
          ⛁ <code>{shortHash(run.snapshot.hash)}</code> · {run.snapshot.samples.toLocaleString()} samples · {filterSummary(run.snapshot.filter)}
        </span>
      ) : <span className="muted">no snapshot</span>}
      <span className="lineage-arrow">→</span>
      <span className="lineage-job">{run.resumedFrom !== null ? `#${run.resumedFrom} ↻ ` : ''}#{run.jobId}</span>
      {resumes.length > 0 && (
        <span className="lineage-resumes" title="Jobs that resumed this run's folder">↻ resumed by {resumes.map((item) => `#${item.jobId}`).join(', ')}</span>
      )}
      {checkpoints.length > 0 && (
        <>
          <span className="lineage-arrow">→</span>
          <span className="lineage-checkpoints">
            {hidden > 0 && <span className="muted">{hidden} more · </span>}
            {shown.map((checkpoint) => (
              <span
                key={checkpoint.name}
                className={`checkpoint${checkpoint.isBest ? ' best' : ''}${checkpoint.isLast ? ' last' : ''}`}
                title={`${checkpoint.path}\nstep ${checkpoint.step} · weights: ${checkpoint.weights}`}
                data-testid="checkpoint"
              >
                {checkpointLabel(checkpoint)}
              </span>
            ))}
          </span>
        </>
      )}
      {!isCompact && <div className="lineage-folder muted">run folder <code>{run.runFolder}</code>{run.rayJobId ? <> · Ray job <code>{run.rayJobId}</code></> : null}</div>}
    </div>
  );
}
