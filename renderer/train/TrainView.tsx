// Train: the project's training runs (with their lineage) on the left, and on the right either a
// new run's form with its live preview, or the chosen run — live charts (compared with the runs
// ticked), log, Cancel / Resume, and the GRPO rollout inspector. Below the runs: what this
// machine has for the trainers (Python, LLaMA-Factory, EasyR1's verl, GPUs) and every job.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Job, TrainingEnvironment } from '../../common/api/contract';
import { useClient, useQuery } from '../app/api';
import { JobRow } from '../app/JobsMenu';
import { DEFAULT_SORT, type Route } from '../app/route';
import { isTextTarget } from '../app/shortcuts';
import { createMetricsHub, type MetricsHub } from './metricsHub';
import { NewRunForm } from './NewRunForm';
import { RUN_COLOURS, type ChartRun } from './RunCharts';
import { RunDetail, type ChartSettings } from './RunDetail';
import { RunsList, type RunItem } from './RunsList';
import { clampWeight } from './smoothing';

const SETTINGS_KEY = 'frustum.train.charts';
/** A training job's progress lands a checkpoint now and then: the runs' lineage is read again at most this often. */
const RUNS_REFRESH_MS = 3000;

/** The run shown and the runs compared, kept while the studio is open: a look at Review and back finds them again. */
const remembered: { selectedId: number | null; compareOrder: number[] } = { selectedId: null, compareOrder: [] };

/** Shows this training job the next time Train opens (an Evaluate lineage's "open in Train"). */
export function rememberTrainRun(jobId: number): void {
  remembered.selectedId = jobId;
}

function loadSettings(): ChartSettings {
  try {
    const stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<ChartSettings>;
    return {
      smoothing: typeof stored.smoothing === 'number' ? clampWeight(stored.smoothing) : 0.6,
      isLog: stored.isLog === true,
      extraKeys: Array.isArray(stored.extraKeys) ? stored.extraKeys.filter((key): key is string => typeof key === 'string') : [],
    };
  } catch {
    return { smoothing: 0.6, isLog: false, extraKeys: [] };
  }
}

export function TrainView({ route, setRoute }: { route: Route; setRoute: (route: Route) => void }) {
  const client = useClient();
  // One hub for the view's life: it follows the runs shown, and lets go of its event listener when the view goes.
  const [hub, setHub] = useState<MetricsHub | null>(null);
  useEffect(() => {
    const created = createMetricsHub(client);
    setHub(created);
    return () => created.dispose();
  }, [client]);

  // The host keeps its last look a minute; "look again" asks it to probe anew (something was just installed).
  const [hasAskedAgain, setAskedAgain] = useState(false);
  const environment = useQuery('training.environment', hasAskedAgain ? { refresh: true } : {}, { refresh: false });
  const lookAgain = () => (hasAskedAgain ? environment.reload() : setAskedAgain(true));
  const runsQuery = useQuery('training.runs', { limit: 200 });
  const jobs = useQuery('jobs.list', { limit: 1000 });
  const reloadRuns = runsQuery.reload;
  const reloadJobs = jobs.reload;
  const reloadBoth = useCallback(() => {
    reloadRuns();
    reloadJobs();
  }, [reloadRuns, reloadJobs]);

  // Progress moves the bars in place; a job that starts or ends reloads the lists.
  const [live, setLive] = useState<Map<number, Pick<Job, 'state' | 'done' | 'total' | 'message'>>>(new Map());
  const knownJobs = useRef(new Set<number>());
  knownJobs.current = new Set((jobs.data?.jobs ?? []).map((job) => job.id));
  const runIds = useRef(new Set<number>());
  runIds.current = new Set((runsQuery.data?.runs ?? []).map((run) => run.jobId));
  useEffect(() => {
    let lastRunsReload = 0;
    const offProgress = client.on('job.progress', (event) => {
      setLive((current) => new Map(current).set(event.jobId, { state: event.state, done: event.done, total: event.total, message: event.message }));
      if (!knownJobs.current.has(event.jobId)) reloadBoth();
      else if (runIds.current.has(event.jobId) && Date.now() - lastRunsReload > RUNS_REFRESH_MS) {
        lastRunsReload = Date.now();
        reloadRuns();
      }
    });
    const offFinished = client.on('job.finished', (event) => {
      setLive((current) => {
        const next = new Map(current);
        next.delete(event.jobId);
        return next;
      });
      reloadBoth();
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [client, reloadBoth, reloadRuns]);

  const runs = useMemo(() => runsQuery.data?.runs ?? [], [runsQuery.data]);
  const items = useMemo<RunItem[]>(() => {
    const byId = new Map((jobs.data?.jobs ?? []).map((job) => [job.id, job]));
    return runs.map((run) => {
      const job = byId.get(run.jobId);
      return { run, job: job ? { ...job, ...live.get(run.jobId) } : undefined };
    });
  }, [runs, jobs.data, live]);

  const [selectedId, setSelectedId] = useState<number | null>(remembered.selectedId);
  const [isFormOpen, setFormOpen] = useState(false);
  const [compareOrder, setCompareOrder] = useState<number[]>(remembered.compareOrder);
  useEffect(() => {
    remembered.selectedId = selectedId;
    remembered.compareOrder = compareOrder;
  }, [selectedId, compareOrder]);
  const [settings, setSettings] = useState<ChartSettings>(loadSettings);
  const [rolloutStep, setRolloutStep] = useState<number | null | undefined>(undefined);
  const changeSettings = useCallback((patch: Partial<ChartSettings>) => {
    setSettings((current) => {
      const next = { ...current, ...patch };
      try {
        localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
      } catch {
        // Storage may be full or refused: the settings still apply to this window.
      }
      return next;
    });
  }, []);

  // On the first answer: the run shown when the view was last open, else the newest, else the form.
  const hasChosen = useRef(false);
  useEffect(() => {
    if (hasChosen.current || !runsQuery.data) return;
    hasChosen.current = true;
    const { runs: listed } = runsQuery.data;
    if (selectedId !== null && listed.some((run) => run.jobId === selectedId)) return;
    const newest = listed[0];
    if (newest) setSelectedId(newest.jobId);
    else setFormOpen(true);
  }, [runsQuery.data, selectedId]);

  const select = useCallback((jobId: number) => {
    setSelectedId((current) => {
      if (current !== jobId) setRolloutStep(undefined);
      return jobId;
    });
    setFormOpen(false);
  }, []);
  const toggleCompare = useCallback((jobId: number) => {
    setCompareOrder((order) => (order.includes(jobId) ? order.filter((id) => id !== jobId) : [...order, jobId]));
  }, []);

  const colours = useMemo(() => {
    const map = new Map<number, string>();
    if (selectedId !== null) map.set(selectedId, RUN_COLOURS[0] as string);
    for (const jobId of compareOrder) {
      if (map.has(jobId)) continue;
      map.set(jobId, RUN_COLOURS[map.size % RUN_COLOURS.length] as string);
    }
    return map;
  }, [selectedId, compareOrder]);
  const comparedRuns = useMemo<ChartRun[]>(() => {
    const existing = new Set(runs.map((run) => run.jobId));
    return compareOrder
      .filter((jobId) => jobId !== selectedId && existing.has(jobId))
      .map((jobId) => ({ jobId, label: `#${jobId}`, colour: colours.get(jobId) ?? '#888' }));
  }, [compareOrder, selectedId, colours, runs]);
  const compared = useMemo(() => new Set(compareOrder), [compareOrder]);

  const selected = items.find((item) => item.run.jobId === selectedId);
  const openSample = useCallback((sampleId: number) => setRoute({ ...route, tab: 'review', sampleId, filter: {}, sort: DEFAULT_SORT }), [route, setRoute]);
  const started = useCallback((job: Job) => {
    reloadBoth();
    setSelectedId(job.id);
    setRolloutStep(undefined);
    setFormOpen(false);
  }, [reloadBoth]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTextTarget(event.target)) return;
      if ((event.target as HTMLElement | null)?.closest?.('.rollout-inspector, .train-form')) return;
      const key = event.key.toLowerCase();
      if (key === 'n') setFormOpen(true);
      else if (key === 'escape' && isFormOpen && selectedId !== null) setFormOpen(false);
      else if (key === 'l' && !isFormOpen) changeSettings({ isLog: !settings.isLog });
      else if (key === 'r' && !isFormOpen && selected?.run.objective === 'grpo') setRolloutStep((step) => (step === undefined ? null : undefined));
      else if ((key === 'j' || key === 'k') && items.length > 0) {
        const index = items.findIndex((item) => item.run.jobId === selectedId);
        const next = items[Math.max(0, Math.min(items.length - 1, index + (key === 'j' ? 1 : -1)))];
        if (next) select(next.run.jobId);
      } else if (key === 'x' && selectedId !== null) toggleCompare(selectedId);
      else return;
      event.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [isFormOpen, selectedId, settings.isLog, changeSettings, selected, items, select, toggleCompare]);

  const gpuCount = environment.data?.gpus.length ?? 0;
  return (
    <div className="train" data-testid="train">
      <aside className="train-side">
        <div className="train-side-head">
          <h3>Runs</h3>
          <span className="spacer" />
          <button className="primary" onClick={() => setFormOpen(true)} data-testid="train-new" title="New training run (N)">New run</button>
        </div>
        <RunsList items={items} selectedId={isFormOpen ? null : selectedId} compared={compared} colours={colours} onSelect={select} onToggleCompare={toggleCompare} />
        <details className="panel train-environment" open={runsQuery.data !== undefined && runsQuery.data.runs.length === 0}>
          <summary>
            <span>This machine</span>
            {environment.data && <EnvironmentSummary found={environment.data} />}
            <span className="spacer" />
            <button className="link" onClick={(event) => {
              event.preventDefault();
              lookAgain();
            }} disabled={environment.isLoading}>{environment.isLoading ? 'looking…' : 'look again'}</button>
          </summary>
          {environment.data ? <Environment found={environment.data} /> : <div className="muted">{environment.error ? 'Could not look.' : 'Looking for Python, LLaMA-Factory, EasyR1 and GPUs…'}</div>}
        </details>
        <details className="panel train-jobs">
          <summary>All jobs <span className="muted">({jobs.data?.jobs.length ?? 0})</span></summary>
          {(jobs.data?.jobs.length ?? 0) === 0 && <div className="muted">No jobs in this project yet.</div>}
          <ol className="jobs-list">
            {(jobs.data?.jobs ?? []).slice(0, 50).map((job) => <JobRow key={job.id} job={{ ...job, ...live.get(job.id) }} onCancelled={reloadBoth} />)}
          </ol>
        </details>
      </aside>
      <section className="train-main">
        {isFormOpen ? (
          <NewRunForm gpuCount={gpuCount} runs={runs} onStarted={started} onCancel={() => setFormOpen(false)} />
        ) : selected && hub ? (
          <RunDetail
            key={selected.run.jobId}
            run={selected.run}
            job={selected.job}
            runs={runs}
            compared={comparedRuns}
            hub={hub}
            settings={settings}
            onSettings={changeSettings}
            rolloutStep={rolloutStep}
            onRolloutStep={setRolloutStep}
            onSelectRun={select}
            onUncompare={toggleCompare}
            onOpenSample={openSample}
            onChanged={reloadBoth}
          />
        ) : (
          <div className="empty-view">{runsQuery.isLoading ? 'Loading runs…' : 'Choose a run, or start a new one (N).'}</div>
        )}
      </section>
    </div>
  );
}

function EnvironmentSummary({ found }: { found: TrainingEnvironment }) {
  const parts: Array<[string, boolean]> = [
    [`Python ${found.python.version ?? ''}`.trim(), found.python.error === undefined],
    ['LLaMA-Factory', found.llamafactory.error === undefined],
    ['EasyR1', found.verl.isImportable],
    [`${found.gpus.length} GPU${found.gpus.length === 1 ? '' : 's'}`, found.gpus.length > 0],
    ['Built-in', true],
  ];
  return (
    <span className="environment-summary">
      {parts.map(([name, isOk]) => <span key={name} className={isOk ? 'ok' : 'bad'}>{isOk ? '✓' : '✗'} {name}</span>)}
    </span>
  );
}

function Environment({ found }: { found: TrainingEnvironment }) {
  const rows: Array<[string, string, boolean]> = [
    ['Python', found.python.error === undefined ? `${found.python.version ?? '?'} — ${found.python.path ?? found.python.command}` : found.python.error, found.python.error === undefined],
    ['LLaMA-Factory (SFT)', found.llamafactory.error === undefined ? `${found.llamafactory.version ?? 'found'} — ${found.llamafactory.path ?? ''}` : found.llamafactory.error, found.llamafactory.error === undefined],
    ['EasyR1 (GRPO)', found.verl.isImportable ? `verl ${found.verl.version ?? ''}` : (found.verl.error ?? 'verl does not import'), found.verl.isImportable],
    ['GPUs', found.gpus.length > 0
      ? found.gpus.map((gpu) => `${gpu.index}: ${gpu.name}, ${(gpu.memoryFreeMiB / 1024).toFixed(1)} of ${(gpu.memoryTotalMiB / 1024).toFixed(1)} GiB free`).join(' · ')
      : (found.nvidiaSmi.error ?? 'none'), found.gpus.length > 0],
    // Needs none of the above: TensorFlow.js and onnxruntime ship with Frustum (frustum doctor names the backend).
    ['Built-in (SFT and GRPO)', 'runs here on the CPU, or the GPU with tfjs-node-gpu', true],
  ];
  return (
    <>
      <dl className="environment">
        {rows.map(([name, value, isOk]) => (
          <div key={name} className="environment-row" data-testid={`environment-${name.split(' ')[0]?.toLowerCase() ?? name}`}>
            <dt>{name}</dt>
            <dd className={isOk ? 'ok' : 'bad'}>{isOk ? '✓ ' : '✗ '}{value}</dd>
          </div>
        ))}
      </dl>
      {found.missing.length > 0 && (
        <ul className="install-hints">
          {found.missing.map((item) => (
            <li key={item.what}>To get {item.what}: <code>{item.install}</code></li>
          ))}
        </ul>
      )}
    </>
  );
}
