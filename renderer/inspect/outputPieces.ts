// A model's output cut into pieces that each carry one highlighting: the O-T-A section around
// it (shaded), whether it is a tag (muted), the observation claim it belongs to (clickable,
// linked to frames and the timeline) and the analyzer's contradiction over it (marked as a
// hallucination). It takes a parse rather than text, so a streaming answer is cut from the
// parse its span tracker already made (common/ota/streamSpans.ts), no second parse per frame.
import type { Contradiction } from '../../common/api/contract';
import type { Claim } from '../../common/ota/claims';
import type { ChainTagName, ParsedChain } from '../../common/ota/parse';

export interface OutputPiece {
  start: number;
  end: number;
  /** The innermost section around the piece, if any. */
  section: ChainTagName | null;
  isTag: boolean;
  /** Index into the claims given, when the piece is part of one. */
  claim: number | null;
  /** Index into the contradictions given, when one covers the piece. */
  contradiction: number | null;
}

/** Consecutive pieces covering the whole text; offsets are UTF-16, as the contract's. */
export function outputPieces(parsed: ParsedChain, contradictions: readonly Contradiction[], claims: readonly Claim[]): OutputPiece[] {
  const { text } = parsed;
  const clamp = (offset: number) => Math.min(Math.max(0, offset), text.length);
  // A contradiction found on a finished answer may point past a text that is still arriving.
  const marks = contradictions.map((item, index) => ({ index, start: clamp(item.start), end: clamp(item.end) })).filter((mark) => mark.end > mark.start);
  const claimSpans = claims.map((claim, index) => ({ index, start: clamp(claim.start), end: clamp(claim.end) })).filter((span) => span.end > span.start);
  const cuts = new Set<number>([0, text.length]);
  for (const tag of parsed.tags) cuts.add(tag.start).add(tag.end);
  for (const section of parsed.sections) cuts.add(section.start).add(section.end);
  for (const mark of marks) cuts.add(mark.start).add(mark.end);
  for (const span of claimSpans) cuts.add(span.start).add(span.end);
  const sorted = [...cuts].sort((left, right) => left - right);
  const pieces: OutputPiece[] = [];
  for (let index = 0; index + 1 < sorted.length; index++) {
    const start = sorted[index] as number;
    const end = sorted[index + 1] as number;
    if (end <= start) continue;
    let section: ChainTagName | null = null;
    let sectionStart = -1;
    for (const candidate of parsed.sections) {
      if (candidate.start <= start && end <= candidate.end && candidate.start > sectionStart) {
        section = candidate.name;
        sectionStart = candidate.start;
      }
    }
    pieces.push({
      start,
      end,
      section,
      isTag: parsed.tags.some((tag) => tag.start <= start && end <= tag.end),
      claim: claimSpans.find((span) => span.start <= start && end <= span.end)?.index ?? null,
      contradiction: marks.find((mark) => mark.start <= start && end <= mark.end)?.index ?? null,
    });
  }
  return pieces;
}

/** The claims a contradiction falls in: a hallucination flagged on the claim the person clicks. */
export function claimsOfContradiction(claims: readonly Claim[], contradiction: Contradiction): number[] {
  const found: number[] = [];
  claims.forEach((claim, index) => {
    if (claim.start < contradiction.end && contradiction.start < claim.end) found.push(index);
  });
  return found;
}
