#!/usr/bin/env python3
"""Reference oracle for `frustum export --format vlmevalkit` (backend/formats/exportVlmEvalKit.ts,
common/metrics/vlmEvalKit.ts): VLMEvalKit itself writes the predictions workbook of each dataset in
tests/reference/vlmevalkit-cases.json and evaluates it with exact matching, and this script records
what it wrote in tests/reference/vlmevalkit-expected.json.

Re-run (Debian bookworm's python3 with python3-pandas 1.5.3, python3-openpyxl 3.0.9 and
python3-xlsxwriter 3.0.2, as VLMEvalKit writes workbooks with xlsxwriter and pandas reads them
with openpyxl):

    git --git-dir=<VLMEvalKit mirror> archive e8e78f05f3080fe28154f2130321f17951c3be94 vlmeval \
        | tar -x -C /tmp/vlmevalkit
    /usr/bin/python3 tests/reference/vlmEvalKitOracle.py /tmp/vlmevalkit [FOLDER OF FRUSTUM FILES]

The script contains no copy of VLMEvalKit's code: it imports vlmeval/smp/file.py, vlmeval/smp/misc.py,
vlmeval/utils/matching_util.py, vlmeval/dataset/utils/multiple_choice.py and
vlmeval/dataset/image_mcq.py from the checkout and calls ImageMCQDataset.evaluate_heuristic on an
instance whose `data` is the dataset (what its __init__ would load from the TSV). Stand-ins replace
what that path never needs to be real: the Hugging Face cache scanner and the terminal colours
misc.py imports, PIL (vlm.py's images are never opened), the URL check of load() (no path is a URL),
tabulate, tqdm, the dataset base class and the judge builder (exact matching builds none), and
track_progress_rich, which runs the tasks one after another and saves their results as the real
one does (VLMEvalKit's thread pool changes nothing the tasks compute).

The predictions workbook is what infer_data_job writes (vlmeval/inference.py lines 240-290): the
dataset's columns plus `prediction`, through VLMEvalKit's dump(). Given a second argument, the script
also reads Frustum's files of the same names there with pandas, as VLMEvalKit would read them, and
checks that they give the same frames and the same acc file.
"""

import importlib.util
import json
import sys
import tempfile
import types
from pathlib import Path

import openpyxl
import pandas as pd

VLMEVALKIT_COMMIT = "e8e78f05f3080fe28154f2130321f17951c3be94"
HERE = Path(__file__).resolve().parent
MODEL = "oracle-model"


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__path__ = []
    for key, value in attributes.items():
        setattr(module, key, value)
    sys.modules[name] = module
    return module


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def install(checkout):
    root = checkout / "vlmeval"
    stub("vlmeval")
    log = stub("vlmeval.smp.log", get_logger=lambda _name: types.SimpleNamespace(info=print, warning=print, error=print))
    stub("huggingface_hub")
    stub("huggingface_hub.utils")
    stub("huggingface_hub.utils._cache_manager", _scan_cached_repo=None)
    stub("sty", fg=None)
    stub("validators", url=lambda _path: False)
    stub("tabulate", tabulate=lambda *args, **kwargs: "")
    stub("tqdm", tqdm=lambda iterable, **_kwargs: iterable)
    smp = stub("vlmeval.smp", log=log)
    misc = load(root / "smp" / "misc.py", "vlmeval.smp.misc")
    stub("PIL", Image=types.SimpleNamespace())
    load(root / "smp" / "vlm.py", "vlmeval.smp.vlm")
    files = load(root / "smp" / "file.py", "vlmeval.smp.file")
    for module in (misc, files):
        for key in dir(module):
            if not key.startswith("__"):
                setattr(smp, key, getattr(module, key))

    def track_progress_rich(func, tasks=(), nproc=1, save=None, keys=None, **_kwargs):
        results = [func(**inputs) for inputs in tasks]
        if save is not None:
            saved = files.load(save) if Path(save).exists() else {}
            for key, result in zip(keys, results):
                saved[key] = result
            files.dump(saved, save)
        return results

    matching = load(root / "utils" / "matching_util.py", "vlmeval.utils.matching_util")
    stub("vlmeval.utils", can_infer=matching.can_infer, can_infer_lego=matching.can_infer_lego, track_progress_rich=track_progress_rich)
    stub("vlmeval.dataset")
    utils = stub("vlmeval.dataset.utils", DEBUG_MESSAGE="", build_judge=None)
    utils.multiple_choice = load(root / "dataset" / "utils" / "multiple_choice.py", "vlmeval.dataset.utils.multiple_choice")
    stub("vlmeval.dataset.image_base", ImageBaseDataset=object)
    image_mcq = load(root / "dataset" / "image_mcq.py", "vlmeval.dataset.image_mcq")
    return files, image_mcq


def cells(path):
    """Every cell of the one sheet, as openpyxl reads it (None for an empty cell), and the header's style."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first = sheet.cell(row=1, column=1)
    style = {"bold": bool(first.font.bold), "border": first.border.left.style, "horizontal": first.alignment.horizontal, "vertical": first.alignment.vertical}
    return {"sheets": workbook.sheetnames, "rows": rows, "header_style": style}


def frame(path):
    """The workbook as VLMEvalKit's load() gives it, NaN as None."""
    data = pd.read_excel(path)
    return {"columns": list(data.columns), "rows": json.loads(data.to_json(orient="values"))}


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: vlmEvalKitOracle.py <VLMEvalKit checkout> [folder of Frustum's files]")
    checkout = Path(sys.argv[1])
    ours = Path(sys.argv[2]) if len(sys.argv) == 3 else None
    files, image_mcq = install(checkout)
    cases = json.loads((HERE / "vlmevalkit-cases.json").read_text(encoding="utf-8"))
    expected = {
        "reference": f"open-compass/VLMEvalKit@{VLMEVALKIT_COMMIT} vlmeval/dataset/image_mcq.py ImageMCQDataset.evaluate_heuristic (exact_matching), vlmeval/smp/file.py dump",
        "written_by": "tests/reference/vlmEvalKitOracle.py",
        "versions": {"pandas": pd.__version__, "openpyxl": openpyxl.__version__},
        "model": MODEL,
        "datasets": [],
    }
    with tempfile.TemporaryDirectory() as work:
        for case in cases["datasets"]:
            meta = pd.DataFrame([{column: row.get(column) for column in case["columns"] if column != "prediction"} for row in case["rows"]])
            data = meta.copy()
            data["prediction"] = [row["prediction"] for row in case["rows"]]
            stem = f"{MODEL}_{case['name']}"
            prediction_file = str(Path(work) / f"{stem}.xlsx")
            files.dump(data, prediction_file)
            dataset = object.__new__(image_mcq.ImageMCQDataset)
            dataset.dataset_name = case["name"]
            dataset.data = meta
            dataset.evaluate_heuristic(prediction_file)
            result_file = Path(work) / f"{stem}_exact_matching_result.xlsx"
            acc_file = Path(work) / f"{stem}_acc.csv"
            record = {
                "name": case["name"],
                "predictions": cells(prediction_file),
                "results": cells(result_file),
                "acc_csv": acc_file.read_text(encoding="utf-8"),
            }
            expected["datasets"].append(record)
            if ours is not None:
                for suffix, reference in ((".xlsx", prediction_file), ("_exact_matching_result.xlsx", result_file)):
                    mine = frame(ours / f"{stem}{suffix}")
                    theirs = frame(reference)
                    assert mine == theirs, f"{stem}{suffix}: {mine} != {theirs}"
                assert (ours / f"{stem}_acc.csv").read_text(encoding="utf-8") == record["acc_csv"], f"{stem}_acc.csv differs"
                print(f"{stem}: Frustum's files read back as VLMEvalKit's")
    (HERE / "vlmevalkit-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
