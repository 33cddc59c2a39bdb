import { readFileSync } from 'node:fs';
import { looseObject, string } from 'zod';
import { InputError, UsageError, type InputProblem } from '../../../common/errors';
import { parseJsonValue } from '../../../common/formats/jsonText';
import { PyFloat, pyDumps } from '../../../common/formats/pyjson';
import { camReasonerReward, r1vReward } from '../../../common/ota/reward';
import { printJson } from '../output';

interface Options {
  variant: 'camreasoner' | 'r1v';
  formatWeight?: string;
  json?: boolean;
}

const rewardInput = looseObject({ response: string(), ground_truth: string() });

export function run(file: string, options: Options): void {
  const formatWeight = options.formatWeight === undefined ? undefined : Number(options.formatWeight);
  if (formatWeight !== undefined && !(formatWeight >= 0 && formatWeight <= 1)) {
    throw new UsageError(`--format-weight must be a number between 0 and 1, not "${options.formatWeight}"`);
  }
  const name = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([{ file: name, reason: code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? 'no such file' : String(error) }]);
  }
  const problems: InputProblem[] = [];
  const inputs: Array<{ response: string; ground_truth: string }> = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const result = rewardInput.safeParse(parseJsonValue(line, name, index + 1));
      if (result.success) inputs.push(result.data);
      else {
        const issue = result.error.issues[0];
        problems.push({ file: name, record: inputs.length + problems.length, line: index + 1, reason: `needs string fields "response" and "ground_truth"${issue ? ` (${issue.path.join('.') || 'record'}: ${issue.message})` : ''}` });
      }
    } catch (error) {
      if (error instanceof InputError) problems.push(...error.problems.map((p) => ({ ...p, record: inputs.length + problems.length })));
      else throw error;
    }
  });
  if (problems.length > 0) throw new InputError(problems);

  const reward = options.variant === 'r1v' ? r1vReward : camReasonerReward;
  const results = inputs.map((input) =>
    reward(input.response, input.ground_truth, formatWeight === undefined ? undefined : { formatWeight }),
  );
  if (options.json) {
    const mean = (key: 'format' | 'accuracy' | 'overall') => (results.length ? results.reduce((sum, r) => sum + r[key], 0) / results.length : 0);
    printJson({ variant: options.variant, count: results.length, mean: { format: mean('format'), accuracy: mean('accuracy'), overall: mean('overall') }, results });
    return;
  }
  // One line per input, as Python's json.dumps writes the trainer's reward dict.
  const lines = results.map((r) => pyDumps({ format: new PyFloat(r.format), accuracy: new PyFloat(r.accuracy), overall: new PyFloat(r.overall) }));
  process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
}
