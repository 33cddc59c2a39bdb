// A progress bar on stderr for work that takes more than a second, only on a terminal and
// never in --json mode (scripts read stdout; a bar would be noise in their logs).
import type { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SHOW_AFTER_MS = 1000;

export async function startProgress(label: string, isJson: boolean): Promise<Progress> {
  if (isJson || !process.stderr.isTTY) return { update() {}, stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const started = Date.now();
  let bar: SingleBar | null = null;
  return {
    update(done, total) {
      if (!bar && Date.now() - started < SHOW_AFTER_MS) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
