// A chain as text with its O-T-A sections shaded (the rollout inspector's colours), each
// observation claim a target — a click chooses it (its frames and span light up), a claim
// whose frames are under the pointer is lit — and the analyzer's contradictions marked as
// hallucinations with their message.
import { useMemo } from 'react';
import type { Contradiction } from '../../common/api/contract';
import type { Claim } from '../../common/ota/claims';
import type { ParsedChain } from '../../common/ota/parse';
import { outputPieces } from './outputPieces';

export function OutputText({ parsed, contradictions, claims, selectedClaim, litClaims, onSelectClaim, isStreaming = false, testId }: {
  parsed: ParsedChain;
  contradictions: readonly Contradiction[];
  claims: readonly Claim[];
  selectedClaim: number | null;
  /** Claims about the frame under the pointer. */
  litClaims: ReadonlySet<number>;
  onSelectClaim?: (index: number | null) => void;
  isStreaming?: boolean;
  testId: string;
}) {
  const pieces = useMemo(() => outputPieces(parsed, contradictions, claims), [parsed, contradictions, claims]);
  const { text } = parsed;
  return (
    <div className={isStreaming ? 'output-text streaming' : 'output-text'} data-testid={testId} data-length={text.length}>
      {pieces.map((piece) => {
        const slice = text.slice(piece.start, piece.end);
        const classes = [
          piece.section ? `ota-${piece.section}` : '',
          piece.isTag ? 'ota-tag' : '',
          piece.claim !== null ? 'claim' : '',
          piece.claim !== null && piece.claim === selectedClaim ? 'selected' : '',
          piece.claim !== null && litClaims.has(piece.claim) ? 'lit' : '',
        ].filter(Boolean).join(' ');
        const claimProps = piece.claim !== null && onSelectClaim
          ? {
            'data-claim': piece.claim,
            onClick: () => onSelectClaim(piece.claim === selectedClaim ? null : piece.claim),
            title: 'Show the frames and the time this claim speaks of',
          }
          : {};
        if (piece.contradiction !== null) {
          const contradiction = contradictions[piece.contradiction] as Contradiction;
          return (
            <mark
              key={piece.start}
              className={`contradiction hallucination ${classes}`}
              data-testid="hallucination-mark"
              {...claimProps}
              title={`Hallucination: ${contradiction.message} (measured: ${contradiction.measured})`}
            >
              {slice}
            </mark>
          );
        }
        return <span key={piece.start} className={classes || undefined} {...claimProps}>{slice}</span>;
      })}
      {isStreaming && <span className="stream-caret" aria-hidden="true" />}
    </div>
  );
}
