// The editor's own undo history over whole field states: the browser's undo stops at a
// textarea's edge and forgets programmatic changes (option keys, "insert analyzer draft",
// restore). Typing within `coalesceMs` of the previous edit to the same field is one step.

export interface UndoStack<State> {
  readonly present: State;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

interface Internal<State> extends UndoStack<State> {
  past: State[];
  future: State[];
  lastGroup: string | null;
  lastAt: number;
}

export function createUndoStack<State>(initial: State): UndoStack<State> {
  return internal({ past: [], future: [], present: initial, lastGroup: null, lastAt: 0 });
}

function internal<State>(value: Omit<Internal<State>, 'canUndo' | 'canRedo'>): Internal<State> {
  return { ...value, canUndo: value.past.length > 0, canRedo: value.future.length > 0 };
}

const LIMIT = 500;

/**
 * Records `next` as the present. `group` names the kind of edit (e.g. the field typed in); an
 * edit of the same group within `coalesceMs` replaces the present instead of adding a step.
 */
export function pushState<State>(stack: UndoStack<State>, next: State, group: string | null, now: number, coalesceMs = 800): UndoStack<State> {
  const current = stack as Internal<State>;
  if (Object.is(next, current.present)) return stack;
  const isCoalesced = group !== null && group === current.lastGroup && now - current.lastAt <= coalesceMs && current.past.length > 0;
  const past = isCoalesced ? current.past : [...current.past, current.present].slice(-LIMIT);
  return internal({ past, future: [], present: next, lastGroup: group, lastAt: now });
}

export function undo<State>(stack: UndoStack<State>): UndoStack<State> {
  const current = stack as Internal<State>;
  const previous = current.past.at(-1);
  if (previous === undefined) return stack;
  return internal({ past: current.past.slice(0, -1), future: [current.present, ...current.future], present: previous, lastGroup: null, lastAt: 0 });
}

export function redo<State>(stack: UndoStack<State>): UndoStack<State> {
  const current = stack as Internal<State>;
  const [next, ...future] = current.future;
  if (next === undefined) return stack;
  return internal({ past: [...current.past, current.present], future, present: next, lastGroup: null, lastAt: 0 });
}

/** A new history starting at `state` (another sample loaded). */
export function resetStack<State>(state: State): UndoStack<State> {
  return createUndoStack(state);
}
