// The O-T-A editor: option buttons, three fields (or raw text), live lint and reward computed
// with the trainer's own code (common/ota), contradictions highlighted, its own undo history,
// and saving as revisions that show "Saved" only once the host has committed them. Nothing
// typed is left behind: edits save themselves after a pause, when the editor leaves the sample,
// and closing the window with unsaved text asks first.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type Contradiction, type Revision, type SampleDetail } from '../../common/api/contract';
import { letterOfOption } from '../../common/camerabench/primitives';
import { lintChain, type LintIssue } from '../../common/ota/lint';
import { camReasonerReward } from '../../common/ota/reward';
import { errorMessage, useClient, useNotify } from '../app/api';
import { fieldOffsets, optionLetter, type ChainFields } from './chainFields';
import { isChainDirty, setAnswer, setField, stateOfText, textOf, toggleMode, type EditorState } from './editorState';
import { createUndoStack, pushState, redo, undo, type UndoStack } from './undoStack';

export type SaveState = 'clean' | 'dirty' | 'saving' | 'saved' | 'error' | 'conflict';

export interface ChainEditorHandle {
  /**
   * Saves when there are changes; resolves true when nothing is left unsaved. Calls made while a
   * save is under way wait for it, then save only what is still unsaved.
   */
  save(): Promise<boolean>;
  pickOption(index: number): void;
  undo(): void;
  redo(): void;
  insertDraft(): void;
  /** Focuses the first field with the caret after its text (E: go on writing). */
  focusFirstField(): void;
  /** As of now, not as of the last render: true right after a save resolves would save twice. */
  readonly isDirty: boolean;
  readonly currentText: string;
}

interface Props {
  sample: SampleDetail;
  draft: string | null;
  onSaved: (revision: Revision) => void;
  onTextChange?: (text: string) => void;
  /** While the next sample loads this editor stays on screen, but typing must not land in it. */
  readOnly?: boolean;
}

/** A pause in typing this long saves the chain (one revision per pause, not per keystroke). */
export const AUTOSAVE_IDLE_MS = 5_000;

const FIELDS: Array<{ key: keyof ChainFields; label: string; rows: number }> = [
  { key: 'observation', label: 'observation', rows: 6 },
  { key: 'think', label: 'think', rows: 5 },
  { key: 'answer', label: 'answer', rows: 1 },
];

interface Highlight {
  start: number;
  end: number;
  kind: 'contradiction' | 'lint';
  title: string;
}

export const ChainEditor = forwardRef<ChainEditorHandle, Props>(function ChainEditor({ sample, draft, onSaved, onTextChange, readOnly = false }, ref) {
  const client = useClient();
  const notify = useNotify();
  const [stack, setStack] = useState<UndoStack<EditorState>>(() => createUndoStack(stateOfText(sample.head?.text ?? '')));
  /** The head this editor started from: the text on disk and its revision id. */
  const [base, setBaseState] = useState<{ text: string; revisionId: number | null }>({ text: sample.head?.text ?? '', revisionId: sample.head?.id ?? null });
  // The base as of now: a save that resolves sets it before React renders again, so a save asked
  // for right after (Ctrl+Enter's move to the next sample, the autosave) starts from the revision
  // just written. From the last render's base it would name a stale parent: a conflict with the
  // person's own save (issue #9).
  const baseRef = useRef(base);
  const setBase = useCallback((next: { text: string; revisionId: number | null }) => {
    baseRef.current = next;
    setBaseState(next);
  }, []);
  const [saveState, setSaveState] = useState<SaveState>('clean');
  const [contradictions, setContradictions] = useState<Contradiction[]>(sample.contradictions);
  const [newer, setNewer] = useState<Revision | null>(null);
  const firstFieldRef = useRef<HTMLTextAreaElement | null>(null);
  const editor = stack.present;
  const text = textOf(editor);
  const isDirty = isChainDirty(editor, base.text);
  // What save() and the handle read: the state of the last commit, not of the render that made them.
  const latest = useRef({ editor, newer, saveState });
  useLayoutEffect(() => {
    latest.current = { editor, newer, saveState };
  });
  const inFlight = useRef<Promise<boolean> | null>(null);

  // Another sample, or someone else moved the head: reload when nothing here is unsaved.
  const loadedSampleId = useRef(sample.id);
  useEffect(() => {
    const head = sample.head;
    if (loadedSampleId.current !== sample.id) {
      loadedSampleId.current = sample.id;
      saveLeftBehind();
      setStack(createUndoStack(stateOfText(head?.text ?? '')));
      setBase({ text: head?.text ?? '', revisionId: head?.id ?? null });
      setSaveState('clean');
      setContradictions(sample.contradictions);
      setNewer(null);
      return;
    }
    if ((head?.id ?? null) === base.revisionId) {
      setContradictions(sample.contradictions);
      return;
    }
    if (!head) return;
    if (!isDirty) {
      setStack((current) => pushState(current, stateOfText(head.text), null, Date.now()));
      setBase({ text: head.text, revisionId: head.id });
      setContradictions(sample.contradictions);
      setNewer(null);
    } else setNewer(head);
    // Only the loaded sample and its head decide; editing state is read, not a trigger.
  }, [sample]);

  useEffect(() => {
    if (saveState === 'saved' && isDirty) setSaveState('dirty');
    if ((saveState === 'clean' || saveState === 'saved') && isDirty) setSaveState('dirty');
    if (saveState === 'dirty' && !isDirty) setSaveState('clean');
  }, [isDirty, saveState]);

  useEffect(() => onTextChange?.(text), [text, onTextChange]);

  const update = useCallback((next: EditorState, group: string | null) => {
    setStack((current) => pushState(current, next, group, Date.now()));
  }, []);

  const lint = useMemo(() => lintChain(text, { options: sample.options, primitive: sample.primitive ?? undefined }), [text, sample.options, sample.primitive]);
  const reward = useMemo(() => (sample.answer ? camReasonerReward(text, sample.answer) : null), [text, sample.answer]);
  const letters = useMemo(() => sample.options.map((option, index) => letterOfOption(option) ?? optionLetter(option, index)), [sample.options]);
  const referenceLetter = useMemo(() => (sample.answer ? sample.answer.replace(/<\/?answer>/g, '').trim() : null), [sample.answer]);
  const chosen = editor.mode === 'fields' ? editor.fields.answer.trim() : (/<answer>\s*([\s\S]*?)\s*<\/answer>/.exec(editor.raw)?.[1] ?? '');

  const saveText = useCallback(async (textToSave: string, parentRevisionId: number | null): Promise<boolean> => {
    setSaveState('saving');
    try {
      const result = await client.call('sample.saveChain', { id: sample.id, text: textToSave, parentRevisionId });
      setBase({ text: result.revision.text, revisionId: result.revision.id });
      setContradictions(result.contradictions);
      setNewer(null);
      setSaveState('saved');
      onSaved(result.revision);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') {
        setSaveState('conflict');
        try {
          const fresh = await client.call('sample.get', { id: sample.id });
          setNewer(fresh.head);
        } catch (inner) {
          notify('error', `sample.get: ${errorMessage(inner)}`);
        }
        notify('error', 'Someone saved this chain meanwhile: compare the newer text, then keep yours or theirs.');
        return false;
      }
      setSaveState('error');
      notify('error', `Not saved: ${errorMessage(error)}`);
      return false;
    }
  }, [client, sample.id, notify, onSaved, setBase]);

  const save = useCallback(async (): Promise<boolean> => {
    // One save at a time: a save asked for while one is under way (Ctrl+Enter right after
    // Ctrl+S, the autosave meanwhile) waits for it, then saves only what is still unsaved, on top
    // of the revision it wrote. Both at once would name the same parent, and the second would
    // conflict with the first.
    while (inFlight.current !== null) {
      if (!(await inFlight.current)) return false;
    }
    const current = latest.current;
    const { text: baseText, revisionId } = baseRef.current;
    if (!isChainDirty(current.editor, baseText)) return true;
    if (current.saveState === 'conflict' || current.newer) {
      notify('error', 'A newer revision exists: keep yours or theirs first.');
      return false;
    }
    const running = saveText(textOf(current.editor), revisionId);
    inFlight.current = running;
    try {
      return await running;
    } finally {
      inFlight.current = null;
    }
  }, [saveText, notify]);

  useEffect(() => {
    if (!isDirty || saveState !== 'dirty' || newer !== null) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_IDLE_MS);
    return () => clearTimeout(timer);
  }, [text, isDirty, saveState, newer, save]);

  // Unsaved text, for saving it when the editor leaves its sample (another sample, another tab).
  // Kept as of the last commit (a layout effect: set before anything can unmount the editor),
  // and not on the render that brings another sample (its props are new, its text still the
  // old one's): the sample switch in the effect above finds the sample being left here. Not
  // while a save is under way (it would save twice) or in a conflict (the person decides).
  const unsaved = useRef<{ sampleId: number; text: string; parentRevisionId: number | null } | null>(null);
  useLayoutEffect(() => {
    if (loadedSampleId.current !== sample.id) return;
    unsaved.current = isDirty && saveState !== 'saving' && saveState !== 'conflict' && newer === null
      ? { sampleId: sample.id, text, parentRevisionId: base.revisionId }
      : null;
  });
  function saveLeftBehind(): void {
    const left = unsaved.current;
    unsaved.current = null;
    if (left === null) return;
    client.call('sample.saveChain', { id: left.sampleId, text: left.text, parentRevisionId: left.parentRevisionId }).then(
      () => notify('info', `Your edit of sample ${left.sampleId} was saved as you left it.`),
      (error: unknown) => notify('error', `Your edit of sample ${left.sampleId} was not saved: ${errorMessage(error)}`),
    );
  }
  useEffect(() => () => saveLeftBehind(), []);

  // Closing the window or reloading with unsaved text asks first (the Electron host shows the question).
  useEffect(() => {
    if (!isDirty) return;
    const guard = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [isDirty]);

  const pickOption = useCallback((index: number) => {
    const letter = letters[index];
    if (letter) update(setAnswer(editor, letter), null);
  }, [letters, editor, update]);

  const insertDraft = useCallback(() => {
    if (!draft) {
      notify('info', 'No analyzer draft for this sample (analyze the clip first).');
      return;
    }
    update(stateOfText(draft), null);
  }, [draft, update, notify]);

  const focusFirstField = useCallback(() => {
    const field = firstFieldRef.current;
    if (!field) return;
    // Editing goes on after the text: focus alone leaves the caret before it.
    field.focus();
    const end = field.value.length;
    field.setSelectionRange(end, end);
    field.scrollTop = field.scrollHeight;
  }, []);

  useImperativeHandle(ref, () => ({
    save,
    pickOption,
    undo: () => setStack((current) => undo(current)),
    redo: () => setStack((current) => redo(current)),
    insertDraft,
    focusFirstField,
    get isDirty() {
      return isChainDirty(latest.current.editor, baseRef.current.text);
    },
    get currentText() {
      return textOf(latest.current.editor);
    },
  }), [save, pickOption, insertDraft, focusFirstField]);

  // Highlights only make sense on the text they were computed for.
  const highlights = useMemo<Highlight[]>(() => {
    const list: Highlight[] = [];
    if (text === base.text) for (const item of contradictions) list.push({ start: item.start, end: item.end, kind: 'contradiction', title: item.message });
    for (const issue of lint) if (issue.span && issue.severity !== 'info' && issue.span.end > issue.span.start) list.push({ ...issue.span, kind: 'lint', title: issue.message });
    return list;
  }, [text, base.text, contradictions, lint]);

  const offsets = editor.mode === 'fields' ? fieldOffsets(editor.fields, editor.layout) : null;

  return (
    <div className="editor">
      <div className="question" data-testid="question">{sample.question}</div>
      <div className="options">
        {sample.options.map((option, index) => (
          <button
            key={option}
            className={`option${chosen === letters[index] ? ' chosen' : ''}`}
            onClick={() => pickOption(index)}
            title={`Key ${index + 1}`}
          >
            <kbd>{index + 1}</kbd> {option}
            {referenceLetter === letters[index] && <span className="reference" title="Reference answer"> ✓</span>}
          </button>
        ))}
      </div>

      {newer && (
        <div className="banner warn" data-testid="conflict">
          <strong>A newer revision was saved</strong> by {newer.author} ({newer.authorKind}) at {newer.createdAt.slice(0, 19).replace('T', ' ')}:
          <pre>{newer.text}</pre>
          <div className="row-buttons">
            <button onClick={() => {
              update(stateOfText(newer.text), null);
              setBase({ text: newer.text, revisionId: newer.id });
              setNewer(null);
              setSaveState('clean');
            }}>Use theirs</button>
            <button onClick={() => {
              const parent = newer.id;
              setNewer(null);
              void saveText(text, parent);
            }}>Keep mine (save over it)</button>
          </div>
        </div>
      )}

      <div className="editor-toolbar">
        <button onClick={() => {
          const next = toggleMode(editor);
          if (next) update(next, null);
          else notify('info', 'This text does not split into observation, think and answer; fix its tags in raw mode first.');
        }} title="Edit as three fields or as raw text">
          {editor.mode === 'fields' ? 'raw text' : 'three fields'}
        </button>
        <button onClick={insertDraft} disabled={!draft} title="Replace with the analyzer's draft (I)">insert analyzer draft</button>
        <button onClick={() => setStack((current) => undo(current))} disabled={!stack.canUndo} title="Ctrl+Z">undo</button>
        <button onClick={() => setStack((current) => redo(current))} disabled={!stack.canRedo} title="Ctrl+Shift+Z">redo</button>
        <span className="spacer" />
        <SaveIndicator state={saveState} />
        <button className="primary" onClick={() => void save()} disabled={!isDirty || saveState === 'saving'} title="Ctrl+S" data-testid="save">save</button>
      </div>

      {editor.mode === 'fields' ? (
        FIELDS.map((field, index) => (
          <HighlightedField
            key={field.key}
            label={`<${field.label}>`}
            name={field.key}
            rows={field.rows}
            value={editor.fields[field.key]}
            offset={offsets?.[field.key] ?? 0}
            highlights={highlights}
            inputRef={index === 0 ? firstFieldRef : undefined}
            readOnly={readOnly}
            onChange={(value) => update(setField(editor, field.key, value), field.key)}
          />
        ))
      ) : (
        <HighlightedField label="raw chain (does not split into the three tags)" name="raw" rows={12} value={editor.raw} offset={0} highlights={highlights} inputRef={firstFieldRef} readOnly={readOnly}
          onChange={(value) => update({ mode: 'raw', raw: value }, 'raw')} />
      )}

      {/* A sample without a chain, untouched: the empty fields are no chain to grade or lint. */}
      {!isDirty && base.text.trim() === '' ? (
        <div className="checks">
          <div className="reward muted" data-testid="reward">no chain yet</div>
          <div className="lint muted" data-testid="lint">type one, pick an option (1–9) or insert the analyzer draft (I)</div>
        </div>
      ) : <div className="checks">
        <div className="reward" data-testid="reward">
          {reward ? (
            <>
              reward <strong>{reward.overall.toFixed(2)}</strong>
              <span className={reward.format ? 'ok' : 'bad'}> fmt {reward.format}</span>
              <span className={reward.accuracy ? 'ok' : 'bad'}> · acc {reward.accuracy}</span>
            </>
          ) : <span className="muted">no reference answer: no reward</span>}
        </div>
        <LintList issues={lint} />
      </div>}
      {contradictions.length > 0 && (
        <ul className="contradictions" data-testid="contradictions">
          {contradictions.map((item, index) => (
            <li key={index}>
              <span className="bad">⚠ {item.section}</span> “{item.claim}” — measured: {item.measured}. <span className="muted">{item.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

function SaveIndicator({ state }: { state: SaveState }) {
  const labels: Record<SaveState, string> = { clean: '', dirty: 'unsaved changes', saving: 'Saving…', saved: 'Saved', error: 'not saved', conflict: 'conflict' };
  return <span className={`save-state ${state}`} data-testid="save-state" aria-live="polite">{labels[state]}</span>;
}

function LintList({ issues }: { issues: LintIssue[] }) {
  if (issues.length === 0) return <div className="lint ok" data-testid="lint">lint ✓</div>;
  return (
    <ul className="lint" data-testid="lint">
      {issues.map((issue, index) => (
        <li key={index} className={issue.severity}>
          <code>{issue.code}</code> {issue.message}
        </li>
      ))}
    </ul>
  );
}

/** A textarea over a mirror that draws highlight marks at the same places in the text. */
function HighlightedField({ label, name, rows, value, offset, highlights, inputRef, readOnly, onChange }: {
  label: string;
  name: string;
  rows: number;
  value: string;
  offset: number;
  highlights: Highlight[];
  inputRef?: React.Ref<HTMLTextAreaElement>;
  readOnly: boolean;
  onChange: (value: string) => void;
}) {
  const mirrorRef = useRef<HTMLDivElement>(null);
  const local = highlights
    .map((item) => ({ ...item, start: Math.max(item.start - offset, 0), end: Math.min(item.end - offset, value.length) }))
    .filter((item) => item.end > item.start && item.start < value.length)
    .sort((left, right) => left.start - right.start);
  const parts: React.ReactNode[] = [];
  let cursor = 0;
  for (const [index, item] of local.entries()) {
    if (item.start < cursor) continue;
    parts.push(value.slice(cursor, item.start));
    parts.push(<mark key={index} className={item.kind} title={item.title}>{value.slice(item.start, item.end)}</mark>);
    cursor = item.end;
  }
  parts.push(value.slice(cursor));
  return (
    <label className={`field field-${name}${local.some((item) => item.kind === 'contradiction') ? ' has-contradiction' : ''}`}>
      <span className="field-label">{label}</span>
      <div className="field-box">
        <div className="mirror" ref={mirrorRef} aria-hidden="true">{parts}{'\n'}</div>
        <textarea
          ref={inputRef}
          name={name}
          data-testid={`field-${name}`}
          rows={rows}
          value={value}
          readOnly={readOnly}
          spellCheck
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            if (mirrorRef.current) mirrorRef.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
    </label>
  );
}
