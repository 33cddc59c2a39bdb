// Stats' shortcut audit (stats.audit; `frustum audit` prints the same): can the reference answer
// be told without the video — from the question's wording, the option order, the letter, the
// clip's name — by a rule or a text-only classifier fitted on some samples and scored on others?
// Per group (the project, each source), each shortcut's held-out accuracy against chance and the
// majority letter, its verdict, and the samples it answers as a Library link. It reads every
// sample, so it runs when asked, and its report stays while the studio is open.
import { useState } from 'react';
import type { LibraryFilter } from '../../common/api/contract';
import { useCall, useRefreshEpoch } from '../app/api';
import { barMarks, isFlagged, LEVEL_LABELS, letterCounts, partitionGroups, percent, type AuditGroup, type AuditReport, type AuditShortcut } from './auditView';

type SplitBy = AuditReport['splitBy'];

const SPLIT_BY_LABELS: Record<SplitBy, string> = {
  auto: "train → test where a group has both, else folds by clip",
  split: "split 'train' → split 'test'",
  clip: 'folds by clip name',
};

/** The last audit, kept while the studio is open: coming back to Stats does not run it again. */
let lastAudit: { report: AuditReport; at: Date; epoch: number } | null = null;

export function AuditPanel({ onOpen }: { onOpen: (filter: LibraryFilter) => void }) {
  const call = useCall();
  const epoch = useRefreshEpoch();
  const [audit, setAudit] = useState(lastAudit);
  const [splitBy, setSplitBy] = useState<SplitBy>(lastAudit?.report.splitBy ?? 'auto');
  const [isRunning, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    const asked = epoch;
    const report = await call('stats.audit', { splitBy });
    setRunning(false);
    if (!report) return;
    lastAudit = { report, at: new Date(), epoch: asked };
    setAudit(lastAudit);
  };
  const groups = audit ? partitionGroups(audit.report) : null;
  return (
    <section className="panel audit" data-testid="audit">
      <header className="audit-head">
        <h3>Shortcuts: can the answer be told without the video?</h3>
        <span className="spacer" />
        <label className="audit-split" title="How the samples are split into the part rules are fitted on and the part they are scored on">
          held out by
          <select value={splitBy} onChange={(event) => setSplitBy(event.target.value as SplitBy)} data-testid="audit-split-by">
            {(Object.keys(SPLIT_BY_LABELS) as SplitBy[]).map((key) => <option key={key} value={key}>{SPLIT_BY_LABELS[key]}</option>)}
          </select>
        </label>
        <button className="primary" onClick={() => void run()} disabled={isRunning} data-testid="audit-run">
          {isRunning ? 'Auditing…' : audit ? 'Run again' : 'Run the audit'}
        </button>
      </header>
      <p className="muted audit-intro">
        Each rule — the question&apos;s wording, the option order, the answer&apos;s letter or text, the clip&apos;s name — and a text-only classifier is fitted
        on one part of the samples and scored on the other, against chance and against always answering the most common letter. One that beats both
        tells the answer without the video: a model can score it without looking.
      </p>
      {audit && groups && (
        <div className="audit-body" data-testid="audit-report">
          <div className="muted audit-meta">
            {audit.report.samples.toLocaleString()} samples with a reference letter · audited at {audit.at.toLocaleTimeString()}
            {audit.epoch !== epoch && <span className="warn"> · the samples have changed since: run it again</span>}
          </div>
          {groups.told.map((group) => <AuditGroupView key={group.key} group={group} onOpen={onOpen} />)}
          {groups.told.length === 0 && <div className="muted">No group has enough held-out samples ({'≥'} 30) to tell.</div>}
          {groups.tooFew.length > 0 && (
            <details className="audit-few" data-testid="audit-few">
              <summary>{groups.tooFew.length} group{groups.tooFew.length === 1 ? '' : 's'} too small to tell</summary>
              <ul>
                {groups.tooFew.map((group) => (
                  <li key={group.key}>
                    <strong>{group.label}</strong> <span className="muted">{group.audited.toLocaleString()} of {group.samples.toLocaleString()} audited · {group.verdict}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

function AuditGroupView({ group, onOpen }: { group: AuditGroup; onOpen: (filter: LibraryFilter) => void }) {
  const flagged = group.shortcuts.filter(isFlagged);
  const skipped = Object.entries(group.skipped).filter(([, count]) => count > 0).map(([reason, count]) => `${count.toLocaleString()} ${reason.replace(/-/g, ' ')}`);
  return (
    <div className="audit-group" data-testid="audit-group" data-group={group.key}>
      <h4>
        {group.label}
        <span className="muted">{group.audited.toLocaleString()} of {group.samples.toLocaleString()} samples audited{skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}</span>
      </h4>
      <p className={`audit-verdict ${flagged.length > 0 ? 'warn' : 'ok'}`} data-testid="audit-verdict">{flagged.length > 0 ? '⚠ ' : '✓ '}{group.verdict}</p>
      <p className="muted audit-holdout" data-testid="audit-holdout">
        Held out: {group.holdout.description}. On its {group.holdout.evaluated.toLocaleString()} held-out samples: chance {percent(group.chance)}, always {group.majorityLetter || '–'} {percent(group.majority)}; answers {letterCounts(group.letters) || 'none'}.
      </p>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">shortcut</th>
            <th scope="col" className="num">accuracy</th>
            <th scope="col" className="audit-bar-head" title="Held-out accuracy; the dashed mark is chance, the solid one the majority letter">against chance ┆ and majority │</th>
            <th scope="col" className="num" title="Held-out samples the rule had something to say about">applies</th>
            <th scope="col">verdict</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {group.shortcuts.map((shortcut) => <ShortcutRow key={shortcut.id} shortcut={shortcut} onOpen={onOpen} />)}
        </tbody>
      </table>
      {flagged.map((shortcut) => <Evidence key={shortcut.id} shortcut={shortcut} />)}
    </div>
  );
}

function ShortcutRow({ shortcut, onOpen }: { shortcut: AuditShortcut; onOpen: (filter: LibraryFilter) => void }) {
  const marks = barMarks(shortcut);
  const ids = shortcut.explainedIds;
  return (
    <tr className={`audit-row ${shortcut.level}`} data-testid="audit-shortcut" data-shortcut={shortcut.id} data-level={shortcut.level}>
      <th scope="row" title={shortcut.title}>{shortcut.name}</th>
      <td className="num">{percent(shortcut.accuracy)}</td>
      <td>
        <span className="audit-bar" title={`accuracy ${percent(shortcut.accuracy)} · chance ${percent(shortcut.chance)} · majority letter ${percent(shortcut.majority)} (${shortcut.n.toLocaleString()} held-out samples)`}>
          <span className="audit-bar-fill" style={{ width: `${marks.accuracy}%` }} />
          <span className="audit-mark chance" style={{ left: `${marks.chance}%` }} />
          <span className="audit-mark majority" style={{ left: `${marks.majority}%` }} />
        </span>
      </td>
      <td className="num">{shortcut.applies.toLocaleString()}</td>
      <td className="audit-says">
        {LEVEL_LABELS[shortcut.level] && <span className={`kind-tag ${isFlagged(shortcut) ? 'flagged' : ''}`}>{LEVEL_LABELS[shortcut.level]}</span>} {shortcut.verdict}
      </td>
      <td>
        {ids.length > 0 && (
          <button className="link" onClick={() => onOpen({ sampleIds: ids })} data-testid="audit-show" title="The held-out samples this shortcut answers right, in the Library">
            show these {ids.length.toLocaleString()} samples
          </button>
        )}
      </td>
    </tr>
  );
}

/** What carries a flagged shortcut: the keys (wordings, option lists…) or the classifier's features behind its answers. */
function Evidence({ shortcut }: { shortcut: AuditShortcut }) {
  const examples = shortcut.id === 'majority-letter' ? [] : shortcut.examples.slice(0, 3);
  const features = shortcut.features.slice(0, 5);
  if (examples.length === 0 && features.length === 0) return null;
  return (
    <div className="audit-evidence">
      <strong>{shortcut.name}</strong> <span className="muted">({shortcut.title})</span>
      <ul>
        {examples.map((example) => (
          <li key={example.value}>
            {example.letter
              ? <>{example.value} → <strong>{example.letter}</strong> <span className="muted">({percent(example.share)} of {example.samples.toLocaleString()})</span></>
              : <>&ldquo;{example.value}&rdquo; is the answer in {percent(example.share)} of the {example.samples.toLocaleString()} questions offering it</>}
          </li>
        ))}
        {features.map((feature) => (
          <li key={feature.feature}>
            {feature.description} → <strong>{feature.letter}</strong> <span className="muted">({percent(feature.share)} of {feature.samples.toLocaleString()}, against {percent(feature.baseShare)} overall)</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
