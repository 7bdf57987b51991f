"""SS01_FAULTS: fault early-warning classifier. From the last hour of substation signals
(1-min steps) it gives the probability of normal operation and of each fault class.

Inside the ONNX graph: the window is denormalized, physical residuals are formed (heat
balance secondary vs heat meter, valve position vs output, supply vs heating curve),
each channel is summarized over the window (recent and whole-window level, spread,
range, change, mean step) and a small MLP maps the summaries to class probabilities.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from common import CLASSES, FAULT_KINDS, PREFIX, Run, r, training_range

NAME = "SS01_FAULTS"
WINDOW = 60
PERIOD_S = 60
TAGS = ["OUT.T", "HC.T_SP", "HX.T_SEC_SUP", "HX.T_SEC_RET", "HX.T_PRI_SUP", "HX.T_PRI_RET", "HM.POWER", "HX.Q_SEC",
        "HX.UA", "HX.APPROACH", "CV.OUT", "CV.POS", "SEC.FLOW", "SEC.P_RET", "EXP.LEVEL", "MU.FLOW",
        "P1.VIB", "P1.CURRENT", "P1.T_BEARING"]
# Residuals (a − b) and their scale.
RESIDUALS = [("HX.Q_SEC", "HM.POWER", 50.0), ("CV.OUT", "CV.POS", 1.0), ("HX.T_SEC_SUP", "HC.T_SP", 1.0)]
# A fault counts once it is visible: developed to this level (slow faults) or this many minutes old.
VISIBLE_LEVEL = {"hx-fouling": 0.03, "pump-bearing-wear": 0.03, "sensor-drift": 0.06}
VISIBLE_MIN = {"secondary-leak": 3, "stuck-valve": 3}
# Predictive alarm rule: probability above THRESHOLD for FOR_RUNS consecutive runs (one a minute).
THRESHOLD = 0.9
FOR_RUNS = 3


class FaultClassifier(nn.Module):
    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.res = [(TAGS.index(a), TAGS.index(b), s) for a, b, s in RESIDUALS]
        n = len(TAGS) + len(RESIDUALS)
        self.n_features = n * 7
        self.register_buffer("f_mean", torch.zeros(self.n_features))
        self.register_buffer("f_std", torch.ones(self.n_features))
        self.mlp = nn.Sequential(nn.Linear(self.n_features, 96), nn.GELU(), nn.Dropout(0.1), nn.Linear(96, 64), nn.GELU(), nn.Linear(64, len(CLASSES)))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        # x: [B, W, C] normalized.
        raw = x * self.std + self.mean
        extra = [(raw[:, :, a] - raw[:, :, b]).unsqueeze(2) / s for a, b, s in self.res]
        z = torch.cat([x] + extra, dim=2)  # [B, W, n]
        recent = z[:, -10:].mean(dim=1)
        first = z[:, :10].mean(dim=1)
        whole = z.mean(dim=1)
        spread = z.std(dim=1)
        hi = z.max(dim=1).values
        lo = z.min(dim=1).values
        step = (z[:, 1:] - z[:, :-1]).abs().mean(dim=1)
        return torch.cat([recent, whole, spread, hi - lo, recent - first, step, hi], dim=1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        f = (self.features(x) - self.f_mean) / self.f_std
        return self.mlp(f)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(x), dim=1)


def labels_for(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Per row: class index, and whether the row is usable (not in the not-yet-visible stretch)."""
    n = len(run.values)
    y = np.zeros(n, dtype=np.int64)
    usable = np.ones(n, dtype=bool)
    for f in run.plan["faults"]:
        kind = f["kind"]
        k = CLASSES.index(kind)
        level = run.col(f"LEVEL.{kind}")
        minutes = np.arange(1, n + 1) - f["startMin"]  # row i is at minute i + 1
        if kind in VISIBLE_LEVEL:
            on = level >= VISIBLE_LEVEL[kind]
            ambiguous = (level > 0) & ~on
        else:
            on = minutes >= VISIBLE_MIN[kind]
            ambiguous = (minutes >= 0) & ~on
        y[on] = k
        usable &= ~ambiguous
    return y, usable


def raw_matrix(run: Run) -> np.ndarray:
    return np.stack([run.col(t) for t in TAGS], axis=1).astype(np.float32)


def windows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    return x[t[:, None] + np.arange(-WINDOW + 1, 1)[None, :]]


def train(train_runs: list[Run], epochs: int = 40, log=print):
    raw_all = np.concatenate([raw_matrix(run) for run in train_runs])
    mean, std = raw_all.mean(axis=0), raw_all.std(axis=0) + 1e-6
    ranges = [training_range(raw_all[:, i], margin=0.25) for i in range(len(TAGS))]
    xs, ys = [], []
    for run in train_runs:
        x = (raw_matrix(run) - mean) / std
        y, usable = labels_for(run)
        stride = 2 if run.plan["faults"] else 7
        t = np.arange(WINDOW - 1, len(x), stride)
        t = t[usable[t]]
        xs.append(windows(x, t))
        ys.append(y[t])
    X = torch.from_numpy(np.concatenate(xs))
    Y = torch.from_numpy(np.concatenate(ys))
    model = FaultClassifier(mean, std)
    with torch.no_grad():
        f = model.features(X)
        model.f_mean.copy_(f.mean(dim=0))
        model.f_std.copy_(f.std(dim=0) + 1e-3)
    counts = torch.bincount(Y, minlength=len(CLASSES)).float()
    log(f"classifier windows per class: {dict(zip(CLASSES, counts.int().tolist()))}")
    weight = (counts.sum() / (len(CLASSES) * counts.clamp(min=1))).sqrt()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    rng = np.random.default_rng(11)
    bs = 256
    steps = len(X) // bs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * steps)
    lossf = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.01)
    for epoch in range(epochs):
        model.train()
        order = torch.from_numpy(rng.permutation(len(X)))
        total = 0.0
        for b in range(steps):
            idx = order[b * bs:(b + 1) * bs]
            loss = lossf(model.logits(X[idx]), Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        if epoch % 5 == 4 or epoch == epochs - 1:
            log(f"classifier epoch {epoch + 1}/{epochs} loss {total / steps:.4f}")
    model.eval()
    return model, {"mean": mean, "std": std, "ranges": ranges}


def run_probabilities(model: nn.Module, stats: dict, run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probabilities for every minute of a run from the first full window; rows refused by the quality gate are NaN."""
    raw = raw_matrix(run)
    x = ((raw - stats["mean"]) / stats["std"]).astype(np.float32)
    t = np.arange(WINDOW - 1, len(x))
    win_raw = windows(raw, t)
    ok = np.ones(len(t), dtype=bool)
    for c, (lo, hi) in enumerate(stats["ranges"]):
        ok &= (win_raw[:, :, c].min(axis=1) >= lo) & (win_raw[:, :, c].max(axis=1) <= hi)
    out = []
    with torch.no_grad():
        for b in range(0, len(t), 1024):
            out.append(model(torch.from_numpy(windows(x, t[b:b + 1024]))).numpy())
    p = np.concatenate(out)
    p[~ok] = np.nan
    return t, p, ok


def warnings(p: np.ndarray, threshold: float = THRESHOLD, for_runs: int = FOR_RUNS) -> list[tuple[int, int]]:
    """Warning episodes (start row index into p, class) raised by the manifest's rule: a fault class above threshold for for_runs runs."""
    episodes = []
    for k in range(1, len(CLASSES)):
        above = np.nan_to_num(p[:, k], nan=0.0) >= threshold
        run_len = 0
        active = False
        for i, a in enumerate(above):
            run_len = run_len + 1 if a else 0
            if run_len >= for_runs and not active:
                episodes.append((i, k))
                active = True
            if not a:
                active = False
    return sorted(episodes)


def evaluate(model, stats, test_runs: list[Run]) -> tuple[dict, list[dict]]:
    y_true, y_pred = [], []
    leads, per_run = [], []
    false_warnings, normal_minutes = 0, 0
    refused = total = 0
    for run in test_runs:
        t, p, ok = run_probabilities(model, stats, run)
        y, usable = labels_for(run)
        total += len(t)
        refused += int((~ok).sum())
        keep = ok & usable[t]
        y_true.append(y[t][keep])
        y_pred.append(p[keep].argmax(axis=1))
        eps = warnings(p)
        faults = run.plan["faults"]
        if not faults:
            false_warnings += len(eps)
            normal_minutes += len(t)
            per_run.append({"run": run.id, "kind": "normal", "warnings": len(eps)})
            continue
        f = faults[0]
        k = CLASSES.index(f["kind"])
        start = f["startMin"]
        # Minute of row t[i] since the run's start is t[i] + 1.
        before = [e for e in eps if t[e[0]] + 1 < start]
        false_warnings += len(before)
        normal_minutes += max(0, start - WINDOW)
        right = [t[i] + 1 for i, c in eps if c == k and t[i] + 1 >= start]
        wrong = [(t[i] + 1, CLASSES[c]) for i, c in eps if c != k and t[i] + 1 >= start]
        alarm = next((a for a in run.alarms if a["atMin"] >= start), None)
        warn = right[0] if right else None
        lead = (alarm["atMin"] - warn) if (alarm and warn is not None) else None
        if lead is not None:
            leads.append(lead)
        per_run.append({"run": run.id, "kind": f["kind"], "severity": f["severity"], "startMin": start,
                        "warningAfterMin": None if warn is None else int(warn - start),
                        "alarm": None if alarm is None else alarm["id"],
                        "alarmAfterMin": None if alarm is None else r(alarm["atMin"] - start, 1),
                        "leadMin": None if lead is None else r(lead, 1), "wrongWarnings": wrong[:3]})
    yt, yp = np.concatenate(y_true), np.concatenate(y_pred)
    m: dict = {"heldout_windows": int(len(yt)), "refused_share": r(refused / max(total, 1))}
    f1s = []
    for k, name in enumerate(CLASSES):
        tp = int(((yp == k) & (yt == k)).sum())
        fp = int(((yp == k) & (yt != k)).sum())
        fn = int(((yp != k) & (yt == k)).sum())
        prec = tp / max(tp + fp, 1)
        rec = tp / max(tp + fn, 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        f1s.append(f1)
        key = name.replace("-", "_")
        m[f"{key}_precision"], m[f"{key}_recall"], m[f"{key}_f1"] = r(prec), r(rec), r(f1)
    m["macro_f1"] = r(np.mean(f1s))
    m["accuracy"] = r((yt == yp).mean())
    fault_runs = [x for x in per_run if x["kind"] != "normal"]
    m["fault_runs"] = len(fault_runs)
    m["fault_runs_warned"] = sum(1 for x in fault_runs if x["warningAfterMin"] is not None)
    m["fault_runs_with_conventional_alarm"] = sum(1 for x in fault_runs if x["alarm"] is not None)
    if leads:
        m["lead_time_median_min"] = r(np.median(leads), 1)
        m["lead_time_worst_min"] = r(np.min(leads), 1)
        m["lead_time_runs"] = len(leads)
    warned_no_alarm = [x for x in fault_runs if x["alarm"] is None and x["warningAfterMin"] is not None]
    m["warned_where_no_conventional_alarm"] = len(warned_no_alarm)
    days = normal_minutes / 1440
    m["false_warnings"] = int(false_warnings)
    m["fault_free_days"] = r(days, 2)
    m["false_warnings_per_day"] = r(false_warnings / max(days, 1e-9))
    m["false_warnings_per_week"] = r(7 * false_warnings / max(days, 1e-9))
    return m, per_run


ACTIONS = {
    "hx-fouling": (
        "Heat exchanger fouling developing",
        "换热器结垢正在发展",
        "Check the conductance trend (HX.UA) and the approach over days; plan chemical cleaning of the plate pack in the next mild spell and check the water softener.",
        "查看传热系数(HX.UA)和端差的多日趋势;安排在天气转暖时对板片进行化学清洗,并检查软化水设备。",
        "HX",
    ),
    "pump-bearing-wear": (
        "Pump 1 bearing wear developing",
        "循环泵1轴承磨损正在发展",
        "Watch P1 vibration and bearing temperature; plan a bearing inspection and be ready to make pump 2 the duty pump (SEC.DUTY_SEL = 2).",
        "关注1号泵振动和轴承温度;安排轴承检查,准备切换2号泵为主用泵(SEC.DUTY_SEL = 2)。",
        "P1",
    ),
    "secondary-leak": (
        "Secondary circuit leak suspected",
        "疑似二次管网泄漏",
        "Compare make-up water use and tank level with normal; walk the plant room and the building risers for a leak before the pressure falls too low.",
        "对比补水量和膨胀罐液位与正常值;在压力过低之前巡查机房和楼内立管查找漏点。",
        "SEC",
    ),
    "sensor-drift": (
        "Temperature sensor drifting",
        "温度传感器漂移",
        "Check the secondary supply and return sensors against a reference thermometer in the test pockets; recalibrate or replace the one that drifts.",
        "用标准温度计在测温套管处核对二次供、回水温度传感器;校准或更换漂移的传感器。",
        "HX",
    ),
    "stuck-valve": (
        "Control valve sticking",
        "调节阀卡涩",
        "Compare valve output and position (CV.OUT, CV.POS); stroke the valve in manual, check the actuator and its power; be ready to run it by hand.",
        "对比调节阀输出与开度反馈(CV.OUT、CV.POS);手动操作阀门行程,检查执行器及其电源;必要时准备手动调节。",
        "CV",
    ),
}

LABEL_TEXT = {
    "normal": ("Probability of normal operation", "正常运行概率"),
    "hx-fouling": ("Probability of heat exchanger fouling", "换热器结垢概率"),
    "pump-bearing-wear": ("Probability of pump 1 bearing wear", "循环泵1轴承磨损概率"),
    "secondary-leak": ("Probability of a secondary circuit leak", "二次管网泄漏概率"),
    "sensor-drift": ("Probability of a drifting temperature sensor", "温度传感器漂移概率"),
    "stuck-valve": ("Probability of a sticking control valve", "调节阀卡涩概率"),
}


def manifest(stats: dict, metrics: dict, sha: str, date: str, rev: str, train_desc: str) -> dict:
    mean, std = stats["mean"], stats["std"]
    values = []
    for k, c in enumerate(CLASSES):
        values.append({"name": f"P_{c.upper().replace('-', '_')}", "description": {"en": LABEL_TEXT[c][0], "zh": LABEL_TEXT[c][1]},
                       "unit": "", "index": k, "label": c, "decimals": 3})
    thresholds = []
    for c in FAULT_KINDS:
        en, zh, act_en, act_zh, equipment = ACTIONS[c]
        thresholds.append({"output": f"P_{c.upper().replace('-', '_')}", "above": THRESHOLD, "forRuns": FOR_RUNS,
                           "priority": "medium" if c in ("secondary-leak", "stuck-valve") else "low",
                           "message": {"en": f"Predicted: {en.lower()}", "zh": f"预测:{zh}"},
                           "action": {"en": act_en, "zh": act_zh}, "area": PREFIX, "equipment": equipment})
    return {
        "manifestVersion": 1,
        "name": NAME,
        "version": "1.0.0",
        "kind": "classifier",
        "description": {
            "en": "Substation SS01 fault early warning: probability of normal operation and of five developing faults from the last hour of signals.",
            "zh": "换热站SS01故障预警:根据最近1小时的信号给出正常运行及五类发展中故障的概率。",
        },
        "file": f"{NAME.lower()}.onnx",
        "sha256": sha,
        "opset": 17,
        "input": {
            "tensor": "window",
            "periodS": PERIOD_S,
            "window": WINDOW,
            "tags": [{"tag": f"{PREFIX}.{t}", "mean": r(mean[i], 6), "std": r(std[i], 6), "trainingRange": stats["ranges"][i]} for i, t in enumerate(TAGS)],
            "timeFeatures": False,
            "fill": "previous",
            "maxMissingShare": 0.1,
            "frozenBelow": 0,
        },
        "output": {"tensor": "probabilities", "values": values},
        "schedule": {"everyS": 60},
        "thresholds": thresholds,
        "card": {
            "trainingData": train_desc,
            "metrics": metrics,
            "date": date,
            "codeRevision": rev,
            "notes": (
                "Per-class precision/recall/F1 on held-out runs (other seeds, severities and start times than training), one window a minute; "
                f"minutes while a fault is not yet visible (slow faults below 3-6 % developed, a leak or stuck valve in its first {VISIBLE_MIN['stuck-valve']} min) are left out of those figures but not of the lead times. "
                f"Warning rule: a fault probability above {THRESHOLD} for {FOR_RUNS} consecutive runs. Lead time: minutes from that warning to the first process alarm of the demo project "
                "(assets/demo/plant.yaml, run by the alarm engine over the same simulated run); runs where no conventional alarm fired are counted apart. "
                "False warnings: warning episodes on fault-free held-out weeks and before the fault in fault runs. "
                "Contributing signals: per-channel occlusion at run time - set one input channel to 0 (its training mean) over the whole window, rerun (19 small runs, well under a millisecond each) "
                "and rank channels by how much the warned class's probability falls. frozenBelow is 0 on purpose: a valve position that stops moving is a symptom here, not a bad sensor. "
                "Pump bearing wear is trained for pump 1 as duty pump at the default speed setpoint; sensor drift for the secondary supply and return sensors."
            ),
        },
    }
