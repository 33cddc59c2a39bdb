// A GRPO step's rollouts: the groups of the step (one prompt each) with their mean reward,
// spread and accuracy, and for the chosen group its prompt, ground truth, the clip (the Review
// player) and its G responses best advantage first, each with its overall / format / accuracy
// rewards, its O-T-A sections shaded and the claims that contradict the analyzer's reading of
// the clip marked. ← / → (or [ / ]) step through the steps that have rollouts, ↑ / ↓ through
// the groups, Esc closes.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodResponse, RolloutGroup } from '../../common/api/contract';
import { errorMessage, useClient, useNotify, useQuery } from '../app/api';
import { isTextTarget } from '../app/shortcuts';
import { FramePlayer } from '../review/FramePlayer';
import { createPlayer, type Player } from '../review/player';
import { formatMetric, formatStep } from './format';
import { advantageTone, byAdvantage, nearestStep, responsePieces, summarizeGroup, type RolloutResponse } from './rollouts';

type Rollouts = MethodResponse<'training.rollouts'>;

const LIVE_REFRESH_MS = 3000;

export function RolloutInspector({ jobId, step: wantedStep, isLive, onClose, onOpenSample }: {
  jobId: number;
  /** The job still runs: rollouts keep coming. */
  isLive: boolean;
  /** The step clicked on the reward chart; the nearest step with rollouts is shown. */
  step: number | null;
  onClose: () => void;
  onOpenSample: (sampleId: number) => void;
}) {
  const client = useClient();
  const [step, setStep] = useState<number | null>(wantedStep);
  const [answer, setAnswer] = useState<Rollouts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);
  const [groupIndex, setGroupIndex] = useState(0);
  const knownSteps = useRef<number[]>([]);
  const rootRef = useRef<HTMLElement>(null);

  useEffect(() => setStep(wantedStep), [wantedStep]);

  // While the run goes on, the steps are asked for again now and then: new ones join the picker,
  // and a step asked for before it had rollouts fills in.
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (!isLive) return;
    const timer = setInterval(() => setRefresh((value) => value + 1), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [isLive]);

  const shownStepRef = useRef<number | null>(null);
  useEffect(() => {
    let isCurrent = true;
    setLoading(true);
    // A clicked step without rollouts (EasyR1 logs metrics every step, rollouts as configured)
    // snaps to the nearest that has some, once the steps are known.
    const snapped = step === null ? null : knownSteps.current.length > 0 ? nearestStep(knownSteps.current, step) : step;
    const ask = async (): Promise<Rollouts> => {
      const first = await client.call('training.rollouts', snapped === null ? { jobId } : { jobId, step: snapped });
      if (first.groups.length > 0 || first.steps.length === 0 || snapped === null) return first;
      const nearest = nearestStep(first.steps, snapped);
      return nearest === null || nearest === first.step ? first : client.call('training.rollouts', { jobId, step: nearest });
    };
    ask().then(
      (result) => {
        if (!isCurrent) return;
        knownSteps.current = result.steps;
        setAnswer(result);
        setError(null);
        setLoading(false);
        // A refresh of the same step keeps the group the person is reading.
        if (result.step !== shownStepRef.current) setGroupIndex(0);
        shownStepRef.current = result.step;
      },
      (reason: unknown) => {
        if (!isCurrent) return;
        setError(errorMessage(reason));
        setLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, jobId, step, refresh]);

  const steps = answer?.steps ?? [];
  const shownStep = answer?.step ?? null;
  const position = shownStep === null ? -1 : steps.indexOf(shownStep);
  const goStep = (delta: number) => {
    const next = steps[position + delta];
    if (next !== undefined) setStep(next);
  };
  const groups = answer?.groups ?? [];
  const group = groups[Math.min(groupIndex, groups.length - 1)];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTextTarget(event.target) || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      // A slider or a select keeps its own arrows (the smoothing slider, the step menu).
      const tag = (event.target as HTMLElement | null)?.tagName;
      if ((tag === 'INPUT' || tag === 'SELECT') && event.key !== 'Escape') return;
      let isHandled = true;
      if (event.key === 'Escape') onClose();
      else if (event.key === 'ArrowLeft' || event.key === '[') goStep(-1);
      else if (event.key === 'ArrowRight' || event.key === ']') goStep(1);
      else if (event.key === 'ArrowDown' && rootRef.current?.contains(document.activeElement)) setGroupIndex((index) => Math.min(groups.length - 1, index + 1));
      else if (event.key === 'ArrowUp' && rootRef.current?.contains(document.activeElement)) setGroupIndex((index) => Math.max(0, index - 1));
      else isHandled = false;
      if (isHandled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  // ↑ / ↓ carry the focus to the group they choose, and keep it in view.
  const groupsRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const list = groupsRef.current;
    if (!list?.contains(document.activeElement)) return;
    const row = list.querySelectorAll<HTMLElement>('[role="option"]')[groupIndex];
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }, [groupIndex]);

  const summaries = useMemo(() => groups.map((item) => summarizeGroup(item)), [groups]);
  return (
    <aside className="rollout-inspector panel" data-testid="rollout-inspector" ref={rootRef} tabIndex={-1} aria-label="Rollouts">
      <header className="rollout-head">
        <h3>Rollouts</h3>
        <button onClick={() => goStep(-1)} disabled={position <= 0} title="Previous step with rollouts (← or [)" aria-label="Previous step">◀</button>
        <select
          value={shownStep ?? ''}
          onChange={(event) => setStep(Number(event.target.value))}
          aria-label="Step"
          data-testid="rollout-step"
        >
          {shownStep === null && <option value="">–</option>}
          {steps.map((value) => <option key={value} value={value}>step {formatStep(value)}</option>)}
        </select>
        <button onClick={() => goStep(1)} disabled={position < 0 || position >= steps.length - 1} title="Next step with rollouts (→ or ])" aria-label="Next step">▶</button>
        <span className="muted">{steps.length > 0 ? `${position + 1} of ${steps.length} steps with rollouts` : ''}</span>
        {isLoading && (answer === null || (step !== null && step !== answer.step)) && <span className="muted">loading…</span>}
        <span className="spacer" />
        <button className="icon" onClick={onClose} title="Close (Esc)" aria-label="Close rollouts">✕</button>
      </header>
      {error && <div className="banner bad">Could not read the rollouts: {error}</div>}
      {!error && !isLoading && groups.length === 0 && (
        <div className="muted rollout-empty">{steps.length === 0 ? 'No rollouts logged for this run yet (Frustum\'s reward function writes them as the trainer scores responses).' : 'No groups at this step.'}</div>
      )}
      {groups.length > 0 && (
        <div className="rollout-body">
          <ol className="rollout-groups" role="listbox" aria-label="Groups" ref={groupsRef}>
            {groups.map((item, index) => {
              const summary = summaries[index];
              return (
                <li
                  key={index}
                  role="option"
                  aria-selected={index === groupIndex}
                  className={index === groupIndex ? 'rollout-group-row selected' : 'rollout-group-row'}
                  data-testid="rollout-group"
                  tabIndex={index === groupIndex ? 0 : -1}
                  onClick={() => setGroupIndex(index)}
                >
                  <span className="group-number">{index + 1}</span>
                  <span className="group-prompt" title={item.prompt}>{item.prompt.replace(/<[^>]+>/g, ' ').trim().slice(0, 140)}</span>
                  <span className="group-stats">
                    <span title="Mean overall reward">{formatMetric(summary?.meanOverall)}</span>
                    <span className="muted" title="Spread (standard deviation) of the overall reward">±{formatMetric(summary?.spread)}</span>
                    <span title="Share of responses with the right answer">{Math.round((summary?.accuracy ?? 0) * 100)}%</span>
                    {summary?.isFlat && <span className="flat-badge" title="Every response scored the same: no advantage, no gradient from this group">flat</span>}
                    {(summary?.contradictions ?? 0) > 0 && <span className="bad" title="Claims contradicting the clip's measured motion">⚠{summary?.contradictions}</span>}
                  </span>
                </li>
              );
            })}
          </ol>
          {group && <GroupDetail key={`${shownStep}-${groupIndex}`} group={group} onOpenSample={onOpenSample} />}
        </div>
      )}
    </aside>
  );
}

function GroupDetail({ group, onOpenSample }: { group: RolloutGroup; onOpenSample: (sampleId: number) => void }) {
  const ordered = useMemo(() => byAdvantage(group.responses), [group]);
  const largest = useMemo(() => Math.max(0, ...group.responses.map((response) => Math.abs(response.advantage))), [group]);
  return (
    <div className="rollout-group-detail">
      <div className="group-context">
        {group.clipId !== null ? <ClipPreview clipId={group.clipId} /> : <div className="clip-none muted">no clip for this prompt</div>}
        <div className="group-texts">
          <div className="group-field">
            <span className="field-label">prompt</span>
            <div className="group-prompt-text">{group.prompt}</div>
          </div>
          <div className="group-field">
            <span className="field-label">ground truth</span>
            <div className="group-truth">{group.groundTruth}</div>
          </div>
          {group.sampleId !== null && (
            <button className="link" onClick={() => onOpenSample(group.sampleId as number)} data-testid="rollout-open-sample">
              Open sample #{group.sampleId} in Review →
            </button>
          )}
        </div>
      </div>
      <ol className="rollout-responses">
        {ordered.map(({ response, index }) => <ResponseCard key={index} response={response} index={index} tone={advantageTone(response.advantage, largest)} />)}
      </ol>
    </div>
  );
}

function ResponseCard({ response, index, tone }: { response: RolloutResponse; index: number; tone: number }) {
  const pieces = useMemo(() => responsePieces(response.text, response.contradictions), [response]);
  const [isOpen, setOpen] = useState(false);
  const colour = tone >= 0 ? 'var(--ok)' : 'var(--bad)';
  return (
    <li
      className={response.contradictions.length > 0 ? 'rollout-response contradicted' : 'rollout-response'}
      data-testid="rollout-response"
      data-advantage={response.advantage}
      style={{ borderLeftColor: `color-mix(in srgb, ${colour} ${Math.round(25 + 75 * Math.abs(tone))}%, transparent)` }}
    >
      <div className="response-scores">
        <span className="muted">#{index + 1}</span>
        <span className={response.advantage > 0 ? 'advantage ok' : response.advantage < 0 ? 'advantage bad' : 'advantage muted'} title="Group-normalised advantage">
          adv {response.advantage > 0 ? '+' : ''}{formatMetric(response.advantage)}
        </span>
        <span title="Overall reward">overall {formatMetric(response.overall)}</span>
        <span className="muted" title="Format reward">format {formatMetric(response.format)}</span>
        <span className={response.accuracy > 0 ? 'ok' : 'muted'} title="Accuracy reward">accuracy {formatMetric(response.accuracy)}</span>
        {response.length !== null && <span className="muted" title="Response length (tokens)">{response.length} tok</span>}
        {response.contradictions.length > 0 && <span className="bad" title={response.contradictions.map((item) => item.message).join('\n')}>⚠ {response.contradictions.length} contradiction{response.contradictions.length === 1 ? '' : 's'}</span>}
        <span className="spacer" />
        <button className="link" onClick={() => setOpen((open) => !open)}>{isOpen ? 'less' : 'all'}</button>
      </div>
      <div className={isOpen ? 'response-text open' : 'response-text'}>
        {pieces.map((piece) => {
          const text = response.text.slice(piece.start, piece.end);
          const classes = [piece.section ? `ota-${piece.section}` : '', piece.isTag ? 'ota-tag' : '', piece.contradiction ? 'contradiction' : ''].filter(Boolean).join(' ');
          if (piece.contradiction) {
            return <mark key={piece.start} className={classes} title={`${piece.contradiction.message} (measured: ${piece.contradiction.measured})`} data-testid="rollout-contradiction">{text}</mark>;
          }
          return classes ? <span key={piece.start} className={classes}>{text}</span> : <span key={piece.start}>{text}</span>;
        })}
      </div>
    </li>
  );
}

/** The group's clip in Review's player (frames, filmstrip, transport), made when the group is shown. */
function ClipPreview({ clipId }: { clipId: number }) {
  const media = useQuery('clip.media', { clipId }, { refresh: false });
  const notify = useNotify();
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
  if (media.error) return <div className="clip-none muted">clip #{clipId}: {errorMessage(media.error)}</div>;
  if (!player) return <div className="clip-none muted">loading clip #{clipId}…</div>;
  return <div className="rollout-clip" data-testid="rollout-clip"><FramePlayer player={player} /></div>;
}
