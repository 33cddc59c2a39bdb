// The frames the model received, as thumbnails from the clip's exact-frame route (the frames
// Review's player paints: the same clip.media and frame URLs), each with its number as the
// model would count it and its time; below them the clip's timeline with a tick per frame sent
// and the chosen claim's span, solid when the claim names its frames or time, hatched when a
// rule inferred it. Frames spoken of by the chosen claim are lit; the pointer over a frame
// lights the claims about it.
import type { ClipMedia, SentFrameInfo } from '../../common/api/contract';
import type { Claim } from '../../common/ota/claims';
import { frameUrl } from '../review/frameCache';
import { clipFrameAt, formatSeconds, spanBox } from './sentFrames';

const RULE_WORDS: Record<Claim['rule'], string> = {
  'frame-number': 'the frames it names',
  'frame-ordinal': 'the frame it names',
  'clip-frame': 'the clip frames it names',
  'time': 'the time it names',
  'early': 'first third',
  'middle': 'middle third',
  'late': 'last third',
  'first-half': 'first half',
  'second-half': 'second half',
  'progression': 'whole clip',
  'combined': 'the span its words cover',
  'default': 'whole clip: it says nothing of when',
};

export function SentFramesStrip({ frames, media, durationSeconds, claim, hoveredFrame, onHoverFrame, onPickFrame, note }: {
  frames: readonly SentFrameInfo[];
  media: ClipMedia | null;
  durationSeconds: number | null;
  /** The chosen claim, if any. */
  claim: Claim | null;
  hoveredFrame: number | null;
  onHoverFrame: (index: number | null) => void;
  onPickFrame: (index: number) => void;
  /** Why there are no frames (the built-in model, a server that sampled the file itself). */
  note: string | null;
}) {
  const lit = new Set(claim?.frames ?? []);
  return (
    <div className="sent-frames" data-testid="sent-frames">
      <div className="sent-frames-head">
        <span className="field-label">frames received</span>
        <span className="muted" data-testid="sent-frames-count">{frames.length > 0 ? `${frames.length} · ${frames[0]?.width ?? 0}×${frames[0]?.height ?? 0}` : '–'}</span>
        {claim && (
          <span className={claim.isExact ? 'claim-rule exact' : 'claim-rule inferred'} data-testid="claim-rule" title={claim.cues.map((cue) => `“${cue.text}”`).join(', ')}>
            {claim.isExact ? 'exact' : 'inferred'}: {RULE_WORDS[claim.rule]}
            {claim.cues.length > 0 && <span className="muted"> · {claim.cues.map((cue) => `“${cue.text}”`).join(', ')}</span>}
          </span>
        )}
      </div>
      {frames.length === 0 ? (
        <div className="muted sent-frames-none">{note ?? 'The frames appear once the request is built.'}</div>
      ) : (
        <ol className="sent-frames-list" onMouseLeave={() => onHoverFrame(null)}>
          {frames.map((frame, index) => {
            const clipFrame = media ? clipFrameAt(frame.timestamp, media) : null;
            return (
              <li key={index}>
                <button
                  type="button"
                  className={`sent-frame${lit.has(index) ? ' lit' : ''}${hoveredFrame === index ? ' hovered' : ''}`}
                  data-testid="sent-frame"
                  data-lit={lit.has(index)}
                  onMouseEnter={() => onHoverFrame(index)}
                  onFocus={() => onHoverFrame(index)}
                  onClick={() => onPickFrame(index)}
                  title={`Frame ${index + 1} the model received: ${formatSeconds(frame.timestamp)}${clipFrame !== null ? `, clip frame ${clipFrame + 1}` : ''}, sent at ${frame.width}×${frame.height}`}
                >
                  {media && clipFrame !== null ? <img src={frameUrl(media.frameTemplate, clipFrame)} alt="" loading="lazy" decoding="async" /> : <span className="sent-frame-blank" />}
                  <span className="sent-frame-label">{index + 1} · {formatSeconds(frame.timestamp)}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {durationSeconds !== null && durationSeconds > 0 && (
        <div className="claim-timeline" data-testid="claim-timeline" title={`The clip: ${formatSeconds(durationSeconds)}`}>
          {frames.map((frame, index) => (
            <span key={index} className={`timeline-tick${lit.has(index) ? ' lit' : ''}`} style={{ left: `${spanBox({ start: frame.timestamp, end: frame.timestamp }, durationSeconds, 0).left}%` }} />
          ))}
          {claim?.span && (
            <span
              className={claim.isExact ? 'claim-span exact' : 'claim-span inferred'}
              data-testid="claim-span"
              style={{ left: `${spanBox(claim.span, durationSeconds).left}%`, width: `${spanBox(claim.span, durationSeconds).width}%` }}
              title={`${formatSeconds(claim.span.start)} – ${formatSeconds(claim.span.end)}`}
            />
          )}
          <span className="timeline-end muted">{formatSeconds(durationSeconds)}</span>
        </div>
      )}
    </div>
  );
}
