"""The built-in reasoner's SFT step in PyTorch, for bench/builtinTraining.ts: the same network
(training/model/network.ts's equations and weight shapes), the same loss (token cross-entropy plus
the auxiliary bag-of-pieces loss), Adam, one thread. Prints one JSON line: milliseconds per step.

Written with the care the TensorFlow.js side has: the time steps are taken with unbind (a slice
per step would make the backward pass quadratic in the sequence length, as it does in tfjs).
Usage: python3 pytorchReasoner.py BATCH STEPS VOCABULARY EVIDENCE QUESTION CONTEXT EMBEDDING HIDDEN REPEATS
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(1)
B, T, V, FE, FQ, C, E, H, REPEATS = (int(value) for value in sys.argv[1:10])
PART = C // 4
MOTION = C - 2 * PART


def parameter(*shape):
    return torch.nn.Parameter(torch.randn(*shape) * 0.05)


W = {
    "enc_w1": parameter(FE, C), "enc_b1": parameter(C), "enc_w2": parameter(C, MOTION), "enc_b2": parameter(MOTION),
    "enc_wq": parameter(FQ, PART), "enc_bq": parameter(PART), "enc_wm": parameter(C, C), "enc_wmq": parameter(FQ, C),
    "enc_bm": parameter(C), "enc_wm2": parameter(C, PART), "enc_bm2": parameter(PART), "init_w": parameter(C, H),
    "init_b": parameter(H), "emb": parameter(V, E), "gru_w_token": parameter(E, 3 * H), "gru_w_context": parameter(C, 3 * H),
    "gru_r": parameter(H, 3 * H), "gru_b": parameter(3 * H), "out_w": parameter(H, V), "out_b": parameter(V),
    "aux_w": parameter(C, V), "aux_b": parameter(V),
}
optimizer = torch.optim.Adam(W.values(), lr=1e-3)
evidence = torch.randn(B, FE)
question = (torch.rand(B, FQ) < 0.05).float()
tokens = torch.randint(0, V, (B, T))
targets = torch.randint(0, V, (B * T,))
bags = (torch.rand(B, V) < 0.3).float()


def step():
    seen = torch.relu(evidence @ W["enc_w1"] + W["enc_b1"])
    motion = torch.tanh(seen @ W["enc_w2"] + W["enc_b2"])
    asked = torch.tanh(question @ W["enc_wq"] + W["enc_bq"])
    both = torch.relu(seen @ W["enc_wm"] + question @ W["enc_wmq"] + W["enc_bm"])
    match = torch.tanh(both @ W["enc_wm2"] + W["enc_bm2"])
    context = torch.cat([motion, asked, match], 1)
    state = torch.tanh(context @ W["init_w"] + W["init_b"])
    gates = W["emb"][tokens] @ W["gru_w_token"] + (context @ W["gru_w_context"] + W["gru_b"]).unsqueeze(1)
    gates_zr, gates_h = gates.split([2 * H, H], -1)
    recurrent_zr, recurrent_h = W["gru_r"][:, : 2 * H], W["gru_r"][:, 2 * H:]
    states = []
    for step_zr, step_h in zip(gates_zr.unbind(1), gates_h.unbind(1)):
        z, r = torch.sigmoid(step_zr + state @ recurrent_zr).chunk(2, 1)
        candidate = torch.tanh(step_h + (r * state) @ recurrent_h)
        state = candidate + z * (state - candidate)
        states.append(state)
    logits = torch.stack(states, 1).reshape(B * T, H) @ W["out_w"] + W["out_b"]
    loss = torch.nn.functional.cross_entropy(logits, targets)
    auxiliary = torch.nn.functional.binary_cross_entropy_with_logits(context @ W["aux_w"] + W["aux_b"], bags)
    optimizer.zero_grad()
    (loss + auxiliary).backward()
    torch.nn.utils.clip_grad_norm_(W.values(), 1.0)
    optimizer.step()


step()
times = []
for _ in range(REPEATS):
    started = time.perf_counter()
    step()
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"torch": torch.__version__, "median_ms": times[len(times) // 2], "blas": torch.__config__.show().split("BLAS_INFO=")[1].split(",")[0]}))
