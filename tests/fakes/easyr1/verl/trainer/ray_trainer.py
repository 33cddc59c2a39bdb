"""FAKE RayPPOTrainer: EasyR1's GRPO loop (verl/trainer/ray_trainer.py) without models.

Kept from the real one: the config checks, the step count, the batch making (with online
filtering), the batch reordering across GPUs before the reward, the reward calls, GRPO advantages,
the metric keys and their order, validation and generations, checkpoints with the tracker and the
save limit, resuming, and the final validation and save. Made up: the responses (see rollout.py)
and the actor's numbers (seeded noise around plausible values).
"""

import contextlib
import json
import math
import os
import random
import re
import shutil
import struct
import sys
import time
import uuid

from .rollout import fake_response, token_count
from .tracking import Tracker, actor, convert_dict_to_str, unflatten_dict

CHECKPOINT_TRACKER = "checkpoint_tracker.json"


def f32(value):
    """A float32 tensor's .item(): EasyR1's scores, advantages and lengths are float32."""
    return struct.unpack("f", struct.pack("f", value))[0]


def mean(values):
    return sum(values) / len(values)


@contextlib.contextmanager
def timer(name, timing):
    start = time.perf_counter()
    yield
    timing[name] = time.perf_counter() - start


def step_seconds():
    return float(os.environ.get("FAKE_EASYR1_STEP_SECONDS", "0.02"))


def crash_step():
    value = os.environ.get("FAKE_EASYR1_CRASH_AT_STEP")
    return int(value) if value else None


class Item:
    """One row of a batch: one response to one example; `uid` groups a prompt's n responses."""

    def __init__(self, uid, example, response, max_response_length):
        self.uid = uid
        self.example = example
        self.response = response
        self.response_length = min(max_response_length, token_count(response))
        self.score = None
        self.reward = None
        self.advantage = None

    @property
    def sequence_length(self):
        return self.example.prompt_length + self.response_length


class DataLoader:
    """StatefulDataLoader over the examples: drop_last, reshuffled each epoch from the seed. Its
    state is the number of batches drawn, which dataloader.pt keeps for resuming."""

    def __init__(self, examples, batch_size, shuffle, seed):
        self.examples = examples
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.drawn = 0

    def __len__(self):
        return len(self.examples) // self.batch_size

    def next_batch(self):
        epoch, index = divmod(self.drawn, len(self))
        order = list(range(len(self.examples)))
        if self.shuffle:
            random.Random(f"{self.seed}:{epoch}").shuffle(order)
        self.drawn += 1
        return [self.examples[position] for position in order[index * self.batch_size : (index + 1) * self.batch_size]]


def validation_batches(examples, batch_size):
    size = len(examples) if batch_size == -1 else batch_size
    return [examples[start : start + size] for start in range(0, len(examples), size)]


def grpo_advantages(items):
    """compute_grpo_outcome_advantage: per uid, (score - mean) / (std + 1e-6), torch.std unbiased."""
    groups = {}
    for item in items:
        groups.setdefault(item.uid, []).append(item)
    for group in groups.values():
        assert len(group) > 1, "GRPO needs rollout.n > 1."
        scores = [f32(item.reward) for item in group]
        average = mean(scores)
        std = math.sqrt(sum((score - average) ** 2 for score in scores) / (len(scores) - 1))
        for item, score in zip(group, scores):
            item.advantage = f32((score - average) / (std + 1e-6))


def balanced_partitions(lengths, parts):
    """A stand-in for karmarkar_karp: equal-size partitions of similar total length, each sorted."""
    assert len(lengths) % parts == 0, f"{len(lengths)} % {parts} != 0"
    partitions = [[] for _ in range(parts)]
    for rank, index in enumerate(sorted(range(len(lengths)), key=lambda position: lengths[position])):
        row, column = divmod(rank, parts)
        partitions[column if row % 2 == 0 else parts - 1 - column].append(index)
    return [sorted(partition) for partition in partitions]


def seqlen_unbalance(lengths, partitions, prefix):
    """log_seqlen_unbalance."""
    size = len(lengths) // len(partitions)
    chunks = [sum(lengths[start : start + size]) for start in range(0, len(lengths), size)]
    balanced = [sum(lengths[index] for index in partition) for partition in partitions]
    return {
        f"{prefix}/min": min(chunks),
        f"{prefix}/max": max(chunks),
        f"{prefix}/minmax_diff": max(chunks) - min(chunks),
        f"{prefix}/balanced_min": min(balanced),
        f"{prefix}/balanced_max": max(balanced),
        f"{prefix}/mean": sum(chunks) / len(partitions),
    }


def length_metrics(items, config, prefix=""):
    """compute_length_metrics (float32 means)."""
    max_response = config["data"]["max_response_length"]
    max_prompt = config["data"]["max_prompt_length"]
    responses = [float(item.response_length) for item in items]
    prompts = [float(item.example.prompt_length) for item in items]
    return {
        f"{prefix}response_length/mean": f32(mean(responses)),
        f"{prefix}response_length/max": max(responses),
        f"{prefix}response_length/min": min(responses),
        f"{prefix}response_length/clip_ratio": f32(mean([1.0 if length == max_response else 0.0 for length in responses])),
        f"{prefix}prompt_length/mean": f32(mean(prompts)),
        f"{prefix}prompt_length/max": max(prompts),
        f"{prefix}prompt_length/min": min(prompts),
        f"{prefix}prompt_length/clip_ratio": f32(mean([1.0 if length == max_prompt else 0.0 for length in prompts])),
    }


def data_metrics(items, config):
    """compute_data_metrics: advantages and returns are over every response token."""
    scores = [f32(item.score) for item in items]
    rewards = [f32(item.reward) for item in items]
    tokens = sum(item.response_length for item in items)
    token_advantage = f32(sum(item.advantage * item.response_length for item in items) / tokens)
    advantages = [item.advantage for item in items]
    metrics = {}
    for name, values, average in (
        ("score", scores, f32(mean(scores))),
        ("rewards", rewards, f32(mean(rewards))),
        ("advantages", advantages, token_advantage),
        ("returns", advantages, token_advantage),
    ):
        metrics.update({f"critic/{name}/mean": average, f"critic/{name}/max": max(values), f"critic/{name}/min": min(values)})
    return {**metrics, **length_metrics(items, config)}


def timing_metrics(items, timing):
    response_tokens = sum(item.response_length for item in items)
    overall_tokens = sum(item.sequence_length for item in items)
    per_section = {"gen": response_tokens, "reward": response_tokens}
    per_section.update(dict.fromkeys(["ref", "old", "values", "adv", "update_critic", "update_actor"], overall_tokens))
    return {
        **{f"timing_s/{name}": value for name, value in timing.items()},
        **{f"timing_per_token_ms/{name}": value * 1000 / per_section[name] for name, value in timing.items() if name in per_section},
    }


def write_placeholder(path, text="FAKE: a placeholder for a torch.save file\n"):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, indent=2)


def find_latest_ckpt(path):
    tracker = os.path.join(path, CHECKPOINT_TRACKER)
    if not os.path.exists(tracker):
        return None, None
    with open(tracker, encoding="utf-8") as file:
        info = json.load(file)
    checkpoint = os.path.join(path, f"global_step_{info['last_global_step']}")
    if not os.path.exists(checkpoint):
        print(f"Checkpoint does not exist: {checkpoint}")
        return None, None
    print(f"Found latest checkpoint: {checkpoint}, will resume from it. Turn off `find_last_checkpoint` to disable it.")
    return checkpoint, info


def remove_obsolete_ckpt(path, global_step, best_global_step, save_limit):
    """Keeps save_limit checkpoints, the one being saved and the best one included."""
    if save_limit <= 0 or not os.path.exists(path):
        return
    keep = save_limit - 1
    steps = sorted(
        (int(match.group(1)) for name in os.listdir(path) if (match := re.match(r"global_step_(\d+)", name))),
        reverse=True,
    )
    steps = [step for step in steps if step < global_step]
    if best_global_step in steps:
        steps.remove(best_global_step)
        keep = max(keep - 1, 0)
    for step in steps[keep:]:
        folder = os.path.join(path, f"global_step_{step}")
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Removed obsolete checkpoint: {folder}")


def fail_out_of_memory():
    """What the driver prints when the actor update runs out of GPU memory, then exit 1."""
    pid = os.getpid()
    sys.__stderr__.write(
        "\nTraceback (most recent call last):\n"
        '  File "<frozen runpy>", line 198, in _run_module_as_main\n'
        '  File "<frozen runpy>", line 88, in _run_code\n'
        '  File "/opt/EasyR1/verl/trainer/main.py", line 128, in <module>\n'
        "    main()\n"
        '  File "/opt/EasyR1/verl/trainer/main.py", line 121, in main\n'
        "    ray.get(runner.run.remote(ppo_config))\n"
        '  File "/usr/local/lib/python3.11/site-packages/ray/_private/worker.py", line 2882, in get\n'
        "    values, debugger_breakpoint = worker.get_objects(object_refs, timeout=timeout)\n"
        '  File "/usr/local/lib/python3.11/site-packages/ray/_private/worker.py", line 968, in get_objects\n'
        "    raise value.as_instanceof_cause()\n"
        f"ray.exceptions.RayTaskError(OutOfMemoryError): ray::Runner.run() (pid={pid}, ip=127.0.0.1, repr=<main.Runner object at 0x7f3a2c1d5e10>)\n"
        '  File "/opt/EasyR1/verl/trainer/main.py", line 92, in run\n'
        "    trainer.fit()\n"
        '  File "/opt/EasyR1/verl/trainer/ray_trainer.py", line 640, in fit\n'
        "    actor_output = self.actor_rollout_ref_wg.update_actor(batch)\n"
        f"ray.exceptions.RayTaskError(OutOfMemoryError): ray::WorkerDict.actor_rollout_ref_update_actor() (pid={pid}, ip=127.0.0.1)\n"
        '  File "/opt/EasyR1/verl/workers/actor/dp_actor.py", line 266, in update_policy\n'
        "    loss.backward()\n"
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB "
        "of which 1.06 GiB is free. Including non-PyTorch memory, this process has 78.12 GiB memory in use. Of the "
        "allocated memory 74.51 GiB is allocated by PyTorch, and 2.87 GiB is reserved by PyTorch but unallocated.\n"
    )
    sys.__stderr__.flush()
    sys.exit(1)


class RayPPOTrainer:
    def __init__(self, config, train_loader, val_loader, reward_fn, val_reward_fn):
        self.config = config
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.reward_fn = reward_fn
        self.val_reward_fn = val_reward_fn
        self.val_reward_score = 0.0
        self.best_val_reward_score = -1.0
        self.best_global_step = None
        self.global_step = 0
        self.val_metrics = None
        algorithm, data, worker, trainer = config["algorithm"], config["data"], config["worker"], config["trainer"]
        self.use_reference_policy = not algorithm["disable_kl"]
        if algorithm["disable_kl"]:
            print("KL is disabled, no KL metrics will be logged. Please set `kl_coef=0` to log KL metrics.")
        self.n = worker["rollout"]["n"]
        self.world_size = trainer["n_gpus_per_node"] * trainer["nnodes"]
        self._check(algorithm, data, worker)
        if trainer["max_steps"] is not None:
            self.training_steps = trainer["max_steps"]
        elif data["mini_rollout_batch_size"] is not None:
            examples = len(train_loader) * data["mini_rollout_batch_size"]
            self.training_steps = examples // data["rollout_batch_size"] * trainer["total_epochs"]
        else:
            self.training_steps = len(train_loader) * trainer["total_epochs"]
        worker["actor"]["optim"]["training_steps"] = self.training_steps
        worker["critic"]["optim"]["training_steps"] = self.training_steps
        print(f"Total training steps: {self.training_steps}")

    def _check(self, algorithm, data, worker):
        """RayPPOTrainer.__init__'s checks, with its messages."""
        if data["rollout_batch_size"] % worker["actor"]["global_batch_size"] != 0:
            raise ValueError("Rollout batch size must be divisible by actor global batch size.")
        if (data["rollout_batch_size"] * self.n) % worker["actor"]["micro_batch_size_per_device_for_experience"] != 0:
            raise ValueError("Rollout batch size * rollout.n must be divisible by actor micro batch size for experience.")
        if algorithm["adv_estimator"] in ("grpo", "rloo") and self.n == 1:
            raise ValueError("GRPO and RLOO algorithm need `config.worker.rollout.n > 1`.")

    # -- batches ------------------------------------------------------------------------------------

    def _progress(self):
        return min(1.0, self.global_step / max(1, self.training_steps))

    def _generate(self, examples, n, rng):
        max_length = self.config["data"]["max_response_length"]
        items = []
        for example in examples:
            uid = str(uuid.UUID(int=rng.getrandbits(128)))
            for _ in range(n):
                response = fake_response(rng, example.record, example.ground_truth, self._progress())
                items.append(Item(uid, example, response, max_length))
        return items

    def _score(self, reward_manager, items):
        with actor("AutoRewardManager"):
            scores, metrics = reward_manager.compute_reward(items)
        for item, score in zip(items, scores):
            item.score = score
        return metrics

    def _filter_groups(self, items, metrics):
        """Online filtering: keep the prompts whose mean filter_key score is strictly inside (low, high)."""
        algorithm = self.config["algorithm"]
        by_uid = {}
        for item, score in zip(items, metrics[algorithm["filter_key"]]):
            by_uid.setdefault(item.uid, []).append(score)
        kept = {uid for uid, scores in by_uid.items() if algorithm["filter_low"] < mean(scores) < algorithm["filter_high"]}
        items = [item for item in items if item.uid in kept]
        if not items:
            raise RuntimeError("No sample is kept after filtering. Please check your data.")
        return items

    def _make_batch_data(self, metrics):
        online_filtering = self.config["algorithm"]["online_filtering"]
        rollout_batch_size = self.config["data"]["rollout_batch_size"]
        max_try_make_batch = self.config["trainer"]["max_try_make_batch"]
        batch, all_metrics = [], {}
        num_try_make_batch = 0
        print("Start generating batch...")
        while True:
            num_try_make_batch += 1
            rng = random.Random(f"{self.config['data']['seed']}:{self.global_step}:{num_try_make_batch}")
            new_batch = self._generate(self.train_loader.next_batch(), self.n, rng)
            if online_filtering:
                reward_metrics = self._score(self.reward_fn, new_batch)
                for key, values in reward_metrics.items():
                    all_metrics.setdefault(key, []).extend(values)
                new_batch = self._filter_groups(new_batch, reward_metrics)
            batch.extend(new_batch)
            current_batch_size = len(batch) // self.n
            if current_batch_size >= rollout_batch_size:
                print(f"{current_batch_size=} >= {rollout_batch_size=}. Finish generating.")
                if online_filtering:
                    metrics.update({f"reward/{key}": mean(values) for key, values in all_metrics.items()})
                return batch[: rollout_batch_size * self.n]
            print(f"{current_batch_size=} < {rollout_batch_size=}")
            if max_try_make_batch <= 0 or num_try_make_batch < max_try_make_batch:
                print(f"{num_try_make_batch=}. Continue generating...")
            else:
                raise RuntimeError(f"{num_try_make_batch=} >= {max_try_make_batch=}. Generated too many. Please check your data.")

    def _balance_batch(self, batch, metrics):
        """Reorders the batch so each GPU gets a similar number of tokens (it breaks the groups'
        order when there is more than one GPU: the reward sees the reordered batch)."""
        lengths = [item.sequence_length for item in batch]
        partitions = balanced_partitions(lengths, self.world_size)
        metrics.update(seqlen_unbalance(lengths, partitions, "global_seqlen"))
        return [batch[index] for partition in partitions for index in partition]

    # -- the actor ----------------------------------------------------------------------------------

    def _learning_rate(self, updates):
        optim = self.config["worker"]["actor"]["optim"]
        warmup = optim["lr_warmup_steps"] or int(optim["lr_warmup_ratio"] * self.training_steps)
        if updates < warmup:
            return optim["lr"] * updates / max(1, warmup)
        if optim["lr_scheduler_type"] == "cosine":
            progress = (updates - warmup) / max(1, self.training_steps - warmup)
            floor = optim["min_lr_ratio"] or 0.0
            return optim["lr"] * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
        return optim["lr"]

    def _apply_kl_penalty(self, batch, rng, metrics):
        """KL in the reward (use_kl_loss off, reference policy on)."""
        coefficient = self.config["algorithm"]["kl_coef"]
        kls = [abs(rng.gauss(0.002 * self._progress(), 0.0005)) for _ in batch]
        for item, kl in zip(batch, kls):
            item.reward = f32(item.score - coefficient * kl)
        metrics.update({"actor/kl_penalty": mean(kls), "actor/kl_coef": coefficient})

    def _update_actor(self, rng):
        """update_policy's and the FSDP worker's metrics, in their order."""
        progress = self._progress()
        metrics = {}
        if self.config["algorithm"]["use_kl_loss"] and self.use_reference_policy:
            metrics["actor/kl_loss"] = f32(0.0005 + 0.004 * progress + abs(rng.gauss(0, 0.0005)))
            metrics["actor/kl_coef"] = self.config["algorithm"]["kl_coef"]
        metrics.update({
            "actor/ppo_kl": f32(rng.gauss(0, 1e-4)),
            "actor/entropy_loss": f32(0.25 + 0.6 * math.exp(-2 * progress) + rng.gauss(0, 0.01)),
            "actor/pg_clipfrac_higher": f32(abs(rng.gauss(0, 0.002))),
            "actor/pg_clipfrac_lower": 0.0,
            "actor/pg_loss": f32(rng.gauss(0, 0.02)),
            "actor/grad_norm": f32(0.15 + abs(rng.gauss(0, 0.1))),
            "perf/mfu_actor": 0.21 + rng.random() * 0.03,
            "perf/max_memory_allocated_gb": 61.2 + rng.random(),
            "perf/max_memory_reserved_gb": 70.5 + rng.random(),
            "perf/cpu_memory_used_gb": 212.0 + rng.random() * 4,
            "actor/lr": self._learning_rate(self.global_step - 1),
        })
        return metrics

    # -- validation ---------------------------------------------------------------------------------

    def _validate(self):
        print("Start validation...")
        n = self.config["worker"]["rollout"]["val_override_config"].get("n", 1)
        rng = random.Random(f"{self.config['data']['seed']}:val:{self.global_step}")
        samples, scores, reward_metrics, lengths = [], [], {}, {}
        for examples in self.val_loader:
            items = self._generate(examples, n, rng)
            for key, values in self._score(self.val_reward_fn, items).items():
                reward_metrics.setdefault(key, []).extend(values)
            for key, value in length_metrics(items, self.config).items():
                lengths.setdefault(key, []).append(value)
            for item in items:
                scores.append(f32(item.score))
                samples.append((item.example.prompt_text, item.response, item.example.ground_truth, f32(item.score)))
        self._maybe_log_val_generations(samples)
        self.val_reward_score = f32(mean(scores))
        print("Finish validation.")
        return {
            "val/reward_score": self.val_reward_score,
            **{f"val/{key}_reward": mean(values) for key, values in reward_metrics.items()},
            **{f"val_{key}": mean(values) for key, values in lengths.items()},
        }

    def _maybe_log_val_generations(self, samples):
        """The same prompts every time: sorted by input, then a fixed shuffle (seed 42)."""
        count = self.config["trainer"]["val_generations_to_log"]
        if count <= 0:
            return
        samples = sorted(samples, key=lambda sample: sample[0])
        random.Random(42).shuffle(samples)
        self.logger.log_generation(samples[:count], self.global_step)

    # -- checkpoints --------------------------------------------------------------------------------

    def _save_actor(self, actor_path):
        """FSDPCheckpointManager.save_checkpoint: one shard per rank, the HF config, a LoRA adapter."""
        os.makedirs(actor_path, exist_ok=True)
        model_only = self.config["trainer"]["save_model_only"]
        with actor("WorkerDict"):
            for rank in range(self.world_size):
                names = [("model", "model")] if model_only else [("model", "model"), ("optim", "optimizer"), ("extra_state", "extra_state")]
                for prefix, what in names:
                    path = os.path.join(actor_path, f"{prefix}_world_size_{self.world_size}_rank_{rank}.pt")
                    print(f"[rank-{rank}]: Saving {what} to {path}.")
                    write_placeholder(path)
        huggingface = os.path.join(actor_path, "huggingface")
        os.makedirs(huggingface, exist_ok=True)
        write_json(os.path.join(huggingface, "config.json"), {"architectures": ["Qwen2_5_VLForConditionalGeneration"], "model_type": "qwen2_5_vl"})
        write_json(os.path.join(huggingface, "generation_config.json"), {"bos_token_id": 151643, "eos_token_id": [151645, 151643]})
        write_json(os.path.join(huggingface, "tokenizer_config.json"), {"tokenizer_class": "Qwen2Tokenizer"})
        lora = self.config["worker"]["actor"]["model"]["lora"]
        if lora["rank"] > 0:
            adapter = os.path.join(actor_path, "lora_adapter")
            os.makedirs(adapter, exist_ok=True)
            write_placeholder(os.path.join(adapter, "adapter_model.safetensors"))
            write_json(os.path.join(adapter, "adapter_config.json"), {"peft_type": "LORA", "r": lora["rank"], "lora_alpha": lora["alpha"], "task_type": "CAUSAL_LM"})

    def _save_checkpoint(self):
        if self.val_reward_score > self.best_val_reward_score:
            self.best_val_reward_score = self.val_reward_score
            self.best_global_step = self.global_step
        root = self.config["trainer"]["save_checkpoint_path"]
        remove_obsolete_ckpt(root, self.global_step, self.best_global_step, self.config["trainer"]["save_limit"])
        folder = os.path.join(root, f"global_step_{self.global_step}")
        actor_path = os.path.join(folder, "actor")
        self._save_actor(actor_path)
        # The fake's own loader state (the real file is a torch pickle of the sampler state).
        write_placeholder(os.path.join(folder, "dataloader.pt"), json.dumps({"batches_drawn": self.train_loader.drawn}))
        write_json(os.path.join(root, CHECKPOINT_TRACKER), {
            "best_global_step": self.best_global_step,
            "best_val_reward_score": round(self.best_val_reward_score, 4),
            "last_global_step": self.global_step,
            "last_actor_path": os.path.abspath(actor_path),
        })

    def _load_checkpoint(self):
        trainer = self.config["trainer"]
        path = trainer["load_checkpoint_path"]
        if path is None and trainer["find_last_checkpoint"]:
            path, info = find_latest_ckpt(trainer["save_checkpoint_path"])
            if info is not None:
                self.best_val_reward_score = info.get("best_val_reward_score", 0.0)
                self.best_global_step = info.get("best_global_step", 0)
        if path is None:
            return
        if "global_step_" not in path.strip(os.path.sep).split(os.path.sep)[-1]:
            raise ValueError("`load_checkpoint_path` should end with `global_step_*`.")
        print(f"Load from checkpoint: {path}.")
        self.global_step = int(path.strip(os.path.sep).split("global_step_")[-1])
        dataloader_path = os.path.join(path, "dataloader.pt")
        if os.path.exists(dataloader_path):
            with open(dataloader_path, encoding="utf-8") as file:
                self.train_loader.drawn = json.load(file)["batches_drawn"]
        else:
            print(f"No dataloader state found at {dataloader_path}, will start from scratch.")

    # -- the loop -----------------------------------------------------------------------------------

    def _show_progress(self):
        """tqdm_ray's "Running step" bar, which the driver draws on its stderr."""
        done, total = self.global_step, self.training_steps
        filled = int(10 * done / total) if total else 10
        sys.__stderr__.write(f"\rRunning step: {100 * done / max(1, total):3.0f}%|{'█' * filled}{' ' * (10 - filled)}| {done}/{total}")
        sys.__stderr__.flush()

    def _training_step(self):
        metrics, timing = {}, {}
        rng = random.Random(f"{self.config['data']['seed']}:actor:{self.global_step}")
        with timer("step", timing):
            with timer("gen", timing):
                time.sleep(step_seconds())
                batch = self._make_batch_data(metrics)
            batch = self._balance_batch(batch, metrics)
            needs_reward = batch[0].score is None
            if needs_reward:
                with timer("reward", timing):
                    reward_metrics = self._score(self.reward_fn, batch)
            with timer("old", timing):
                pass
            if self.use_reference_policy:
                with timer("ref", timing):
                    pass
            with timer("adv", timing):
                if needs_reward:
                    metrics.update({f"reward/{key}": mean(values) for key, values in reward_metrics.items()})
                if not self.config["algorithm"]["use_kl_loss"] and self.use_reference_policy:
                    self._apply_kl_penalty(batch, rng, metrics)
                else:
                    for item in batch:
                        item.reward = item.score
                grpo_advantages(batch)
            if crash_step() == self.global_step:
                fail_out_of_memory()
            with timer("update_actor", timing):
                metrics.update(self._update_actor(rng))
            trainer = self.config["trainer"]
            if trainer["val_freq"] > 0 and self.global_step % trainer["val_freq"] == 0:
                with timer("validation", timing):
                    self.val_metrics = self._validate()
                metrics.update(self.val_metrics)
            if trainer["save_freq"] > 0 and self.global_step % trainer["save_freq"] == 0:
                with timer("save_checkpoint", timing):
                    self._save_checkpoint()
        total_tokens = sum(item.sequence_length for item in batch)
        metrics.update(data_metrics(batch, self.config))
        metrics.update(timing_metrics(batch, timing))
        metrics.update({
            "perf/total_num_tokens": total_tokens,
            "perf/time_per_step": timing["step"],
            "perf/throughput": total_tokens / (timing["step"] * self.world_size),
        })
        return metrics

    def fit(self):
        trainer = self.config["trainer"]
        self.logger = Tracker(trainer["logger"], self.config)
        self.global_step = 0
        self._load_checkpoint()
        self._show_progress()
        if trainer["val_before_train"]:
            self.val_metrics = self._validate()
            self.logger.log(self.val_metrics, self.global_step)
            if trainer["val_only"]:
                return
        while self.global_step < self.training_steps:
            self.global_step += 1
            self.logger.log(self._training_step(), self.global_step)
            self._show_progress()
        sys.__stderr__.write("\n")
        val_freq = trainer["val_freq"]
        if self.val_metrics is None or val_freq <= 0 or self.global_step % val_freq != 0:
            self.val_metrics = self._validate()
            self.logger.log(self.val_metrics, self.global_step)
        print(f"Final validation metrics:\n{convert_dict_to_str(unflatten_dict(self.val_metrics))}")
        if trainer["save_freq"] <= 0 or self.global_step % trainer["save_freq"] != 0:
            self._save_checkpoint()
