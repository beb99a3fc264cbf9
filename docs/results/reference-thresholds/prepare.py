"""Cuts the CSV recordings of the reference-threshold check from the CWRU files (needs python3 with numpy and scipy).
Usage: python3 prepare.py ../shared/data/cwru DIR
Writes DIR/fe-reference.csv and DIR/fe-heldout.csv (the first and second half of the fan-end sensor of the healthy
recording normal/97.mat, 48 kHz), DIR/de-test.csv (the last 20 % of its drive-end sensor, the protocol's test region)
and DIR/faults/NNN-fe.csv (the fan-end sensor of each fault recording, 12 kHz)."""
import glob, os, sys
import numpy as np
import scipy.io

data, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, 'faults'), exist_ok=True)


def write(name, x, column):
    np.savetxt(os.path.join(out, name), x, fmt='%.6f', header=column, comments='')


healthy = scipy.io.loadmat(os.path.join(data, 'normal', '97.mat'))
fe, de = healthy['X097_FE_time'].ravel(), healthy['X097_DE_time'].ravel()
write('fe-reference.csv', fe[:len(fe) // 2], 'fe')
write('fe-heldout.csv', fe[len(fe) // 2:], 'fe')
write('de-test.csv', de[int(0.8 * len(de)):], 'de')
for f in sorted(glob.glob(os.path.join(data, '12k_drive_end', '*.mat'))):
    m = scipy.io.loadmat(f)
    key = next(k for k in m if k.endswith('_FE_time'))
    write(os.path.join('faults', os.path.basename(f).replace('.mat', '-fe.csv')), m[key].ravel(), 'fe')
