// Incremental Server-Sent Events parsing (WHATWG HTML §9.2.6, "Interpreting an event stream") for
// the OpenAI-style streams vLLM sends. Network reads split anywhere — mid-line, mid-"\r\n",
// mid-UTF-8 sequence — so bytes are decoded with a streaming TextDecoder and lines are only
// interpreted once their terminator has arrived.

export interface SseParser {
  /** Feeds the next bytes; returns the `data` of every event completed by them, in order. */
  push(bytes: Uint8Array): string[];
  /** The stream has ended: returns the events completed by the decoder's last bytes. */
  end(): string[];
}

export function createSseParser(): SseParser {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  // A "\r" at the very end of a read may be the first half of "\r\n": the "\n" must not then
  // count as a second (blank) line, which would end the event early.
  let isAfterCarriageReturn = false;
  let dataLines: string[] | null = null;

  function takeLine(line: string, events: string[]): void {
    if (line === '') {
      if (dataLines !== null) events.push(dataLines.join('\n'));
      dataLines = null;
      return;
    }
    if (line.startsWith(':')) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') (dataLines ??= []).push(value);
    // event/id/retry are not used by OpenAI-compatible servers.
  }

  function feed(text: string): string[] {
    const events: string[] = [];
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index];
      if (char === '\n' && isAfterCarriageReturn && index === 0 && pending === '') {
        isAfterCarriageReturn = false;
        start = 1;
        continue;
      }
      isAfterCarriageReturn = false;
      if (char !== '\n' && char !== '\r') continue;
      takeLine(pending + text.slice(start, index), events);
      pending = '';
      if (char === '\r') {
        if (text[index + 1] === '\n') index += 1;
        else if (index + 1 === text.length) isAfterCarriageReturn = true;
      }
      start = index + 1;
    }
    pending += text.slice(start);
    return events;
  }

  return {
    push: (bytes) => feed(decoder.decode(bytes, { stream: true })),
    end() {
      // An event without its closing blank line is dropped, as the spec says: a stream cut
      // mid-event is a dropped stream (no [DONE]), not a malformed chunk.
      const events = feed(decoder.decode());
      pending = '';
      dataLines = null;
      return events;
    },
  };
}
