"""FAKE `verl` — stands in for EasyR1 (hiyouga/EasyR1, b44b311) in Frustum's tests.

`PYTHONPATH=tests/fakes/easyr1 python3 -m verl.trainer.main config=x.yaml a.b=c` reads the same
config the real trainer reads and writes the same console output, experiment_log.jsonl,
generations.log and checkpoint layout, with no model, GPU, Ray or torch (see verl/trainer/main.py).
"""

# The version of the EasyR1 commit the fake imitates (`import verl; print(verl.__version__)`).
__version__ = "0.3.3.dev0"
