"""FAKE EasyR1 data, generation and reward: RLHFDataset, the vLLM rollout and AutoRewardManager.

Responses are made up — a seeded mix of correct Observation–Think–Answer chains, wrong answers
and malformed chains, with more correct ones as training progresses — so that the real reward
function has something to score and the curves move.
"""

import importlib.util
import json
import math
import os
import re
import sys

SYSTEM_PROMPT = "You are a helpful assistant."
OBSERVATIONS = [
    "The background drifts right by about 3% of the frame width per second while the horizon stays level.",
    "Foreground objects grow steadily and the vanishing point stays centred across the clip.",
    "Near and far objects shift by different amounts, so the camera itself translates.",
    "The frame content rotates about the centre and the horizon tilts by a few degrees.",
    "Nothing in the frame moves relative to the border; only the subject walks across.",
]
THOUGHTS = [
    "Uniform drift with no parallax means a rotation of the camera, so this is a pan.",
    "Expansion about a fixed centre without parallax points to a zoom rather than a dolly.",
    "Parallax between depth layers rules out a pure rotation.",
    "A static background means the camera does not move.",
]


# ------------------------------------------------------------------------------------------------
# Data.


def load_records(path_with_split):
    """RLHFDataset's `path@split` for a local JSON / JSONL file: `datasets` gives such a file the
    one split "train", so any other split fails as it does there."""
    path, _, split = path_with_split.partition("@")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Unable to find '{path}'")
    if split not in ("", "train"):
        raise ValueError(f'Unknown split "{split}". Should be one of [\'train\'].')
    with open(path, encoding="utf-8") as file:
        text = file.read()
    if path.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def render_prompt(template, content):
    """Template(format_prompt.strip()).render(content=…) for `{{ content }}` / `{{ content | trim }}`."""
    if template is None:
        return content
    pattern = re.compile(r"\{\{\s*content\s*(\|\s*trim\s*)?\}\}")
    return pattern.sub(lambda match: content.strip() if match.group(1) else content, template.strip())


def decoded_prompt(prompt):
    """The prompt as tokenizer.decode(skip_special_tokens=True) gives it back from the Qwen chat
    template: role names on their own lines, the vision placeholders gone."""
    text = prompt.replace("<video>", "").replace("<image>", "")
    return f"system\n{SYSTEM_PROMPT}\nuser\n{text}\nassistant\n"


def token_count(text):
    return max(1, math.ceil(len(text) / 3.5))


class Example:
    """One dataset row as the trainer needs it."""

    def __init__(self, record, data_config, template):
        prompt = render_prompt(template, str(record[data_config["prompt_key"]]))
        self.record = record
        self.prompt_text = decoded_prompt(prompt)
        visual = len(record.get(data_config["video_key"]) or []) + len(record.get(data_config["image_key"]) or [])
        self.prompt_length = min(data_config["max_prompt_length"], token_count(self.prompt_text) + 256 * visual)
        self.ground_truth = record[data_config["answer_key"]]


def load_examples(files, data_config):
    template = None
    if data_config["format_prompt"]:
        with open(data_config["format_prompt"], encoding="utf-8") as file:
            template = file.read()
    return [Example(record, data_config, template) for record in load_records(files)]


# ------------------------------------------------------------------------------------------------
# Generation.


def expected_letter(ground_truth):
    """The option letter a response should answer, from a plain, tagged or Frustum JSON answer."""
    text = ground_truth if isinstance(ground_truth, str) else str(ground_truth)
    if text.startswith("{"):
        try:
            text = str(json.loads(text).get("answer", text))
        except (ValueError, AttributeError):
            pass
    match = re.search(r"<answer>\s*(.*?)\s*</answer>", text, re.DOTALL)
    return (match.group(1) if match else text).strip()


def option_letters(record):
    options = record.get("options")
    if isinstance(options, list) and options:
        letters = [str(option).split(".", 1)[0].strip() for option in options]
        return [letter for letter in letters if letter] or ["A", "B"]
    return ["A", "B", "C", "D"]


def fake_response(rng, record, ground_truth, progress):
    """One response: correct more often as progress (0..1) grows, malformed less often."""
    correct = expected_letter(ground_truth)
    observation = " ".join(rng.sample(OBSERVATIONS, rng.randint(1, 3)))
    thought = rng.choice(THOUGHTS)
    roll = rng.random()
    if roll < 0.25 * (1.0 - progress):
        shapes = [
            f"<think>{thought}</think><answer>{correct}</answer>",
            f"<observation>{observation}</observation><think>{thought}</think>The answer is {correct}.",
            f"<observation>{observation}</observation> {thought} <answer>{correct}",
        ]
        return rng.choice(shapes)
    wrong = [letter for letter in option_letters(record) if letter != correct] or [correct]
    letter = correct if roll < 0.35 + 0.55 * progress else rng.choice(wrong)
    return f"<observation>{observation}</observation>\n<think>{thought}</think>\n<answer>{letter}</answer>"


# ------------------------------------------------------------------------------------------------
# Reward.


class AutoRewardManager:
    """verl/workers/reward/function.py AutoRewardManager: loads the reward file with importlib and
    calls its function with reward_function_kwargs (each instance is its own Ray actor, so each
    loads its own copy of the module)."""

    def __init__(self, reward_config):
        path = reward_config["reward_function"]
        name = reward_config["reward_function_name"]
        if path is None:
            raise ValueError("Reward function is not provided.")
        if not os.path.exists(path):
            raise FileNotFoundError(f"Reward function file {path} not found.")
        spec = importlib.util.spec_from_file_location("custom_reward_fn", path)
        module = importlib.util.module_from_spec(spec)
        try:
            sys.modules["custom_reward_fn"] = module
            spec.loader.exec_module(module)
        except Exception as error:
            raise RuntimeError(f"Failed to load reward function: {error}") from error
        if not hasattr(module, name):
            raise AttributeError(f"Module {module} does not have function {name}.")
        self.reward_fn = getattr(module, name)
        self.kwargs = reward_config["reward_function_kwargs"] or {}
        self.reward_type = getattr(module, "REWARD_TYPE", "batch")
        print(f"Using reward function `{name}` from `{path}`.")
        print(f"Reward name: {getattr(module, 'REWARD_NAME', 'unknown')}, reward type: {self.reward_type}.")

    def compute_reward(self, items):
        """(overall score per item, {key: [value per item]}) for items with response, length, ground truth."""
        inputs = [
            {"response": item.response, "response_length": item.response_length, "ground_truth": item.example.ground_truth}
            for item in items
        ]
        if self.reward_type == "batch":
            scores = self.reward_fn(inputs, **self.kwargs)
        elif self.reward_type == "sequential":
            scores = [self.reward_fn(reward_input, **self.kwargs) for reward_input in inputs]
        else:
            raise ValueError(f"Unsupported reward type: {self.reward_type}.")
        metrics = {}
        for score in scores:
            for key, value in score.items():
                metrics.setdefault(key, []).append(value)
        return [score["overall"] for score in scores], metrics
