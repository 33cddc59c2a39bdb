"""FAKE `python3 -m verl.trainer.main config=x.yaml a.b=c …` — EasyR1's entry point, for tests.

Reads what the real trainer reads (the merged config, the data files, the format prompt, the
reward function and its kwargs) and writes what it writes: the config JSON and the actors' lines
on stdout prefixed as Ray prefixes them, "Total training steps: N", `Step N` + YAML metrics from
the console logger; with the file logger experiment_config.json, experiment_log.jsonl and
generations.log in trainer.save_checkpoint_path; checkpoints global_step_N/ with
checkpoint_tracker.json. See ray_trainer.py for what is kept and what is made up.

Environment: FAKE_EASYR1_STEP_SECONDS (default 0.02) per step; FAKE_EASYR1_CRASH_AT_STEP=N ends
step N with a CUDA out-of-memory traceback on stderr and exit 1. SIGTERM exits 143 at once.
"""

import datetime
import json
import os
import signal
import sys

from .config import load_config
from .ray_trainer import DataLoader, RayPPOTrainer, validation_batches
from .rollout import AutoRewardManager, load_examples
from .tracking import actor, install_prefixed_streams


def on_sigterm(_signum, _frame):
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(143)


def announce_ray():
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]
    sys.__stderr__.write(f"{stamp}\tINFO worker.py:1917 -- Started a local Ray instance. View the dashboard at 127.0.0.1:8265 \n")
    sys.__stderr__.flush()


def create_dataloader(data):
    """create_dataloader: the training loader drops the last partial batch; validation keeps it."""
    train_examples = load_examples(data["train_files"], data)
    val_examples = load_examples(data["val_files"], data)
    batch_size = data["mini_rollout_batch_size"] or data["rollout_batch_size"]
    train_loader = DataLoader(train_examples, batch_size, data["shuffle"], data["seed"])
    val_loader = validation_batches(val_examples, data["val_batch_size"])
    assert len(train_loader) >= 1
    assert len(val_loader) >= 1
    print(f"Size of train dataloader: {len(train_loader)}")
    print(f"Size of val dataloader: {len(val_loader)}")
    return train_loader, val_loader


def run(config):
    """Runner.run."""
    print(json.dumps(config, indent=2))
    with actor("AutoRewardManager"):
        reward_fn = AutoRewardManager(config["worker"]["reward"])
    with actor("AutoRewardManager"):
        val_reward_fn = AutoRewardManager(config["worker"]["reward"])
    train_loader, val_loader = create_dataloader(config["data"])
    RayPPOTrainer(config, train_loader, val_loader, reward_fn, val_reward_fn).fit()


def main():
    signal.signal(signal.SIGTERM, on_sigterm)
    install_prefixed_streams()
    config = load_config(sys.argv[1:])
    announce_ray()
    with actor("Runner"):
        run(config)


if __name__ == "__main__":
    main()
