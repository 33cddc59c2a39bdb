// Where each chosen run's numbers come from, as a chain of steps (./lineage.ts): the dataset
// snapshot (a link to its samples in the Library) → the training job (a link to Train) → its
// checkpoint → the run and its settings, or the file an imported run came from.
import type { LibraryFilter, RunLineage } from '../../common/api/contract';
import { lineageSteps } from './lineage';

export function LineageChain({ lineages, onOpenLibrary, onOpenTrain }: {
  lineages: readonly RunLineage[];
  onOpenLibrary: (filter: LibraryFilter) => void;
  onOpenTrain: (jobId: number) => void;
}) {
  return (
    <section className="panel eval-lineage" data-testid="eval-lineage">
      <h3>Lineage</h3>
      {lineages.map((lineage) => (
        <ol key={lineage.runId} className="lineage-chain" data-run={lineage.runId} aria-label={`Lineage of run #${lineage.runId}`}>
          {lineageSteps(lineage).map((step) => (
            <li key={step.kind} className={`lineage-step ${step.kind}`} data-testid={`lineage-${step.kind}`}>
              <strong>{step.title}</strong>
              {step.lines.map((line, index) => <span key={index} className={index === 0 ? 'lineage-main' : 'muted'} title={line}>{line}</span>)}
              {step.link && (
                <button
                  className="link"
                  data-testid={`lineage-link-${step.kind}`}
                  onClick={() => {
                    const link = step.link;
                    if (link?.to === 'library') onOpenLibrary(link.filter);
                    else if (link?.to === 'train') onOpenTrain(link.jobId);
                  }}
                >
                  {step.linkLabel}
                </button>
              )}
            </li>
          ))}
        </ol>
      ))}
    </section>
  );
}
