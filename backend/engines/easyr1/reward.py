"""Frustum's reward for EasyR1 GRPO runs: CamReasoner's Observation-Think-Answer reward.

EasyR1 loads this file with importlib (`worker.reward.reward_function: reward.py:compute_score`),
reads REWARD_TYPE / REWARD_NAME and calls compute_score(reward_inputs, **reward_function_kwargs).

The scores are exactly those of common/ota/reward.ts `camReasonerReward` (a port of CamReasoner's
onethinker_reward.compute_score with mathruler's grade_answer), so a chain scores the same in the
studio and in training. Standard library only: the user's EasyR1 environment has mathruler and
sympy, but this file must not depend on them, and common/ota/sympyLite.ts (not sympy) is what the
studio uses for the rare answers that reach the symbolic step.

Training rollouts: EasyR1 logs only validation samples, so when `rollout_path` is given this file
appends each training batch's responses, scores and GRPO advantages there (one JSON line per
batch) for the studio to tail.
"""

import json
import math
import re
import sys
import time
from fractions import Fraction

REWARD_NAME = "frustum_camreasoner"
REWARD_TYPE = "batch"

# ---------------------------------------------------------------------------------------------
# onethinker_reward: answer extraction, tag normalisation, format and accuracy (common/ota/parse.ts
# and reward.ts).

ANSWER_CAPTURE = re.compile(r"<answer>\s*(.*?)\s*</answer>", re.DOTALL)
TAG_WHITESPACE = re.compile(r"\s*(<|>|/)\s*")
OBSERVATION_THINK_ANSWER = re.compile(
    r"\s*<observation>.*?</observation>\s*<think>.*?</think>\s*<answer>.*?</answer>\s*", re.DOTALL
)


def extract_answer(text):
    """The first <answer> tag's content, stripped; None when there is none ("" for an empty tag)."""
    match = ANSWER_CAPTURE.search(text)
    return match.group(1).strip() if match else None


def cam_reasoner_reward(response, ground_truth, format_weight=0.1):
    """camReasonerReward: {"overall", "format", "accuracy"} for one response."""
    normalized = TAG_WHITESPACE.sub(r"\1", response)
    expected = extract_answer(ground_truth) or ground_truth
    format_score = 1.0 if OBSERVATION_THINK_ANSWER.fullmatch(normalized) else 0.0
    # `extract_answer(response) or response.strip()`: an empty tag falls back to the whole text.
    answer = extract_answer(normalized) or normalized.strip()
    accuracy = 1.0 if grade_answer(answer.strip(), expected.strip()) else 0.0
    overall = (1.0 - format_weight) * accuracy + format_weight * format_score
    return {"overall": overall, "format": format_score, "accuracy": accuracy}


# ---------------------------------------------------------------------------------------------
# mathruler math_normalize.normalize_answer (common/ota/mathNormalize.ts).


class _NormalizeFailure(Exception):
    """Where the reference raises (IndexError, AssertionError) and normalize_answer catches it."""


def normalize_answer(answer):
    stripped = answer.strip()
    try:
        match = re.search(r"^\\text\{(?P<text>.+?)\}$", stripped)
        if match:
            stripped = match.group("text").strip()
        return _strip_string(stripped)
    except _NormalizeFailure:
        return stripped


def _fix_fracs(text):
    parts = text.split("\\frac")
    result = parts[0]
    for part in parts[1:]:
        result += "\\frac"
        if not part:
            raise _NormalizeFailure("IndexError")
        if part[0] == "{":
            result += part
            continue
        if len(part) < 2:
            return text
        first, second, rest = part[0], part[1], part[2:]
        result += "{" + first + "}{" + second + "}" + rest if second != "{" else "{" + first + "}" + second + rest
    return result


_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")


def _fix_a_slash_b(text):
    parts = text.split("/")
    if len(parts) != 2:
        return text
    numerator, denominator = parts
    if not (_CANONICAL_INTEGER.fullmatch(numerator) and _CANONICAL_INTEGER.fullmatch(denominator)):
        return text
    return "\\frac{" + numerator + "}{" + denominator + "}"


def _remove_right_units(text):
    if "\\text{ " not in text:
        return text
    parts = text.split("\\text{ ")
    if len(parts) != 2:
        raise _NormalizeFailure("AssertionError")
    return parts[0]


def _fix_sqrt(text):
    if "\\sqrt" not in text:
        return text
    parts = text.split("\\sqrt")
    result = parts[0]
    for part in parts[1:]:
        if not part:
            raise _NormalizeFailure("IndexError")
        result += "\\sqrt{" + part[0] + "}" + part[1:] if part[0] != "{" else "\\sqrt" + part
    return result


def _strip_string(text):
    text = text.replace("\n", "").replace("\\!", "").replace("\\\\", "\\")
    text = text.replace("tfrac", "frac").replace("dfrac", "frac")
    text = text.replace("\\left", "").replace("\\right", "")
    text = text.replace("^{\\circ}", "").replace("^\\circ", "")
    text = text.replace("\\$", "")
    text = _remove_right_units(text)
    text = text.replace("\\%", "").replace("%", "")
    text = text.replace(" .", " 0.").replace("{.", "{0.")
    if not text:
        return text
    if text[0] == ".":
        text = "0" + text
    sides = text.split("=")
    if len(sides) == 2 and len(sides[0]) <= 2:
        text = sides[1]
    text = _fix_sqrt(text)
    text = text.replace(" ", "")
    text = _fix_fracs(text)
    if text == "0.5":
        text = "\\frac{1}{2}"
    return _fix_a_slash_b(text)


# ---------------------------------------------------------------------------------------------
# mathruler grader.grade_answer (common/ota/grade.ts). Like the port, _parse_latex is not used
# (the text is kept) and sympy is replaced by the exact-rational stand-in further down.

BAD_SUBSTRINGS = ["^{", "^("]
BAD_REGEXES = [r"\^[0-9]+\^", r"\^[0-9][0-9]+"]
TUPLE_CHARS = "()[]"
UNITS = [
    "degree", "cm", "centimeter", "meter", "mile", "second", "minute", "hour", "day", "week", "month",
    "year", "foot", "feet", "inch", "yard",
]


def _is_near_integer(value):
    try:
        return abs(value - int(round(value))) <= 1e-7
    except (OverflowError, ValueError):
        return False


def _float_or_none(text):
    try:
        return float(text)
    except ValueError:
        return None


def _is_frac(text):
    return bool(re.search(r"^-?[0-9]+.?/0*[1-9][0-9]*.?$", text))


def _strip_properly_formatted_commas(text):
    pattern = re.compile(r"(\d)(,)(\d\d\d)($|\D)")
    while True:
        following = pattern.sub(r"\1\3\4", text)
        if following == text:
            return following
        text = following


def _str_is_int(text):
    value = _float_or_none(_strip_properly_formatted_commas(text))
    return value is not None and _is_near_integer(value)


def _str_to_int(text):
    return int(float(text.replace(",", "")))


def normalize_expression(expression):
    """grader._normalize."""
    match = re.search(r"^\\text\{(?P<text>.+?)\}$", expression)
    if match:
        expression = match.group("text")
    expression = expression.replace("\\%", "%").replace("\\$", "$").replace("$", "").replace("%", "")
    expression = expression.replace(" or ", " , ").replace(" and ", " , ")
    expression = expression.replace("million", "*10^6").replace("billion", "*10^9").replace("trillion", "*10^12")
    for unit in UNITS:
        expression = re.sub(f"{unit}(es)?(s)? *(\\^[0-9]+)?", "", expression)
    expression = re.sub(r"\^ *\\circ", "", expression)
    if expression and expression[0] == "{" and expression[-1] == "}":
        expression = expression[1:-1]
    expression = re.sub(",\\\\! *", "", expression)
    as_float = _float_or_none(expression)
    if as_float is not None and _is_near_integer(as_float):
        expression = str(int(round(as_float)))
    expression = re.sub("- *", "-", expression)
    expression = re.sub("([0-9]) +([0-9])", "\\1+\\2", expression)
    expression = expression.replace(" ", "").replace("{", "").replace("}", "").lower()
    if _str_is_int(expression):
        expression = str(_str_to_int(expression))
    return expression


def _should_allow_eval(expression):
    letters = {character for character in expression.replace("sqrt", "").replace("frac", "") if character.isalpha()}
    if len(letters) > 2:
        return False
    if any(bad in expression for bad in BAD_SUBSTRINGS):
        return False
    return not any(re.search(bad, expression) for bad in BAD_REGEXES)


def _are_equal_under_sympy(ground_truth, given):
    expression = f"({ground_truth})-({given})"
    return _should_allow_eval(expression) and sympy_expression_is_zero(expression)


def split_tuple(expression):
    expression = _strip_properly_formatted_commas(expression)
    if not expression:
        return []
    inner = expression[1:-1]
    is_tuple = (
        len(expression) > 2
        and expression[0] in TUPLE_CHARS
        and expression[-1] in TUPLE_CHARS
        and all(character not in inner for character in TUPLE_CHARS)
    )
    return [element.strip() for element in inner.split(",")] if is_tuple else [expression]


def grade_answer(given, ground_truth):
    """True when `given` is a correct answer for `ground_truth`."""
    if normalize_answer(ground_truth) == normalize_answer(given):
        return True
    ground_truth_normalized = normalize_expression(ground_truth)
    given_normalized = normalize_expression(given)
    if ground_truth_normalized == given_normalized:
        return True
    if not given_normalized:
        return False
    ground_truth_elements = split_tuple(ground_truth_normalized)
    given_elements = split_tuple(given_normalized)
    if len(ground_truth_elements) > 1 and (
        ground_truth_normalized[0] != given_normalized[0] or ground_truth_normalized[-1] != given_normalized[-1]
    ):
        return False
    if len(ground_truth_elements) != len(given_elements):
        return False
    for ground_truth_element, given_element in zip(ground_truth_elements, given_elements):
        if _is_frac(ground_truth_element) and _is_frac(given_element):
            if ground_truth_element != given_element:
                return False
        elif _str_is_int(ground_truth_element) != _str_is_int(given_element):
            return False
        elif not _are_equal_under_sympy(ground_truth_element, given_element):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# The sympy stand-in (common/ota/sympyLite.ts; see there for the subset and its limits): parse
# "(gt)-(given)" with Python's precedence and sympy's implicit multiplication, then decide "== 0" by
# exact evaluation at fixed pseudo-random rational points.

SYMPY_NAMES = {
    "csc", "eye", "ff", "fft", "frac", "fu", "gff", "hn1", "hn2", "im", "jn", "li", "ln", "nan", "ntt", "oo",
    "pi", "re", "rf", "sqrt", "yn", "zoo",
}
PYTHON_KEYWORDS = {
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
    "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
    "or", "pass", "raise", "return", "try", "while", "with", "yield",
}
GREEK_LETTER_NAMES = {
    "alpha", "beta", "chi", "delta", "digamma", "epsilon", "eta", "gamma", "heta", "iota", "kappa", "koppa",
    "lamda", "mu", "nu", "omega", "omicron", "phi", "pi", "psi", "rho", "sampi", "san", "sho", "sigma",
    "stigma", "tau", "theta", "upsilon", "xi", "zeta",
}
MAX_EXPONENT = 4096
MAX_BITS = 65_536
REQUIRED_POINTS = 6
MAX_ATTEMPTS = 24
OPERATORS = ("+", "-", "*", "/", "(", ")")


class _OutsideSubset(Exception):
    """An expression the stand-in does not handle: counted as "not equal"."""


def _tokenize(source):
    """Python's tokenizer plus sympy's auto_symbol / auto_number / split_symbols, for the subset.

    Tokens are ("number", int), ("symbol", name) or ("op", text).
    """
    tokens = []
    index = 0
    while index < len(source):
        rest = source[index:]
        space = re.match(r"[ \t\f]+", rest)
        digits = re.match(r"[0-9]+", rest)
        name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", rest)
        if space:
            index += len(space.group(0))
        elif digits:
            text = digits.group(0)
            following = source[index + len(text) : index + len(text) + 1]
            if len(text) > 1 and text.startswith("0"):
                raise _OutsideSubset("leading zero")
            if following and (following in "eEjJ" or (text == "0" and following in "xXbBoO")):
                raise _OutsideSubset("number literal")
            tokens.append(("number", int(text)))
            index += len(text)
        elif name:
            tokens.extend(_split_name(name.group(0)))
            index += len(name.group(0))
        elif rest.startswith("**"):
            tokens.append(("op", "**"))
            index += 2
        elif rest.startswith("//"):
            raise _OutsideSubset("floor division")
        elif rest[0] in OPERATORS:
            tokens.append(("op", rest[0]))
            index += 1
        else:
            raise _OutsideSubset(f"character {rest[0]!r}")
    return tokens


def _split_name(name):
    if "_" in name or re.search(r"[A-Z]", name):
        raise _OutsideSubset("name")
    if name in PYTHON_KEYWORDS or name in SYMPY_NAMES or name in GREEK_LETTER_NAMES:
        raise _OutsideSubset(f"name {name}")
    tokens = []
    for part in re.findall(r"[0-9]+|[a-z]", name):
        if part[0].isdigit():
            # split_symbols emits Number('02'), which sympify cannot parse: the reference raises.
            if len(part) > 1 and part.startswith("0"):
                raise _OutsideSubset("leading zero")
            tokens.append(("number", int(part)))
        else:
            tokens.append(("symbol", part))
    return tokens


def _is_operand(token, side):
    if token is None:
        return False
    if token[0] != "op":
        return True
    return token[1] == (")" if side == "left" else "(")


def _insert_implicit_multiplication(tokens):
    result = []
    for index, token in enumerate(tokens):
        if index > 0 and _is_operand(tokens[index - 1], "left") and _is_operand(token, "right"):
            result.append(("op", "*"))
        result.append(token)
    return result


class _Parser:
    """Recursive descent with Python's grammar for arith_expr / term / factor / power.

    Nodes are ("number", int), ("symbol", name), ("negate", node) or ("binary", op, left, right).
    """

    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def parse(self):
        tree = self.arithmetic()
        if self.position != len(self.tokens):
            raise _OutsideSubset("syntax")
        return tree

    def take(self, *texts):
        token = self.tokens[self.position] if self.position < len(self.tokens) else None
        if token is not None and token[0] == "op" and token[1] in texts:
            self.position += 1
            return token[1]
        return None

    def arithmetic(self):
        node = self.term()
        operator = self.take("+", "-")
        while operator:
            node = ("binary", operator, node, self.term())
            operator = self.take("+", "-")
        return node

    def term(self):
        node = self.factor()
        operator = self.take("*", "/")
        while operator:
            node = ("binary", operator, node, self.factor())
            operator = self.take("*", "/")
        return node

    def factor(self):
        sign = self.take("+", "-")
        if sign == "+":
            return self.factor()
        if sign == "-":
            return ("negate", self.factor())
        return self.power()

    def power(self):
        base = self.atom()
        return ("binary", "**", base, self.factor()) if self.take("**") else base

    def atom(self):
        token = self.tokens[self.position] if self.position < len(self.tokens) else None
        self.position += 1
        if token is not None and token[0] in ("number", "symbol"):
            return token
        if token == ("op", "("):
            inner = self.arithmetic()
            if not self.take(")"):
                raise _OutsideSubset("syntax")
            return inner
        raise _OutsideSubset("syntax")  # includes "()" (an empty tuple in Python)


def _has_symbol(node):
    kind = node[0]
    if kind == "number":
        return False
    if kind == "symbol":
        return True
    if kind == "negate":
        return _has_symbol(node[1])
    return _has_symbol(node[2]) or _has_symbol(node[3])


def _check_exponents_are_constant(node):
    if node[0] == "negate":
        _check_exponents_are_constant(node[1])
    if node[0] != "binary":
        return
    if node[1] == "**" and _has_symbol(node[3]):
        raise _OutsideSubset("symbolic exponent")
    _check_exponents_are_constant(node[2])
    _check_exponents_are_constant(node[3])


def _collect_symbols(node, into):
    if node[0] == "symbol":
        into.add(node[1])
    elif node[0] == "negate":
        _collect_symbols(node[1], into)
    elif node[0] == "binary":
        _collect_symbols(node[2], into)
        _collect_symbols(node[3], into)
    return into


def _bit_length(value):
    # sympyLite measures BigInt(x).toString(2).length, which is 1 for zero.
    return max(1, abs(value).bit_length())


def _power(base, exponent):
    if exponent.denominator != 1:
        raise _OutsideSubset("fractional exponent")
    magnitude = abs(exponent.numerator)
    if magnitude > MAX_EXPONENT:
        raise _OutsideSubset("exponent too large")
    if (_bit_length(base.numerator) + _bit_length(base.denominator)) * magnitude > MAX_BITS:
        raise _OutsideSubset("power too large")
    numerator = base.numerator**magnitude
    denominator = base.denominator**magnitude
    return Fraction(denominator, numerator) if exponent.numerator < 0 else Fraction(numerator, denominator)


def _evaluate(node, point):
    """Exact value at `point`; ZeroDivisionError where a denominator vanishes (left operand first)."""
    kind = node[0]
    if kind == "number":
        return Fraction(node[1])
    if kind == "symbol":
        return point[node[1]]
    if kind == "negate":
        return -_evaluate(node[1], point)
    left = _evaluate(node[2], point)
    right = _evaluate(node[3], point)
    operator = node[1]
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator == "/":
        return left / right
    return _power(left, right)


def _pseudo_random_rationals():
    """sympyLite's fixed linear congruential sequence, so a verdict never changes between runs."""
    state = 0x2545F491
    while True:
        values = []
        for _ in range(2):
            state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
            values.append(state >> 33)
        numerator = values[0] % 1999 - 999
        yield Fraction(1000 if numerator == 0 else numerator, values[1] % 97 + 1)


def sympy_expression_is_zero(expression):
    try:
        tree = _Parser(_insert_implicit_multiplication(_tokenize(expression.replace("^", "**")))).parse()
        _check_exponents_are_constant(tree)
        symbols = sorted(_collect_symbols(tree, set()))
        values = _pseudo_random_rationals()
        evaluated = 0
        attempt = 0
        while attempt < MAX_ATTEMPTS and evaluated < REQUIRED_POINTS:
            attempt += 1
            point = {symbol: next(values) for symbol in symbols}
            try:
                if _evaluate(tree, point) != 0:
                    return False
                evaluated += 1
            except ZeroDivisionError:
                pass  # A denominator that vanishes here; if it vanishes everywhere, sympy gives zoo or nan.
            if not symbols and evaluated == 0:
                return False
        return evaluated == REQUIRED_POINTS
    except _OutsideSubset:
        return False


# ---------------------------------------------------------------------------------------------
# Ground truths and the training-rollout dump.


def parse_ground_truth(raw):
    """(answer, meta): Frustum writes `{"answer", "sample", "split"}` JSON; others are plain answers."""
    text = raw if isinstance(raw, str) else str(raw)
    if text.startswith("{"):
        try:
            meta = json.loads(text)
        except ValueError:
            meta = None
        if isinstance(meta, dict) and "answer" in meta:
            return str(meta["answer"]), meta
    return text, None


def grpo_advantages(scores):
    """EasyR1 compute_grpo_outcome_advantage for one group: (s - mean) / (std + 1e-6), torch.std
    being the unbiased (n - 1) estimate; a group of one has no spread, so its advantage is 0."""
    if len(scores) < 2:
        return [0.0 for _ in scores]
    mean = sum(scores) / len(scores)
    std = math.sqrt(sum((score - mean) ** 2 for score in scores) / (len(scores) - 1))
    return [(score - mean) / (std + 1e-6) for score in scores]


def _group_indices(metas, group_size):
    """Indices of each prompt's responses, in batch order.

    EasyR1 repeats each prompt n times consecutively, but with more than one GPU `_balance_batch`
    reorders the batch before the reward is computed; Frustum's sample id keeps the groups right
    then. Without a sample id, consecutive chunks of group_size are the groups.
    """
    groups = {}
    for index, meta in enumerate(metas):
        sample = meta.get("sample") if meta else None
        key = ("sample", sample) if isinstance(sample, int) else ("chunk", index // max(1, group_size))
        groups.setdefault(key, []).append(index)
    return list(groups.values())


class _RolloutLog:
    """The per-process state of the dump: EasyR1 runs the training reward in its own Ray actor, so
    this process sees every training batch, one call per step, and no validation batch."""

    def __init__(self):
        self.start_step = None
        self.training_calls = 0
        self.warned = False

    def next_step(self, tracker_path):
        if self.start_step is None:
            self.start_step = _last_global_step(tracker_path)
        self.training_calls += 1
        return self.start_step + self.training_calls

    def append(self, path, record):
        try:
            with open(path, "a", encoding="utf-8") as file:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
                file.flush()
        except OSError as error:
            # Training matters more than its rollout log: warn once and carry on.
            if not self.warned:
                self.warned = True
                print(f"[frustum reward] cannot write rollouts to {path}: {error}", file=sys.stderr)


def _last_global_step(tracker_path):
    """A resumed run continues after checkpoint_tracker.json's last step."""
    if not tracker_path:
        return 0
    try:
        with open(tracker_path, encoding="utf-8") as file:
            return int(json.load(file).get("last_global_step") or 0)
    except (OSError, ValueError, TypeError, AttributeError):
        return 0


_ROLLOUTS = _RolloutLog()


def _rollout_record(step, reward_inputs, answers, metas, scores, group_size):
    groups = []
    for indices in _group_indices(metas, group_size):
        advantages = grpo_advantages([scores[index]["overall"] for index in indices])
        first_meta = metas[indices[0]]
        groups.append({
            "sample": first_meta.get("sample") if isinstance(first_meta.get("sample"), int) else None,
            "ground_truth": answers[indices[0]],
            "responses": [
                {
                    "text": reward_inputs[index]["response"],
                    "length": reward_inputs[index].get("response_length"),
                    **scores[index],
                    "advantage": advantage,
                }
                for index, advantage in zip(indices, advantages)
            ],
        })
    return {"step": step, "time": round(time.time(), 3), "groups": groups}


def compute_score(reward_inputs, format_weight=0.1, rollout_path=None, group_size=1, tracker_path=None):
    """EasyR1's batch reward: one {"overall", "format", "accuracy"} per input, in order."""
    parsed = [parse_ground_truth(item["ground_truth"]) for item in reward_inputs]
    answers = [answer for answer, _meta in parsed]
    metas = [meta for _answer, meta in parsed]
    scores = [cam_reasoner_reward(item["response"], answer, format_weight) for item, answer in zip(reward_inputs, answers)]
    is_training_batch = bool(metas) and all(meta is not None and meta.get("split") == "train" for meta in metas)
    if rollout_path and is_training_batch:
        step = _ROLLOUTS.next_step(tracker_path)
        _ROLLOUTS.append(rollout_path, _rollout_record(step, reward_inputs, answers, metas, scores, group_size))
    return scores
