// A new training run: engine (LLaMA-Factory SFT / EasyR1 GRPO / the built-in trainer, SFT or
// GRPO on this machine's CPU), model (for built-in GRPO the SFT checkpoint to start from), GPUs,
// nodes and Ray address (EasyR1), `key=value` overrides, which samples (splits, statuses, a Library saved
// view), and beside it the live preview of what the job will write and run (training.preview,
// after typing rests): each file in a tab, the command, the sample count, the dataset snapshot's
// hash and the notes on the defaults chosen. Start (Ctrl/⌘+Enter) launches it. A bad request's
// message shows where it applies, with the override rows it names marked.
import { useEffect, useMemo, useState } from 'react';
import { EngineChoice } from '../app/EngineChoice';
import { RunFormShell } from '../app/RunFormShell';
import type { Job, TrainPlan, TrainRun } from '../../common/api/contract';
import { REVIEW_STATUSES } from '../../common/api/contract';
import { errorMessage, useClient, useQuery } from '../app/api';
import { shortHash } from './lineage';
import { parseOverrideLines, rowsNamedIn, type OverrideRow } from './overrides';
import { builtinSftCheckpoints, EMPTY_FORM, formFields, formObjective, toTrainRequest, type Engine, type Objective, type TrainForm } from './trainForm';

const PREVIEW_DEBOUNCE_MS = 350;
const MODELS = ['Qwen/Qwen2.5-VL-7B-Instruct', 'Qwen/Qwen2.5-VL-3B-Instruct', 'Qwen/Qwen2.5-VL-32B-Instruct', 'Qwen/Qwen2.5-VL-72B-Instruct'];
const ENGINES: Array<{ engine: Engine; label: string; hint: string }> = [
  { engine: 'llamafactory', label: 'LLaMA-Factory · SFT', hint: 'supervised fine-tuning on the O-T-A chains' },
  { engine: 'easyr1', label: 'EasyR1 · GRPO', hint: 'reinforcement learning on the RL records with CamReasoner\'s reward' },
  { engine: 'builtin', label: 'Built-in · SFT or GRPO', hint: 'the built-in reasoner, a small GRU model; runs here on the CPU — no Python or GPU' },
];
const OBJECTIVES: Array<{ objective: Objective; label: string; hint: string }> = [
  { objective: 'sft', label: 'SFT', hint: 'supervised training on the O-T-A chains, from scratch' },
  { objective: 'grpo', label: 'GRPO', hint: 'reinforcement learning on the RL records with CamReasoner\'s reward, from an SFT checkpoint' },
];
/** Examples for the override hint and the paste box: keys of the file the engine reads. */
const OVERRIDE_HINTS: Record<Engine, { legend: string; lines: string }> = {
  llamafactory: { legend: 'keys of train.yaml (num_train_epochs=1)', lines: 'learning_rate=1e-5\nnum_train_epochs=1' },
  easyr1: { legend: 'dotted keys of config.yaml (worker.rollout.n=8)', lines: 'trainer.total_epochs=2\nworker.rollout.n=8' },
  builtin: { legend: 'dotted keys of builtin.yaml (trainer.total_epochs=20, worker.rollout.n=8)', lines: 'trainer.total_epochs=20\nworker.rollout.n=8' },
};
const CHECKPOINT_PLACEHOLDER = 'SFT checkpoint to start from (blank: the newest built-in SFT run\'s)';

/** The line of command.sh that starts the trainer (the script's comments and settings are in its tab). */
function commandLine(command: string): string {
  const lines = command.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  return lines.find((line) => line.startsWith('exec ')) ?? lines.at(-1) ?? command;
}

export function NewRunForm({ gpuCount, runs, onStarted, onCancel }: { gpuCount: number; runs: readonly TrainRun[]; onStarted: (job: Job) => void; onCancel: () => void }) {
  const client = useClient();
  const [form, setForm] = useState<TrainForm>(EMPTY_FORM);
  const [plan, setPlan] = useState<TrainPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [isPreviewing, setPreviewing] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [isStarting, setStarting] = useState(false);
  // The tab stays on its file while the plan changes; first the engine's config.
  const [filePath, setFilePath] = useState<string | null>(null);
  const [isPasting, setPasting] = useState(false);
  const facets = useQuery('library.facets', { filter: {} });
  const views = useQuery('views.list', {});
  const [viewName, setViewName] = useState('');

  const { request, problems } = useMemo(() => toTrainRequest(form), [form]);
  const fields = formFields(form);
  const objective = formObjective(form);
  const checkpoints = useMemo(() => builtinSftCheckpoints(runs), [runs]);
  const requestKey = JSON.stringify(request);

  // The preview follows the form once typing rests; an answer to an older form is dropped.
  useEffect(() => {
    if (problems.length > 0) {
      setPreviewing(false);
      return;
    }
    let isCurrent = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      client.call('training.preview', JSON.parse(requestKey) as typeof request).then(
        (answer) => {
          if (!isCurrent) return;
          setPlan(answer);
          setPlanError(null);
          setPreviewing(false);
        },
        (error: unknown) => {
          if (!isCurrent) return;
          setPlanError(errorMessage(error));
          setPreviewing(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, requestKey, problems.length]);

  const update = (patch: Partial<TrainForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setStartError(null);
  };
  const setRow = (index: number, patch: Partial<OverrideRow>) => update({ rows: form.rows.map((row, at) => (at === index ? { ...row, ...patch } : row)) });
  const addRow = () => update({ rows: [...form.rows, { key: '', value: '' }] });
  const removeRow = (index: number) => update({ rows: form.rows.length > 1 ? form.rows.filter((_, at) => at !== index) : [{ key: '', value: '' }] });

  const message = startError ?? planError;
  const badRows = new Set(message ? rowsNamedIn(message, form.rows) : []);
  // What starts is what the preview shows: not while a newer preview is on its way.
  const canStart = problems.length === 0 && !isStarting && !isPreviewing && plan !== null && planError === null && plan.samples > 0;

  const start = async () => {
    if (!canStart) return;
    setStarting(true);
    setStartError(null);
    try {
      onStarted(await client.call('training.start', request));
    } catch (error) {
      setStartError(errorMessage(error));
    } finally {
      setStarting(false);
    }
  };

  const files = plan?.files ?? [];
  const file = files.find((item) => item.path === filePath) ?? files.find((item) => /\.ya?ml$/.test(item.path) && !item.path.includes('data/')) ?? files[0];
  const splits = Object.entries(facets.data?.split ?? {}).sort(([left], [right]) => left.localeCompare(right));
  const statusCounts = facets.data?.status ?? {};

  return (
    <RunFormShell
      className="train-new"
      formClassName="panel train-form"
      testId="train-form"
      title="New training run"
      onStart={start}
      onCancel={onCancel}
      aside={(
        <section className={isPreviewing ? 'panel train-preview stale' : 'panel train-preview'} data-testid="train-preview" aria-busy={isPreviewing}>
          <header className="preview-head">
            <h3>Preview</h3>
            {plan && (
              <span className="preview-facts" data-testid="train-preview-facts">
                <strong>{plan.samples.toLocaleString()}</strong> samples · snapshot <code title={plan.snapshotHash}>{shortHash(plan.snapshotHash)}</code> · {plan.model}
              </span>
            )}
            <span className="spacer" />
            {isPreviewing && <span className="muted">updating…</span>}
          </header>
          {!plan && !planError && <div className="muted">Working out the files…</div>}
          {plan && (
            <>
              {plan.notes.length > 0 && (
                <ul className="preview-notes" data-testid="train-preview-notes">{plan.notes.map((note) => <li key={note}>{note}</li>)}</ul>
              )}
              <div className="preview-command" title={plan.command}><span className="field-label">runs</span><code>{commandLine(plan.command)}</code></div>
              <div className="file-tabs" role="tablist" aria-label="Files the run writes">
                {files.map((item) => (
                  <button
                    key={item.path}
                    type="button"
                    role="tab"
                    aria-selected={item === file}
                    className={item === file ? 'file-tab active' : 'file-tab'}
                    onClick={() => setFilePath(item.path)}
                    title={item.path}
                  >
                    {item.path.split('/').pop()}
                  </button>
                ))}
              </div>
              {file && <pre className="code-view" data-testid="train-preview-file" data-path={file.path} tabIndex={0} role="tabpanel">{file.text}</pre>}
            </>
          )}
        </section>
      )}
    >
      <EngineChoice engines={ENGINES} value={form.engine} name="engine" onChange={(engine) => update({ engine })} />
      {fields.hasObjectiveChoice && (
        <fieldset className="engine-choice objective-choice" data-testid="objective-choice">
          <legend>Objective</legend>
          {OBJECTIVES.map((choice) => (
            <label key={choice.objective} className={objective === choice.objective ? 'engine on' : 'engine'} title={choice.hint}>
              <input type="radio" name="objective" value={choice.objective} checked={objective === choice.objective} onChange={() => update({ objective: choice.objective })} />
              {choice.label}
            </label>
          ))}
        </fieldset>
      )}
      {fields.model === 'model' && (
        <label className="form-row">
          <span>Model</span>
          <input list="train-models" value={form.model} placeholder={`${MODELS[0]} (default)`} onChange={(event) => update({ model: event.target.value })} aria-label="Model" spellCheck={false} />
          <datalist id="train-models">{MODELS.map((model) => <option key={model} value={model} />)}</datalist>
        </label>
      )}
      {fields.model === 'checkpoint' && (
        <label className="form-row">
          <span>Start from</span>
          <input list="train-checkpoints" value={form.checkpoint} placeholder={CHECKPOINT_PLACEHOLDER} title={CHECKPOINT_PLACEHOLDER} onChange={(event) => update({ checkpoint: event.target.value })} aria-label="SFT checkpoint" spellCheck={false} />
          <datalist id="train-checkpoints">{checkpoints.map((folder) => <option key={folder} value={folder} />)}</datalist>
        </label>
      )}
      {fields.hasGpus && (
        <div className="form-grid">
          <label className="form-row">
            <span>GPUs per machine</span>
            <input inputMode="numeric" value={form.gpus} placeholder={gpuCount > 0 ? `all (${gpuCount})` : '1'} onChange={(event) => update({ gpus: event.target.value })} aria-label="GPUs" />
          </label>
          {fields.hasCluster && (
            <label className="form-row">
              <span>Nodes</span>
              <input inputMode="numeric" value={form.nodes} placeholder="1" onChange={(event) => update({ nodes: event.target.value })} aria-label="Nodes" />
            </label>
          )}
        </div>
      )}
      {fields.hasCluster && (
        <label className="form-row">
          <span>Ray cluster</span>
          <input value={form.rayAddress} placeholder="none: run here (or http://HEAD:8265 to submit to a cluster)" onChange={(event) => update({ rayAddress: event.target.value })} aria-label="Ray address" spellCheck={false} />
        </label>
      )}
      <fieldset className="sample-choice">
        <legend>Samples <span className="muted">(none chosen: the {objective === 'grpo' ? 'RL records' : 'SFT chains'} of split “train”)</span></legend>
        <div className="choice-row">
          <span className="choice-label">split</span>
          {splits.length === 0 && <span className="muted">–</span>}
          {splits.map(([split, count]) => (
            <label key={split} className="check">
              <input type="checkbox" checked={form.splits.includes(split)} onChange={(event) => update({ splits: event.target.checked ? [...form.splits, split] : form.splits.filter((item) => item !== split) })} />
              {split} <span className="muted">{count.toLocaleString()}</span>
            </label>
          ))}
        </div>
        <div className="choice-row">
          <span className="choice-label">status</span>
          {REVIEW_STATUSES.map((status) => (
            <label key={status} className="check">
              <input type="checkbox" checked={form.statuses.includes(status)} onChange={(event) => update({ statuses: event.target.checked ? [...form.statuses, status] : form.statuses.filter((item) => item !== status) })} />
              {status} <span className="muted">{(statusCounts[status] ?? 0).toLocaleString()}</span>
            </label>
          ))}
        </div>
        {(views.data?.views.length ?? 0) > 0 && (
          <div className="choice-row">
            <span className="choice-label">view</span>
            <select
              value={viewName}
              aria-label="Library saved view"
              onChange={(event) => {
                setViewName(event.target.value);
                update({ viewFilter: views.data?.views.find((view) => view.name === event.target.value)?.filter ?? null });
              }}
            >
              <option value="">no saved view</option>
              {views.data?.views.map((view) => <option key={view.name} value={view.name}>{view.name}</option>)}
            </select>
          </div>
        )}
      </fieldset>
      <fieldset className="overrides">
        <legend>
          Overrides <span className="muted" data-testid="override-hint">key=value, {OVERRIDE_HINTS[form.engine].legend}</span>
        </legend>
        {form.rows.map((row, index) => (
          <div key={index} className={badRows.has(index) ? 'override-row bad-row' : 'override-row'} data-testid="override-row">
            <input
              value={row.key}
              placeholder="key"
              aria-label={`Override ${index + 1} key`}
              spellCheck={false}
              onChange={(event) => setRow(index, { key: event.target.value })}
              onPaste={(event) => {
                const text = event.clipboardData.getData('text');
                if (!text.includes('\n') && !text.includes('=')) return;
                event.preventDefault();
                const pasted = parseOverrideLines(text);
                update({ rows: [...form.rows.slice(0, index), ...pasted, ...form.rows.slice(index + 1)] });
              }}
            />
            <span className="muted">=</span>
            <input
              value={row.value}
              placeholder="value"
              aria-label={`Override ${index + 1} value`}
              spellCheck={false}
              onChange={(event) => setRow(index, { value: event.target.value })}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && index === form.rows.length - 1) {
                  event.preventDefault();
                  addRow();
                }
              }}
            />
            <button type="button" className="icon" onClick={() => removeRow(index)} aria-label={`Remove override ${index + 1}`} title="Remove">×</button>
          </div>
        ))}
        <div className="row-buttons">
          <button type="button" onClick={addRow}>+ override</button>
          <button type="button" onClick={() => setPasting((open) => !open)}>{isPasting ? 'done pasting' : 'paste lines'}</button>
        </div>
        {isPasting && (
          <textarea
            className="paste-box"
            rows={4}
            placeholder={`one key=value a line\n${OVERRIDE_HINTS[form.engine].lines}`}
            aria-label="Overrides as lines"
            onBlur={(event) => {
              const pasted = parseOverrideLines(event.target.value);
              if (pasted.length > 0) update({ rows: [...form.rows.filter((row) => row.key.trim() !== '' || row.value.trim() !== ''), ...pasted] });
              setPasting(false);
            }}
          />
        )}
      </fieldset>
      {problems.length > 0 && (
        <ul className="form-problems bad" data-testid="train-form-problems">{problems.map((problem) => <li key={problem}>{problem}</li>)}</ul>
      )}
      {message && <div className="banner bad-banner" data-testid="train-form-error">{message}</div>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!canStart} data-testid="train-start" title="Start the run (Ctrl/⌘+Enter)">
          {isStarting ? 'Starting…' : plan ? `Start ${objective === 'grpo' ? 'GRPO' : 'SFT'} on ${plan.samples.toLocaleString()} samples` : 'Start'}
        </button>
        {plan && plan.samples === 0 && <span className="bad">No samples match: choose other splits or statuses.</span>}
      </div>
    </RunFormShell>
  );
}
