// `frustum builtin-train RUN_FOLDER [key=value]...` (hidden): the built-in reasoner's trainer, as a built-in run's
// command.sh starts it (training/trainer/runTrainer.ts). Its output goes to stdout line by line for
// the train job to read; SIGTERM (the job's cancel) and SIGINT stop it between steps.
import { resolve } from 'node:path';
import { UsageError } from '../../../common/errors';
import { runBuiltinTrainer } from '../../../training/trainer/runTrainer';

export async function run(folder: string, overrides: readonly string[] = []): Promise<void> {
  const sets = overrides.map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`${text}: write key=value (e.g. trainer.max_steps=20)`);
    return { key: text.slice(0, equals), value: text.slice(equals + 1) };
  });
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('stopped by a signal'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const outcome = await runBuiltinTrainer({ folder: resolve(folder), out: (line) => process.stdout.write(`${line}\n`), signal: controller.signal, sets });
  process.stdout.write(`finished at step ${outcome.lastStep}${outcome.stoppedEarly ? ' (stopped early)' : ''}; last checkpoint ${outcome.checkpoint ?? 'none'}\n`);
}
