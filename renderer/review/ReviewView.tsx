// Review: the clip player (frames, filmstrip, motion timeline) beside the O-T-A editor, labels
// and history; keyboard-first (app/shortcuts.ts lists every key handled here).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClipAnalysis, ReviewStatus, SampleDetail } from '../../common/api/contract';
import { REVIEW_STATUSES } from '../../common/api/contract';
import { errorMessage, useCall, useClient, useNotify, useQuery } from '../app/api';
import { waitForJob } from '../../common/api/waitForJob';
import { cleanFilter, type Route } from '../app/route';
import { isTextTarget } from '../app/shortcuts';
import { ChainEditor, type ChainEditorHandle } from './ChainEditor';
import { FramePlayer } from './FramePlayer';
import { MotionTimeline } from './MotionTimeline';
import { createPlayer, type Player } from './player';
import { RelinkDialog } from './RelinkDialog';
import { HistoryPanel, LabelsPanel } from './SidePanels';

type SetRoute = (route: Route, options?: { replace?: boolean }) => void;

const LENS_TITLES: Record<ClipAnalysis['lens']['source'], string> = {
  estimated: 'Horizontal field of view read from how the picture bends as the camera turns',
  given: 'Horizontal field of view given to the analyzer',
  default: 'Horizontal field of view assumed: the clip does not turn enough to tell',
};

const STATUS_KEYS: Record<string, ReviewStatus> = { KeyA: 'accepted', KeyR: 'rejected', KeyD: 'draft', KeyV: 'reviewed' };

export function ReviewView({ route, setRoute, isActive }: { route: Route; setRoute: SetRoute; isActive: boolean }) {
  const filter = useMemo(() => cleanFilter(route.filter), [route.filter]);
  // The list to step through: the Library's filter and sort, fixed while reviewing (a sample
  // that leaves the filter by being accepted must not vanish from under N / P).
  const navigation = useQuery('library.ids', { filter, sort: route.sort }, { refresh: false });
  const unreviewed = useQuery('library.ids', { filter: { ...filter, status: ['draft'] }, sort: route.sort });
  const ids = navigation.data?.ids;
  const sampleId = route.sampleId ?? ids?.[0] ?? null;

  useEffect(() => {
    if (route.sampleId === null && ids?.[0] !== undefined) setRoute({ ...route, sampleId: ids[0] }, { replace: true });
  }, [route, ids, setRoute]);

  const sample = useQuery('sample.get', sampleId === null ? null : { id: sampleId });
  // While the next sample loads, the previous one stays on screen (no layout jump); navigation
  // keys already count from the sample asked for, editing keys wait.
  const detail = sample.data;

  if (sampleId === null) {
    return <div className="empty-view">{navigation.isLoading ? 'Loading…' : 'No sample to review: the Library filter matches nothing.'}</div>;
  }
  if (!detail || (sample.error && detail.id !== sampleId)) return <div className="empty-view">{sample.error ? `Could not open sample ${sampleId}.` : 'Loading…'}</div>;
  return (
    <ReviewSample
      key={detail.id}
      sample={detail}
      targetId={sampleId}
      reloadSample={sample.reload}
      ids={ids ?? []}
      unreviewedIds={unreviewed.data?.ids ?? []}
      route={route}
      setRoute={setRoute}
      isActive={isActive}
    />
  );
}

function ReviewSample({ sample, targetId, reloadSample, ids, unreviewedIds, route, setRoute, isActive }: {
  sample: SampleDetail;
  /** The sample the route asks for: `sample` until it has loaded. */
  targetId: number;
  reloadSample: () => void;
  ids: number[];
  unreviewedIds: number[];
  route: Route;
  setRoute: SetRoute;
  isActive: boolean;
}) {
  const call = useCall();
  const client = useClient();
  const notify = useNotify();
  const editorRef = useRef<ChainEditorHandle>(null);
  const [status, setStatus] = useState<ReviewStatus>(sample.status);
  const [isHistoryOpen, setHistoryOpen] = useState(true);
  const [editorText, setEditorText] = useState(sample.head?.text ?? '');
  const [isRelinkOpen, setRelinkOpen] = useState(false);
  // The dialog's keys are its own: N or A pressed on its buttons must not move or relabel the sample.
  const areKeysActive = isActive && !isRelinkOpen;
  useEffect(() => setStatus(sample.status), [sample.status]);

  const clip = sample.clip;
  const clipId = clip && clip.mediaStatus === 'ok' ? clip.id : null;
  const media = useQuery('clip.media', clipId === null ? null : { clipId }, { refresh: false });
  const analysisQuery = useQuery('clip.analysis', clip ? { clipId: clip.id } : null);
  const [analyzed, setAnalyzed] = useState<ClipAnalysis | null>(null);
  const analysis = analyzed ?? analysisQuery.data?.analysis ?? null;
  const [isAnalyzing, setAnalyzing] = useState(false);
  const [analysisProgress, setAnalysisProgress] = useState<string | null>(null);
  useEffect(() => {
    if (!isAnalyzing) return;
    return client.on('job.progress', (event) => {
      if (event.kind === 'analyze' && event.total > 0) setAnalysisProgress(`${Math.round((event.done / event.total) * 100)} %`);
    });
  }, [client, isAnalyzing]);

  const [player, setPlayer] = useState<Player | null>(null);
  useEffect(() => {
    if (!media.data) return;
    const created = createPlayer(media.data, (message) => notify('error', message));
    setPlayer(created);
    return () => created.dispose();
  }, [media.data, notify]);

  const isLoadingNext = targetId !== sample.id;
  const position = ids.indexOf(targetId);
  const unreviewedSet = useMemo(() => new Set(unreviewedIds), [unreviewedIds]);

  const goTo = useCallback(async (id: number | undefined) => {
    if (id === undefined) {
      notify('info', 'No more samples that way.');
      return;
    }
    // Leaving with unsaved edits saves them first; a failed save keeps you here.
    if (editorRef.current?.isDirty && !(await editorRef.current.save())) return;
    setRoute({ ...route, tab: 'review', sampleId: id });
  }, [route, setRoute, notify]);

  const next = useCallback(() => goTo(ids[position + 1]), [goTo, ids, position]);
  const previous = useCallback(() => goTo(position > 0 ? ids[position - 1] : undefined), [goTo, ids, position]);
  const nextUnreviewed = useCallback((direction: 1 | -1) => {
    const start = position < 0 ? (direction === 1 ? -1 : ids.length) : position;
    for (let index = start + direction; index >= 0 && index < ids.length; index += direction) {
      const id = ids[index] as number;
      if (unreviewedSet.has(id) && id !== targetId) return goTo(id);
    }
    return goTo(undefined);
  }, [position, ids, unreviewedSet, targetId, goTo]);

  const changeStatus = useCallback(async (next: ReviewStatus) => {
    const previousStatus = status;
    setStatus(next);
    const result = await call('sample.setStatus', { id: sample.id, status: next });
    if (!result) setStatus(previousStatus);
  }, [call, sample.id, status]);

  const analyze = useCallback(async () => {
    if (!clip) return;
    setAnalyzing(true);
    try {
      // The analysis is a job (its own process); the reading is stored when it ends.
      const { jobId } = await client.call('clip.analyze', { clipId: clip.id });
      const end = await waitForJob(client, jobId);
      if (end.state !== 'succeeded') throw new Error(end.state === 'cancelled' ? 'cancelled' : (end.error ?? 'the analysis failed'));
      const stored = await client.call('clip.analysis', { clipId: clip.id });
      setAnalyzed(stored.analysis);
      notify('success', 'Analysis done.');
    } catch (error) {
      notify('error', `clip.analyze: ${errorMessage(error)}`);
    } finally {
      setAnalyzing(false);
      setAnalysisProgress(null);
    }
  }, [client, clip, notify]);

  useEffect(() => {
    if (!areKeysActive) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const isMod = event.ctrlKey || event.metaKey;
      const isNavigation = event.code === 'KeyN' || event.code === 'KeyP';
      if (isLoadingNext && !isNavigation) return;
      const editor = editorRef.current;
      const inText = isTextTarget(event.target);
      const handled = () => event.preventDefault();
      // Keys that work everywhere, text fields included.
      if (isMod && !event.altKey) {
        if (event.code === 'KeyS') {
          handled();
          void editor?.save();
          return;
        }
        if (event.key === 'Enter') {
          handled();
          void (async () => {
            if (editor && (await editor.save())) await next();
          })();
          return;
        }
        if (event.code === 'KeyZ' || event.code === 'KeyY') {
          handled();
          if (event.code === 'KeyY' || event.shiftKey) editor?.redo();
          else editor?.undo();
          return;
        }
        return;
      }
      if (event.altKey && !isMod) {
        const altStatus = STATUS_KEYS[event.code];
        if (altStatus) {
          handled();
          void changeStatus(altStatus);
          return;
        }
        if (event.code === 'KeyN') {
          handled();
          void next();
          return;
        }
        if (event.code === 'KeyP') {
          handled();
          void previous();
          return;
        }
        return;
      }
      if (inText) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      const step = event.shiftKey ? 10 : 1;
      switch (event.code) {
        case 'ArrowRight':
          handled();
          player?.step(step, event.timeStamp);
          return;
        case 'ArrowLeft':
          handled();
          player?.step(-step, event.timeStamp);
          return;
        case 'Home':
          handled();
          player?.seek(0, event.timeStamp);
          return;
        case 'End':
          handled();
          player?.seek(Number.MAX_SAFE_INTEGER, event.timeStamp);
          return;
        case 'Space':
          handled();
          player?.togglePlay();
          return;
        case 'KeyJ':
          handled();
          player?.shuttle('j');
          return;
        case 'KeyK':
          handled();
          player?.shuttle('k');
          return;
        case 'KeyL':
          handled();
          player?.shuttle('l');
          return;
        case 'Minus':
          handled();
          player?.changeSpeed(-1);
          return;
        case 'Equal':
          handled();
          player?.changeSpeed(1);
          return;
        case 'KeyN':
          handled();
          void (event.shiftKey ? nextUnreviewed(1) : next());
          return;
        case 'KeyP':
          handled();
          void (event.shiftKey ? nextUnreviewed(-1) : previous());
          return;
        case 'KeyI':
          handled();
          editor?.insertDraft();
          return;
        case 'KeyH':
          handled();
          setHistoryOpen((open) => !open);
          return;
        case 'KeyE':
          handled();
          editor?.focusFirstField();
          return;
      }
      const keyStatus = !event.shiftKey ? STATUS_KEYS[event.code] : undefined;
      if (keyStatus) {
        handled();
        void changeStatus(keyStatus);
        return;
      }
      const digit = /^Digit([1-9])$/.exec(event.code);
      if (digit && !event.shiftKey) {
        handled();
        editor?.pickOption(Number(digit[1]) - 1);
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [areKeysActive, isLoadingNext, player, next, previous, nextUnreviewed, changeStatus]);

  const draft = analysis?.drafts[String(sample.id)] ?? null;
  return (
    <div className={isLoadingNext ? 'review loading-next' : 'review'} data-sample-id={sample.id} aria-busy={isLoadingNext}>
      <div className="review-head">
        <button onClick={() => void previous()} title="Previous sample (P)" disabled={position <= 0}>◀</button>
        <span className="position" data-testid="position">{position >= 0 ? `${(position + 1).toLocaleString()} / ${ids.length.toLocaleString()}` : `— / ${ids.length.toLocaleString()}`}</span>
        <button onClick={() => void next()} title="Next sample (N)" disabled={position < 0 || position >= ids.length - 1}>▶</button>
        <strong className="clip-name" title={clip?.name}>{clip?.name ?? 'no clip'}</strong>
        {clip && clip.mediaStatus !== 'ok' && (
          <span className="media-marker" data-testid="media-marker" title={clip.mediaError ?? `The clip's media is ${clip.mediaStatus}.`}>
            {clip.mediaStatus === 'missing' ? 'missing' : 'unreadable'}
          </span>
        )}
        <span className="muted">#{sample.id}</span>
        <span className={`status-pill ${status}`} data-testid="status">{status}</span>
        <span className="status-buttons">
          {REVIEW_STATUSES.map((value) => {
            const key = value === 'reviewed' ? 'v' : value.charAt(0);
            const at = value.indexOf(key);
            return (
              <button key={value} className={value === status ? `on ${value}` : ''} onClick={() => void changeStatus(value)} title={`${value} (${key.toUpperCase()})`} data-testid={`status-${value}`}>
                {value.slice(0, at)}<u>{key}</u>{value.slice(at + 1)}
              </button>
            );
          })}
        </span>
        <span className="muted">split: {sample.split}</span>
        {clip?.durationSeconds != null && <span className="muted">clip {clip.durationSeconds.toFixed(1)} s{clip.fps ? ` · ${Math.round(clip.fps)} fps` : ''}</span>}
        {sample.primitive && <span className="muted">{sample.primitive}</span>}
      </div>
      <div className="review-body">
        <div className="review-left">
          {player ? <FramePlayer player={player} /> : (
            clip && clip.mediaStatus !== 'ok' ? (
              <div className="player placeholder missing">
                <span>Clip {clip.mediaStatus}{clip.mediaError ? `: ${clip.mediaError}` : ''}</span>
                <button onClick={() => setRelinkOpen(true)} title="Point the clip at the folder that holds it">Relink…</button>
              </div>
            ) : (
              <div className="player placeholder">
                {clip ? (media.error ? 'Could not load the clip media.' : 'Loading clip…') : 'This sample has no clip.'}
              </div>
            )
          )}
          <section className="panel timeline-panel">
            <h3>
              Motion timeline
              {analysis && <span className="muted"> · {analysis.analyzer} · <span title={LENS_TITLES[analysis.lens.source]}>{analysis.lens.fovDegrees.toFixed(0)}° lens</span> · {Object.entries(analysis.scores).sort((left, right) => right[1] - left[1]).slice(0, 3).map(([name, score]) => `${name} ${score.toFixed(2)}`).join(', ')}</span>}
            </h3>
            {analysis && player ? <MotionTimeline analysis={analysis} player={player} /> : analysis ? <div className="muted">timeline needs the clip</div> : (
              <div className="analyze">
                <span className="muted">{analysisQuery.isLoading ? 'Loading…' : 'Not analyzed yet.'}</span>
                {!analysisQuery.isLoading && clip?.mediaStatus === 'ok' && <button onClick={() => void analyze()} disabled={isAnalyzing}>{isAnalyzing ? `Analyzing… ${analysisProgress ?? ''}` : 'Analyze'}</button>}
              </div>
            )}
          </section>
          {clip && <LabelsPanel clipId={clip.id} />}
        </div>
        {isRelinkOpen && clip && (
          <RelinkDialog
            clip={clip}
            onClose={() => setRelinkOpen(false)}
            onRelinked={() => {
              setRelinkOpen(false);
              reloadSample();
            }}
          />
        )}
        <div className="review-right">
          <ChainEditor ref={editorRef} sample={sample} draft={draft} onSaved={reloadSample} onTextChange={setEditorText} readOnly={isLoadingNext} />
          {isHistoryOpen && (
            <HistoryPanel sampleId={sample.id} headId={sample.head?.id ?? null} currentText={editorText} revisionCount={sample.revisionCount} onRestored={reloadSample} />
          )}
        </div>
      </div>
    </div>
  );
}
