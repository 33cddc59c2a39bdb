"""FAKE EasyR1 config: PPOConfig's defaults ← the config YAML ← the CLI dotlist, as OmegaConf merges
them into the structured config in verl/trainer/main.py, then deep_post_init.

The defaults mirror the dataclasses of verl/trainer/config.py and verl/workers/*/config.py field
by field and in order (the printed config JSON keeps that order). As with OmegaConf, a key the
dataclass lacks is an error and a string is converted to the field's type ("1e-6" for a float).
"""

import copy
import os

import yaml


def _lora():
    return {"rank": 0, "alpha": 64, "target_modules": "all-linear", "exclude_modules": None}


def _model():
    return {
        "model_path": None, "tokenizer_path": None, "override_config": {}, "enable_gradient_checkpointing": True,
        "trust_remote_code": True, "freeze_vision_tower": False, "lora": _lora(),
    }


def _optim():
    return {
        "lr": 1e-6, "betas": [0.9, 0.999], "weight_decay": 1e-2, "strategy": "adamw", "lr_warmup_ratio": 0.0,
        "lr_warmup_steps": None, "min_lr_ratio": None, "lr_scheduler_type": "constant", "training_steps": -1,
    }


def _fsdp():
    return {
        "enable_full_shard": True, "enable_cpu_offload": False, "enable_rank0_init": True, "use_orig_params": False,
        "torch_dtype": None, "fsdp_size": -1, "mp_param_dtype": "bf16", "mp_reduce_dtype": "fp32", "mp_buffer_dtype": "fp32",
    }


def _offload():
    return {"offload_params": False, "offload_optimizer": False}


def defaults():
    """PPOConfig() as a nested dict."""
    return {
        "data": {
            "train_files": "", "val_files": "", "prompt_key": "prompt", "answer_key": "answer", "image_key": "images",
            "video_key": "videos", "image_dir": None, "video_fps": 2.0, "max_prompt_length": 512,
            "max_response_length": 512, "rollout_batch_size": 512, "mini_rollout_batch_size": None,
            "val_batch_size": -1, "format_prompt": None, "override_chat_template": None, "shuffle": True, "seed": 1,
            "min_pixels": 262144, "max_pixels": 4194304, "filter_overlong_prompts": True,
            "filter_overlong_prompts_workers": 16,
        },
        "worker": {
            "hybrid_engine": True,
            "actor": {
                "strategy": "fsdp", "global_batch_size": 256, "micro_batch_size_per_device_for_update": 4,
                "micro_batch_size_per_device_for_experience": 16, "max_grad_norm": 1.0, "clip_ratio_low": 0.2,
                "clip_ratio_high": 0.3, "clip_ratio_dual": 3.0, "loss_avg_mode": "token", "loss_type": "default",
                "ppo_epochs": 1, "padding_free": True, "dynamic_batching": True, "ulysses_size": 1,
                "use_torch_compile": True, "tau_positive": 1.0, "tau_negative": 1.05, "model": _model(),
                "optim": _optim(), "fsdp": _fsdp(), "offload": _offload(), "global_batch_size_per_device": -1,
                "disable_kl": False, "use_kl_loss": False, "kl_penalty": "kl", "kl_coef": 0.0,
            },
            "critic": {
                "strategy": "fsdp", "global_batch_size": 256, "micro_batch_size_per_device_for_update": 4,
                "micro_batch_size_per_device_for_experience": 16, "max_grad_norm": 1.0, "cliprange_value": 0.5,
                "loss_avg_mode": "token", "ppo_epochs": 1, "padding_free": False, "dynamic_batching": True,
                "ulysses_size": 1, "model": _model(), "optim": _optim(), "fsdp": _fsdp(), "offload": _offload(),
                "global_batch_size_per_device": -1,
            },
            "ref": {
                "strategy": "fsdp", "fsdp": _fsdp(), "offload": _offload(),
                "micro_batch_size_per_device_for_experience": -1, "padding_free": False, "dynamic_batching": False,
                "ulysses_size": 1, "use_torch_compile": True,
            },
            "reward": {
                "reward_function": None, "reward_function_kwargs": {}, "skip_special_tokens": True, "num_cpus": 1,
                "reward_function_name": None,
            },
            "rollout": {
                "name": "vllm", "n": 1, "temperature": 1.0, "top_p": 1.0, "top_k": -1, "seed": 1, "limit_images": 0,
                "dtype": "bf16", "gpu_memory_utilization": 0.6, "ignore_eos": False, "enforce_eager": False,
                "enable_chunked_prefill": False, "tensor_parallel_size": 2, "max_model_len": None,
                "max_num_batched_tokens": 8192, "disable_log_stats": True, "disable_tqdm": False,
                "val_override_config": {}, "prompt_length": -1, "response_length": -1, "trust_remote_code": False,
            },
        },
        "algorithm": {
            "gamma": 1.0, "lam": 1.0, "adv_estimator": "grpo", "disable_kl": False, "use_kl_loss": False,
            "kl_penalty": "kl", "kl_coef": 1e-3, "kl_type": "fixed", "kl_horizon": 10000.0, "kl_target": 0.1,
            "online_filtering": False, "filter_key": "overall", "filter_low": 0.01, "filter_high": 0.99,
        },
        "trainer": {
            "total_epochs": 15, "max_steps": None, "project_name": "easy_r1", "experiment_name": "demo",
            "logger": ["console", "wandb"], "nnodes": 1, "n_gpus_per_node": 8, "max_try_make_batch": 20,
            "critic_warmup": 0, "val_freq": -1, "val_before_train": True, "val_only": False,
            "val_generations_to_log": 0, "save_freq": -1, "save_limit": -1, "save_model_only": False,
            "save_checkpoint_path": None, "load_checkpoint_path": None, "ray_timeline": None,
            "find_last_checkpoint": True,
        },
    }


# dict-typed fields take any keys; the others are dataclasses, named as OmegaConf names them.
OPEN_FIELDS = {"override_config", "reward_function_kwargs", "val_override_config"}
TYPE_NAMES = {
    "": "PPOConfig", "data": "DataConfig", "worker": "WorkerConfig", "worker.actor": "ActorConfig",
    "worker.critic": "CriticConfig", "worker.ref": "RefConfig", "worker.reward": "RewardConfig",
    "worker.rollout": "RolloutConfig", "algorithm": "AlgorithmConfig", "trainer": "TrainerConfig",
}


class ConfigKeyError(Exception):
    """Shown as omegaconf.errors.ConfigKeyError in the traceback, as the real trainer shows it."""


class ValidationError(Exception):
    """Shown as omegaconf.errors.ValidationError."""


for _error in (ConfigKeyError, ValidationError):
    _error.__module__ = "omegaconf.errors"


def _type_name(path):
    last = path.rsplit(".", 1)[-1]
    by_last = {"model": "ModelConfig", "lora": "LoraConfig", "optim": "OptimConfig", "fsdp": "FSDPConfig", "offload": "OffloadConfig"}
    return TYPE_NAMES.get(path) or by_last.get(last, "dict")


def _convert(value, default, full_key):
    """OmegaConf's conversion of a merged value to the field's type ("1e-6" → 1e-06 for a float)."""
    if default is None or value is None or isinstance(default, (dict, list)):
        return value
    try:
        if isinstance(default, bool):
            return _to_bool(value)
        if isinstance(default, int):
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if isinstance(default, float):
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(f"Value '{value}' of type '{type(value).__name__}' could not be converted\n    full_key: {full_key}") from error
    return value


def _to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "no", "off", "0"):
        return False
    raise ValueError(value)


def merge(base, override, path=""):
    """OmegaConf.merge into a structured config: unknown keys are errors, values take the field type."""
    for key, value in override.items():
        full_key = f"{path}.{key}" if path else key
        if key not in base:
            name = _type_name(path)
            raise ConfigKeyError(f"Key '{key}' not in '{name}'\n    full_key: {full_key}\n    object_type={name}")
        if isinstance(base[key], dict) and key not in OPEN_FIELDS:
            if not isinstance(value, dict):
                raise ValidationError(f"Cannot assign {type(value).__name__} to {_type_name(full_key)}\n    full_key: {full_key}")
            merge(base[key], value, full_key)
        elif isinstance(base[key], dict):
            base[key] = {**base[key], **(value or {})}
        else:
            base[key] = _convert(value, base[key], full_key)
    return base


def parse_dotlist(arguments):
    """OmegaConf.from_cli: `a.b.c=value`, the value parsed as YAML."""
    parsed = {}
    for argument in arguments:
        key, separator, value = argument.partition("=")
        if not separator:
            raise ValidationError(f"Input list must be a list or a tuple of strings, got '{argument}' without '='")
        pointer = parsed
        pieces = key.split(".")
        for piece in pieces[:-1]:
            pointer = pointer.setdefault(piece, {})
        pointer[pieces[-1]] = yaml.safe_load(value) if value != "" else ""
    return parsed


def _abs_path_or_none(path, prompt):
    """get_abs_path: an absolute path when the file exists, else a message and None."""
    if path is None:
        return None
    if os.path.exists(path):
        return os.path.abspath(path)
    print(f"{prompt} {path} not found.")
    return None


def post_init(config):
    """PPOConfig.deep_post_init: derived keys, absolute paths, the reward function's name."""
    data, worker, algorithm, trainer = config["data"], config["worker"], config["algorithm"], config["trainer"]
    worker["rollout"]["prompt_length"] = data["max_prompt_length"]
    worker["rollout"]["response_length"] = data["max_response_length"]
    worker["rollout"]["trust_remote_code"] = worker["actor"]["model"]["trust_remote_code"]
    for key in ("disable_kl", "use_kl_loss", "kl_penalty", "kl_coef"):
        worker["actor"][key] = algorithm[key]
    for key in ("micro_batch_size_per_device_for_experience", "padding_free", "dynamic_batching", "ulysses_size", "use_torch_compile"):
        worker["ref"][key] = worker["actor"][key]
    data["image_dir"] = _abs_path_or_none(data["image_dir"], "Image directory")
    data["format_prompt"] = _abs_path_or_none(data["format_prompt"], "Format prompt file")
    data["override_chat_template"] = _abs_path_or_none(data["override_chat_template"], "Chat template file")
    for model in (worker["actor"]["model"], worker["critic"]["model"]):
        model["tokenizer_path"] = model["tokenizer_path"] or model["model_path"]
    reward = worker["reward"]
    if reward["reward_function"] is not None:
        if ":" in reward["reward_function"]:
            reward["reward_function"], reward["reward_function_name"] = reward["reward_function"].rsplit(":", 1)
        else:
            reward["reward_function_name"] = "main"
        reward["reward_function"] = _abs_path_or_none(reward["reward_function"], "Reward function")
    if trainer["save_checkpoint_path"] is None:
        trainer["save_checkpoint_path"] = os.path.join("checkpoints", trainer["project_name"], trainer["experiment_name"])
    trainer["save_checkpoint_path"] = os.path.abspath(trainer["save_checkpoint_path"])
    trainer["load_checkpoint_path"] = _abs_path_or_none(trainer["load_checkpoint_path"], "Model checkpoint")
    return config


def load_config(arguments):
    """main(): `config=PATH` first, then the remaining dotlist."""
    cli = parse_dotlist(arguments)
    config = defaults()
    config_path = cli.pop("config", None)
    if config_path is not None:
        with open(config_path, encoding="utf-8") as file:
            merge(config, yaml.safe_load(file) or {})
    merge(config, copy.deepcopy(cli))
    return post_init(config)
