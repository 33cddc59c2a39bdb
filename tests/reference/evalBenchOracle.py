#!/usr/bin/env python3
"""Reference oracle for `frustum export --format results`: runs CamReasoner's evaluator itself,
Inference/infer/eval_bench.py's main(), over each case of tests/reference/eval-bench-cases.json
and keeps the file it writes, byte for byte, as tests/reference/eval-bench-results/<name>.json.

Re-run (Python 3.11; nothing else is needed, heavy imports are stubbed):

    git --git-dir=<CamReasoner mirror> archive 8b7118833c44b6b49ce9bb9a7ff27cad2945c828 \
        Inference/infer | tar -x -C /tmp/camreasoner
    python3 tests/reference/evalBenchOracle.py /tmp/camreasoner

This script contains no copy of the reference code. vLLM's LLM is replaced by one that returns
each case's planned texts batch by batch, or raises for a batch planned as "fail" (eval_bench
then writes "<answer>ERROR</answer>" for the whole batch); the processor and
qwen_vl_utils, which only build the prompt, return placeholders. The case's records are written
as the file named by its input_json, in a temporary folder that is the working directory.
"""

import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import types
from pathlib import Path

CAMREASONER_COMMIT = "8b7118833c44b6b49ce9bb9a7ff27cad2945c828"
HERE = Path(__file__).resolve().parent


def stub(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules.get(parent) or stub(parent), child, module)
    return module


class PlannedLLM:
    """Stands in for vllm.LLM: each generate() call takes the next planned batch."""

    planned: list = []

    def __init__(self, **_kwargs):
        pass

    def generate(self, inputs, sampling_params=None):
        plan = PlannedLLM.planned.pop(0)
        if plan == "fail":
            raise RuntimeError("planned failure of this batch")
        assert len(plan) == len(inputs), (plan, len(inputs))
        return [types.SimpleNamespace(outputs=[types.SimpleNamespace(text=text)]) for text in plan]


class PlaceholderProcessor:
    image_processor = types.SimpleNamespace(patch_size=14)

    def apply_chat_template(self, *_args, **_kwargs):
        return "prompt"


def install_stubs() -> None:
    stub("torch", manual_seed=lambda _seed: None, cuda=types.SimpleNamespace(device_count=lambda: 1))
    stub("rouge_score.rouge_scorer", RougeScorer=None)
    stub("transformers", AutoProcessor=types.SimpleNamespace(from_pretrained=lambda _path: PlaceholderProcessor()))
    stub("vllm", LLM=PlannedLLM, SamplingParams=lambda **_kwargs: None)
    stub("qwen_vl_utils", process_vision_info=lambda *_args, **_kwargs: (None, None, {}))
    try:
        importlib.import_module("tqdm")
    except ImportError:
        stub("tqdm", tqdm=lambda iterable, **_kwargs: iterable)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: evalBenchOracle.py <CamReasoner checkout>")
    install_stubs()
    spec = importlib.util.spec_from_file_location("eval_bench", Path(sys.argv[1]) / "Inference" / "infer" / "eval_bench.py")
    assert spec is not None and spec.loader is not None
    eval_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(eval_bench)

    cases = json.loads((HERE / "eval-bench-cases.json").read_text(encoding="utf-8"))
    out_dir = HERE / "eval-bench-results"
    out_dir.mkdir(exist_ok=True)
    home = os.getcwd()
    for case in cases:
        with tempfile.TemporaryDirectory() as work:
            os.chdir(work)
            try:
                Path(case["input_json"]).write_text(json.dumps(case["records"], indent=2), encoding="utf-8")
                PlannedLLM.planned = list(case["batches"])
                sys.argv = ["eval_bench.py", "--model_path", case["model_path"], "--input_json", case["input_json"],
                            "--batch_size", str(case["batch_size"]), "--out_dir", "out", "--suffix", "qwen"]
                # eval_bench prints every prompt and generation; keep the oracle's output readable.
                with contextlib.redirect_stdout(io.StringIO()):
                    eval_bench.main()
                written = Path("out") / Path(case["input_json"]).stem / "qwen.json"
                (out_dir / f"{case['name']}.json").write_bytes(written.read_bytes())
            finally:
                os.chdir(home)
        print(f"wrote {out_dir / (case['name'] + '.json')}")


if __name__ == "__main__":
    main()
