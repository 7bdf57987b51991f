"""Retrain the built-in models from scratch: simulate, train, evaluate on held-out runs,
export ONNX and write the manifests with their model cards.

    /usr/bin/python3 models/training/train_all.py        (or: npm run models:train)

Options: --only forecaster|classifier, --epochs-scale 0.5 (quicker, for trying changes).
Needs Debian's python3-torch, python3-onnx and python3-numpy, and Node (npx tsx) for the
simulator. Nothing is downloaded. Data goes to models/training/data/ (not committed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

import classifier  # noqa: E402
import forecaster  # noqa: E402
from common import DATA, MODELS, build_plan, code_revision, env_threads, generate, load_runs, seed_everything, sha256, write_yaml  # noqa: E402


def export(model: torch.nn.Module, path: Path, window: int, channels: int, out_name: str) -> None:
    model.eval()
    dummy = torch.zeros(1, window, channels)
    torch.onnx.export(model, dummy, str(path), input_names=["window"], output_names=[out_name], opset_version=17,
                      dynamic_axes={"window": {0: "batch"}, out_name: {0: "batch"}}, do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    opset = max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
    assert opset <= 17, f"{path.name}: opset {opset}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["forecaster", "classifier"])
    ap.add_argument("--epochs-scale", type=float, default=1.0)
    args = ap.parse_args()
    env_threads()
    started = time.time()
    plan = build_plan()
    generate(plan, DATA)
    runs = load_runs(plan, DATA)
    date = dt.date.today().isoformat()
    rev = code_revision()
    report: dict = {}

    normal_train = [r for r in runs if r.split == "train" and not r.plan["faults"]]
    normal_test = [r for r in runs if r.split == "test" and not r.plan["faults"]]
    fault_train = [r for r in runs if r.split == "train" and r.plan["faults"]]
    fault_test = [r for r in runs if r.split == "test" and r.plan["faults"]]
    days = lambda rs: sum(len(r.values) for r in rs) / 1440  # noqa: E731

    if args.only in (None, "forecaster"):
        seed_everything(1)
        calib = [r for r in runs if r.split == "calib"]
        model, stats, metrics, _ = forecaster.train(normal_train, calib, normal_test, epochs=max(2, int(8 * args.epochs_scale)))
        onnx_path = MODELS / f"{forecaster.NAME.lower()}.onnx"
        export(model, onnx_path, forecaster.WINDOW, len(forecaster.TAGS) + 4, "forecast")
        desc = (f"Simulator physics (simulator/physics), fault-free: {len(normal_train)} runs, {days(normal_train):.0f} simulated days, "
                f"1-min steps, outdoor {stats['ranges'][2][0]:.0f}…{stats['ranges'][2][1]:.0f} °C. Held out: {len(normal_test)} other weeks "
                f"({days(normal_test):.0f} days, other seeds and dates); band edges calibrated on {len(calib)} more fault-free weeks.")
        write_yaml(MODELS / f"{forecaster.NAME.lower()}.model.yaml", forecaster.manifest(stats, metrics, sha256(onnx_path), date, rev, desc))
        report["forecaster"] = metrics
        print(json.dumps({"forecaster": metrics}))

    if args.only in (None, "classifier"):
        seed_everything(2)
        model, stats = classifier.train(normal_train + fault_train, epochs=max(3, int(40 * args.epochs_scale)))
        metrics, per_run = classifier.evaluate(model, stats, fault_test + normal_test)
        onnx_path = MODELS / f"{classifier.NAME.lower()}.onnx"
        export(model, onnx_path, classifier.WINDOW, len(classifier.TAGS), "probabilities")
        desc = (f"Simulator physics with injected faults: {len(fault_train)} fault runs (severities 0.25-1.0, random start times) and "
                f"{len(normal_train)} fault-free runs, {days(fault_train + normal_train):.0f} simulated days. Held out: {len(fault_test)} fault runs "
                f"with other seeds, severities (0.3-0.95) and start times, and {len(normal_test)} fault-free weeks.")
        write_yaml(MODELS / f"{classifier.NAME.lower()}.model.yaml", classifier.manifest(stats, metrics, sha256(onnx_path), date, rev, desc))
        (DATA / "classifier-runs.json").write_text(json.dumps(per_run, indent=1))
        report["classifier"] = metrics
        print(json.dumps({"classifier": metrics}))
        for x in per_run:
            print(json.dumps(x))

    report["wallS"] = round(time.time() - started, 1)
    (DATA / "report.json").write_text(json.dumps(report, indent=1))
    print(json.dumps({"done": True, "wallS": report["wallS"]}))


if __name__ == "__main__":
    np.set_printoptions(precision=3, suppress=True)
    main()
