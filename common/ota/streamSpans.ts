// Observation–Think–Answer sections of a chain while it streams in, for the Inspect view's
// colouring. After every delta the sections are exactly what parseChain gives for the text so
// far, so the live view never disagrees with the finished one. It re-parses the accumulated
// text rather than tracking tags incrementally: a 3k-character chain parses in tens of
// microseconds (streamSpans.test.ts measures it), far below a token's arrival interval, and a
// second parser would be a second place for the tag rules to drift.
import { parseChain, type ChainTagName, type ParsedChain, type TextSpan } from './parse';

export interface StreamSection extends TextSpan {
  name: ChainTagName;
  /** Between the tags (to the end of the text while still open). */
  contentSpan: TextSpan;
  /** The close tag has arrived; an open section grows with the next delta. */
  closed: boolean;
  /** Another section encloses this one's open tag. */
  nested: boolean;
}

export interface StreamSpans {
  /** All text received since the start or the last reset. */
  readonly text: string;
  /** Sections of `text` as parseChain finds them, in order of their open tags. */
  readonly sections: readonly StreamSection[];
  /** The full parse, for the linter and the answer extraction. */
  readonly parsed: ParsedChain;
}

export interface StreamSpanTracker {
  /** Appends one delta and returns the sections of everything received so far. */
  push(delta: string): StreamSpans;
  /** Forgets what was received (the client retried from scratch: its onReset). */
  reset(): void;
  current(): StreamSpans;
}

function spansOf(parsed: ParsedChain): StreamSpans {
  const sections = parsed.sections.map((section) => ({
    name: section.name,
    start: section.start,
    end: section.end,
    contentSpan: { ...section.contentSpan },
    closed: section.close !== null,
    nested: section.nested,
  }));
  return { text: parsed.text, sections, parsed };
}

export function createStreamSpanTracker(): StreamSpanTracker {
  let text = '';
  let latest = spansOf(parseChain(''));
  return {
    push(delta) {
      if (delta.length === 0) return latest;
      text += delta;
      latest = spansOf(parseChain(text));
      return latest;
    },
    reset() {
      text = '';
      latest = spansOf(parseChain(''));
    },
    current: () => latest,
  };
}
