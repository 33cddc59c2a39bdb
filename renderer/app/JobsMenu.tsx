// The project's jobs in the top bar: how many run now, and a panel with every recent job — its
// progress, what it says, why it failed, Cancel, and its log (tailed while the panel shows it).
// Whoever started a job (this window, another, the CLI), its events reach every window.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Job } from '../../common/api/contract';
import { errorMessage, useCall, useClient, useNotify, useQuery } from './api';
import { useCloseOnOutsidePress } from './popover';

const LOG_POLL_MS = 1000;

export function JobsMenu() {
  const client = useClient();
  const notify = useNotify();
  const jobs = useQuery('jobs.list', { limit: 30 });
  const [isOpen, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const reload = jobs.reload;

  // Progress moves the bars in place; a job that starts or ends reloads the list.
  const [live, setLive] = useState<Map<number, Pick<Job, 'state' | 'done' | 'total' | 'message'>>>(new Map());
  useEffect(() => {
    const offProgress = client.on('job.progress', (event) => {
      setLive((current) => new Map(current).set(event.jobId, { state: event.state, done: event.done, total: event.total, message: event.message }));
      if (!jobs.data?.jobs.some((job) => job.id === event.jobId)) reload();
    });
    const offFinished = client.on('job.finished', (event) => {
      setLive((current) => {
        const next = new Map(current);
        next.delete(event.jobId);
        return next;
      });
      reload();
      if (event.state === 'failed') notify('error', `A ${event.kind} job failed: ${event.error?.split('\n')[0] ?? ''}`);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [client, reload, notify, jobs.data]);

  const close = useCallback(() => setOpen(false), []);
  useCloseOnOutsidePress(ref, isOpen, close);

  const list = (jobs.data?.jobs ?? []).map((job) => ({ ...job, ...live.get(job.id) }));
  const running = list.filter((job) => job.state === 'running' || job.state === 'queued').length;
  return (
    <div className="jobs-menu" ref={ref}>
      <button className={running > 0 ? 'jobs-button busy' : 'jobs-button'} aria-expanded={isOpen} onClick={() => setOpen((open) => !open)} data-testid="jobs-button" title="Jobs: analysis, imports, synthetic clips">
        {running > 0 ? `⟳ ${running} job${running === 1 ? '' : 's'}` : 'jobs'}
      </button>
      {isOpen && (
        <div className="jobs-panel" role="dialog" aria-label="Jobs" onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            setOpen(false);
          }
        }}>
          <header>
            <h3>Jobs</h3>
            <StartButtons onStarted={reload} />
          </header>
          {list.length === 0 && <div className="muted">No jobs yet. Analysis, dropped imports and synthetic clips run here, each in a process of its own.</div>}
          <ol className="jobs-list">
            {list.map((job) => <JobRow key={job.id} job={job} onCancelled={reload} />)}
          </ol>
        </div>
      )}
    </div>
  );
}

function StartButtons({ onStarted }: { onStarted: () => void }) {
  const call = useCall();
  const notify = useNotify();
  const start = async (request: Parameters<typeof call<'jobs.start'>>[1]) => {
    const job = await call('jobs.start', request);
    if (job) {
      notify('info', `Started: ${job.title}.`);
      onStarted();
    }
  };
  return (
    <span className="row-buttons">
      <button onClick={() => void start({ kind: 'analyze' })} title="Read every clip's camera motion (readings reused while unchanged) and draft chains for its questions">Analyze project</button>
      <button onClick={() => void start({ kind: 'synth', count: 8, seed: Math.floor(Math.random() * 1_000_000) })} title="Render 8 synthetic clips with exact ground truth beside the project and import their records">Add 8 synthetic clips</button>
    </span>
  );
}

export function JobRow({ job, onCancelled }: { job: Job; onCancelled: () => void }) {
  const call = useCall();
  const [isLogOpen, setLogOpen] = useState(false);
  const isOpen = job.state === 'queued' || job.state === 'running';
  return (
    <li className={`job ${job.state}`} data-testid={`job-${job.id}`}>
      <div className="job-head">
        <span className={`job-state ${job.state}`}>{job.state}</span>
        <strong className="job-title" title={job.title}>{job.title}</strong>
        <span className="spacer" />
        <span className="muted">#{job.id} · {(job.finishedAt ?? job.startedAt ?? job.createdAt).slice(11, 19)}</span>
      </div>
      {isOpen && (job.total > 0 ? <progress value={job.done} max={job.total} /> : <progress />)}
      <div className="job-message muted">{job.state === 'failed' ? <span className="bad">{job.error?.split('\n')[0]}</span> : job.message}</div>
      <div className="row-buttons">
        {isOpen && <button onClick={() => void call('jobs.cancel', { id: job.id }).then(onCancelled)}>Cancel</button>}
        <button onClick={() => setLogOpen((open) => !open)}>{isLogOpen ? 'hide log' : 'log'}</button>
      </div>
      {isLogOpen && <JobLog jobId={job.id} isLive={isOpen} />}
    </li>
  );
}

/** The log's last part, read on from where the last read stopped while the job runs. */
function JobLog({ jobId, isLive }: { jobId: number; isLive: boolean }) {
  const client = useClient();
  const [text, setText] = useState('');
  const offset = useRef(0);
  const preRef = useRef<HTMLPreElement>(null);
  const read = useCallback(async () => {
    try {
      for (;;) {
        const chunk = await client.call('jobs.log', { id: jobId, offset: offset.current });
        offset.current = chunk.offset;
        // Only the last 64 KiB stay on screen: a long training log must not grow the page without end.
        if (chunk.text !== '') setText((current) => (current + chunk.text).slice(-64 * 1024));
        if (chunk.offset >= chunk.size || chunk.text === '') break;
      }
    } catch (error) {
      setText((current) => `${current}\n(could not read the log: ${errorMessage(error)})`);
    }
  }, [client, jobId]);
  useEffect(() => {
    void read();
    if (!isLive) return;
    const timer = setInterval(() => void read(), LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [read, isLive]);
  useEffect(() => {
    if (preRef.current) preRef.current.scrollTop = preRef.current.scrollHeight;
  }, [text]);
  return <pre className="job-log" ref={preRef} data-testid={`job-log-${jobId}`}>{text || '(empty)'}</pre>;
}
