// One sample under a run: the question and options, the clip in Review's player, the run's
// answer with its scores (format reward, accuracy, P(Yes), tokens, latency), the frames the model
// received, the output with its sections coloured and its observation claims linked to those
// frames and to the clip's timeline (common/ota/claims.ts), the analyzer's contradictions
// flagged as hallucinations, the reference chain beside it, another run's answer as a word diff,
// "Make this the chain", and Ask now: the same question asked live, streamed token by token.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, type Contradiction, type InferenceRun, type InferenceSettings, type Prediction, type SampleDetail, type SentFrameInfo } from '../../common/api/contract';
import { letterOfOption } from '../../common/camerabench/primitives';
import { claimsOfFrame, observationClaims, type Claim } from '../../common/ota/claims';
import { parseChain, type ParsedChain } from '../../common/ota/parse';
import { errorMessage, useClient, useNotify, useQuery } from '../app/api';
import { benchHooks } from '../app/bench';
import { optionLetter } from '../review/chainFields';
import { FramePlayer } from '../review/FramePlayer';
import { createPlayer, type Player } from '../review/player';
import { wordDiff } from '../review/wordDiff';
import { createAskStream, type AskState, type AskStream } from './askStream';
import { OutputText } from './OutputText';
import { claimsOfContradiction } from './outputPieces';
import { formatMs, formatPercent, formatProbability, modelLabel } from './runLabels';
import { SentFramesStrip } from './SentFramesStrip';
import { clipFrameAt, knownDuration } from './sentFrames';

type AskSource = 'run' | 'form';

/** What the output panel shows: the live ask while it runs (or stopped mid-way), else a stored answer. */
interface Shown {
  runId: number;
  parsed: ParsedChain;
  frames: readonly SentFrameInfo[];
  contradictions: readonly Contradiction[];
  prediction: Prediction | null;
  isStreaming: boolean;
}

const NO_FRAMES: SentFrameInfo[] = [];
const NO_CONTRADICTIONS: Contradiction[] = [];
const NO_CLAIMS: Claim[] = [];
const NOTHING_LIT: ReadonlySet<number> = new Set();

const noAsk = () => () => undefined;
const noState = () => null;

function useAskState(ask: AskStream | null): AskState | null {
  return useSyncExternalStore(ask ? ask.subscribe : noAsk, ask ? ask.getState : noState);
}

export function SampleInspector({ run, runs, sampleId, epoch, formSettings, onAnswered, onShowRun, onOpenReview }: {
  run: InferenceRun;
  runs: readonly InferenceRun[];
  sampleId: number;
  /** Bumped when the run stored more answers (this sample's may be among them). */
  epoch: number;
  /** The new-run form's settings when they are complete: Ask now can use them. */
  formSettings: InferenceSettings | null;
  onAnswered: (runId: number) => void;
  onShowRun: (runId: number) => void;
  onOpenReview: (sampleId: number) => void;
}) {
  const client = useClient();
  const notify = useNotify();
  const sample = useQuery('sample.get', { id: sampleId });
  const predictions = useQuery('inference.predictions', { sampleId });
  const reloadPredictions = predictions.reload;
  // Not on mount: the query has just asked.
  const seenEpoch = useRef(epoch);
  useEffect(() => {
    if (seenEpoch.current === epoch) return;
    seenEpoch.current = epoch;
    reloadPredictions();
  }, [epoch, reloadPredictions]);
  const detail = sample.data;
  const clip = detail?.clip ?? null;
  const media = useQuery('clip.media', clip && clip.mediaStatus === 'ok' ? { clipId: clip.id } : null, { refresh: false });

  const [player, setPlayer] = useState<Player | null>(null);
  useEffect(() => {
    if (!media.data) return;
    const created = createPlayer(media.data, (message) => notify('error', message));
    setPlayer(created);
    return () => {
      created.dispose();
      setPlayer(null);
    };
  }, [media.data, notify]);

  const [ask, setAsk] = useState<AskStream | null>(null);
  useEffect(() => {
    const created = createAskStream(client);
    setAsk(created);
    return () => created.dispose();
  }, [client]);
  const live = useAskState(ask);
  useFirstPaintTiming(live);

  // The answer arrived: it is stored now (in this run, or the form's "asked in Inspect" run).
  useEffect(() => {
    if (live?.phase !== 'done' || live.runId === null) return;
    reloadPredictions();
    onAnswered(live.runId);
  }, [live?.phase, live?.runId, reloadPredictions, onAnswered]);

  const stored = predictions.data?.predictions.find((item) => item.runId === run.id) ?? null;
  const liveText = live?.spans;
  const storedText = live?.phase === 'done' ? (live.prediction?.output ?? '') : (stored?.output ?? '');
  const storedParsed = useMemo(() => parseChain(storedText), [storedText]);
  const shown = useMemo<Shown>(() => {
    if (live && live.phase !== 'done' && liveText) {
      return {
        runId: live.runId ?? run.id, parsed: liveText.parsed, frames: live.frames ?? NO_FRAMES, contradictions: NO_CONTRADICTIONS, prediction: null,
        isStreaming: live.phase === 'asking' || live.phase === 'streaming',
      };
    }
    const prediction = live?.phase === 'done' ? live.prediction : stored;
    return {
      runId: prediction?.runId ?? run.id, parsed: storedParsed, frames: prediction?.frames ?? NO_FRAMES,
      contradictions: prediction?.contradictions ?? NO_CONTRADICTIONS, prediction, isStreaming: false,
    };
  }, [live, liveText, stored, storedParsed, run.id]);

  const frameTimes = useMemo(() => shown.frames.map((frame) => frame.timestamp), [shown.frames]);
  const durationSeconds = knownDuration(clip?.durationSeconds, media.data, frameTimes);
  const fps = media.data?.fps ?? clip?.fps ?? null;
  const claims = useMemo(
    () => (shown.parsed.text === '' ? NO_CLAIMS : observationClaims(shown.parsed.text, { durationSeconds, frameTimes, fps })),
    [shown.parsed.text, durationSeconds, frameTimes, fps],
  );
  const [selectedClaim, setSelectedClaim] = useState<number | null>(null);
  const [hoveredFrame, setHoveredFrame] = useState<number | null>(null);
  const claim = selectedClaim === null ? null : (claims[selectedClaim] ?? null);
  const litClaims = useMemo(() => (hoveredFrame === null ? NOTHING_LIT : new Set(claimsOfFrame(claims, hoveredFrame).map((item) => claims.indexOf(item)))), [claims, hoveredFrame]);

  const seekTo = (seconds: number) => {
    if (player && media.data) player.seek(clipFrameAt(seconds, media.data));
  };
  const selectClaim = (index: number | null) => {
    setSelectedClaim(index);
    const span = index === null ? null : claims[index]?.span;
    if (span) seekTo(span.start);
  };

  const [askChoice, setAskChoice] = useState<AskSource>('run');
  const canAskWith = { run: run.settings !== null, form: formSettings !== null };
  // The choice where it can be had, else whichever can: an imported run has no settings to ask with.
  const askSource: AskSource = askChoice === 'form' ? (canAskWith.form ? 'form' : 'run') : (canAskWith.run ? 'run' : 'form');
  const isAsking = live?.phase === 'asking' || live?.phase === 'streaming';
  const askNow = async () => {
    if (!ask) return;
    setSelectedClaim(null);
    const request = askSource === 'run' && canAskWith.run ? { sampleId, runId: run.id } : formSettings ? { sampleId, settings: formSettings } : null;
    if (request === null) return;
    try {
      await ask.start(request);
    } catch (error) {
      notify('error', `inference.ask: ${errorMessage(error)}`);
    }
  };
  const stop = () => void ask?.stop().catch((error: unknown) => notify('error', `inference.cancelAsk: ${errorMessage(error)}`));

  if (!detail) {
    return <section className="inspect-detail empty-view">{sample.error ? `Could not open sample ${sampleId}.` : 'Loading…'}</section>;
  }
  const shownRun = runs.find((item) => item.id === shown.runId);
  // The run just made for an ask with the form's settings may not be listed yet: those settings are the form's.
  const shownSettings = shownRun?.settings ?? (shown.runId === run.id ? run.settings : formSettings);
  return (
    <section className="inspect-detail" data-testid="sample-inspector" data-sample={sampleId}>
      <header className="inspect-detail-head">
        <h2>#{sampleId}</h2>
        <span className="inspect-clip-name" title={clip?.name}>{clip?.name ?? 'no clip'}</span>
        <button className="link" onClick={() => onOpenReview(sampleId)} title="Open the sample in Review">Review →</button>
        <span className="spacer" />
        {(canAskWith.run || canAskWith.form) && (
          <select value={askSource} onChange={(event) => setAskChoice(event.target.value === 'form' ? 'form' : 'run')} aria-label="Ask with" disabled={isAsking}>
            {canAskWith.run && <option value="run">run #{run.id}&apos;s settings</option>}
            {canAskWith.form && <option value="form">the form&apos;s settings ({formSettings?.engine === 'builtin' ? 'built-in' : formSettings?.model})</option>}
          </select>
        )}
        {isAsking ? (
          <button onClick={stop} data-testid="ask-stop" title="Stop the answer (the run keeps its earlier one)">Stop</button>
        ) : (
          <button className="primary" onClick={() => void askNow()} disabled={!canAskWith.run && !canAskWith.form} data-testid="ask-now" title={canAskWith.run || canAskWith.form ? 'Ask the model about this sample now, streamed' : 'An imported run has no settings: fill in the New run form to ask with them'}>
            Ask now
          </button>
        )}
      </header>
      <div className="inspect-detail-body">
        <Question sample={detail} />
        <div className="inspect-top">
          <div className="inspect-clip">
            {player ? <FramePlayer player={player} /> : <div className="clip-none muted">{clip === null ? 'no clip' : clip.mediaStatus !== 'ok' ? `clip ${clip.mediaStatus}: ${clip.mediaError ?? ''}` : 'loading clip…'}</div>}
          </div>
          <Scores
            shown={shown}
            run={run}
            live={live}
            shownRun={shownRun}
            sample={detail}
            onShowRun={onShowRun}
            onPickContradiction={(contradiction) => {
              const [index] = claimsOfContradiction(claims, contradiction);
              if (index !== undefined) selectClaim(index);
            }}
          />
        </div>
        <SentFramesStrip
          frames={shown.frames}
          media={media.data ?? null}
          durationSeconds={durationSeconds}
          claim={claim}
          hoveredFrame={hoveredFrame}
          onHoverFrame={setHoveredFrame}
          onPickFrame={(index) => {
            const frame = shown.frames[index];
            if (frame) seekTo(frame.timestamp);
          }}
          note={shownSettings?.engine === 'builtin'
            ? 'The built-in model reads the clip\'s motion evidence, not frames: its claims are placed on the clip\'s timeline.'
            : shownSettings?.frames.parts === 'video-file' ? 'The server sampled the clip file itself: which frames it saw is not known.' : null}
        />
        <div className="inspect-texts">
          <section className="panel inspect-output">
            <h4>
              Output <span className="muted">run #{shown.runId}</span>
              {shown.isStreaming && <span className="streaming-badge" data-testid="streaming">streaming…</span>}
              {live?.phase === 'stopped' && <span className="muted"> · stopped</span>}
              {(live?.resets ?? 0) > 0 && <span className="muted" title="The server's stream broke and the request started again"> · restarted {live?.resets}×</span>}
            </h4>
            {live?.phase === 'error' && <div className="banner bad-banner" data-testid="ask-error">{live.error}</div>}
            {shown.parsed.text === '' && !shown.isStreaming ? (
              <div className="muted">{stored?.error ?? (run.kind === 'inference' ? 'No answer from this run yet.' : 'This run has no answer for this sample.')}</div>
            ) : (
              <OutputText
                parsed={shown.parsed}
                contradictions={shown.contradictions}
                claims={claims}
                selectedClaim={selectedClaim}
                litClaims={litClaims}
                onSelectClaim={selectClaim}
                isStreaming={shown.isStreaming}
                testId="inspect-output"
              />
            )}
            <MakeChain sample={detail} shown={shown} onMade={sample.reload} />
          </section>
          <ReferenceChain sample={detail} />
        </div>
        <RunDiff shown={shown} runs={runs} predictions={predictions.data?.predictions ?? []} />
      </div>
    </section>
  );
}

function Question({ sample }: { sample: SampleDetail }) {
  // As Review's editor reads them: "B. Yes" is B; the reference may carry its answer tags.
  const reference = sample.answer ? sample.answer.replace(/<\/?answer>/g, '').trim() : null;
  return (
    <div className="inspect-question">
      <div className="question">{sample.question}</div>
      <div className="options">
        {sample.options.map((option, index) => {
          const isReference = reference !== null && (letterOfOption(option) ?? optionLetter(option, index)) === reference;
          return <span key={index} className={isReference ? 'option-tag reference' : 'option-tag'}>{option}{isReference && ' ✓'}</span>;
        })}
        {sample.options.length === 0 && reference && <span className="option-tag reference">answer {reference}</span>}
      </div>
    </div>
  );
}

function Scores({ shown, run, live, shownRun, sample, onShowRun, onPickContradiction }: {
  shown: Shown;
  run: InferenceRun;
  live: AskState | null;
  shownRun: InferenceRun | undefined;
  sample: SampleDetail;
  onShowRun: (runId: number) => void;
  onPickContradiction: (contradiction: Contradiction) => void;
}) {
  const prediction = shown.prediction;
  const latency = live?.firstDeltaAt !== null && live?.firstDeltaAt !== undefined && live.framesAt !== null ? live.firstDeltaAt - live.framesAt : null;
  return (
    <div className="panel inspect-scores" data-testid="inspect-scores">
      <div className="score-line">
        <span className="field-label">answer</span>
        <strong data-testid="inspect-prediction">{prediction?.prediction ?? (shown.isStreaming ? '…' : '–')}</strong>
        <span className="muted">reference {sample.answer ?? '–'}</span>
        {prediction?.accuracy !== null && prediction?.accuracy !== undefined && (
          <span className={prediction.accuracy > 0 ? 'ok' : 'bad'} data-testid="inspect-accuracy">{prediction.accuracy > 0 ? '✓ right' : '✗ wrong'}</span>
        )}
      </div>
      <dl className="score-grid">
        <div><dt>format</dt><dd data-testid="inspect-format" title="CamReasoner's format reward: 1 when the output is exactly O-T-A">{prediction?.format ?? '–'}</dd></div>
        <div><dt>accuracy</dt><dd>{formatPercent(prediction?.accuracy)}</dd></div>
        <div><dt>P(Yes)</dt><dd title="The probability of the Yes option's letter at the answer token">{formatProbability(prediction?.yesProbability)}</dd></div>
        <div><dt>tokens</dt><dd>{prediction?.completionTokens ?? '–'}</dd></div>
        <div><dt>first token</dt><dd>{formatMs(prediction?.firstTokenMs ?? latency)}</dd></div>
        <div><dt>took</dt><dd>{formatMs(prediction?.durationMs)}</dd></div>
        <div><dt>stop</dt><dd>{prediction?.finishReason ?? '–'}</dd></div>
      </dl>
      {prediction?.error && <div className="bad score-error">{prediction.error}</div>}
      {shown.runId !== run.id && (
        <div className="muted">
          Asked with the form&apos;s settings: kept in run{' '}
          <button className="link" onClick={() => onShowRun(shown.runId)}>#{shown.runId}{shownRun ? ` (${modelLabel(shownRun)})` : ''}</button>.
        </div>
      )}
      {shown.contradictions.length > 0 && (
        <ul className="hallucinations" data-testid="hallucinations">
          {shown.contradictions.map((contradiction, index) => (
            <li key={index} data-testid="hallucination" onClick={() => onPickContradiction(contradiction)} title={`Measured: ${contradiction.measured}. Click to show the claim.`}>
              <span className="bad">⚠ hallucination</span> “{contradiction.claim}”: {contradiction.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Make this the chain": the answer becomes the sample's chain, a revision authored by the model, over the head this view read. */
function MakeChain({ sample, shown, onMade }: { sample: SampleDetail; shown: Shown; onMade: () => void }) {
  const client = useClient();
  const notify = useNotify();
  const [isMaking, setMaking] = useState(false);
  const output = shown.prediction?.output ?? null;
  const isChainAlready = output !== null && sample.head?.text === output;
  const make = async () => {
    setMaking(true);
    try {
      const made = await client.call('inference.makeChain', { runId: shown.runId, sampleId: sample.id, parentRevisionId: sample.head?.id ?? null });
      notify('success', `Revision #${made.revision.id} is now the chain of sample #${sample.id}${made.contradictions.length > 0 ? ` (${made.contradictions.length} contradiction${made.contradictions.length === 1 ? '' : 's'} with the analyzer)` : ''}.`);
    } catch (error) {
      // Someone saved the chain since this sample was read: show theirs, write nothing over it.
      if (error instanceof ApiError && error.code === 'conflict') notify('error', 'The chain changed since this sample was opened (another window or the command line). Its newer text is shown now; make this the chain again to replace it.');
      else notify('error', `inference.makeChain: ${errorMessage(error)}`);
    } finally {
      setMaking(false);
      onMade();
    }
  };
  return (
    <div className="make-chain">
      <button onClick={() => void make()} disabled={output === null || shown.isStreaming || isMaking || isChainAlready} data-testid="make-chain" title="The answer becomes the sample's chain (a new revision, authored by the model)">
        {isChainAlready ? 'This is the chain' : isMaking ? 'Saving…' : 'Make this the chain'}
      </button>
    </div>
  );
}

function ReferenceChain({ sample }: { sample: SampleDetail }) {
  const text = sample.head?.text ?? '';
  const parsed = useMemo(() => parseChain(text), [text]);
  return (
    <section className="panel inspect-reference" data-testid="inspect-reference" data-revision={sample.head?.id ?? ''}>
      <h4>
        Reference chain{' '}
        {sample.head && <span className="muted">revision #{sample.head.id} · {sample.head.authorKind} {sample.head.author} · {sample.revisionCount} revision{sample.revisionCount === 1 ? '' : 's'}</span>}
      </h4>
      {sample.head ? (
        <OutputText parsed={parsed} contradictions={sample.contradictions} claims={NO_CLAIMS} selectedClaim={null} litClaims={NOTHING_LIT} testId="inspect-reference-text" />
      ) : (
        <div className="muted">This sample has no chain yet.</div>
      )}
    </section>
  );
}

/** Another run's answer against this one's, word by word (the revision history's diff). */
function RunDiff({ shown, runs, predictions }: { shown: Shown; runs: readonly InferenceRun[]; predictions: readonly Prediction[] }) {
  const others = predictions.filter((item) => item.runId !== shown.runId && item.output !== null);
  const [otherId, setOtherId] = useState<number | null>(null);
  const other = others.find((item) => item.runId === otherId) ?? null;
  const text = shown.parsed.text;
  const parts = useMemo(() => (other?.output ? wordDiff(other.output, text) : []), [other, text]);
  const label = (runId: number) => {
    const found = runs.find((item) => item.id === runId);
    return found ? `#${runId} ${modelLabel(found)}` : `#${runId}`;
  };
  return (
    <section className="panel inspect-compare">
      <h4>
        Compare with{' '}
        <select value={otherId ?? ''} onChange={(event) => setOtherId(event.target.value === '' ? null : Number(event.target.value))} aria-label="Compare with run" data-testid="compare-run" disabled={others.length === 0}>
          <option value="">{others.length === 0 ? 'no other run answered this sample' : 'another run…'}</option>
          {others.map((item) => <option key={item.runId} value={item.runId}>{label(item.runId)}{item.accuracy !== null ? ` · ${item.accuracy > 0 ? 'right' : 'wrong'}` : ''}</option>)}
        </select>
      </h4>
      {other && (
        <div className="diff" data-testid="run-diff">
          <div className="diff-head">
            <span><del>{label(other.runId)}</del> → <ins>{label(shown.runId)}</ins></span>
          </div>
          <pre>{parts.map((part, index) => (part.kind === 'same' ? <span key={index}>{part.text}</span> : part.kind === 'added' ? <ins key={index}>{part.text}</ins> : <del key={index}>{part.text}</del>))}</pre>
        </div>
      )}
    </section>
  );
}

/**
 * `?bench=1`: when an ask's first output is in the DOM. A layout effect runs after React commits
 * and before the browser paints that frame, so the time is the frame that shows the first token
 * (bench/inspectFirstToken.mjs compares it with when the server wrote that token).
 */
function useFirstPaintTiming(live: AskState | null): void {
  const recorded = useRef<string | null>(null);
  const streamId = live?.streamId ?? null;
  const hasText = (live?.spans.text.length ?? 0) > 0;
  const firstDeltaAt = live?.firstDeltaAt ?? null;
  useLayoutEffect(() => {
    const hooks = benchHooks();
    if (!hooks || streamId === null || !hasText || firstDeltaAt === null || recorded.current === streamId) return;
    recorded.current = streamId;
    hooks.streamPaints.push({ streamId, firstDeltaAt, paintedAt: performance.timeOrigin + performance.now() });
  }, [streamId, hasText, firstDeltaAt]);
}
