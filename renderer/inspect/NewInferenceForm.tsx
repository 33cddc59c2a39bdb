// A new inference run: an OpenAI-compatible server (endpoint, served model, the NAME of the
// environment variable with its API key, how frames are sampled and sent, generation limits and
// requests in flight) or a built-in checkpoint (training.runs lists them; the backend resolves
// the folder to its ONNX export). The samples are the Library's current filter. Start
// (Ctrl/⌘+Enter) freezes them and queues the run as a job. The form's state outlives it: Ask
// now can use these settings on one sample without starting a run.
import { useMemo, useState } from 'react';
import { EngineChoice } from '../app/EngineChoice';
import { RunFormShell } from '../app/RunFormShell';
import type { LibraryFilter } from '../../common/api/contract';
import { errorMessage, useClient, useQuery } from '../app/api';
import { cleanFilter, DEFAULT_SORT } from '../app/route';
import { filterSummary } from '../train/lineage';
import { builtinCheckpoints, NEWEST_CHECKPOINT, toInferenceRequest, type InferenceForm } from './inferenceForm';

const ENGINES: Array<{ engine: InferenceForm['engine']; label: string; hint: string }> = [
  { engine: 'openai', label: 'OpenAI-compatible server', hint: 'any /v1/chat/completions endpoint, e.g. vLLM serving CamReasoner-7B; frames are sent as CamReasoner\'s evaluation sends them' },
  { engine: 'builtin', label: 'Built-in checkpoint', hint: 'a checkpoint of the built-in reasoner (its ONNX export), run here on the CPU; it reads motion evidence, not frames' },
];
const SAMPLING_HINTS = { first: 'first: fps frames a second, the first “max frames” of them (CamReasoner\'s evaluation)', uniform: 'uniform: “max frames” frames spread over the whole clip' };
const PARTS_HINTS = {
  'images': 'images: one image part per frame (the reference)',
  'video-frames': 'video frames: the same JPEGs as one video part (for servers that cap images per prompt)',
  'video-file': 'video file: the clip itself as one video part, sampled by the server',
};

export function NewInferenceForm({ form, onForm, filter, onStarted, onCancel }: {
  form: InferenceForm;
  onForm: (form: InferenceForm) => void;
  /** The Library's current filter: the samples the run asks. */
  filter: LibraryFilter;
  onStarted: (runId: number) => void;
  onCancel: () => void;
}) {
  const client = useClient();
  const [isStarting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const clean = useMemo(() => cleanFilter(filter), [filter]);
  const isDefaultFilter = Object.keys(clean).length === 0;
  const { request, problems } = useMemo(() => toInferenceRequest(form, clean), [form, clean]);
  // How many samples the filter holds, as the Library counts them (the backend skips those without a clip).
  const count = useQuery('library.query', { filter: isDefaultFilter ? { media: ['ok'] } : clean, sort: DEFAULT_SORT, offset: 0, limit: 1 });
  const trainRuns = useQuery('training.runs', form.engine === 'builtin' ? { limit: 1000 } : null);
  const checkpoints = useMemo(() => builtinCheckpoints(trainRuns.data?.runs ?? []), [trainRuns.data]);
  const update = (patch: Partial<InferenceForm>) => {
    onForm({ ...form, ...patch });
    setStartError(null);
  };
  const canStart = problems.length === 0 && !isStarting;

  const start = async () => {
    if (!canStart) return;
    setStarting(true);
    setStartError(null);
    try {
      const started = await client.call('inference.start', request);
      onStarted(started.runId);
    } catch (error) {
      setStartError(errorMessage(error));
    } finally {
      setStarting(false);
    }
  };

  const field = (name: keyof InferenceForm, label: string, options: { placeholder?: string; title?: string; inputMode?: 'numeric' | 'decimal' } = {}) => (
    <label className="form-row">
      <span>{label}</span>
      <input
        value={form[name]}
        placeholder={options.placeholder}
        title={options.title}
        inputMode={options.inputMode}
        spellCheck={false}
        aria-label={label}
        onChange={(event) => update({ [name]: event.target.value })}
      />
    </label>
  );

  return (
    <RunFormShell className="inspect-new" formClassName="panel train-form inspect-form" testId="inspect-form" title="New inference run" onStart={start} onCancel={onCancel}>
      <EngineChoice engines={ENGINES} value={form.engine} name="inference-engine" onChange={(engine) => update({ engine })} />
      {form.engine === 'openai' ? (
        <>
          {field('endpoint', 'Endpoint', { placeholder: 'http://127.0.0.1:8000/v1', title: 'The server: http://host:8000, …/v1 or the full …/chat/completions' })}
          {field('model', 'Model', { placeholder: 'the served model name, e.g. CamReasoner-7B' })}
          {field('apiKeyEnv', 'API key variable', { placeholder: 'none (or the NAME of a variable, e.g. OPENAI_API_KEY)', title: 'The name of an environment variable of the studio\'s process that holds the key; the key itself is never stored' })}
          <fieldset>
            <legend>Frames</legend>
            <div className="choice-row">
              <span className="choice-label">sampling</span>
              {(['first', 'uniform'] as const).map((sampling) => (
                <label key={sampling} className="check" title={SAMPLING_HINTS[sampling]}>
                  <input type="radio" name="inference-sampling" checked={form.sampling === sampling} onChange={() => update({ sampling })} />
                  {sampling}
                </label>
              ))}
            </div>
            <div className="choice-row">
              <span className="choice-label">sent as</span>
              {(['images', 'video-frames', 'video-file'] as const).map((parts) => (
                <label key={parts} className="check" title={PARTS_HINTS[parts]}>
                  <input type="radio" name="inference-parts" checked={form.parts === parts} onChange={() => update({ parts })} />
                  {parts.replace('-', ' ')}
                </label>
              ))}
            </div>
            <div className="form-grid form-grid-3">
              {field('fps', 'fps', { inputMode: 'decimal' })}
              {field('maxFrames', 'Max frames', { inputMode: 'numeric' })}
              {field('maxPixels', 'Max pixels', { inputMode: 'numeric', title: 'Per frame, before Qwen\'s resize (1024 × 32 × 32 in CamReasoner\'s evaluation)' })}
            </div>
          </fieldset>
        </>
      ) : (
        <label className="form-row">
          <span>Checkpoint</span>
          <select value={form.checkpoint} onChange={(event) => update({ checkpoint: event.target.value })} aria-label="Checkpoint">
            <option value={NEWEST_CHECKPOINT}>newest built-in checkpoint</option>
            {checkpoints.map((choice) => <option key={choice.path} value={choice.path} title={choice.path}>{choice.label}</option>)}
            {form.checkpoint !== NEWEST_CHECKPOINT && !checkpoints.some((choice) => choice.path === form.checkpoint) && <option value={form.checkpoint}>{form.checkpoint}</option>}
          </select>
        </label>
      )}
      <div className="form-grid form-grid-3">
        {field('temperature', 'Temperature', { inputMode: 'decimal', title: '0: greedy, as CamReasoner\'s evaluation' })}
        {field('maxTokens', 'Max tokens', { inputMode: 'numeric' })}
        {form.engine === 'openai' && field('concurrency', 'Concurrency', { inputMode: 'numeric', title: 'Requests in flight at once' })}
      </div>
      <div className="inspect-samples" data-testid="inspect-form-samples">
        <span className="field-label">samples: the Library&apos;s current filter</span>
        <span>
          {isDefaultFilter ? 'every sample whose clip is on disk' : filterSummary(clean)}
          {count.data && <> · <strong>{count.data.total.toLocaleString()}</strong> sample{count.data.total === 1 ? '' : 's'}</>}
          {!isDefaultFilter && <span className="muted"> (those without a clip are skipped)</span>}
        </span>
      </div>
      {problems.length > 0 && <ul className="form-problems bad" data-testid="inspect-form-problems">{problems.map((problem) => <li key={problem}>{problem}</li>)}</ul>}
      {startError && <div className="banner bad-banner" data-testid="inspect-form-error">{startError}</div>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!canStart || count.data?.total === 0} data-testid="inspect-start" title="Start the run (Ctrl/⌘+Enter)">
          {isStarting ? 'Starting…' : count.data ? `Ask about ${count.data.total.toLocaleString()} sample${count.data.total === 1 ? '' : 's'}` : 'Start'}
        </button>
        {count.data?.total === 0 && <span className="bad">No samples match: change the Library&apos;s filter.</span>}
      </div>
    </RunFormShell>
  );
}
