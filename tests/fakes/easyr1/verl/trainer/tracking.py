"""FAKE EasyR1 output: Ray's actor prefixes and verl/utils/logger (console, file, generations).

In the real trainer everything runs in Ray actors, so the driver's stdout shows each actor line as
`(Runner pid=123) text`; the reward manager is its own actor `(AutoRewardManager pid=…)`.
"""

import contextlib
import json
import os
import re
import sys

import yaml

SUPPORTED_LOGGERS = ("console", "file", "mlflow", "swanlab", "tensorboard", "wandb")


class PrefixedStream:
    """A text stream that starts every line with the current Ray actor prefix and flushes each
    line, so a parent tailing the pipe sees lines as they are printed."""

    def __init__(self, stream):
        self.stream = stream
        self.prefix = ""
        self.at_line_start = True

    def write(self, text):
        for piece in re.split(r"(?<=\n)", text):
            if not piece:
                continue
            if self.at_line_start and self.prefix:
                self.stream.write(self.prefix)
            self.stream.write(piece)
            self.at_line_start = piece.endswith("\n")
        self.stream.flush()
        return len(text)

    def flush(self):
        self.stream.flush()


def install_prefixed_streams():
    sys.stdout = PrefixedStream(sys.stdout)
    sys.stderr = PrefixedStream(sys.stderr)


@contextlib.contextmanager
def actor(name):
    """Output inside the block comes from the Ray actor `name` (this process stands in for it)."""
    previous = (sys.stdout.prefix, sys.stderr.prefix)
    prefix = f"({name} pid={os.getpid()}) " if name else ""
    sys.stdout.prefix = sys.stderr.prefix = prefix
    try:
        yield
    finally:
        sys.stdout.prefix, sys.stderr.prefix = previous


def unflatten_dict(data, sep="/"):
    result = {}
    for key, value in data.items():
        pieces = key.split(sep)
        pointer = result
        for piece in pieces[:-1]:
            pointer = pointer.setdefault(piece, {})
        pointer[pieces[-1]] = value
    return result


class _MetricsDumper(yaml.SafeDumper):
    """py_functional's yaml float representer: 3 decimals unless the repr is scientific."""


def _represent_float(dumper, number):
    text = str(number)
    if re.match(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$", text):
        value = text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    else:
        value = str(round(number, 3))
    return dumper.represent_scalar("tag:yaml.org,2002:float", value)


_MetricsDumper.add_representer(float, _represent_float)


def convert_dict_to_str(data):
    return yaml.dump(data, Dumper=_MetricsDumper, indent=2)


class ConsoleLogger:
    def __init__(self, config):
        print("Config\n" + convert_dict_to_str(config))

    def log(self, data, step):
        print(f"Step {step}\n" + convert_dict_to_str(unflatten_dict(data)))

    def log_generation(self, samples, _step):
        for prompt, output, label, score in samples:
            print(f"[prompt] {prompt}\n[output] {output}\n[ground_truth] {label}\n[score] {score}\n")


class FileLogger:
    """experiment_config.json, and experiment_log.jsonl / generations.log truncated at start (also
    on resume, as the real one does)."""

    def __init__(self, config):
        self.folder = config["trainer"]["save_checkpoint_path"]
        print(f"Initializing logging file to {self.folder}.")
        os.makedirs(self.folder, exist_ok=True)
        with open(os.path.join(self.folder, "experiment_config.json"), "w", encoding="utf-8") as file:
            json.dump(config, file, indent=2)
        for name in ("experiment_log.jsonl", "generations.log"):
            with open(os.path.join(self.folder, name), "w", encoding="utf-8"):
                pass

    def log(self, data, step):
        with open(os.path.join(self.folder, "experiment_log.jsonl"), "a", encoding="utf-8") as file:
            file.write(json.dumps({"step": step, **unflatten_dict(data)}) + "\n")

    def log_generation(self, samples, _step):
        with open(os.path.join(self.folder, "generations.log"), "a", encoding="utf-8") as file:
            for prompt, output, label, score in samples:
                file.write(f"[prompt] {prompt}\n[output] {output}\n[ground_truth] {label}\n[score] {score}\n\n")


class Tracker:
    """verl.utils.logger.Tracker. The remote loggers (mlflow, swanlab, tensorboard, wandb) are
    accepted and do nothing here: the studio reads only the console and the files."""

    def __init__(self, loggers, config):
        if isinstance(loggers, str):
            loggers = [loggers]
        for name in loggers:
            if name not in SUPPORTED_LOGGERS:
                raise ValueError(f"{name} is not supported.")
        local = {"console": ConsoleLogger, "file": FileLogger}
        self.loggers = [local[name](config) for name in loggers if name in local]

    def log(self, data, step):
        for logger in self.loggers:
            logger.log(data, step)

    def log_generation(self, samples, step):
        for logger in self.loggers:
            logger.log_generation(samples, step)
