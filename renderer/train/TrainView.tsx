// Train: what this machine has for GPU training (the Python that runs the trainers,
// LLaMA-Factory, EasyR1's verl, the GPUs and their free memory, and how to get what is missing),
// and the project's jobs with their progress and logs.
import { useState } from 'react';
import type { TrainingEnvironment } from '../../common/api/contract';
import { useQuery } from '../app/api';
import { JobRow } from '../app/JobsMenu';

export function TrainView() {
  // The host keeps its last look a minute; "look again" asks it to probe anew (something was just installed).
  const [hasAskedAgain, setAskedAgain] = useState(false);
  const environment = useQuery('training.environment', hasAskedAgain ? { refresh: true } : {}, { refresh: false });
  const lookAgain = () => (hasAskedAgain ? environment.reload() : setAskedAgain(true));
  const jobs = useQuery('jobs.list', { limit: 50 });
  return (
    <div className="train" data-testid="train">
      <section className="panel train-environment">
        <h3>
          This machine
          <button className="link" onClick={lookAgain} disabled={environment.isLoading}>{environment.isLoading ? 'looking…' : 'look again'}</button>
        </h3>
        {environment.data ? <Environment found={environment.data} /> : <div className="muted">{environment.error ? 'Could not look.' : 'Looking for Python, LLaMA-Factory, EasyR1 and GPUs…'}</div>}
      </section>
      <section className="panel train-jobs">
        <h3>Jobs</h3>
        {(jobs.data?.jobs.length ?? 0) === 0 && <div className="muted">No jobs in this project yet.</div>}
        <ol className="jobs-list">
          {(jobs.data?.jobs ?? []).map((job) => <JobRow key={job.id} job={job} onCancelled={jobs.reload} />)}
        </ol>
      </section>
    </div>
  );
}

function Environment({ found }: { found: TrainingEnvironment }) {
  const rows: Array<[string, string, boolean]> = [
    ['Python', found.python.error === undefined ? `${found.python.version ?? '?'} — ${found.python.path ?? found.python.command}` : found.python.error, found.python.error === undefined],
    ['LLaMA-Factory (SFT)', found.llamafactory.error === undefined ? `${found.llamafactory.version ?? 'found'} — ${found.llamafactory.path ?? ''}` : found.llamafactory.error, found.llamafactory.error === undefined],
    ['EasyR1 (GRPO)', found.verl.isImportable ? `verl ${found.verl.version ?? ''}` : (found.verl.error ?? 'verl does not import'), found.verl.isImportable],
    ['GPUs', found.gpus.length > 0
      ? found.gpus.map((gpu) => `${gpu.index}: ${gpu.name}, ${(gpu.memoryFreeMiB / 1024).toFixed(1)} of ${(gpu.memoryTotalMiB / 1024).toFixed(1)} GiB free`).join(' · ')
      : (found.nvidiaSmi.error ?? 'none'), found.gpus.length > 0],
  ];
  return (
    <>
      <dl className="environment">
        {rows.map(([name, value, isOk]) => (
          <div key={name} className="environment-row" data-testid={`environment-${name.split(' ')[0]?.toLowerCase() ?? name}`}>
            <dt>{name}</dt>
            <dd className={isOk ? 'ok' : 'bad'}>{isOk ? '✓ ' : '✗ '}{value}</dd>
          </div>
        ))}
      </dl>
      {found.missing.length > 0 && (
        <ul className="install-hints">
          {found.missing.map((item) => (
            <li key={item.what}>To get {item.what}: <code>{item.install}</code></li>
          ))}
        </ul>
      )}
    </>
  );
}
