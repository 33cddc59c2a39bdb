// The `frustum` command line. Only commander and this file load at start-up; each command's
// code (SQLite, formats, metrics) is a separate bundle loaded when that command runs, so
// `frustum --help` and light commands stay fast (issue #2: lazy start-up).
import { Command, CommanderError, Option } from 'commander';
import { EXIT, reportFailure } from './failure';

/**
 * Set by commands that leave nothing running when they return. An import grows the heap enough to
 * start a garbage collection that V8 finishes in the background, and Node waits for it before
 * exiting (10–25 ms of a 350 ms import); such a command exits as soon as its output is written.
 */
let exitWhenDone = false;

const program = new Command('frustum')
  .description('Frustum: curate, score and convert camera-motion O-T-A datasets')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const json = new Option('--json', 'print machine-readable JSON on stdout');

program
  .command('init')
  .description('create a new, empty project file')
  .argument('<project>', 'project file to create, e.g. my.frustum')
  .addOption(json)
  .action(async (project: string, options: { json?: boolean }) => (await import('./commands/init')).run(project, options));

program
  .command('import')
  .description('import dataset files into a project (all files in one transaction: all or nothing)')
  .argument('<project>', 'project file')
  .argument('<files...>', 'JSON / JSONL files')
  .addOption(new Option('--format <format>', 'input format').choices(['auto', 'sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores', 'camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot']).default('auto'))
  .option('--videos <dir>', 'folder holding the clips (looked up by path, then by file name)')
  .option('--split <split>', 'split for new samples (default: train for sft/rl, test otherwise)')
  .addOption(json)
  .action(async (project: string, files: string[], options) => {
    exitWhenDone = true;
    return (await import('./commands/import')).run(project, files, options);
  });

program
  .command('export')
  .description('write samples in a format LLaMA-Factory, EasyR1 or the evaluators read')
  .argument('<project>', 'project file')
  .addOption(
    new Option('--format <format>', 'output format')
      .choices(['sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores', 'camerabench-vqa-scores', 'camerabench-caption-results', 'vlmevalkit'])
      .makeOptionMandatory(),
  )
  .requiredOption('--out <path>', 'output file (a folder for camerabench-scores, camerabench-vqa-scores, camerabench-caption-results and vlmevalkit)')
  .option('--split <split>', 'only samples in this split')
  .addOption(new Option('--status <status>', 'only samples with this review status').choices(['draft', 'reviewed', 'accepted', 'rejected']))
  .option('--run <id>', 'results and the score, caption and VLMEvalKit files: the run to export (default: newest)')
  .option('--name <name>', 'sft: dataset name in dataset_info.json (default: output file name); vlmevalkit: the dataset in the file names (default: the benchmark\'s, e.g. ShotBench)')
  .option('--benchmark <benchmark>', 'vlmevalkit: only this benchmark (default: every multiple-choice benchmark the run answered)')
  .option('--per-task', 'camerabench-vqa-scores: one score file per task instead of per skill')
  .option('--video-dir <folder>', 'camerabench-caption-results: caption_generation.py\'s --video_dir, joined to each video (default data/videos)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/export')).run(project, options));

program
  .command('stats')
  .description('counts, distributions, chain lengths, lint counts and contradictions with the analyzer of a project')
  .argument('<project>', 'project file')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/stats')).run(project, options));

program
  .command('audit')
  .description('shortcut audit: can the reference answer be predicted without the video (the letter, the question\'s wording, the option order, the clip name, a text-only classifier), scored on held-out samples against chance and the majority letter, per source')
  .argument('<project>', 'project file')
  .addOption(new Option('--split-by <how>', "held-out samples: auto (train → test where a group has both splits, else folds by clip), split, or clip (folds drawn by a hash of the clip's name)").choices(['auto', 'split', 'clip']).default('auto'))
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/audit')).run(project, options));

program
  .command('validate')
  .description('check dataset files and lint their O-T-A chains without importing; a project\'s current chains are linted and checked against its stored analyzer readings (exit 3 when errors are found)')
  .argument('<files...>', 'JSON / JSONL files, or project files')
  .addOption(new Option('--format <format>', 'input format').choices(['auto', 'sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores', 'camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot']).default('auto'))
  .option('--limit <n>', 'print at most this many issues', '50')
  .addOption(json)
  .action(async (files: string[], options) => (await import('./commands/validate')).run(files, options));

program
  .command('score')
  .description('accuracy of evaluation results, or AP/AUC of CameraBench score files, as the official evaluators compute them')
  .argument('<files...>', 'evaluation results JSON or CameraBench score files')
  .addOption(json)
  .action(async (files: string[], options) => (await import('./commands/score')).run(files, options));

program
  .command('eval')
  .description("score a run as each benchmark it holds items of, the way the benchmark's own code scores it: CameraBench binary (accuracy, AP, ROC AUC, Table 1, confusable pairs), VQA (Acc, Q-Acc macro; accuracy micro; Table 2), captions, ShotBench and RefineShot; beside baselines and published rows, with the run's lineage")
  .argument('<project>', 'project file')
  .option('--run <id>', 'the run to score (default: the newest)')
  .addOption(new Option('--benchmark <name>', 'only this benchmark').choices(['camerabench-binary', 'camerabench-vqa', 'camerabench-vqa-runpy', 'camerabench-caption', 'shotbench', 'refineshot']))
  .option('--judge-endpoint <url>', "an OpenAI-compatible server for the LLM judge (captions' gen_match, ShotBench's unmatched answers, RefineShot's consistency check); without one, gen_match is not computed and the consistency check is rule-based")
  .option('--judge-model <name>', 'the judge model served there (the scripts use gpt-4o; RefineShot Qwen3-4B)')
  .option('--judge-api-key-env <name>', 'the NAME of the environment variable holding the judge\'s API key (never stored)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/eval')).run(project, options));

program
  .command('reward')
  .description('reward of each {"response", "ground_truth"} JSON line, as the GRPO trainer computes it')
  .argument('<file>', 'JSON Lines file, or - for standard input')
  .addOption(new Option('--variant <variant>', 'reward function').choices(['camreasoner', 'r1v']).default('camreasoner'))
  .option('--format-weight <w>', 'weight of the format reward (default 0.1 camreasoner, 0.5 r1v)')
  .addOption(json)
  .action(async (file: string, options) => (await import('./commands/reward')).run(file, options));

program
  .command('relink')
  .description('find missing clips in a folder (by path, then by file name, searching subfolders)')
  .argument('<project>', 'project file')
  .argument('<dir>', 'folder holding the clips')
  .addOption(json)
  .action(async (project: string, dir: string, options) => (await import('./commands/relink')).run(project, dir, options));

program
  .command('synth')
  .description('render synthetic camera-motion clips with exact ground truth, and their dataset records')
  .requiredOption('--out <dir>', 'output folder')
  .requiredOption('--count <n>', 'number of clips')
  .requiredOption('--seed <s>', 'random seed, 0–4294967295')
  .option('--size <WxH>', 'frame size, even numbers (default 480x272)')
  .option('--fps <f>', 'frames per second (default 25)')
  .option('--duration <seconds>', 'clip length (default 3)')
  .addOption(json)
  .action(async (options) => (await import('./commands/synth')).run(options));

program
  .command('demo')
  .description('build the demo project: synthetic clips with exact ground truth, imported, probed and analyzed')
  .argument('[project]', 'project file to create', 'frustum-demo/demo.frustum')
  .option('--force', 'replace an existing demo project')
  .option('--count <n>', 'number of clips (default 16)')
  .option('--seed <s>', 'random seed (default 2026)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/demo')).run(project, options));

program
  .command('analyze')
  .description('geometric camera-motion analysis of clips, or of a project (readings stored per clip and reused while unchanged; drafts stored with the analyzer as author)')
  .argument('<targets...>', 'a project (.frustum) or clip files')
  .option('--scores <dir>', 'project: write CameraBench score files per primitive')
  .option('--force', 'project: analyze every clip again, even where a stored reading of the same content and settings exists')
  .option('--fov <degrees>', "horizontal field of view in degrees, or 'auto' to read it from each clip's turns (default auto; 60 where a clip does not turn)")
  .option('--fps <n>', 'sampling rate (default 8)')
  .option('--width <px>', 'analysis width (default 320)')
  .option('--primitive <name>', 'clip mode: the question the draft answers (default: the top primitive)')
  .addOption(json)
  .action(async (targets: string[], options) => (await import('./commands/analyze')).run(targets, options));

program
  .command('probe')
  .description('probe the clips of a project (and store the results), or print the probe of video files')
  .argument('<paths...>', 'a project file, or video files')
  .option('--force', 'probe clips again even if their file is unchanged')
  .option('--concurrency <n>', 'parallel ffprobe processes (default: cores, at most 8)')
  .addOption(json)
  .action(async (paths: string[], options) => (await import('./commands/probe')).run(paths, options));

program
  .command('serve')
  .description('open the studio in a browser: serves the project on 127.0.0.1 behind a random token printed in the URL')
  .argument('<project>', 'project file')
  .option('--port <port>', 'port to listen on (0, the default, picks a free one)')
  .option('--host <host>', 'address to listen on (default 127.0.0.1; other machines need --allow-remote)')
  .option('--allow-remote', 'allow a non-loopback --host (anyone with the URL and token can edit the project)')
  .option('--no-open', 'do not open a browser')
  .action(async (project: string, options) => (await import('./commands/serve')).run(project, options));

program
  .command('jobs')
  .description("the project's jobs (analysis, imports, synthetic clips…) with their state and progress, newest first")
  .argument('<project>', 'project file')
  .option('--limit <n>', 'at most this many (default 50)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/jobs')).run(project, options));

program
  .command('logs')
  .description("a job's log; with -f, follow it until the job ends")
  .argument('<project>', 'project file')
  .argument('<job>', 'job id (frustum jobs lists them)')
  .option('-f, --follow', 'keep printing what the job writes until it ends')
  .action(async (project: string, job: string, options) => (await import('./commands/logs')).run(project, job, options));

program
  .command('cancel')
  .description('stop a job and every process it started')
  .argument('<project>', 'project file')
  .argument('<job>', 'job id (frustum jobs lists them)')
  .addOption(json)
  .action(async (project: string, job: string, options) => (await import('./commands/cancel')).run(project, job, options));

program
  .command('train')
  .description('fine-tune on a frozen snapshot of the project\'s samples, with live metrics in the studio: LLaMA-Factory SFT or EasyR1 GRPO on this machine\'s GPUs (or a Ray cluster), or the built-in reasoner (SFT and GRPO, TensorFlow.js, no Python or GPU needed)')
  .argument('<project>', 'project file')
  .addOption(new Option('--engine <engine>', 'the trainer').choices(['llamafactory', 'easyr1', 'builtin']))
  .addOption(new Option('--objective <objective>', 'sft (LLaMA-Factory or builtin) or grpo (EasyR1 or builtin)').choices(['sft', 'grpo']))
  .option('--model <model>', 'Hugging Face id or local folder (default Qwen/Qwen2.5-VL-7B-Instruct); builtin GRPO: the SFT checkpoint to start from (default: the newest built-in SFT run\'s last)')
  .option('--set <key=value>', 'override a config key (dotted for EasyR1: worker.rollout.n=4); repeatable', (value: string, previous: string[] = []) => [...previous, value])
  .option('--split <split>', 'train on samples of this split (repeatable; default: train when the project has it)', (value: string, previous: string[] = []) => [...previous, value])
  .addOption(new Option('--status <status>', 'only samples with this review status (repeatable; default: all but rejected)').choices(['draft', 'reviewed', 'accepted', 'rejected']).argParser((value: string, previous: string[] = []) => [...previous, value]))
  .option('--filter <json>', 'any Library filter as JSON, e.g. \'{"primitive":["pan-left"]}\' (combined with --split/--status)')
  .option('--gpus <n>', 'GPUs per machine (default: every GPU nvidia-smi lists)')
  .option('--nodes <n>', 'machines (EasyR1 with --ray-address)')
  .option('--ray-address <url>', 'EasyR1: submit to a Ray cluster through its Jobs REST API (http://HEAD:8265)')
  .option('--python <path>', 'the Python that runs EasyR1 (default: FRUSTUM_PYTHON, else python3 on PATH)')
  .option('--resume <job>', 'continue a training job\'s run from its last checkpoint (a new job; --engine and the rest come from it; --set overrides its config for this attempt)')
  .option('--dry-run', 'print the run folder\'s files and the command without writing or running anything')
  .option('--detach', 'start the job in the background and return (follow it with frustum logs -f, or in the studio)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/train')).run(project, options));

program
  .command('infer')
  .description('ask a model about the project\'s samples as CamReasoner\'s evaluation does (its prompt, 1 fps, the first 64 frames, greedy), streamed, stored as a run with its exact settings and snapshot: an OpenAI-compatible server (vLLM serving CamReasoner-7B) or a built-in checkpoint; resumable')
  .argument('<project>', 'project file')
  .option('--endpoint <url>', 'the OpenAI-compatible server: http://HOST:PORT, …/v1 or …/v1/chat/completions')
  .option('--model <name>', 'the served model name (--endpoint); with --builtin, a built-in run folder or checkpoint (default: the newest)')
  .option('--builtin', 'the built-in reasoner\'s ONNX export, on this machine (reads motion evidence, not frames)')
  .option('--api-key-env <name>', 'the environment variable that holds the API key (read when each request is sent; never stored)')
  .option('--filter <json>', 'any Library filter as JSON, e.g. \'{"split":["test"]}\' (default: every sample whose clip is on disk)')
  .option('--split <split>', 'only samples of this split (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
  .addOption(new Option('--status <status>', 'only samples with this review status (repeatable)').choices(['draft', 'reviewed', 'accepted', 'rejected']).argParser((value: string, previous: string[] = []) => [...previous, value]))
  .option('--concurrency <n>', 'requests in flight at once (default 8)')
  .option('--frames-fps <fps>', 'frames a second taken from each clip (default 1, as CamReasoner)')
  .option('--max-frames <n>', 'frames sent at most (default 64: the first 64 seconds at 1 fps)')
  .option('--max-pixels <n>', 'pixels per frame at most, resized as qwen_vl_utils does (default 1048576)')
  .addOption(new Option('--sampling <how>', 'first: --frames-fps then the first --max-frames (CamReasoner); uniform: --max-frames spread over the clip').choices(['first', 'uniform']))
  .addOption(new Option('--parts <how>', 'images: one image part per frame (CamReasoner); video-frames: one data:video/jpeg part; video-file: the clip itself as a video part').choices(['images', 'video-frames', 'video-file']))
  .option('--temperature <t>', 'sampling temperature (default 0: greedy, as CamReasoner)')
  .option('--max-tokens <n>', 'longest answer (default 8192, as CamReasoner)')
  .option('--resume <run>', 'go on with a stopped run: only samples without an answer are asked (its settings are kept)')
  .option('--detach', 'start the job in the background and return (follow it with frustum logs -f, or in the studio\'s Inspect view)')
  .addOption(json)
  .action(async (project: string, options) => (await import('./commands/infer')).run(project, options));

program
  .command('builtin-train', { hidden: true })
  .description('the built-in reasoner\'s trainer, run by a built-in run\'s command.sh: trains in RUN_FOLDER as its builtin.yaml says, resuming from its checkpoints')
  .argument('<run-folder>', 'a built-in run folder (frustum train … --engine builtin writes it)')
  .argument('[overrides...]', 'key=value settings read over builtin.yaml (dotted keys, e.g. trainer.max_steps=20)')
  .action(async (folder: string, overrides: string[]) => (await import('./commands/builtinTrain')).run(folder, overrides));

program
  .command('doctor')
  .description('which ffmpeg/ffprobe, SQLite and ML backends this machine runs, and what GPU training has (exit 1 if an essential is missing)')
  .option('--python <path>', 'the Python that runs LLaMA-Factory and EasyR1 (default: FRUSTUM_PYTHON, else python3 on PATH)')
  .addOption(json)
  .action(async (options) => (await import('./commands/doctor')).run(options));

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage mistakes exit 2 (commander already printed them).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      process.exitCode = reportFailure(error, process.argv.includes('--json'));
    }
  }
  if (exitWhenDone) {
    // stdout and stderr are synchronous for files, terminals and (on Linux) pipes; elsewhere a
    // pipe may still hold output, so exit once both have taken everything written to them.
    let streams = 2;
    const flushed = () => {
      if (--streams === 0) process.exit();
    };
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  }
}

// The bundle is CommonJS (scripts/build.mjs): no top-level await.
void main();
