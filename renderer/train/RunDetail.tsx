// One training run: its state and progress, Cancel and Resume, the lineage with paths, the chart
// controls (smoothing, log scale, the runs compared), the live charts, the log's tail, and the
// rollout inspector beside the charts when a step is picked on the reward chart.
import { useMemo, useState } from 'react';
import type { Job, TrainRun } from '../../common/api/contract';
import { useCall, useNotify } from '../app/api';
import { formatDuration } from './format';
import { ENGINE_LABELS, OBJECTIVE_LABELS, shortModel } from './lineage';
import type { MetricsHub } from './metricsHub';
import { RolloutInspector } from './RolloutInspector';
import { RUN_COLOURS, RunCharts, type ChartRun } from './RunCharts';
import { RunLog } from './RunLog';
import { isOpenJob, Lineage } from './RunsList';

export interface ChartSettings {
  smoothing: number;
  isLog: boolean;
  extraKeys: string[];
}

export function RunDetail({ run, job, runs, compared, hub, settings, onSettings, rolloutStep, onRolloutStep, onSelectRun, onUncompare, onOpenSample, onChanged }: {
  run: TrainRun;
  job: Job | undefined;
  runs: readonly TrainRun[];
  /** Other runs drawn on the same charts, with their colours. */
  compared: readonly ChartRun[];
  hub: MetricsHub;
  settings: ChartSettings;
  onSettings: (patch: Partial<ChartSettings>) => void;
  /** The step whose rollouts are open (undefined: closed; null: the newest). */
  rolloutStep: number | null | undefined;
  onRolloutStep: (step: number | null | undefined) => void;
  onSelectRun: (jobId: number) => void;
  onUncompare: (jobId: number) => void;
  onOpenSample: (sampleId: number) => void;
  onChanged: () => void;
}) {
  const call = useCall();
  const notify = useNotify();
  const [isLogOpen, setLogOpen] = useState(true);
  const isOpen = isOpenJob(job);
  const isGrpo = run.objective === 'grpo';
  const canResume = job !== undefined && !isOpen && run.checkpoints.length > 0;
  const chartRuns = useMemo<ChartRun[]>(() => [{ jobId: run.jobId, label: `#${run.jobId}`, colour: RUN_COLOURS[0] as string }, ...compared], [run.jobId, compared]);
  const elapsed = job?.startedAt ? ((job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - Date.parse(job.startedAt)) / 1000 : null;

  const cancel = async () => {
    const cancelled = await call('jobs.cancel', { id: run.jobId });
    if (cancelled) onChanged();
  };
  const resume = async () => {
    const resumed = await call('training.resume', { jobId: run.jobId });
    if (resumed) {
      notify('info', `Resumed as job #${resumed.id}.`);
      onChanged();
      onSelectRun(resumed.id);
    }
  };

  return (
    <div className="run-detail" data-testid={`run-detail-${run.jobId}`}>
      <header className="run-head">
        <span className={`job-state ${job?.state ?? 'unknown'}`} data-testid="run-state">{job?.state ?? 'unknown'}</span>
        <h2>
          #{run.jobId} · {ENGINE_LABELS[run.engine]} {OBJECTIVE_LABELS[run.objective]} · <span title={run.model}>{shortModel(run.model)}</span>
        </h2>
        {isOpen && job && (job.total > 0 ? <progress value={job.done} max={job.total} title={`${job.done} / ${job.total}`} /> : <progress />)}
        <span className="muted run-message" title={job?.message}>
          {job?.state === 'failed' ? <span className="bad">{job.error?.split('\n')[0]}</span> : job?.message}
          {elapsed !== null && ` · ${formatDuration(elapsed)}`}
        </span>
        <span className="spacer" />
        {isGrpo && (
          <button onClick={() => onRolloutStep(rolloutStep === undefined ? null : undefined)} aria-pressed={rolloutStep !== undefined} title="The newest step's rollouts (R); or click a step on the reward chart">
            Rollouts
          </button>
        )}
        {isOpen && <button onClick={() => void cancel()} data-testid="run-cancel" title="Stop the trainer and its processes">Cancel</button>}
        {job && !isOpen && (
          <button onClick={() => void resume()} disabled={!canResume} data-testid="run-resume" title={canResume ? 'A new job that continues from the last checkpoint' : 'No checkpoint to continue from'}>
            Resume
          </button>
        )}
        <button onClick={() => setLogOpen((open) => !open)} aria-pressed={isLogOpen}>{isLogOpen ? 'Hide log' : 'Log'}</button>
      </header>
      <Lineage run={run} runs={runs} />
      <div className="chart-controls">
        <label className="smoothing" title="Exponential moving average, debiased (as TensorBoard): the raw values stay as faint lines">
          smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={settings.smoothing}
            onChange={(event) => onSettings({ smoothing: Number(event.target.value) })}
            aria-label="Smoothing"
            data-testid="smoothing"
          />
          <span className="smoothing-value">{settings.smoothing.toFixed(2)}</span>
        </label>
        <label className="check" title="Logarithmic y axis (L)">
          <input type="checkbox" checked={settings.isLog} onChange={(event) => onSettings({ isLog: event.target.checked })} data-testid="log-scale" />
          log y
        </label>
        {compared.length > 0 && (
          <span className="compare-legend" data-testid="compare-legend">
            <span className="legend-run"><span className="run-swatch" style={{ background: chartRuns[0]?.colour }} />#{run.jobId}</span>
            {compared.map((item) => (
              <span key={item.jobId} className="legend-run">
                <span className="run-swatch" style={{ background: item.colour }} />
                {item.label}
                <button className="chip-remove" onClick={() => onUncompare(item.jobId)} aria-label={`Stop comparing ${item.label}`} title="Stop comparing">×</button>
              </span>
            ))}
          </span>
        )}
        <span className="spacer" />
        <span className="muted chart-help">drag: zoom · double-click: all steps</span>
      </div>
      <div className={rolloutStep !== undefined ? 'run-body with-inspector' : 'run-body'}>
        <div className="run-main">
          <RunCharts
            hub={hub}
            runs={chartRuns}
            smoothing={settings.smoothing}
            isLog={settings.isLog}
            extraKeys={settings.extraKeys}
            onAddKey={(key) => onSettings({ extraKeys: [...settings.extraKeys, key] })}
            {...(isGrpo ? { onPickStep: (step: number) => onRolloutStep(step), pickHint: 'Click a step to see its rollouts' } : {})}
          />
          {isLogOpen && (
            <section className="panel run-log-panel">
              <h4>Log</h4>
              <RunLog key={run.jobId} jobId={run.jobId} isLive={isOpen} />
            </section>
          )}
        </div>
        {rolloutStep !== undefined && (
          <RolloutInspector key={run.jobId} jobId={run.jobId} step={rolloutStep} isLive={isOpen} onClose={() => onRolloutStep(undefined)} onOpenSample={onOpenSample} />
        )}
      </div>
    </div>
  );
}
