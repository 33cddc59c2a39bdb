#!/usr/bin/env python3
"""Reference oracle for common/ota: runs CamReasoner's and mathruler's own code over
tests/reference/ota-cases.json and writes tests/reference/ota-expected.json.

Re-run (Python 3.11 with sympy 1.14; nothing else is needed, heavy imports are stubbed):

    git --git-dir=<CamReasoner mirror> archive 8b7118833c44b6b49ce9bb9a7ff27cad2945c828 \
        EasyR1/verl/reward_function Inference/infer | tar -x -C /tmp/camreasoner
    git --git-dir=<MathRuler mirror> archive 14dadeb0e962ff707aba889c85979155d25245ce \
        mathruler | tar -x -C /tmp/mathruler
    python3 tests/reference/oracle.py /tmp/camreasoner /tmp/mathruler

(github.com/wuhang03/CamReasoner and github.com/hiyouga/MathRuler; the path arguments limit
`git archive` to what is imported, because the mirrors lack some large data blobs.)

This script contains no copy of the reference code: it imports the reference modules from the
given checkouts. Stubs stand in for modules the multiple-choice path never calls (torch,
rouge_score, math_verify, vLLM, transformers, the reward-model client). pylatexenc is stubbed to
raise, so mathruler's `_parse_latex` fails and `_normalize` keeps the text: common/ota/grade.ts
does not port the LaTeX branch, and this makes the oracle check exactly what it does port.
"""

import contextlib
import importlib
import importlib.util
import io
import json
import sys
import types
from pathlib import Path

CAMREASONER_COMMIT = "8b7118833c44b6b49ce9bb9a7ff27cad2945c828"
MATHRULER_COMMIT = "14dadeb0e962ff707aba889c85979155d25245ce"
HERE = Path(__file__).resolve().parent


def stub(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules.get(parent) or stub(parent), child, module)
    return module


def stub_if_missing(name: str, **attributes) -> None:
    try:
        importlib.import_module(name)
    except ImportError:
        stub(name, **attributes)


class RaisingLatexConverter:
    def latex_to_text(self, _text):
        raise RuntimeError("pylatexenc is not available to the oracle (by design)")


def unavailable(*_args, **_kwargs):
    raise RuntimeError("stubbed out: not used on the multiple-choice path")


def install_stubs() -> None:
    stub("torch", tensor=unavailable, arange=unavailable, float32=None, manual_seed=unavailable)
    stub("rouge_score.rouge_scorer", RougeScorer=unavailable)
    stub("math_verify", parse=unavailable, verify=unavailable)
    stub("verl.workers.reward.model_reward", RewardModelClient=unavailable)
    stub("transformers", AutoProcessor=None)
    stub("vllm", LLM=None, SamplingParams=None)
    stub("qwen_vl_utils", process_vision_info=unavailable)
    stub("pylatexenc.latex2text", LatexNodes2Text=RaisingLatexConverter)
    stub_if_missing("tqdm", tqdm=lambda iterable, **_kwargs: iterable)
    stub_if_missing("numpy")


def load(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: oracle.py <CamReasoner checkout> <MathRuler checkout>")
    camreasoner, mathruler = Path(sys.argv[1]), Path(sys.argv[2])
    install_stubs()
    sys.path.insert(0, str(mathruler))
    rewards = camreasoner / "EasyR1" / "verl" / "reward_function"
    onethinker = load(rewards / "onethinker_reward.py", "onethinker_reward")
    r1v = load(rewards / "r1v.py", "r1v_reward")
    eval_bench = load(camreasoner / "Inference" / "infer" / "eval_bench.py", "eval_bench")

    cases = json.loads((HERE / "ota-cases.json").read_text(encoding="utf-8"))
    expected = []
    for case in cases:
        response, ground_truth = case["response"], case["ground_truth"]
        item = {"response": response, "ground_truth": ground_truth, "data_type": "video",
                "problem_type": "multiple choice"}
        # compute_score prints every step; keep the oracle's own output readable.
        with contextlib.redirect_stdout(io.StringIO()):
            onethinker_score = onethinker.compute_score([item], format_weight=0.1)[0]
            r1v_score = r1v.compute_score({"response": response, "ground_truth": ground_truth})
            accuracy, _components = eval_bench.accuracy_only(response, ground_truth, "video", "multiple choice")
        expected.append({
            "name": case["name"],
            "onethinker": {key: onethinker_score[key] for key in ("overall", "format", "accuracy")},
            "r1v": {key: r1v_score[key] for key in ("overall", "format", "accuracy")},
            "eval": {"accuracy": accuracy, "prediction": eval_bench.extract_answer(response)},
        })

    output = {
        "generated_by": "tests/reference/oracle.py",
        "camreasoner_commit": CAMREASONER_COMMIT,
        "mathruler_commit": MATHRULER_COMMIT,
        "python": sys.version.split()[0],
        "cases": expected,
    }
    (HERE / "ota-expected.json").write_text(json.dumps(output, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {len(expected)} cases to {HERE / 'ota-expected.json'}")


if __name__ == "__main__":
    main()
