// J/K/L shuttle as in video editors: L plays forward and each further L doubles the speed, J the
// same backwards, K stops. Space toggles play at the chosen speed.

export const SPEEDS = [0.25, 0.5, 1, 1.5, 2] as const;
const MAX_SHUTTLE = 8;

export function shuttle(rate: number, key: 'j' | 'k' | 'l'): number {
  switch (key) {
    case 'k':
      return 0;
    case 'l':
      return rate <= 0 ? 1 : Math.min(rate * 2, MAX_SHUTTLE);
    case 'j':
      return rate >= 0 ? -1 : Math.max(rate * 2, -MAX_SHUTTLE);
  }
}

export function clampFrame(frame: number, frameCount: number): number {
  return Math.min(Math.max(Math.round(frame), 0), Math.max(frameCount - 1, 0));
}

/** "1.24 s" style clip time of a frame. */
export function formatTime(frame: number, fps: number): string {
  const seconds = frame / fps;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  return minutes > 0 ? `${minutes}:${rest.toFixed(2).padStart(5, '0')}` : `${rest.toFixed(2)} s`;
}
