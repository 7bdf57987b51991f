"""Shared pieces of the offline training: the run plan, data generation through the
simulator physics (models/training/generate-data.ts), loading runs, manifests."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "models" / "training"
DATA = TRAINING / "data"
MODELS = ROOT / "models"
PREFIX = "SS01"
DAY_MS = 86_400_000
# Monday 2025-01-06 00:00 UTC: the simulated plant's calendar starts here.
EPOCH0 = 1_736_121_600_000

FAULT_KINDS = ["hx-fouling", "pump-bearing-wear", "secondary-leak", "sensor-drift", "stuck-valve"]
CLASSES = ["normal"] + FAULT_KINDS


def seed_everything(seed: int) -> None:
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def build_plan() -> list[dict]:
    """Every simulated run: long fault-free runs (forecaster training and held-out weeks,
    the held-out weeks also counting false warnings) and fault runs (classifier), the
    held-out fault runs with other seeds, severities and start times than training."""
    rng = np.random.default_rng(20250106)
    runs: list[dict] = []

    def add(run_id: str, split: str, seed: int, start_day: float, minutes: int, faults: list[dict], alarms: bool) -> None:
        runs.append({"id": run_id, "split": split, "seed": seed, "startTime": int(EPOCH0 + start_day * DAY_MS),
                     "minutes": minutes, "faults": faults, "alarms": alarms})

    # Fault-free: 4 training runs of 10 days, 6 calibration weeks for the forecaster's bands and its choice of
    # candidate, 3 held-out weeks (other seeds, other dates). The simulated weather has no seasons; the later calibration
    # weeks start at 06:00 UTC like the first, after the held-out weeks. The weather forecast's error is correlated over
    # about half a day, so one week holds only some fifteen independent episodes of it: too few to set an 80 % band.
    for i in range(4):
        add(f"normal-train-{i}", "train", 100 + i, i * 10, 10 * 1440, [], False)
    add("normal-calib-0", "calib", 500, 45.25, 7 * 1440, [], False)
    for i in range(1, 6):
        add(f"normal-calib-{i}", "calib", 500 + i, 120.25 + (i - 1) * 7, 7 * 1440, [], False)
    for i in range(3):
        add(f"normal-test-{i}", "test", 900 + i, 60 + i * 7 + 0.5, 7 * 1440, [], True)

    post_min = {"hx-fouling": 9 * 60, "pump-bearing-wear": 9 * 60, "sensor-drift": 6 * 60,
                "secondary-leak": 4 * 60, "stuck-valve": 5 * 60}
    train_sev = [0.25, 0.45, 0.65, 0.85, 1.0]
    test_sev = [0.3, 0.55, 0.8, 0.95]
    drift_targets = ["HX.T_SEC_SUP", "HX.T_SEC_RET"]
    for split, severities, seed0 in (("train", train_sev, 200), ("test", test_sev, 700)):
        for k, kind in enumerate(FAULT_KINDS):
            for j, sev in enumerate(severities):
                seed = seed0 + 10 * k + j
                # Fault starts 6-16 h into the run, at any time of day.
                start_min = int(rng.integers(6 * 60, 16 * 60))
                start_day = float(rng.integers(0, 50)) + float(rng.random())
                fault: dict = {"kind": kind, "startMin": start_min, "severity": sev}
                if kind == "sensor-drift":
                    fault["target"] = drift_targets[j % 2]
                if kind == "pump-bearing-wear":
                    fault["target"] = "P1"
                add(f"{kind}-{split}-{j}", split, seed, start_day, start_min + post_min[kind], [fault], split == "test")
    return runs


def generate(plan: list[dict], out: Path, shards: int = 2) -> None:
    """Run the simulator for every run of the plan that is not already on disk (same plan → same files)."""
    out.mkdir(parents=True, exist_ok=True)
    todo = []
    for run in plan:
        meta = out / f"{run['id']}.json"
        if meta.exists():
            old = json.loads(meta.read_text())["plan"]
            if {k: old.get(k) for k in run if k != "split"} == {k: v for k, v in run.items() if k != "split"}:
                continue
        todo.append({k: v for k, v in run.items() if k != "split"})
    if not todo:
        print(f"data: {len(plan)} runs already generated in {out}")
        return
    plan_file = out / "plan.json"
    plan_file.write_text(json.dumps(todo))
    print(f"data: simulating {len(todo)} runs, {sum(r['minutes'] for r in todo) / 1440:.1f} simulated days, {shards} processes")
    procs = [subprocess.Popen(["npx", "tsx", str(TRAINING / "generate-data.ts"), str(plan_file), str(out), "--shard", f"{i}/{shards}"], cwd=ROOT)
             for i in range(shards)]
    codes = [p.wait() for p in procs]
    if any(codes):
        sys.exit(f"data generation failed: exit codes {codes}")


@dataclass
class Run:
    id: str
    split: str
    plan: dict
    channels: list[str]
    values: np.ndarray  # [T, C] float32
    times: np.ndarray  # [T] int64 ms
    alarms: list[dict]

    def col(self, name: str) -> np.ndarray:
        return self.values[:, self.channels.index(name)]


def load_runs(plan: list[dict], out: Path) -> list[Run]:
    runs = []
    for p in plan:
        meta = json.loads((out / f"{p['id']}.json").read_text())
        values = np.fromfile(out / f"{p['id']}.f32", dtype="<f4").reshape(meta["rows"], len(meta["channels"]))
        times = meta["firstTime"] + 60_000 * np.arange(meta["rows"], dtype=np.int64)
        runs.append(Run(p["id"], p["split"], meta["plan"], meta["channels"], values, times, meta["alarms"]))
    return runs


def time_features(times_ms: np.ndarray) -> np.ndarray:
    """Hour-of-day and day-of-week as sin/cos, UTC, exactly as the runtime builds them."""
    t = times_ms.astype(np.int64)
    minutes_of_day = (t // 60_000) % 1440
    hour = minutes_of_day / 1440.0
    # 1970-01-01 was a Thursday (getUTCDay 4).
    day_of_week = ((t // DAY_MS) + 4) % 7
    day = (day_of_week + hour) / 7.0
    return np.stack([np.sin(2 * np.pi * hour), np.cos(2 * np.pi * hour), np.sin(2 * np.pi * day), np.cos(2 * np.pi * day)], axis=-1).astype(np.float32)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "models/training"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except Exception:  # noqa: BLE001 - no git: say so
        return "unknown"


def r(x: float, n: int = 4) -> float:
    return float(round(float(x), n))


def training_range(x: np.ndarray, margin: float = 0.1) -> list[float]:
    lo, hi = float(np.min(x)), float(np.max(x))
    span = max(hi - lo, 1e-3)
    return [r(lo - margin * span, 3), r(hi + margin * span, 3)]


def write_yaml(path: Path, manifest: dict) -> None:
    """YAML by hand through JSON scalars (a subset every YAML reader takes); no PyYAML needed."""
    lines: list[str] = ["# Generated by models/training/train_all.py: do not edit by hand, retrain instead."]

    def scalar(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return json.dumps(v)
        return json.dumps(str(v), ensure_ascii=False)

    def emit(v, indent: int, key: str | None) -> None:
        pad = "  " * indent
        head = f"{pad}{key}:" if key is not None else None
        if isinstance(v, dict):
            if head:
                lines.append(head if v else head + " {}")
            for k, x in v.items():
                emit(x, indent + (1 if head else 0), k)
        elif isinstance(v, list) and v and all(not isinstance(x, (dict, list)) for x in v):
            lines.append(f"{head} [{', '.join(scalar(x) for x in v)}]")
        elif isinstance(v, list):
            lines.append(head if v else head + " []")
            for x in v:
                if isinstance(x, dict):
                    first = True
                    for k, y in x.items():
                        sub: list[str] = []
                        saved = len(lines)
                        emit(y, indent + 2, k)
                        block = lines[saved:]
                        del lines[saved:]
                        if first:
                            block[0] = f"{pad}  - " + block[0].lstrip()
                            first = False
                        sub.extend(block)
                        lines.extend(sub)
                else:
                    lines.append(f"{pad}  - {scalar(x)}")
        else:
            lines.append(f"{head} {scalar(v)}")

    emit(manifest, 0, None)
    path.write_text("\n".join(lines) + "\n")


def env_threads() -> None:
    import torch

    torch.set_num_threads(int(os.environ.get("ARGUS_TRAIN_THREADS", "2")))
