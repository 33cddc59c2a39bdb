#!/usr/bin/env python3
"""Reference oracle for common/metrics/captions.ts: runs CameraBench's caption scripts themselves,
camerabench/caption_evaluation.py and camerabench/caption_generation.py of linzhiqiu/t2v_metrics,
over tests/reference/caption-cases.json and writes tests/reference/caption-expected.json.

Re-run (Debian 12's /usr/bin/python3 with `apt-get install python3-nltk`, which brings numpy):

    git --git-dir=<t2v_metrics mirror> archive 6ecb74f92028f42c7e64546d3a71e98c8c73068f \
        camerabench/caption_evaluation.py camerabench/caption_generation.py | tar -x -C /tmp/t2v
    /usr/bin/python3 tests/reference/captionOracle.py /tmp/t2v

This script contains no copy of the reference code: it imports both scripts from the given
checkout and calls their functions (`calculate_*_score`, `calculate_generative_match`,
`evaluate_caption_file`, both `main()`s). BLEU-2 and the Porter stemmer are NLTK's own.

Stand-ins, each for something the scripts reach outside themselves:
- `openai`: answers `chat.completions.create` with each case's planned replies (JSON bodies
  turned into attribute objects; a missing key raises as a None from the real client would) or
  raises for a planned "raise"; every request's arguments are recorded.
- `time.sleep` in caption_evaluation (the judge's 2 s between attempts) returns at once.
- `nltk.download` returns False, as it does without a network (the METEOR function asks for
  wordnet on every call and never uses it; the real call would try the network each time).
- `t2v_metrics` (caption generation): a model whose `generate` returns each case's planned
  captions or raises; `datetime` in caption_generation: a fixed `now()` per case.
- `rouge_score`, when it is not installed (it is not in Debian): a module built from
  google-research rouge/ (tokenize.py `tokenize`; rouge_scorer.py `RougeScorer.score`,
  `_score_lcs` and `_lcs_table`; scoring.py `fmeasure`), with NLTK's real PorterStemmer. The
  output names which was used. A real rouge_score (pip) is used when it imports.
"""

import contextlib
import datetime as datetime_module
import importlib.util
import io
import json
import os
import sys
import tempfile
import types
from collections import namedtuple
from pathlib import Path

T2V_METRICS_COMMIT = "6ecb74f92028f42c7e64546d3a71e98c8c73068f"
HERE = Path(__file__).resolve().parent


def stub(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules.get(parent) or stub(parent), child, module)
    return module


# ----------------------------------------------------------------------------- openai stand-in

class Reply:
    """A JSON reply body read by attribute, as the openai client's objects are."""

    def __init__(self, value):
        self._value = value

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._value:
            raise AttributeError(name)
        return wrap(self._value[name])


def wrap(value):
    if isinstance(value, dict):
        return Reply(value)
    if isinstance(value, list):
        return [wrap(item) for item in value]
    return value


class PlannedJudge:
    replies: list = []
    requests: list = []

    @classmethod
    def create(cls, **kwargs):
        cls.requests.append(kwargs)
        if not cls.replies:
            raise AssertionError("the judge was asked more often than planned")
        reply = cls.replies.pop(0)
        if reply == "raise":
            raise ConnectionError("planned failure of this call")
        return wrap(reply)

    @classmethod
    def plan(cls, replies):
        cls.replies = list(replies)
        cls.requests = []


# ------------------------------------------------------------------------ rouge_score stand-in

def install_rouge_score_stand_in():
    """Returns which rouge_score runs, and its tokenizer (for the tokens the output lists)."""
    from nltk.stem import porter
    try:
        from rouge_score import tokenize as real_tokenize  # a real one, when installed
        return "rouge_score (installed)", lambda text: real_tokenize.tokenize(text, porter.PorterStemmer())
    except ImportError:
        pass
    import re

    Score = namedtuple("Score", ["precision", "recall", "fmeasure"])

    def tokenize(text, stemmer):
        text = text.lower()
        text = re.sub(r"[^a-z0-9]+", " ", text)
        tokens = re.split(r"\s+", text)
        if stemmer:
            tokens = [stemmer.stem(x) if len(x) > 3 else x for x in tokens]
        return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]

    def fmeasure(precision, recall):
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.0

    def lcs_table(ref, can):
        table = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
        for i in range(1, len(ref) + 1):
            for j in range(1, len(can) + 1):
                if ref[i - 1] == can[j - 1]:
                    table[i][j] = table[i - 1][j - 1] + 1
                else:
                    table[i][j] = max(table[i - 1][j], table[i][j - 1])
        return table

    def score_lcs(target_tokens, prediction_tokens):
        if not target_tokens or not prediction_tokens:
            return Score(precision=0, recall=0, fmeasure=0)
        lcs_length = lcs_table(target_tokens, prediction_tokens)[-1][-1]
        precision = lcs_length / len(prediction_tokens)
        recall = lcs_length / len(target_tokens)
        return Score(precision=precision, recall=recall, fmeasure=fmeasure(precision, recall))

    class RougeScorer:
        def __init__(self, rouge_types, use_stemmer=False):
            assert list(rouge_types) == ["rougeL"], rouge_types
            self._stemmer = porter.PorterStemmer() if use_stemmer else None

        def score(self, target, prediction):
            return {"rougeL": score_lcs(tokenize(target, self._stemmer), tokenize(prediction, self._stemmer))}

    stub("rouge_score.rouge_scorer", RougeScorer=RougeScorer)
    description = "stand-in from google-research rouge/ (tokenize, _score_lcs, _lcs_table, fmeasure) with NLTK's PorterStemmer"
    return description, lambda text: tokenize(text, porter.PorterStemmer())


# -------------------------------------------------------------------------- t2v_metrics stand-in

class PlannedCaptioner:
    outputs: list = []

    def generate(self, images, texts):
        planned = PlannedCaptioner.outputs.pop(0)
        if "raise" in planned:
            raise RuntimeError(planned["raise"])
        return [planned["caption"]]


class PlannedScoreModel:
    def __init__(self, **_kwargs):
        self.model = PlannedCaptioner()


def fixed_datetime(parts):
    class FixedDatetime(datetime_module.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(*parts)

    return FixedDatetime


# ------------------------------------------------------------------------------------ the run

def load(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quietly(function, *args):
    """The scripts print every step; keep the oracle's own output readable."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return function(*args)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: captionOracle.py <t2v_metrics checkout>")
    checkout = Path(sys.argv[1]) / "camerabench"

    import nltk
    nltk.download = lambda *_args, **_kwargs: False
    stub("openai", chat=types.SimpleNamespace(completions=types.SimpleNamespace(create=PlannedJudge.create)), api_key=None)
    rouge_used, rouge_tokens = install_rouge_score_stand_in()
    stub("t2v_metrics", VQAScore=PlannedScoreModel, get_score_model=lambda **kwargs: PlannedScoreModel(**kwargs))
    try:
        import tqdm  # noqa: F401
    except ImportError:
        stub("tqdm", tqdm=lambda iterable, **_kwargs: iterable)

    evaluation = load(checkout / "caption_evaluation.py", "caption_evaluation")
    generation = load(checkout / "caption_generation.py", "caption_generation")
    evaluation.time = types.SimpleNamespace(sleep=lambda _seconds: None)

    cases = json.loads((HERE / "caption-cases.json").read_text(encoding="utf-8"))

    pairs = []
    for case in cases["pairs"]:
        reference, candidate = case["reference"], case["candidate"]
        pairs.append({
            "name": case["name"],
            # Tokens never hold whitespace: each side's tokens are kept space-joined.
            "tokens": [" ".join(evaluation.preprocess_text(text)) for text in (reference, candidate)],
            "rouge_tokens": [" ".join(rouge_tokens(text)) for text in (reference, candidate)],
            "spice": quietly(evaluation.calculate_spice_score, reference, candidate),
            "cider": quietly(evaluation.calculate_cider_score, reference, candidate),
            "bleu2": quietly(evaluation.calculate_bleu2_score, reference, candidate),
            "rouge_l": quietly(evaluation.calculate_rouge_l_score, reference, candidate),
            "meteor": quietly(evaluation.calculate_meteor_score, reference, candidate),
        })

    from nltk.stem.porter import PorterStemmer
    stemmer = PorterStemmer()
    stems = {word: stemmer.stem(word) for word in cases["stem_words"]}

    judge = []
    for case in cases["judge"]:
        PlannedJudge.plan(case["replies"])
        score = quietly(evaluation.calculate_generative_match, case["reference"], case["candidate"], "test-key")
        judge.append({"name": case["name"], "score": score, "calls": len(PlannedJudge.requests),
                      "request": PlannedJudge.requests[0] if PlannedJudge.requests else None})

    home = os.getcwd()
    files = []
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        try:
            names = []
            for case in cases["files"]:
                name = f"caption_results_{case['name']}.json"
                Path(name).write_text(json.dumps(case["data"], indent=2, ensure_ascii=False), encoding="utf-8")
                names.append(name)
                without_judge = quietly(evaluation.evaluate_caption_file, name, None)
                with_judge = None
                if case["judge"] is not None:
                    PlannedJudge.plan([reply for sample in case["judge"] for reply in sample])
                    with_judge = quietly(evaluation.evaluate_caption_file, name, "test-key")
                    assert not PlannedJudge.replies, (case["name"], "planned judge replies left over")
                files.append({"name": case["name"], "file_path": name, "result": without_judge or None,
                              "result_with_judge": with_judge or None})
            sys.argv = ["caption_evaluation.py", *names, "--no_gpt", "--output_file", "evaluation.json"]
            quietly(evaluation.main)
            evaluation_text = Path("evaluation.json").read_text(encoding="utf-8")
        finally:
            os.chdir(home)

    generated = []
    for case in cases["generation"]:
        with tempfile.TemporaryDirectory() as work:
            data_dir, out_dir = Path(work) / "data", Path(work) / "scores"
            data_dir.mkdir()
            (data_dir / "caption_data.json").write_text(json.dumps(case["records"]), encoding="utf-8")
            PlannedCaptioner.outputs = list(case["outputs"])
            generation.datetime = fixed_datetime(case["now"])
            sys.argv = ["caption_generation.py", "--model", case["model"], "--data_dir", str(data_dir),
                        "--output_dir", str(out_dir), "--video_dir", case["video_dir"]]
            if case["checkpoint"] is not None:
                sys.argv += ["--checkpoint", case["checkpoint"]]
            quietly(generation.main)
            [written] = list(out_dir.iterdir())
            generated.append({"name": case["name"], "file_name": written.name,
                              "text": written.read_text(encoding="utf-8")})

    output = {
        "generated_by": "tests/reference/captionOracle.py",
        "t2v_metrics_commit": T2V_METRICS_COMMIT,
        "python": sys.version.split()[0],
        "nltk": nltk.__version__,
        "numpy": __import__("numpy").__version__,
        "rouge_score": rouge_used,
        "pairs": pairs,
        "stems": stems,
        "judge": judge,
        "files": files,
        "evaluation_output": evaluation_text,
        "generation": generated,
    }
    (HERE / "caption-expected.json").write_text(json.dumps(output, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {len(pairs)} pairs, {len(stems)} stems, {len(judge)} judge cases, {len(files)} files, "
          f"{len(generated)} generated files to {HERE / 'caption-expected.json'} (rouge_score: {rouge_used})")


if __name__ == "__main__":
    main()
