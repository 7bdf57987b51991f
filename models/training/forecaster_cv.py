"""Leave-one-run-out cross-validation of the residual forecaster's feature sets and ridge penalty over the
training and calibration runs (never the held-out weeks): skill of the 60-min power and supply temperature
medians against persistence and of the 24-h load against seasonal naive, per left-out run and mean.

    /usr/bin/python3 models/training/forecaster_cv.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np, torch
torch.set_num_threads(1)
from common import *
import forecaster as F
plan=build_plan(); runs=load_runs([p for p in plan if not p['faults']], DATA)
tr=[r for r in runs if r.split=='train']; ca=[r for r in runs if r.split=='calib']
raw=np.concatenate([np.stack([r.col(t) for t in F.TAGS],1) for r in tr]); mean,std=raw.mean(0),raw.std(0)
tmean = np.array([mean[0]]*3+[mean[1]]*3+[mean[0]]*24); tstd=np.array([std[0]]*3+[std[1]]*3+[std[0]]*24)
folds=[]
for run in tr+ca:
    s=F.Series(run,mean,std); t=s.positions[::3]; X=[];B=[]
    with torch.no_grad():
        for b in range(0,len(t),512):
            w=torch.from_numpy(s.windows(t[b:b+512])); X.append(F.ResidualForecaster.features(w).numpy()); B.append(F.ResidualForecaster.baseline(w).numpy())
    X=np.concatenate(X).astype(np.float64); B=np.concatenate(B).astype(np.float64)
    Y=(F.targets_at(s.power,s.temp,t)-tmean)/tstd
    P=(F.persistence(s.power,s.temp,t)-tmean)/tstd; SN=(F.seasonal_naive(s.power,s.temp,t)-tmean)/tstd
    folds.append((X,B,Y,P,SN))
R=lambda a,b: list(range(a,b))
# Features 0-40: the plant tags and hour of day (the 1.1.0 set); 41-57: the weather service's forecast (age, the seven
# values, the values times the age, the squares of the +1 h and +2 h values).
subsets={
 'H_all_with_service_forecast':R(0,58),
 'I_all_with_forecast_no_age_terms':R(0,41)+R(42,49)+R(56,58),
 'B_all':R(0,41),
 'C_notrend_noday':R(0,25)+R(37,41),
 'D_oldlinear':[0,1,2,37,13,14,17],
 'E_D+harm+outxhour':[0,1,2,3,4,37,38,39,40,13,14,17,19],
 'F_E+day':[0,1,2,3,4,37,38,39,40,13,14,17,19,31,33],
 'G_E+m5+trend':[0,1,2,3,4,37,38,39,40,13,14,17,19,7,8,9,25,26,27],
}
def cv(cols, ridge, tgt):
    sk=[]
    for k in range(len(folds)):
        Xtr=np.concatenate([f[0][:,cols] for i,f in enumerate(folds) if i!=k]); Ytr=np.concatenate([(f[2]-f[1])[:,tgt] for i,f in enumerate(folds) if i!=k])
        reg=ridge*np.eye(len(cols)); reg[0,0]=0
        w=np.linalg.solve(Xtr.T@Xtr+reg,Xtr.T@Ytr)
        X,B,Y,P,SN=folds[k]; pred=B[:,tgt]+X[:,cols]@w
        e=np.abs(pred-Y[:,tgt]).mean(0)
        base=P if tgt[0]<6 else SN
        eb=np.abs(base[:,tgt]-Y[:,tgt]).mean(0)
        sk.append(1-e.mean()/eb.mean())
    return np.round(sk,3), round(float(np.mean(sk)),4)
for name,cols in subsets.items():
    for ridge in (1,10,100):
        print(name, 'ridge', ridge, 'p60', cv(cols,ridge,[2]), 't60', cv(cols,ridge,[5])[1], 'load', cv(cols,ridge,R(6,30)), flush=True)
