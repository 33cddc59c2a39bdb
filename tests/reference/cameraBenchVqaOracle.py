#!/usr/bin/env python3
"""Reference oracle for common/metrics/cameraBenchVqa.ts: runs CameraBench's own VQA/retrieval
score generator and evaluator (linzhiqiu/t2v_metrics camerabench/vqa_and_retrieval_vlm_scores.py
and vqa_and_retrieval_evaluation.py) over pairs taken from the real data files, and writes what
they wrote to tests/reference/camerabench-vqa-expected.json.

Re-run (Python 3.11 with numpy; matplotlib, t2v_metrics and tqdm are stubbed):

    git --git-dir=<t2v_metrics mirror> archive 6ecb74f92028f42c7e64546d3a71e98c8c73068f \
        camerabench/vqa_and_retrieval_evaluation.py camerabench/vqa_and_retrieval_vlm_scores.py \
        | tar -x -C /tmp/t2v_metrics
    python3 tests/reference/cameraBenchVqaOracle.py /tmp/t2v_metrics ../shared/data/camerabench

This script contains no copy of the reference code: it imports both scripts from the given
checkout and runs their main() with command lines as CameraBench's README gives them. The
VQAScore model is replaced by one whose P("Yes")/P("No") for a (video, question) come from a
hash of the two: some items answered like a letters-only model (1.0/0.0), some as
probabilities quantised so that ties occur, some with independent yes and no scores, some tied
0.5/0.5 and some raising (the generator then writes an error row). A few videos are left off
disk, so the generator writes its "Video file not found" rows too.
"""

import contextlib
import hashlib
import importlib.util
import io
import json
import re
import sys
import tempfile
import types
from pathlib import Path

T2V_METRICS_COMMIT = "6ecb74f92028f42c7e64546d3a71e98c8c73068f"
HERE = Path(__file__).resolve().parent
PAIRS_PER_TASK = 2
PAIRS_COMPLEX_DESCRIPTION = 16
MODEL = "oracle-vlm"


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def digest(*parts):
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).digest()


class Scalar:
    def __init__(self, value):
        self.value = value

    def detach(self):
        return self

    def cpu(self):
        return self

    def item(self):
        return self.value


class PlannedVQAScore:
    """Stands in for t2v_metrics.VQAScore: scores from a hash of (video file name, question)."""

    expected_yes = {}

    def __init__(self, **_kwargs):
        pass

    def __call__(self, images, texts, question_template=None, answer_template=None):
        video = Path(images[0]).name
        question = texts[0]
        h = digest(video, question)
        style = h[0] % 20
        if style == 0:
            raise RuntimeError(f"planned failure for {video}")
        expected = PlannedVQAScore.expected_yes.get((video, question))
        is_right = h[1] < 180
        says_yes = (expected == is_right) if expected is not None else h[2] % 2 == 0
        if style == 1:
            yes, no = 0.5, 0.5
        elif style <= 8:
            yes = 1.0 if says_yes else 0.0
            no = 1.0 - yes
        elif style <= 14:
            step = (h[3] % 11) / 20
            yes = 0.5 + step if says_yes else 0.5 - step
            no = 1.0 - yes
        else:
            high, low = max(h[4], h[5]) / 255, min(h[4], h[5]) / 255
            yes, no = (high, low) if says_yes else (low, high)
        return [Scalar(yes if answer_template == "Yes" else no)]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_main(module, argv):
    sys.argv = argv
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.main()
    return out.getvalue()


def select_pairs(source, target):
    """The first pairs of every task file, copied into a data folder for the generator."""
    selection = {}
    for skill_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        limit = PAIRS_COMPLEX_DESCRIPTION if skill_dir.name == "complex_description" else PAIRS_PER_TASK
        (target / skill_dir.name).mkdir(parents=True)
        for task_file in sorted(skill_dir.glob("*.jsonl")):
            lines = task_file.read_text(encoding="utf-8").splitlines()[:limit]
            (target / skill_dir.name / task_file.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            selection[(skill_dir.name, task_file.stem)] = [json.loads(line) for line in lines]
    return selection


def plan_expectations(selection):
    for pairs in selection.values():
        for pair in pairs:
            for video, question, is_yes in (
                (pair["pos_video"], pair["pos_question"], True),
                (pair["neg_video"], pair["pos_question"], False),
                (pair["pos_video"], pair["neg_question"], False),
                (pair["neg_video"], pair["neg_question"], True),
            ):
                PlannedVQAScore.expected_yes.setdefault((video, question), is_yes)


def make_videos(selection, video_dir):
    missing = []
    video_dir.mkdir()
    for pairs in selection.values():
        for pair in pairs:
            for video in (pair["pos_video"], pair["neg_video"]):
                if digest(video, "missing")[0] < 6:
                    missing.append(video)
                else:
                    (video_dir / video).touch()
    return sorted(set(missing))


def row_tasks(document, selection, skill_folder):
    """Which task each row of a combined file came from: task_names order × pairs per task."""
    tasks = []
    for task_name in document["metadata"]["task_names"]:
        stem = task_name.replace(" ", "_")
        tasks.extend([stem] * len(selection[(skill_folder, stem)]))
    assert len(tasks) == len(document["scores"])
    return tasks


def custom_files(selection):
    """Score files in the README's custom-method format, for the cases the generator never writes."""
    pairs = selection[("motion_speed", "has_motion_blur_or_not")] + selection[("motion_speed", "is_camera_movement_slow_or_fast")]

    def row(pair, index, yes, no, error=None):
        keys = ("pos_text_pos_image", "pos_text_neg_image", "neg_text_pos_image", "neg_text_neg_image")
        return {"sample_id": str(index), "pos_video": pair["pos_video"], "neg_video": pair["neg_video"],
                "pos_question": pair["pos_question"], "neg_question": pair["neg_question"], "method": "custom",
                "yes_scores": dict(zip(keys, yes)), "no_scores": dict(zip(keys, no)), "error": error}

    readme_format = {
        "metadata": {"method_type": "Custom", "model_name": "custom-model", "checkpoint": "org/ckpt-1",
                     "skill_name": "motion_speed", "task_name": "has_motion_blur_or_not", "split_name": "motion_speed",
                     "generation_timestamp": "2025-01-01"},
        "scores": [
            row(pairs[0], 0, [0.9, 0.1, 0.2, 0.8], [0.1, 0.9, 0.8, 0.2]),
            row(pairs[1], 1, [0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]),
            row(pairs[2], 2, [0.7, 0.7, 0.3, 0.3], [0.3, 0.3, 0.7, 0.7]),
            row(pairs[3], 3, [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], "Video file not found: x.mp4"),
            row(pairs[0], 4, [1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]),
        ],
    }
    same_id_later = {
        "metadata": {"method_type": "Custom", "model_name": "custom-model", "checkpoint": "org/ckpt-1",
                     "skill_name": "motion_speed", "task_name": "is_camera_movement_slow_or_fast", "split_name": "motion_speed"},
        "scores": [row(pairs[2], 0, [0.6, 0.4, 0.4, 0.6], [0.4, 0.6, 0.6, 0.4])],
    }
    all_errors = {
        "metadata": {"model_name": "custom-model", "skill_name": "scene dynamics"},
        "scores": [row(pairs[1], 0, [0.0] * 4, [0.0] * 4, "boom")],
    }
    no_metadata = {"scores": [row(pairs[3], 0, [0.2, 0.1, 0.1, 0.2], [0.1, 0.2, 0.2, 0.1])]}
    caption = {
        "metadata": {"model_name": "custom-model", "checkpoint": "", "skill_name": "Caption Retrieval"},
        "scores": [row(pairs[0], 0, [0.3, 0.2, 0.1, 0.4], [0.7, 0.8, 0.9, 0.6])],
    }
    return {
        "vqa_retrieval_scores_custom_b_later.json": same_id_later,
        "vqa_retrieval_scores_custom_a_readme.json": readme_format,
        "vqa_retrieval_scores_custom_c_errors.json": all_errors,
        "vqa_retrieval_scores_custom_d_nometa.json": no_metadata,
        "vqa_retrieval_scores_custom_e_caption.json": caption,
    }


def evaluated_order(stdout):
    return re.findall(r"^  \[\d+/\d+\] (\S+)$", stdout, flags=re.M)


def evaluate(evaluator, work, name, argv_files, mode, score_dir=None):
    out_dir = work / f"out_{name}"
    argv = ["vqa_and_retrieval_evaluation.py", *argv_files, "--mode", mode, "--output_dir", str(out_dir)]
    if score_dir is not None:
        argv += ["--score_dir", str(score_dir)]
    stdout = run_main(evaluator, argv)
    (written,) = list(out_dir.iterdir())
    summary = json.loads(written.read_text(encoding="utf-8"))
    del summary["evaluation_timestamp"]
    return {"name": name, "mode": mode, "files": evaluated_order(stdout), "output_file": written.name, "summary": summary}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: cameraBenchVqaOracle.py <t2v_metrics checkout> <camerabench data folder>")
    checkout, data = Path(sys.argv[1]), Path(sys.argv[2])
    stub("matplotlib")
    stub("matplotlib.pyplot")
    stub("t2v_metrics", VQAScore=PlannedVQAScore)
    stub("tqdm", tqdm=lambda iterable, **_kwargs: iterable)
    generator = load(checkout / "camerabench" / "vqa_and_retrieval_vlm_scores.py", "vqa_and_retrieval_vlm_scores")
    evaluator = load(checkout / "camerabench" / "vqa_and_retrieval_evaluation.py", "vqa_and_retrieval_evaluation")

    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        selection = select_pairs(data / "vqa_and_retrieval", work / "data" / "vqa_and_retrieval")
        plan_expectations(selection)
        missing = make_videos(selection, work / "videos")
        common = ["--model", MODEL, "--data_dir", str(work / "data"), "--video_dir", str(work / "videos")]
        run_main(generator, ["vqa_and_retrieval_vlm_scores.py", *common, "--combine_tasks", "--output_dir", str(work / "combined")])
        run_main(generator, ["vqa_and_retrieval_vlm_scores.py", *common, "--skill", "only_motion", "--output_dir", str(work / "tasks")])
        custom_dir = work / "custom"
        custom_dir.mkdir()
        for file_name, document in custom_files(selection).items():
            (custom_dir / file_name).write_text(json.dumps(document, indent=2), encoding="utf-8")

        files = {}
        for folder in ("combined", "tasks", "custom"):
            for path in sorted((work / folder).iterdir()):
                document = json.loads(path.read_text(encoding="utf-8"))
                entry = {"folder": folder, "document": document}
                if folder == "combined":
                    entry["row_tasks"] = row_tasks(document, selection, document["metadata"]["skill_name"].replace(" ", "_"))
                files[path.name] = entry

        custom_order = [custom_dir / name for name in custom_files(selection)] + [sorted((work / "combined").iterdir())[0]]
        runs = [
            evaluate(evaluator, work, "combined-both", [], "both", work / "combined"),
            evaluate(evaluator, work, "combined-vqa", [], "vqa", work / "combined"),
            evaluate(evaluator, work, "combined-retrieval", [], "retrieval", work / "combined"),
            evaluate(evaluator, work, "tasks-collapse", [], "both", work / "tasks"),
            evaluate(evaluator, work, "custom-explicit-order", [str(path) for path in custom_order], "both"),
        ]

    expected = {
        "reference": f"linzhiqiu/t2v_metrics@{T2V_METRICS_COMMIT} camerabench/vqa_and_retrieval_vlm_scores.py, vqa_and_retrieval_evaluation.py",
        "written_by": "tests/reference/cameraBenchVqaOracle.py",
        "data": "pair records from linzhiqiu/t2v_metrics camerabench/data/vqa_and_retrieval (CC-BY-4.0)",
        "missing_videos": missing,
        "files": files,
        "runs": runs,
    }
    target = HERE / "camerabench-vqa-expected.json"
    target.write_text(json.dumps(expected, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(files)} score files, {len(runs)} evaluator runs")


if __name__ == "__main__":
    main()
