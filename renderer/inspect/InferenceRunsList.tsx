// The project's inference runs, newest first: state, what answered (engine and model), samples
// answered of those frozen, accuracy and errors; Cancel on a run being asked, Resume on a stopped
// run with samples left.
// ↑ / ↓ move through the list when it has the focus.
import type { InferenceRun } from '../../common/api/contract';
import { filterSummary } from '../train/lineage';
import { canResume, engineLabel, formatPercent, isRunGoing, modelLabel, runState } from './runLabels';

export function InferenceRunsList({ runs, selectedId, onSelect, onResume, onCancel, isLoading }: {
  runs: readonly InferenceRun[];
  selectedId: number | null;
  onSelect: (runId: number) => void;
  onResume: (runId: number) => void;
  /** Stops the job asking the run (answers stored so far are kept). */
  onCancel: (jobId: number) => void;
  isLoading: boolean;
}) {
  const move = (delta: number) => {
    const index = runs.findIndex((run) => run.id === selectedId);
    const next = runs[Math.max(0, Math.min(runs.length - 1, (index < 0 ? (delta > 0 ? -1 : runs.length) : index) + delta))];
    if (next) {
      onSelect(next.id);
      document.getElementById(`inference-run-${next.id}`)?.scrollIntoView({ block: 'nearest' });
    }
  };
  return (
    <ol
      className="train-runs inference-runs"
      data-testid="inference-runs"
      role="listbox"
      aria-label="Inference runs"
      tabIndex={0}
      {...(selectedId !== null ? { 'aria-activedescendant': `inference-run-${selectedId}` } : {})}
      onKeyDown={(event) => {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {runs.length === 0 && <li className="muted runs-empty">{isLoading ? 'Loading runs…' : 'No inference runs yet. Start one with New run (N), or import evaluation results (frustum import --format results).'}</li>}
      {runs.map((run) => {
        const state = runState(run);
        const isGoing = isRunGoing(run);
        return (
          <li
            key={run.id}
            id={`inference-run-${run.id}`}
            data-testid={`inference-run-${run.id}`}
            role="option"
            aria-selected={run.id === selectedId}
            className={`train-run${run.id === selectedId ? ' selected' : ''}`}
            onClick={() => onSelect(run.id)}
          >
            <div className="run-line">
              <span className={`job-state ${state === 'imported' || state === 'not started' ? 'unknown' : state}`} data-testid="inference-run-state">{state}</span>
              <strong>#{run.id}</strong>
              <span className="run-kind">{engineLabel(run)}</span>
              <span className="run-model muted" title={run.settings?.model ?? run.model}>{modelLabel(run)}</span>
            </div>
            <div className="run-progress">
              {isGoing && <progress value={run.done} max={Math.max(1, run.samples)} />}
              <span className="muted" data-testid="inference-run-done">{run.done.toLocaleString()} / {run.samples.toLocaleString()} answered</span>
              <span className="spacer" />
              <span title="CamReasoner's evaluator accuracy over the answered samples" data-testid="inference-run-accuracy">acc {formatPercent(run.accuracy)}</span>
              {run.errors > 0 && <span className="bad" title="Samples whose request failed">{run.errors} error{run.errors === 1 ? '' : 's'}</span>}
            </div>
            {run.filter && <div className="lineage compact muted" title={JSON.stringify(run.filter)}>samples: {filterSummary(run.filter)}</div>}
            {isGoing && run.jobId !== null && (
              <div className="run-actions">
                <button
                  onClick={(event) => {
                    event.stopPropagation();
                    if (run.jobId !== null) onCancel(run.jobId);
                  }}
                  data-testid={`inference-cancel-${run.id}`}
                  title="Stop asking (the answers so far are kept; Resume asks the rest)"
                >
                  Cancel
                </button>
              </div>
            )}
            {canResume(run) && (
              <div className="run-actions">
                <button
                  onClick={(event) => {
                    event.stopPropagation();
                    onResume(run.id);
                  }}
                  data-testid={`inference-resume-${run.id}`}
                  title="A new job asks the samples without an answer (answered ones are kept)"
                >
                  Resume
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
