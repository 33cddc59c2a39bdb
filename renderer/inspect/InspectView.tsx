// Inspect: what a model said about the samples. The project's inference runs on the left (with
// Resume for a stopped one, and New run's form), a run's samples in the middle (virtualised,
// "only wrong"), and the chosen sample on the right: the frames the model received, its output
// with the O-T-A sections coloured, claims linked to frames and time, the analyzer's
// contradictions flagged as hallucinations, the reference chain, another run's answer as a word
// diff, "Make this the chain", and Ask now, streamed live. Keys: app/shortcuts.ts, "Inspect".
// An Evaluate cell opens a run here with its sample list kept to that benchmark's items (and
// split): the route's `inspect`, a removable chip over the list.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useCall, useClient, useNotify, useQuery } from '../app/api';
import type { InspectFocus, Route } from '../app/route';
import { isTextTarget } from '../app/shortcuts';
import { InferenceRunsList } from './InferenceRunsList';
import { DEFAULT_INFERENCE_FORM, toInferenceSettings, type InferenceForm } from './inferenceForm';
import { NewInferenceForm } from './NewInferenceForm';
import { PredictionList, type PredictionListHandle } from './PredictionList';
import { SampleInspector } from './SampleInspector';

/** A run's answers land many a second: its rows and the runs' counts are read again at most this often. */
const PROGRESS_REFRESH_MS = 700;

/**
 * What the view showed last, kept while the studio is open: a look at Review and back finds it
 * again. `focusKey`: the route's focus last applied, so that coming back to the same one keeps the
 * sample shown, while a new one (another Evaluate cell) starts at its first item.
 */
const remembered: { runId: number | null; sampleId: number | null; onlyWrong: boolean; form: InferenceForm; focusKey: string | null } = {
  runId: null, sampleId: null, onlyWrong: false, form: DEFAULT_INFERENCE_FORM, focusKey: null,
};

const focusKeyOf = (focus: InspectFocus | undefined): string | null => (focus ? JSON.stringify(focus) : null);

export function InspectView({ route, setRoute }: { route: Route; setRoute: (route: Route, options?: { replace?: boolean }) => void }) {
  const client = useClient();
  const call = useCall();
  const notify = useNotify();
  const runsQuery = useQuery('inference.runs', { limit: 200 });
  const runs = useMemo(() => runsQuery.data?.runs ?? [], [runsQuery.data]);
  const focus = route.inspect;
  const focusKey = focusKeyOf(focus);
  const isNewFocus = focusKey !== null && focusKey !== remembered.focusKey;
  const [runId, setRunId] = useState<number | null>(isNewFocus && focus ? focus.runId : remembered.runId);
  const [sampleId, setSampleId] = useState<number | null>(isNewFocus ? null : remembered.sampleId);
  const [onlyWrong, setOnlyWrong] = useState(remembered.onlyWrong);
  const [form, setForm] = useState<InferenceForm>(remembered.form);
  const [isFormOpen, setFormOpen] = useState(false);
  // Bumped when the shown run stored more answers: the list refetches the rows it holds.
  const [rowsEpoch, setRowsEpoch] = useState(0);
  const listRef = useRef<PredictionListHandle>(null);
  useEffect(() => {
    Object.assign(remembered, { runId, sampleId, onlyWrong, form });
  }, [runId, sampleId, onlyWrong, form]);

  // A new focus (an Evaluate cell, Back or Forward): its run, from its first item.
  const focusRunId = focus?.runId ?? null;
  useEffect(() => {
    if (focusKey === remembered.focusKey) return;
    remembered.focusKey = focusKey;
    if (focusRunId === null) return;
    setRunId(focusRunId);
    setSampleId(null);
    setFormOpen(false);
  }, [focusKey, focusRunId]);
  // Another run chosen here keeps the benchmark filter, and the route follows.
  const routeRef = useRef(route);
  routeRef.current = route;
  const followFocus = useCallback((id: number) => {
    const current = routeRef.current;
    if (!current.inspect || current.inspect.runId === id) return;
    const inspect = { ...current.inspect, runId: id };
    remembered.focusKey = focusKeyOf(inspect);
    setRoute({ ...current, inspect }, { replace: true });
  }, [setRoute]);
  const clearFocus = useCallback(() => {
    const { inspect: _dropped, ...rest } = routeRef.current;
    remembered.focusKey = null;
    setRoute(rest);
  }, [setRoute]);

  // On the first answer: the run shown last, else the newest, else the form.
  const hasChosen = useRef(false);
  useEffect(() => {
    if (hasChosen.current || !runsQuery.data) return;
    hasChosen.current = true;
    const listed = runsQuery.data.runs;
    if (runId !== null && listed.some((run) => run.id === runId)) return;
    const newest = listed[0];
    if (newest) setRunId(newest.id);
    else setFormOpen(true);
  }, [runsQuery.data, runId]);

  const reloadRuns = runsQuery.reload;
  const runIdRef = useRef(runId);
  runIdRef.current = runId;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let isShownRun = false;
    // One refresh per PROGRESS_REFRESH_MS however many answers arrive: a burst is one refetch.
    const offProgress = client.on('inference.progress', (event) => {
      isShownRun ||= event.runId === runIdRef.current;
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        if (isShownRun) setRowsEpoch((value) => value + 1);
        isShownRun = false;
        reloadRuns();
      }, PROGRESS_REFRESH_MS);
    });
    const offFinished = client.on('job.finished', (event) => {
      if (event.kind !== 'infer') return;
      reloadRuns();
      setRowsEpoch((value) => value + 1);
    });
    return () => {
      offProgress();
      offFinished();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, reloadRuns]);

  const run = runs.find((item) => item.id === runId);
  const selectRun = useCallback((id: number) => {
    setRunId(id);
    setFormOpen(false);
    followFocus(id);
  }, [followFocus]);
  const started = useCallback((id: number) => {
    reloadRuns();
    setRunId(id);
    setSampleId(null);
    setFormOpen(false);
    // A new run asks about the Library's filter, not a benchmark's items: all of its samples.
    if (routeRef.current.inspect) clearFocus();
  }, [reloadRuns, clearFocus]);
  const resume = useCallback(async (id: number) => {
    const resumed = await call('inference.resume', { runId: id });
    if (!resumed) return;
    notify('info', `Run #${id} goes on as job #${resumed.job.id}.`);
    reloadRuns();
  }, [call, notify, reloadRuns]);
  const cancel = useCallback(async (jobId: number) => {
    if (await call('jobs.cancel', { id: jobId })) reloadRuns();
  }, [call, reloadRuns]);
  // An ask with the form's settings lands in the project's "asked in Inspect" run of those settings.
  const answered = useCallback((answeredRunId: number) => {
    reloadRuns();
    if (answeredRunId === runIdRef.current) setRowsEpoch((value) => value + 1);
  }, [reloadRuns]);
  const formSettings = useMemo(() => {
    const { settings, problems } = toInferenceSettings(form);
    return problems.length === 0 ? settings : null;
  }, [form]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTextTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'n') setFormOpen(true);
      else if (key === 'escape' && isFormOpen && run) setFormOpen(false);
      else if ((key === 'j' || key === 'k') && !isFormOpen) listRef.current?.move(key === 'j' ? 1 : -1);
      else if (key === 'w' && !isFormOpen) setOnlyWrong((value) => !value);
      else return;
      event.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [isFormOpen, run]);

  return (
    <div className={isFormOpen ? 'inspect with-form' : 'inspect'} data-testid="inspect">
      <aside className="inspect-side">
        <div className="train-side-head">
          <h3>Runs</h3>
          <span className="spacer" />
          <button className="primary" onClick={() => setFormOpen(true)} data-testid="inspect-new" title="Ask a model about samples (N)">New run</button>
        </div>
        <InferenceRunsList runs={runs} selectedId={isFormOpen ? null : runId} onSelect={selectRun} onResume={(id) => void resume(id)} onCancel={(jobId) => void cancel(jobId)} isLoading={runsQuery.isLoading && !runsQuery.data} />
      </aside>
      {isFormOpen ? (
        <NewInferenceForm form={form} onForm={setForm} filter={route.filter} onStarted={started} onCancel={() => setFormOpen(false)} />
      ) : run ? (
        <>
          <PredictionList
            ref={listRef}
            key={`${run.id}|${focus?.benchmark ?? ''}|${focus?.split ?? ''}`}
            run={run}
            focus={focus?.benchmark ? { benchmark: focus.benchmark, ...(focus.split !== undefined ? { split: focus.split } : {}) } : null}
            onClearFocus={clearFocus}
            epoch={rowsEpoch}
            onlyWrong={onlyWrong}
            onOnlyWrong={setOnlyWrong}
            selectedId={sampleId}
            onSelect={setSampleId}
          />
          {sampleId !== null ? (
            <SampleInspector
              key={`${run.id}-${sampleId}`}
              run={run}
              runs={runs}
              sampleId={sampleId}
              epoch={rowsEpoch}
              formSettings={formSettings}
              onAnswered={answered}
              onShowRun={selectRun}
              onOpenReview={(id) => setRoute({ ...route, tab: 'review', sampleId: id })}
            />
          ) : (
            <div className="empty-view">Choose a sample.</div>
          )}
        </>
      ) : (
        <div className="empty-view inspect-empty">{runsQuery.isLoading ? 'Loading runs…' : 'Choose a run, or start a new one (N).'}</div>
      )}
    </div>
  );
}
