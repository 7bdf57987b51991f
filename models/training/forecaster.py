"""SS01_FORECAST: heat power and secondary supply temperature for the next hour (quantiles
0.1/0.5/0.9 at 15, 30 and 60 min) and the heat load for each of the next 24 hours.

A small multiscale mixing model in the spirit of TimeMixer (Wang et al., ICLR 2024): the
day-long window is average-pooled to four scales (1, 5, 15 and 60 min); each scale is
split into a trend (moving average) and a seasonal part, each part mixed along time per
channel, the scales mixed with one another (seasonal fine→coarse, trend coarse→fine), and
one predictor per scale, their outputs summed. Forecasts are anchored at the recent level
of their own channel and quantiles never cross (p10 ≤ p50 ≤ p90 by construction).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from common import PREFIX, Run, r, time_features, training_range

NAME = "SS01_FORECAST"
WINDOW = 1440
PERIOD_S = 60
PLANT_TAGS = ["HM.POWER", "HX.T_SEC_SUP", "OUT.T", "HX.T_SEC_RET", "BLDG.T_IN", "HX.T_PRI_SUP"]
# The weather service's outdoor temperature forecast (simulator/physics/weather.ts): issued hourly on the hour, for
# 1/2/3/6/12/24 h after the issue and the 24-h mean, and the minutes since the issue.
FORECAST_H = [1, 2, 3, 6, 12, 24]
FORECAST_TAGS = [f"OUT.T_FC_{h}H" for h in FORECAST_H] + ["OUT.T_FC_MEAN24H"]
TAGS = PLANT_TAGS + FORECAST_TAGS + ["OUT.FC_AGE"]
NP = len(PLANT_TAGS)
NF = len(FORECAST_TAGS)
AGE = NP + NF  # channel of the forecast's age
HOUR = len(TAGS)  # channels HOUR, HOUR + 1: hour of day sin/cos; HOUR + 2, + 3: day of week
SHORT_H = [15, 30, 60]
LOAD_HOURS = 24
QUANTILES = [0.1, 0.5, 0.9]
# Scales: pooling (min) and how many of the latest pooled points each scale looks at.
SCALES = [(1, 60), (5, 72), (15, 96), (60, 24)]
D = 32
N_SHORT = 2 * len(SHORT_H)
N_TARGETS = N_SHORT + LOAD_HOURS  # medians; bands come as two positive offsets each
RIDGE = 10.0  # ridge penalty of the residual model (normalized features), chosen by forecaster_cv.py


class MultiscaleMixer(nn.Module):
    def __init__(self, mean: np.ndarray, std: np.ndarray, n_channels: int, base: "ResidualForecaster | None" = None) -> None:
        super().__init__()
        # With a base model the mixer learns only the correction to the base's medians (the base is fixed).
        self.base = base
        self.c = n_channels  # tag channels + hour sin/cos (the day-of-week channels are not used)
        self.time_mix = nn.ModuleList()
        self.trend_mix = nn.ModuleList()
        for _, length in SCALES:
            self.time_mix.append(nn.Sequential(nn.Linear(length, D), nn.GELU(), nn.Linear(D, D)))
            self.trend_mix.append(nn.Sequential(nn.Linear(length, D), nn.GELU(), nn.Linear(D, D)))
        # Cross-scale mixing: seasonal bottom-up, trend top-down.
        self.up = nn.ModuleList([nn.Linear(D, D) for _ in SCALES[1:]])
        self.down = nn.ModuleList([nn.Linear(D, D) for _ in SCALES[1:]])
        self.channel_mix = nn.Sequential(nn.Linear(self.c, self.c * 2), nn.GELU(), nn.Linear(self.c * 2, self.c))
        self.heads = nn.ModuleList([nn.Linear(self.c * D, 3 * N_TARGETS) for _ in SCALES])
        if base is not None:  # start exactly at the base model
            for head in self.heads:
                nn.init.zeros_(head.weight)
                nn.init.zeros_(head.bias)
        # Band widths calibrated after training on a separate run (split conformal): scale of the lower and upper offsets.
        self.register_buffer("band_scale", torch.ones(2, N_TARGETS))
        # Or, once set by calibrate_bands, the shipped bands: the median plus a constant offset per output, as the
        # other candidates have (the learned widths then only shape the training).
        self.constant_bands = False
        self.register_buffer("q_lo", torch.zeros(N_TARGETS))
        self.register_buffer("q_hi", torch.zeros(N_TARGETS))

    @staticmethod
    def decompose(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        # x: [B, C, L]; trend = moving average (kernel 5, edge-padded).
        pad = torch.cat([x[:, :, :1], x[:, :, :1], x, x[:, :, -1:], x[:, :, -1:]], dim=2)
        trend = nn.functional.avg_pool1d(pad, kernel_size=5, stride=1)
        return x - trend, trend

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: [B, window, channels] normalized; drop the day-of-week channels.
        x_in = x
        x = x[:, :, : self.c].transpose(1, 2)  # [B, C, W]
        seasonal, trend = [], []
        for (pool, length), tm, trm in zip(SCALES, self.time_mix, self.trend_mix):
            xs = x if pool == 1 else nn.functional.avg_pool1d(x, kernel_size=pool, stride=pool)
            xs = xs[:, :, -length:]
            s, t = self.decompose(xs)
            seasonal.append(tm(s))
            trend.append(trm(t))
        for i in range(1, len(SCALES)):  # fine → coarse
            seasonal[i] = seasonal[i] + self.up[i - 1](seasonal[i - 1])
        for i in range(len(SCALES) - 2, -1, -1):  # coarse → fine
            trend[i] = trend[i] + self.down[i](trend[i + 1])
        out = 0
        for i, head in enumerate(self.heads):
            z = seasonal[i] + trend[i]  # [B, C, D]
            z = z + self.channel_mix(z.transpose(1, 2)).transpose(1, 2)
            out = out + head(z.flatten(1))
        out = out.view(-1, 3, N_TARGETS)
        # Anchors: the last 15 min of power and supply temperature, the last hour of power for the load.
        p15 = x[:, 0, -15:].mean(dim=1, keepdim=True)
        t15 = x[:, 1, -15:].mean(dim=1, keepdim=True)
        p60 = x[:, 0, -60:].mean(dim=1, keepdim=True)
        anchor = torch.cat([p15.expand(-1, len(SHORT_H)), t15.expand(-1, len(SHORT_H)), p60.expand(-1, LOAD_HOURS)], dim=1)
        if self.base is not None:
            anchor = self.base.median(x_in)
        median = anchor + out[:, 0]
        if self.constant_bands:
            return torch.cat([median + self.q_lo, median, median + self.q_hi], dim=1)
        lower = median - nn.functional.softplus(out[:, 1]) * self.band_scale[0]
        upper = median + nn.functional.softplus(out[:, 2]) * self.band_scale[1]
        # [B, 3 * N_TARGETS]: all p10, then all p50, then all p90.
        return torch.cat([lower, median, upper], dim=1)


class LinearForecaster(nn.Module):
    """The plain candidate: each median a linear function of the recent levels (outdoor, power, supply and
    room temperature) and the hour of day; bands a constant offset per output from calibration residuals."""

    FEATURES = 7

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("weights", torch.zeros(self.FEATURES, N_TARGETS))
        self.register_buffer("q_lo", torch.zeros(N_TARGETS))
        self.register_buffer("q_hi", torch.zeros(N_TARGETS))

    @staticmethod
    def features(x: torch.Tensor) -> torch.Tensor:
        # Channels: 0 power, 1 supply, 2 outdoor, 3 return, 4 room, 5 primary supply, HOUR/HOUR + 1 hour sin/cos.
        last = x[:, -1, HOUR:HOUR + 2]
        recent10 = x[:, -10:, :].mean(dim=1)
        recent15 = x[:, -15:, :].mean(dim=1)
        ones = torch.ones_like(last[:, :1])
        return torch.cat([ones, last, recent10[:, 2:3], recent15[:, 0:1], recent15[:, 1:2], recent10[:, 4:5]], dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        median = self.features(x) @ self.weights
        return torch.cat([median + self.q_lo, median, median + self.q_hi], dim=1)


class ResidualForecaster(nn.Module):
    """Baseline plus learned correction. Each median is its baseline (persistence for the next hour: the
    last 5 min of its own signal; for the 24-h load the mean of the last hour) plus a linear function of
    features computed in the graph from the window: recent levels and changes of the tags, the outdoor
    temperature's level, square and products with the hour of day, hour of day (two harmonics, as the
    weather's daily cycle and the building's lag need) and the day's means. The 24 hourly means of the
    window (the same hours yesterday: the seasonal-naive values and their weather) were tried and left out:
    in leave-one-run-out cross-validation over the training and calibration runs
    (models/training/forecaster_cv.py) they did not help (yesterday's weather drift is nearly forgotten
    after 24 h). Band edges
    per output: the median plus a calibrated offset (quantiles of calibration residuals, split conformal)."""

    def __init__(self, n_features: int) -> None:
        super().__init__()
        self.register_buffer("weights", torch.zeros(n_features, N_TARGETS))
        self.register_buffer("q_lo", torch.zeros(N_TARGETS))
        self.register_buffer("q_hi", torch.zeros(N_TARGETS))

    @staticmethod
    def baseline(x: torch.Tensor) -> torch.Tensor:
        p5 = x[:, -5:, 0].mean(dim=1, keepdim=True)
        t5 = x[:, -5:, 1].mean(dim=1, keepdim=True)
        p60 = x[:, -60:, 0].mean(dim=1, keepdim=True)
        return torch.cat([p5.expand(-1, len(SHORT_H)), t5.expand(-1, len(SHORT_H)), p60.expand(-1, LOAD_HOURS)], dim=1)

    @staticmethod
    def features(x: torch.Tensor) -> torch.Tensor:
        # Channels: 0 power, 1 supply, 2 outdoor, 3 return, 4 room, 5 primary supply, the weather service's forecast
        # (NP … NP + NF - 1) and its age (AGE), hour sin/cos (HOUR, HOUR + 1), weekday (not used).
        s, c = x[:, -1, HOUR:HOUR + 1], x[:, -1, HOUR + 1:HOUR + 2]
        tags = x[:, :, :NP]
        m1, m5, m15, m60 = tags[:, -1], tags[:, -5:].mean(dim=1), tags[:, -15:].mean(dim=1), tags[:, -60:].mean(dim=1)
        prev15 = tags[:, -30:-15].mean(dim=1)
        day = tags.mean(dim=1)
        out10 = x[:, -10:, 2].mean(dim=1, keepdim=True)
        ones = torch.ones_like(s)
        # The latest forecast and its age: the forecast for a time between two published horizons is a straight line
        # between them whose weights move with the age, so forecast × age enters next to the forecast itself.
        fc = x[:, -1, NP:NP + NF]
        age = x[:, -1, AGE:AGE + 1]
        return torch.cat([
            ones, s, c, 2 * s * c, c * c - s * s,
            m1[:, 0:2], m5, m15, m60, m15 - prev15, day,
            out10, out10 * out10, out10 * s, out10 * c,
            age, fc, fc * age, fc[:, 0:2] * fc[:, 0:2],
        ], dim=1)

    def median(self, x: torch.Tensor) -> torch.Tensor:
        return self.baseline(x) + self.features(x) @ self.weights

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        median = self.median(x)
        return torch.cat([median + self.q_lo, median, median + self.q_hi], dim=1)


def leave_one_week_out_coverage(model, calib, tmean, tstd) -> dict:
    """The band calibration checked on the calibration weeks alone: each week's coverage by bands set from the others'
    residuals (all outputs, and the 24-h load), mean over the weeks."""
    res = []
    for s in calib:
        t = s.positions[::5]
        res.append(targets_at(s.power, s.temp, t) - predict(model, s, t, tmean, tstd)[:, 1])
    cov, cov_load = [], []
    for k, e in enumerate(res):
        rest = np.concatenate([x for i, x in enumerate(res) if i != k])
        inside = (e >= np.quantile(rest, 0.1, axis=0)) & (e <= np.quantile(rest, 0.9, axis=0))
        cov.append(inside.mean())
        cov_load.append(inside[:, 2 * len(SHORT_H):].mean())
    return {"calib_leave_one_week_out_band80_coverage": r(np.mean(cov)), "calib_leave_one_week_out_band80_coverage_load24h": r(np.mean(cov_load)),
            "calib_leave_one_week_out_band80_coverage_load24h_min": r(np.min(cov_load))}


def calibrate_bands(model, calib, tmean, tstd):
    """80 % bands of a fitted linear candidate: the 10th and 90th percentiles of its residuals on the calibration runs."""
    res = []
    for s in calib:
        t = s.positions[::5]
        p = predict(model, s, t, tmean, tstd)
        res.append(targets_at(s.power, s.temp, t) - p[:, 1])
    res = np.concatenate(res)
    with torch.no_grad():
        model.q_lo.copy_(torch.from_numpy((np.quantile(res, 0.1, axis=0) / tstd).astype(np.float32)))
        model.q_hi.copy_(torch.from_numpy((np.quantile(res, 0.9, axis=0) / tstd).astype(np.float32)))


def fit_residual(train: list["Series"], calib: list["Series"], tmean, tstd, ridge: float = 1.0, stride: int = 2, log=print) -> ResidualForecaster:
    xs, ys = [], []
    for s in train:
        t = s.positions[::stride]
        for b in range(0, len(t), 512):
            tb = t[b:b + 512]
            with torch.no_grad():
                w = torch.from_numpy(s.windows(tb))
                xs.append(ResidualForecaster.features(w).numpy())
                base = ResidualForecaster.baseline(w).numpy()
            ys.append((targets_at(s.power, s.temp, tb) - tmean) / tstd - base)
    X, Y = np.concatenate(xs).astype(np.float64), np.concatenate(ys).astype(np.float64)
    model = ResidualForecaster(X.shape[1])
    reg = ridge * np.eye(X.shape[1])
    reg[0, 0] = 0.0
    w = np.linalg.solve(X.T @ X + reg, X.T @ Y)
    with torch.no_grad():
        model.weights.copy_(torch.from_numpy(w.astype(np.float32)))
    calibrate_bands(model, calib, tmean, tstd)
    log(f"forecaster: residual candidate fitted ({X.shape[1]} features, {len(X)} windows), bands from calibration residuals")
    return model


# The simulated weather (simulator/physics/weather.ts, defaultWeather): daily cycle -2 ± 4 °C, warmest at 15:00 UTC,
# plus a drift (Ornstein-Uhlenbeck, 8 h correlation time). Used only for the upper-bound checks below.
WEATHER_MEAN_C, WEATHER_AMPLITUDE_K, WEATHER_PEAK_H, WEATHER_TAU_MIN = -2.0, 4.0, 15.0, 8 * 60.0


def oracle_bounds(train_series_runs: list[Run], test_runs: list[Run], mean, std, log=print) -> dict:
    """How much of the hour-ahead error is the weather's, on the held-out weeks.
    service: the weather service's forecast of the outdoor temperature in 60 min (what the model is given) against
    persistence.
    outdoor: the weather model's own conditional mean (the exact daily cycle and the drift now, decaying with its
    correlation time) against persistence for the outdoor temperature in 60 min: no forecaster of the outdoor
    temperature can do better on average, and heat power and supply temperature follow the outdoor temperature
    through the heating curve within minutes.
    clairvoyant: the residual model's features plus the outdoor temperature actually measured over the next hour
    (unknowable at run time): the share of the 60-min error that is the future weather."""
    def cycle(tms: np.ndarray) -> np.ndarray:
        h = (tms / 3.6e6) % 24
        return WEATHER_MEAN_C + WEATHER_AMPLITUDE_K * np.cos(2 * np.pi * (h - WEATHER_PEAK_H) / 24)

    def rows(run: Run, stride: int):
        s = Series(run, mean, std)
        t = s.positions[::stride]
        xs = []
        with torch.no_grad():
            for b in range(0, len(t), 512):
                xs.append(ResidualForecaster.features(torch.from_numpy(s.windows(t[b:b + 512]))).numpy())
        out = run.col("OUT.T").astype(np.float64)
        csum = np.concatenate([[0.0], np.cumsum(out)])
        fut = np.stack([out[t + 15], out[t + 30], out[t + 60], (csum[t + 61] - csum[t + 1]) / 60], axis=1)
        X = np.concatenate([np.concatenate(xs).astype(np.float64), (fut - mean[2]) / std[2]], axis=1)
        y = targets_at(s.power, s.temp, t)[:, [SHORT_H.index(60), len(SHORT_H) + SHORT_H.index(60)]].astype(np.float64)
        pers = np.stack([s.power[t], s.temp[t]], axis=1).astype(np.float64)
        return X, y, pers, t, out, run.times.astype(np.float64)

    tr = [rows(run, 4) for run in train_series_runs]
    X, Y = np.concatenate([a[0] for a in tr]), np.concatenate([a[1] for a in tr])
    w = np.linalg.lstsq(X, Y, rcond=None)[0]
    te = [rows(run, 5) for run in test_runs]
    X, Y, P = (np.concatenate([a[i] for a in te]) for i in range(3))
    e_clair, e_pers = np.abs(X @ w - Y).mean(axis=0), np.abs(P - Y).mean(axis=0)
    eo, ep, es = [], [], []
    for (_, _, _, t, out, tms), run in zip(te, test_runs):
        k = np.arange(-9, 1)
        drift = (out[t[:, None] + k] - cycle(tms[t[:, None] + k])).mean(axis=1)
        expect = cycle(tms[t] + 3.6e6) + drift * np.exp(-60 / WEATHER_TAU_MIN)
        eo.append(np.abs(expect - out[t + 60]))
        ep.append(np.abs(out[t] - out[t + 60]))
        # The weather service's forecast for the same time: between its +1 h and +2 h values by the age of the issue.
        age = run.col("OUT.FC_AGE")[t].astype(np.float64)
        f1, f2 = run.col("OUT.T_FC_1H")[t].astype(np.float64), run.col("OUT.T_FC_2H")[t].astype(np.float64)
        es.append(np.abs(f1 + (age / 60.0) * (f2 - f1) - out[t + 60]))
    m = {
        "oracle_outdoor_skill_60m_vs_persistence": r(1 - np.concatenate(eo).mean() / np.concatenate(ep).mean()),
        "service_outdoor_mae_60m_k": r(np.concatenate(es).mean(), 3),
        "service_outdoor_skill_60m_vs_persistence": r(1 - np.concatenate(es).mean() / np.concatenate(ep).mean()),
        "clairvoyant_power_skill_60m_vs_persistence": r(1 - e_clair[0] / e_pers[0]),
        "clairvoyant_tsup_skill_60m_vs_persistence": r(1 - e_clair[1] / e_pers[1]),
    }
    log(f"forecaster upper bounds on the held-out weeks: {m}")
    return m


def fit_linear(train: list["Series"], calib: list["Series"], tmean, tstd, log=print) -> LinearForecaster:
    model = LinearForecaster()
    xs, ys = [], []
    for s in train:
        t = s.positions[::3]
        with torch.no_grad():
            xs.append(model.features(torch.from_numpy(s.windows(t)[:, -16:, :])).numpy())
        ys.append((targets_at(s.power, s.temp, t) - tmean) / tstd)
    X, Y = np.concatenate(xs).astype(np.float64), np.concatenate(ys).astype(np.float64)
    w = np.linalg.solve(X.T @ X + 1e-3 * np.eye(X.shape[1]), X.T @ Y)
    with torch.no_grad():
        model.weights.copy_(torch.from_numpy(w.astype(np.float32)))
    calibrate_bands(model, calib, tmean, tstd)
    log("forecaster: linear candidate fitted, bands from calibration residuals")
    return model


def median_score(model: nn.Module, series: list["Series"], tmean, tstd) -> float:
    """Mean absolute error of the medians in normalized units over all outputs (model selection on the calibration weeks)."""
    err = []
    for s in series:
        t = s.positions[::5]
        err.append(np.abs(predict(model, s, t, tmean, tstd)[:, 1] - targets_at(s.power, s.temp, t)) / tstd)
    return float(np.concatenate(err).mean())


def targets_at(power: np.ndarray, temp: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Targets for windows ending at rows t: short horizons (power, temperature) and hourly mean load."""
    cols = [power[t + h] for h in SHORT_H] + [temp[t + h] for h in SHORT_H]
    csum = np.concatenate([[0.0], np.cumsum(power.astype(np.float64))])
    for k in range(1, LOAD_HOURS + 1):
        a, b = t + 1 + 60 * (k - 1), t + 1 + 60 * k
        cols.append((csum[b] - csum[a]) / 60.0)
    return np.stack(cols, axis=1).astype(np.float32)


def seasonal_naive(power: np.ndarray, temp: np.ndarray, t: np.ndarray) -> np.ndarray:
    return targets_at(power, temp, t - 1440)


def persistence(power: np.ndarray, temp: np.ndarray, t: np.ndarray) -> np.ndarray:
    cols = [power[t]] * len(SHORT_H) + [temp[t]] * len(SHORT_H) + [power[t]] * LOAD_HOURS
    return np.stack(cols, axis=1).astype(np.float32)


class Series:
    def __init__(self, run: Run, mean: np.ndarray, std: np.ndarray) -> None:
        raw = np.stack([run.col(t) for t in TAGS], axis=1)
        self.raw = raw
        self.x = np.concatenate([(raw - mean) / std, time_features(run.times)], axis=1).astype(np.float32)
        self.power = run.col("HM.POWER")
        self.temp = run.col("HX.T_SEC_SUP")
        self.positions = np.arange(WINDOW - 1 + 0, len(raw) - 60 * LOAD_HOURS - 1)

    def windows(self, t: np.ndarray) -> np.ndarray:
        idx = t[:, None] + np.arange(-WINDOW + 1, 1)[None, :]
        return self.x[idx]


def pinball(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    loss = 0
    for qi, q in enumerate(QUANTILES):
        p = pred[:, qi * N_TARGETS:(qi + 1) * N_TARGETS]
        e = y - p
        loss = loss + torch.maximum(q * e, (q - 1) * e).mean()
    return loss


def train(train_runs: list[Run], calib_runs: list[Run], test_runs: list[Run], epochs: int = 8, log=print):
    raw = np.concatenate([np.stack([run.col(t) for t in TAGS], axis=1) for run in train_runs])
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    ranges = [training_range(raw[:, i]) for i in range(len(TAGS))]
    tr = [Series(run, mean, std) for run in train_runs]
    te = [Series(run, mean, std) for run in test_runs]
    # Targets normalized: power targets by the power channel's stats, temperature by its own.
    tmean = np.array([mean[0]] * len(SHORT_H) + [mean[1]] * len(SHORT_H) + [mean[0]] * LOAD_HOURS, dtype=np.float32)
    tstd = np.array([std[0]] * len(SHORT_H) + [std[1]] * len(SHORT_H) + [std[0]] * LOAD_HOURS, dtype=np.float32)

    cal = [Series(run, mean, std) for run in calib_runs]
    residual = fit_residual(tr, cal, tmean, tstd, ridge=RIDGE, stride=3, log=log)
    model = MultiscaleMixer(mean, std, len(TAGS) + 2, base=residual)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    rng = np.random.default_rng(7)
    samples = [(i, t) for i, s in enumerate(tr) for t in s.positions[::6]]
    steps_per_epoch = len(samples) // 128
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=epochs * steps_per_epoch)
    for epoch in range(epochs):
        order = rng.permutation(len(samples))
        model.train()
        total = 0.0
        for b in range(steps_per_epoch):
            batch = [samples[j] for j in order[b * 128:(b + 1) * 128]]
            xs, ys = [], []
            for i in set(k for k, _ in batch):
                t = np.array([tt for k, tt in batch if k == i])
                xs.append(tr[i].windows(t))
                ys.append((targets_at(tr[i].power, tr[i].temp, t) - tmean) / tstd)
            x = torch.from_numpy(np.concatenate(xs))
            y = torch.from_numpy(np.concatenate(ys))
            loss = pinball(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        log(f"forecaster epoch {epoch + 1}/{epochs} loss {total / steps_per_epoch:.4f}")
    model.eval()
    # One band calibration for every candidate: the median plus the 10 % and 90 % residual quantiles per output over
    # all calibration weeks (split conformal). The 24-h errors follow the weather forecast's error over about half a
    # day, so one week holds some fifteen independent episodes of it: with the plan's one calibration week (1.2.0) the
    # bands covered 73.2 % on the held-out weeks (24-h 71.1 %); the plan now has six.
    with torch.no_grad():
        model.constant_bands = True
    calibrate_bands(model, cal, tmean, tstd)
    log("forecaster: mixer bands from calibration residuals")
    linear = fit_linear(tr, cal, tmean, tstd, log)
    # "Whatever wins": chosen on the calibration weeks (lowest MAE over all 30 medians), every candidate reported on
    # the held-out weeks; the choice is not re-made there.
    candidates = {"residual": residual, "mixer": model, "linear": linear}
    scores = {k: r(median_score(m, cal, tmean, tstd)) for k, m in candidates.items()}
    winner = min(scores, key=scores.get)
    log(f"forecaster candidates on the calibration weeks (normalized MAE): {scores} -> {winner}")
    metrics, detail = evaluate(candidates[winner], te, tmean, tstd, ranges)
    for name, m in candidates.items():
        if name == winner:
            continue
        other, _ = evaluate(m, te, tmean, tstd, ranges)
        for key in ("power_skill_60m_vs_persistence", "tsup_skill_60m_vs_persistence", "load24h_skill_vs_seasonal_naive", "band80_coverage"):
            metrics[f"{name}_candidate_{key}"] = other[key]
    if len(cal) > 1:
        check = leave_one_week_out_coverage(candidates[winner], cal, tmean, tstd)
        log(f"forecaster bands checked on the calibration weeks alone: {check}")
        metrics.update(check)
    metrics.update(oracle_bounds(train_runs, test_runs, mean, std, log))
    stats = {"mean": mean, "std": std, "ranges": ranges, "tmean": tmean, "tstd": tstd, "winner": winner, "scores": scores,
             "calib_weeks": len(calib_runs)}
    return candidates[winner], stats, metrics, detail


def calibrate(model: MultiscaleMixer, series: list[Series], tmean, tstd, log=print) -> None:
    """Scale each band edge so that 10 % of a calibration run falls below the lower and 10 % above the upper edge."""
    p, y = [], []
    for s in series:
        t = s.positions[::5]
        p.append(predict(model, s, t, tmean, tstd))
        y.append(targets_at(s.power, s.temp, t))
    p, y = np.concatenate(p), np.concatenate(y)
    lo_off = np.maximum(p[:, 1] - p[:, 0], 1e-6)
    hi_off = np.maximum(p[:, 2] - p[:, 1], 1e-6)
    s_lo = np.quantile((p[:, 1] - y) / lo_off, 0.9, axis=0)
    s_hi = np.quantile((y - p[:, 1]) / hi_off, 0.9, axis=0)
    scale = np.clip(np.stack([s_lo, s_hi]), 0.5, 3.0).astype(np.float32)
    with torch.no_grad():
        model.band_scale.mul_(torch.from_numpy(scale))
    log(f"forecaster band calibration: lower x{scale[0].mean():.2f}, upper x{scale[1].mean():.2f} (mean over outputs)")


def predict(model: nn.Module, s: Series, t: np.ndarray, tmean: np.ndarray, tstd: np.ndarray) -> np.ndarray:
    out = []
    with torch.no_grad():
        for b in range(0, len(t), 256):
            out.append(model(torch.from_numpy(s.windows(t[b:b + 256]))).numpy())
    p = np.concatenate(out).reshape(len(t), 3, N_TARGETS)
    return p * tstd[None, None, :] + tmean[None, None, :]


def evaluate(model, series: list[Series], tmean, tstd, ranges, stride: int = 5):
    preds, ys, pers, snaive, refused, total = [], [], [], [], 0, 0
    for s in series:
        t = s.positions[::stride]
        t = t[t >= 1440 + WINDOW - 1 - 1440]  # seasonal naive needs yesterday: always true (window is a day)
        idx = t[:, None] + np.arange(-WINDOW + 1, 1)[None, :]
        win = s.raw[idx]  # [N, W, C]
        ok = np.ones(len(t), dtype=bool)
        for c, (lo, hi) in enumerate(ranges):
            ok &= (win[:, :, c].min(axis=1) >= lo) & (win[:, :, c].max(axis=1) <= hi)
        total += len(t)
        refused += int((~ok).sum())
        t = t[ok]
        preds.append(predict(model, s, t, tmean, tstd))
        ys.append(targets_at(s.power, s.temp, t))
        pers.append(persistence(s.power, s.temp, t))
        snaive.append(seasonal_naive(s.power, s.temp, t))
    p, y, pe, sn = (np.concatenate(a) for a in (preds, ys, pers, snaive))
    med = p[:, 1]
    mae = np.abs(med - y).mean(axis=0)
    mae_p = np.abs(pe - y).mean(axis=0)
    mae_s = np.abs(sn - y).mean(axis=0)
    cover = ((y >= p[:, 0]) & (y <= p[:, 2])).mean(axis=0)
    n = len(SHORT_H)
    i60 = SHORT_H.index(60)
    load = slice(2 * n, 2 * n + LOAD_HOURS)
    m = {
        "heldout_windows": int(len(y)),
        "refused_share": r(refused / max(total, 1)),
        "power_mae_60m_kw": r(mae[i60], 2),
        "power_mae_60m_persistence_kw": r(mae_p[i60], 2),
        "power_mae_60m_seasonal_naive_kw": r(mae_s[i60], 2),
        "power_skill_60m_vs_persistence": r(1 - mae[i60] / mae_p[i60]),
        "tsup_mae_60m_k": r(mae[n + i60], 3),
        "tsup_mae_60m_persistence_k": r(mae_p[n + i60], 3),
        "tsup_skill_60m_vs_persistence": r(1 - mae[n + i60] / mae_p[n + i60]),
        "load24h_mae_kw": r(mae[load].mean(), 2),
        "load24h_mae_seasonal_naive_kw": r(mae_s[load].mean(), 2),
        "load24h_mae_persistence_kw": r(mae_p[load].mean(), 2),
        "load24h_skill_vs_seasonal_naive": r(1 - mae[load].mean() / mae_s[load].mean()),
        "band80_coverage_short": r(cover[: 2 * n].mean()),
        "band80_coverage_load24h": r(cover[load].mean()),
        "band80_coverage": r(cover.mean()),
    }
    for i, h in enumerate(SHORT_H):
        m[f"power_mae_{h}m_kw"] = r(mae[i], 2)
        m[f"power_skill_{h}m_vs_persistence"] = r(1 - mae[i] / mae_p[i])
        m[f"tsup_mae_{h}m_k"] = r(mae[n + i], 3)
    detail = {"mae": mae, "mae_persistence": mae_p, "mae_seasonal": mae_s, "coverage": cover}
    return m, detail


def output_values(mean: np.ndarray, std: np.ndarray) -> list[dict]:
    values = []
    qname = {0.1: "P10", 0.5: "P50", 0.9: "P90"}
    for qi, q in enumerate(QUANTILES):
        for i, h in enumerate(SHORT_H):
            values.append({"name": f"HM_POWER_{h}M_{qname[q]}", "index": qi * N_TARGETS + i, "q": q, "h": h, "kind": "power"})
            values.append({"name": f"T_SEC_SUP_{h}M_{qname[q]}", "index": qi * N_TARGETS + len(SHORT_H) + i, "q": q, "h": h, "kind": "temp"})
        for k in range(1, LOAD_HOURS + 1):
            values.append({"name": f"LOAD_H{k:02d}_{qname[q]}", "index": qi * N_TARGETS + 2 * len(SHORT_H) + k - 1, "q": q, "h": 60 * k, "kind": "load"})
    out = []
    for v in sorted(values, key=lambda v: v["index"]):
        band = {0.1: ("lower band edge (10 %)", "下限(10 %分位)"), 0.5: ("median", "中位数"), 0.9: ("upper band edge (90 %)", "上限(90 %分位)")}[v["q"]]
        if v["kind"] == "power":
            desc = {"en": f"Heat power in {v['h']} min, {band[0]}", "zh": f"{v['h']}分钟后热功率,{band[1]}"}
            unit, dec, dn = "kW", 0, (mean[0], std[0])
        elif v["kind"] == "temp":
            desc = {"en": f"Secondary supply temperature in {v['h']} min, {band[0]}", "zh": f"{v['h']}分钟后二次供水温度,{band[1]}"}
            unit, dec, dn = "°C", 2, (mean[1], std[1])
        else:
            k = v["h"] // 60
            desc = {"en": f"Mean heat load in hour {k} from now, {band[0]}", "zh": f"未来第{k}小时平均热负荷,{band[1]}"}
            unit, dec, dn = "kW", 0, (mean[0], std[0])
        entry = {"name": v["name"], "description": desc, "unit": unit, "index": v["index"], "horizonMin": v["h"],
                 "quantile": v["q"], "decimals": dec, "denormalize": {"mean": r(dn[0], 6), "std": r(dn[1], 6)}}
        # Medians name what they forecast and their error on the card, so the station can
        # measure the realized error against it (main/runtime/predictions/forecast-monitor.ts).
        if v["q"] == 0.5 and v["kind"] in ("power", "temp"):
            entry["target"] = "SS01.HM.POWER" if v["kind"] == "power" else "SS01.HX.T_SEC_SUP"
            entry["cardMetric"] = f"power_mae_{v['h']}m_kw" if v["kind"] == "power" else f"tsup_mae_{v['h']}m_k"
        out.append(entry)
    return out


CANDIDATE_TEXT = {
    "residual": "Shipped: the residual model. Each median is its baseline (persistence for the next hour; the last hour's mean for the 24-h load) plus a "
                "ridge-regression correction from features computed in the graph: recent levels and changes of the six plant tags, outdoor temperature level, "
                "square and interaction with the hour of day, two harmonics of the hour of day, the day's means, and the weather service's latest forecast "
                "(its seven values, the same times its age, the squares of the +1 h and +2 h values) (feature set and ridge penalty chosen by "
                "leave-one-run-out cross-validation over the training and calibration runs, models/training/forecaster_cv.py); bands a constant offset per output from the calibration weeks' residual quantiles.",
    "mixer": "Shipped: the residual model (baseline persistence / last hour's mean plus a ridge correction from the plant tags, the hour of day and the "
             "weather service's forecast) with the multiscale mixing model in the spirit of TimeMixer (scales 1/5/15/60 min over all 14 input tags, "
             "trend/seasonal mixing, one predictor per scale) learning the correction to its medians (pinball loss); bands a constant offset per output "
             "from the calibration weeks' residual quantiles (split conformal), as for the other candidates.",
    "linear": "Shipped: the linear candidate (medians linear in the recent outdoor, power, supply and room temperature levels and the hour of day; "
              "bands a constant offset per output from the calibration weeks' residual quantiles).",
}


def manifest(stats: dict, metrics: dict, sha: str, date: str, rev: str, train_desc: str) -> dict:
    mean, std = stats["mean"], stats["std"]
    return {
        "manifestVersion": 1,
        "name": NAME,
        "version": "1.2.1",
        "kind": "forecast",
        "description": {
            "en": "Substation SS01: heat power and secondary supply temperature for the next hour with 80 % bands, and the heat load for each of the next 24 hours.",
            "zh": "换热站SS01:未来1小时热功率和二次供水温度(含80 %区间),以及未来24小时逐时热负荷。",
        },
        "file": f"{NAME.lower()}.onnx",
        "sha256": sha,
        "opset": 17,
        "input": {
            "tensor": "window",
            "periodS": PERIOD_S,
            "window": WINDOW,
            "tags": [{"tag": f"{PREFIX}.{t}", "mean": r(mean[i], 6), "std": r(std[i], 6), "trainingRange": stats["ranges"][i]} for i, t in enumerate(TAGS)],
            "timeFeatures": True,
            "fill": "linear",
            "maxMissingShare": 0.1,
            "frozenBelow": 0.01,
        },
        "output": {"tensor": "forecast", "values": output_values(mean, std)},
        "schedule": {"everyS": 60},
        "thresholds": [],
        "card": {
            "trainingData": train_desc,
            "metrics": metrics,
            "date": date,
            "codeRevision": rev,
            "notes": (
                CANDIDATE_TEXT[stats["winner"]] +
                f" Chosen on the calibration weeks by the mean absolute error over all 30 medians (normalized: {stats['scores']}); every other "
                "candidate's held-out figures are its <name>_candidate_* metrics, and the choice is not re-made on the held-out weeks. "
                "Metrics on held-out simulated weeks (other seeds and dates than training), windows every 5 min. Band edges calibrated (split conformal) on "
                f"{stats['calib_weeks']} separate fault-free weeks (other seeds and dates): the weather forecast's error is correlated over about half a day, so "
                "one week holds only some fifteen independent episodes of it. Band coverage is measured, not assumed (band80_coverage_load24h for the 24-h bands); "
                "without the held-out weeks, each calibration week covered by bands set from the other weeks gives calib_leave_one_week_out_*. "
                "Persistence = the value now; seasonal naive = the same time yesterday. Hour-of-day features are UTC (the simulated plant's day); "
                "the day-of-week features are not used (the simulated weather has no weekly pattern). "
                "Inputs include the weather service's outdoor temperature forecast as the plant receives it (simulator/physics/weather.ts: issued hourly on the hour "
                "for +1/2/3/6/12/24 h and the 24-h mean, computed from the weather that will happen plus an error of about 0.5 K at 1 h growing to 1.8 K at 24 h, "
                "correlated from one issue to the next) and its age in minutes. Without it the 60-min target was out of reach: the outdoor temperature's drift "
                "(Ornstein-Uhlenbeck, 8 h correlation time) is close to a random walk over one hour, and the weather model's own conditional mean from the present "
                "beats persistence for the outdoor temperature in 60 min by only oracle_outdoor_skill_60m_vs_persistence; the service's forecast beats it by "
                "service_outdoor_skill_60m_vs_persistence. Given the outdoor temperature actually measured over the next hour (unknowable at run time) the residual "
                "model's features would reach clairvoyant_power_skill_60m_vs_persistence: the rest of the error is the forecast's own."
            ),
        },
    }
