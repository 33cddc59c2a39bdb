// Dark or light: remembered in localStorage once chosen, else the system's preference.
export type Theme = 'dark' | 'light';
const KEY = 'frustum.theme';

export function initialTheme(): Theme {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'dark' || stored === 'light') return stored;
  } catch {
    // Storage can be disabled; the system preference still applies.
  }
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function applyTheme(theme: Theme, isRemembered: boolean): void {
  document.documentElement.dataset['theme'] = theme;
  if (!isRemembered) return;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered; still applied.
  }
}
