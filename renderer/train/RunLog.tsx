// The end of a training job's log, read on from where the last read stopped: once a second while
// the job runs, and at once when it says it moved on. A training log grows to megabytes, so the
// first read starts at its last 64 KiB, not at its beginning.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, useClient } from '../app/api';

const TAIL_BYTES = 64 * 1024;
const POLL_MS = 1000;

export function RunLog({ jobId, isLive }: { jobId: number; isLive: boolean }) {
  const client = useClient();
  const [text, setText] = useState('');
  const offset = useRef<number | null>(null);
  const isReading = useRef(false);
  const preRef = useRef<HTMLPreElement>(null);
  const isPinned = useRef(true);

  const read = useCallback(async () => {
    if (isReading.current) return;
    isReading.current = true;
    try {
      let next = offset.current;
      if (next === null) {
        const probe = await client.call('jobs.log', { id: jobId, offset: 0, maxBytes: 1 });
        next = Math.max(0, probe.size - TAIL_BYTES);
        if (next > 0) setText(`(… the first ${(next / 1024).toFixed(0)} KiB are in the log file)\n`);
      }
      for (;;) {
        const chunk: { text: string; offset: number; size: number } = await client.call('jobs.log', { id: jobId, offset: next });
        next = chunk.offset;
        offset.current = chunk.offset;
        if (chunk.text !== '') setText((current) => (current + chunk.text).slice(-TAIL_BYTES));
        if (chunk.offset >= chunk.size || chunk.text === '') break;
      }
    } catch (error) {
      setText((current) => `${current}\n(could not read the log: ${errorMessage(error)})`);
    } finally {
      isReading.current = false;
    }
  }, [client, jobId]);

  useEffect(() => {
    offset.current = null;
    setText('');
    void read();
    if (!isLive) return;
    const timer = setInterval(() => void read(), POLL_MS);
    const offProgress = client.on('job.progress', (event) => {
      if (event.jobId === jobId) void read();
    });
    const offFinished = client.on('job.finished', (event) => {
      if (event.jobId === jobId) void read();
    });
    return () => {
      clearInterval(timer);
      offProgress();
      offFinished();
    };
  }, [client, read, isLive, jobId]);

  useEffect(() => {
    // Follow the end unless the person scrolled up to read something.
    const pre = preRef.current;
    if (pre && isPinned.current) pre.scrollTop = pre.scrollHeight;
  }, [text]);

  return (
    <pre
      className="job-log run-log"
      ref={preRef}
      data-testid={`run-log-${jobId}`}
      tabIndex={0}
      onScroll={(event) => {
        const pre = event.currentTarget;
        isPinned.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
      }}
    >
      {text || '(empty)'}
    </pre>
  );
}
