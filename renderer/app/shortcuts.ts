// Every keyboard shortcut, in one list: the help overlay renders it, so it cannot drift from
// what the handlers do (each handler names its entry's id).

export interface Shortcut {
  keys: string;
  action: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Everywhere',
    shortcuts: [
      { keys: 'Alt+1 / Alt+2 / Alt+3 / Alt+4 / Alt+5 / Alt+6', action: 'Library / Review / Train / Inspect / Evaluate / Stats' },
      { keys: '?', action: 'this help (Esc closes)' },
      { keys: 'Alt+T', action: 'dark / light theme' },
    ],
  },
  {
    title: 'Library',
    shortcuts: [
      { keys: '↑ / ↓, PgUp / PgDn, Home / End', action: 'move the cursor row' },
      { keys: 'Shift+↑ / Shift+↓', action: 'extend the selection' },
      { keys: 'Space', action: 'select / unselect the cursor row' },
      { keys: 'Click, Shift+click, Ctrl/⌘+click', action: 'select one, a range, toggle one' },
      { keys: 'Ctrl/⌘+A', action: 'select every sample matching the filter' },
      { keys: 'Ctrl/⌘+Z', action: 'undo the last bulk change (status, split, tags)' },
      { keys: 'Esc', action: 'clear the selection' },
      { keys: 'Enter or double-click', action: 'open the sample in Review (the filter is its list)' },
      { keys: '/', action: 'search the chains' },
      { keys: 'drop JSON files', action: 'import them' },
    ],
  },
  {
    title: 'Review: player',
    shortcuts: [
      { keys: '← / →', action: 'one frame back / forward' },
      { keys: 'Shift+← / Shift+→', action: 'ten frames' },
      { keys: 'Home / End', action: 'first / last frame' },
      { keys: 'Space', action: 'play / pause at the chosen speed' },
      { keys: 'J / K / L', action: 'shuttle back / stop / forward (repeat J or L: faster)' },
      { keys: '- / =', action: 'slower / faster speed (0.25–2×)' },
    ],
  },
  {
    title: 'Review: chain and sample',
    shortcuts: [
      { keys: '1–9', action: 'choose that option as the answer' },
      { keys: 'E', action: 'edit the observation, the caret after its text (Esc leaves a field)' },
      { keys: 'A / R / D / V', action: 'status accepted / rejected / draft / reviewed' },
      { keys: 'N / P', action: 'next / previous sample in the list' },
      { keys: 'Shift+N / Shift+P', action: 'next / previous unreviewed (draft) sample' },
      { keys: 'I', action: 'insert the analyzer draft' },
      { keys: 'H', action: 'show / hide revision history' },
      { keys: 'Ctrl/⌘+S', action: 'save the chain now (in fields too; it also saves itself after 5 s without typing, and on leaving the sample)' },
      { keys: 'Ctrl/⌘+Enter', action: 'save and go to the next sample' },
      { keys: 'Ctrl/⌘+Z / Ctrl/⌘+Shift+Z', action: 'undo / redo in the editor' },
      { keys: 'Alt+A / Alt+R / Alt+D / Alt+V', action: 'set the status while typing' },
      { keys: 'Alt+N / Alt+P', action: 'next / previous sample while typing' },
    ],
  },
  {
    title: 'Train',
    shortcuts: [
      { keys: 'N', action: 'new training run (Esc closes the form)' },
      { keys: 'Ctrl/⌘+Enter', action: 'start the run, in the form' },
      { keys: 'J / K', action: 'next / previous run (↑ / ↓ in the runs list)' },
      { keys: 'X', action: 'compare the run on the same charts (Space in the runs list)' },
      { keys: 'L', action: 'log / linear y axis' },
      { keys: 'R', action: 'open / close the newest step\'s rollouts (GRPO); a click on the reward chart opens that step\'s' },
      { keys: '← / →, [ / ]', action: 'previous / next step with rollouts' },
      { keys: '↑ / ↓', action: 'previous / next group, in the rollouts' },
    ],
  },
  {
    title: 'Inspect',
    shortcuts: [
      { keys: 'N', action: 'new inference run (Esc closes the form)' },
      { keys: 'Ctrl/⌘+Enter', action: 'start the run, in the form' },
      { keys: 'J / K', action: 'next / previous sample of the run (↑ / ↓ in the list)' },
      { keys: 'W', action: 'only the samples answered wrong or failed' },
      { keys: 'click a claim / point at a frame', action: 'light the frames and time it speaks of / the claims about it' },
    ],
  },
  {
    title: 'Evaluate',
    shortcuts: [
      { keys: 'click a run / tick a run', action: 'read that run alone / set it beside the others (deltas against the first)' },
      { keys: 'click a run\'s number', action: 'its items in Inspect (× on the chip there drops the filter)' },
    ],
  },
];

/** True when keys should type text rather than run shortcuts. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || element.isContentEditable) return true;
  if (tag === 'INPUT') {
    const type = (element as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
  }
  return tag === 'SELECT';
}
