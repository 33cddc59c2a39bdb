#!/usr/bin/env python3
"""Reference oracle for common/metrics/shotBench.ts: runs ShotBench's, RefineShot's and
VLMEvalKit's own answer-matching code over synthetic predictions for the real ShotBench
questions, and writes what it returned to tests/reference/shotbench-expected.json.

Re-run (Python 3.11; pandas, openai, torch, transformers, PIL and tqdm are stubbed):

    git --git-dir=<ShotBench mirror> archive efc6748812f4a38c44e0d65f442716474a435712 \
        evaluation/calculate_scores.py | tar -x -C /tmp/shotbench
    git --git-dir=<RefineShot mirror> archive 37beba8a0e36b9079306b79cbc40216242a93d46 \
        evaluation/calculate_scores.py | tar -x -C /tmp/refineshot
    git --git-dir=<VLMEvalKit mirror> archive e8e78f05f3080fe28154f2130321f17951c3be94 \
        vlmeval/utils/matching_util.py vlmeval/dataset/utils/multiple_choice.py vlmeval/smp/vlm.py \
        | tar -x -C /tmp/vlmevalkit
    python3 tests/reference/shotBenchOracle.py /tmp/shotbench /tmp/refineshot /tmp/vlmevalkit ../shared/data/shotbench

This script contains no copy of the reference code: it imports the three files from the given
checkouts. Stand-ins replace what the matching path never needs to be real: pandas' isna (None
and NaN), the OpenAI client (it records each prompt and returns the planned judge replies),
RefineShot's Qwen3 judge (its tokenizer records the prompt, its generate returns the planned
reply, with or without a thinking part before token 151668), and random.choice, which returns
"<random>" so that the cases where ShotBench would draw a letter are visible.
"""

import contextlib
import hashlib
import importlib.util
import io
import json
import random
import sys
import types
from pathlib import Path

SHOTBENCH_COMMIT = "efc6748812f4a38c44e0d65f442716474a435712"
REFINESHOT_COMMIT = "37beba8a0e36b9079306b79cbc40216242a93d46"
VLMEVALKIT_COMMIT = "e8e78f05f3080fe28154f2130321f17951c3be94"
HERE = Path(__file__).resolve().parent
STYLES_PER_QUESTION = 1
PROMPTS_KEPT = 6


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def isna(value):
    return value is None or (isinstance(value, float) and value != value)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def digest(*parts):
    return hashlib.sha256("\x00".join(str(part) for part in parts).encode("utf-8")).digest()


class PlannedOpenAI:
    """Stands in for openai.OpenAI: records prompts, returns the planned replies in order."""

    replies = []
    prompts = []

    def __init__(self, **_kwargs):
        self.chat = types.SimpleNamespace(completions=types.SimpleNamespace(create=self.create))

    def create(self, messages, model, temperature):
        PlannedOpenAI.prompts.append({"prompt": messages[0]["content"], "model": model, "temperature": temperature})
        content = PlannedOpenAI.replies.pop(0)
        return types.SimpleNamespace(
            choices=[types.SimpleNamespace(message=types.SimpleNamespace(content=content))],
            usage=types.SimpleNamespace(prompt_tokens=0, completion_tokens=0, total_tokens=0),
        )


class Ids(list):
    def __getitem__(self, item):
        value = list.__getitem__(self, item)
        return Ids(value) if isinstance(item, slice) else value

    def tolist(self):
        return list(self)


class Inputs(dict):
    def __init__(self):
        super().__init__(input_ids=[Ids([0])])
        self.input_ids = self["input_ids"]

    def to(self, _device):
        return self


class PlannedQwen:
    """RefineShot's judge model and tokenizer: each generate() takes the next planned reply."""

    replies = []
    prompts = []
    current = None
    device = "cpu"

    def apply_chat_template(self, messages, tokenize, add_generation_prompt, enable_thinking):
        PlannedQwen.prompts.append({"prompt": messages[0]["content"], "enable_thinking": enable_thinking})
        return "chat"

    def __call__(self, _texts, return_tensors):
        return Inputs()

    def generate(self, input_ids, max_new_tokens):
        plan = PlannedQwen.replies.pop(0)
        if plan == "raise":
            raise RuntimeError("planned judge failure")
        PlannedQwen.current = plan
        output = [1, 151668, 2] if plan.get("thinking") is not None else [2]
        return [Ids([0, *output])]

    def decode(self, ids, skip_special_tokens):
        plan = PlannedQwen.current
        if 151668 in ids:
            return f"{plan['thinking']}</think>{plan['content']}"
        return plan["content"]


def install_stubs():
    stub("pandas", isna=isna, DataFrame=object)
    stub("openai", OpenAI=PlannedOpenAI)
    stub("tqdm", tqdm=lambda iterable, **_kwargs: iterable)
    stub("torch", no_grad=lambda: __import__("contextlib").nullcontext())
    stub("transformers", AutoModelForCausalLM=None, AutoTokenizer=None)
    stub("PIL", Image=types.SimpleNamespace())
    stub("vlmeval")
    stub("vlmeval.smp.log", get_logger=lambda _name: types.SimpleNamespace(info=print, warning=print))
    random.choice = lambda _sequence: "<random>"


def styles(choices, answer, seed):
    """Synthetic predictions written the ways models write them."""
    keys = list(choices)
    other = keys[(keys.index(answer) + 1 + seed[0] % (len(keys) - 1)) % len(keys)]
    text, other_text = choices[answer], choices[other]
    contained = [k for k in keys if k != answer and choices[k].lower() in text.lower()]
    return [
        answer,
        f"{answer}. {text}",
        text.lower(),
        f"<answer>{answer}</answer>",
        f"I think it's a {text.lower()}",
        f"<think>The background shifts steadily, so the answer is {answer}.</think>\n<answer>{answer}</answer>",
        f"Either {text} or {other_text}",
        f"A slow {text.lower()}",
        f"The answer is ({answer}).",
        "",
        "I cannot determine the camera movement.",
        f"<ANSWER> {answer.lower()} </ANSWER>",
        f"**{answer}**\u00a0",
        f"Option {answer}: {text}",
        f"I'd say {answer}, not {other}",
        text.upper() + ".",
        f"<answer>{other}</answer> on reflection <answer>{answer}</answer>",
        text if not contained else f"It is {text}",
        "After a careful look at every single frame of this clip, the camera quite clearly performs a "
        f"{text.lower()} from the start of the shot to its very end, without any doubt at all.",
        f"<anſwer>{answer}</anſwer>",
        "Z",
        f"{answer} or {other}",
    ]


JUDGE_PLANS = [["(B)"], ["Z"], ["I think it is C"], ["no idea", "still no idea", "none"], ["unclear", "(A)"], ["<answer>D</answer>"]]


def matching_cases(shot, vlm_matching, questions):
    cases = []
    prompts_kept = 0
    for position, question in enumerate(questions):
        choices = shot.build_choices(question)
        seed = digest(question["index"], "style")
        all_styles = styles(choices, question["answer"], seed)
        picked = sorted({seed[1 + k] % len(all_styles) for k in range(STYLES_PER_QUESTION)} | ({position % len(all_styles)}))
        for style in picked:
            prediction = all_styles[style]
            judge = JUDGE_PLANS[digest(question["index"], style)[0] % len(JUDGE_PLANS)]
            PlannedOpenAI.replies = list(judge)
            PlannedOpenAI.prompts = []
            row = {"question": question["question"], "options": question["options"], "answer": question["answer"], "prediction": prediction}
            hit, letter = shot.eval_row(row, "gpt-4o-2024-08-06")
            case = {
                "i": position,
                "style": style,
                "prediction": prediction,
                "judge": judge,
                "option": shot.can_infer_option(prediction, choices) or None,
                "text": shot.can_infer_text(prediction, choices) or None,
                "text_vlmevalkit": vlm_matching.can_infer_text(shot.extract_from_answer_tag(prediction), dict(choices)) or None,
                "letter": letter,
                "hit": hit,
                "judge_calls": len(PlannedOpenAI.prompts),
            }
            if PlannedOpenAI.prompts and prompts_kept < PROMPTS_KEPT:
                case["judge_request"] = PlannedOpenAI.prompts[0]
                prompts_kept += 1
            cases.append(case)
    return cases


def refineshot_cases(refine, questions):
    plans = []
    for position, question in enumerate(questions):
        choices = json.loads(question["options"])
        keys = list(choices)
        answer = question["answer"]
        other = keys[(keys.index(answer) + 1) % len(keys)]
        think = (f"<think>Step 1: {'; '.join(f'{k}. {v}' for k, v in choices.items())}. Step 4: the frames show "
                 f"{choices[answer].lower()}. Therefore, the correct answer is {answer}.</think>\n")
        variants = [
            (think + f"<answer>{answer}</answer>", {"content": f"THINK_ANSWER: [{answer}]\nANSWER_SECTION: [{answer}]"}),
            (think + f"<answer>{other}</answer>", {"content": f"THINK_ANSWER: [{answer}]\nANSWER_SECTION: [{other}]"}),
            (think + f"<answer>{other}</answer>", {"thinking": "Let me compare.", "content": f"think_answer: {answer.lower()}\nanswer_section: {other}"}),
            (think + f"<answer>{other}</answer>", {"content": f"THINK_ANSWER: [NONE]\nANSWER_SECTION: [{other}]"}),
            (think + f"<answer>{other}</answer>", {"content": "I cannot tell."}),
            (think + f"<answer>{other}</answer>", "raise"),
            (None, {"content": "THINK_ANSWER: [NONE]\nANSWER_SECTION: [Z]"}),
            ("NaN", {"content": "THINK_ANSWER: [NONE]\nANSWER_SECTION: [NONE]"}),
            (f"<answer>{choices[answer]}</answer>", {"content": f"THINK_ANSWER: [NONE]\nANSWER_SECTION: [{answer}]"}),
            (think + f"<answer>{answer}</answer>", {"content": f"THINK_ANSWER: [{answer}] ANSWER_SECTION: [{answer}]"}),
        ]
        prediction, consistency = variants[position % len(variants)]
        adherence = [{"content": "INSTRUCTION_ADHERENCE: [YES]"}, {"content": "instruction_adherence: no"},
                     {"thinking": "", "content": "INSTRUCTION_ADHERENCE: YES"}, {"content": "Yes"}, "raise", None][position % 6]
        plans.append((position, question, prediction, consistency, adherence))

    cases = []
    for position, question, prediction, consistency, adherence in plans:
        refine.args.check_consistency = True
        refine.args.check_adherence = adherence is not None
        PlannedQwen.replies = [consistency] + ([adherence] if adherence is not None else [])
        PlannedQwen.prompts = []
        row = {"question": question["question"], "options": question["options"], "answer": question["answer"],
               "prediction": float("nan") if prediction is None else prediction}
        # RefineShot prints every prediction and judge reply; keep the oracle's output readable.
        with contextlib.redirect_stdout(io.StringIO()):
            hit, letter, _cost, is_consistent = refine.eval_row(row, refine.args.model, PlannedQwen(), PlannedQwen())
        cases.append({
            "i": position,
            "category": question["category"],
            "prediction": prediction,
            "consistency_reply": consistency,
            "adherence_reply": adherence,
            "letter": letter,
            "hit": hit,
            "consistency": is_consistent,
            "prompts": PlannedQwen.prompts if position < 4 else None,
        })
    return cases


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: shotBenchOracle.py <ShotBench checkout> <RefineShot checkout> <VLMEvalKit checkout> <shotbench data folder>")
    shotbench_dir, refineshot_dir, vlmevalkit_dir, data = (Path(argument) for argument in sys.argv[1:])
    install_stubs()
    sys.argv = ["calculate_scores.py", "--prediction_path", "unused.xlsx"]
    shot = load(shotbench_dir / "evaluation" / "calculate_scores.py", "shotbench_calculate_scores")
    refine = load(refineshot_dir / "evaluation" / "calculate_scores.py", "refineshot_calculate_scores")
    vlm_matching = load(vlmevalkit_dir / "vlmeval" / "utils" / "matching_util.py", "vlmeval.utils.matching_util")
    vlm_module = load(vlmevalkit_dir / "vlmeval" / "smp" / "vlm.py", "vlmeval.smp.vlm")
    stub("vlmeval.smp", **{name: None for name in ("cn_string", "d2df", "dump", "istype", "load", "timestr", "get_pred_file_format")},
         get_logger=sys.modules["vlmeval.smp.log"].get_logger)
    sys.modules["vlmeval.smp"].vlm = vlm_module
    stub("vlmeval.utils", can_infer=vlm_matching.can_infer, can_infer_lego=vlm_matching.can_infer_lego, track_progress_rich=None)
    multiple_choice = load(vlmevalkit_dir / "vlmeval" / "dataset" / "utils" / "multiple_choice.py", "vlmeval.dataset.utils.multiple_choice")

    camera = [json.loads(line) for line in (data / "shotbench_camera_movement_464.jsonl").read_text(encoding="utf-8").splitlines()]
    refined = [json.loads(line) for line in (data / "refineshot_test_refined_3572.jsonl").read_text(encoding="utf-8").splitlines()]
    refined_sample = [row for row in refined if row["category"] == "camera movement"][:20] + \
        [row for row in refined if row["category"] in ("shot framing", "lighting")][:20]

    vlmevalkit_prompts = []
    for question in camera[:3]:
        choices = shot.build_choices(question)
        prediction = f"It looks like a {choices['A'].lower()} to me."
        vlmevalkit_prompts.append({
            "index": question["index"],
            "prediction": prediction,
            "prompt": multiple_choice.build_prompt(question["question"], vlm_module.build_option_str(choices), prediction),
        })

    expected = {
        "reference": {
            "shotbench": f"Vchitect/ShotBench@{SHOTBENCH_COMMIT} evaluation/calculate_scores.py",
            "refineshot": f"wuhang03/RefineShot@{REFINESHOT_COMMIT} evaluation/calculate_scores.py",
            "vlmevalkit": f"open-compass/VLMEvalKit@{VLMEVALKIT_COMMIT} vlmeval/utils/matching_util.py, vlmeval/dataset/utils/multiple_choice.py",
        },
        "written_by": "tests/reference/shotBenchOracle.py",
        "data": "predictions built from ShotBench test questions (HF Vchitect/ShotBench, apache-2.0 per its card), as kept in wuhang03/RefineShot",
        "matching": matching_cases(shot, vlm_matching, camera),
        "vlmevalkit_prompts": vlmevalkit_prompts,
        "refineshot_questions": [row["index"] for row in refined_sample],
        "refineshot": refineshot_cases(refine, refined_sample),
    }
    target = HERE / "shotbench-expected.json"
    target.write_text(json.dumps(expected, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(expected['matching'])} matching cases, {len(expected['refineshot'])} RefineShot cases")


if __name__ == "__main__":
    main()
