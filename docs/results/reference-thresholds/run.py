"""Reference thresholds on another sensor: before/after `calibrate --reference`, per model bundle.
Usage: python3 run.py CSV_DIR OUT_DIR CLASSPATH MODEL...  (CSV_DIR from prepare.py; CLASSPATH of the CLI)"""
import json, subprocess, sys, os, glob
T, out, cp, models = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
JAVA = ['java', '-Xmx3g', '--add-modules', 'jdk.incubator.vector',
        '-cp', cp, 'io.github.drsn.cli.Main']
FAULTS = sorted(glob.glob(T + '/faults/*.csv'))
SETS = {  # name: (files, rate, hop)
    'fe_healthy_heldout': ([T + '/fe-heldout.csv'], 48000, 256),
    'de_healthy_test': ([T + '/de-test.csv'], 48000, 256),
    'fe_faults': (FAULTS, 12000, 2048),
}

def cli(*args):
    r = subprocess.run(JAVA + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'{args[0]} failed ({r.returncode}): {r.stderr[-2000:]}')
    return r

def measure(model):
    res = {}
    for name, (files, rate, hop) in SETS.items():
        js = json.loads(cli('predict', '--model', model, '--rate', str(rate), '--hop', str(hop), '--windows',
                            '--json', *files).stdout)
        n = unknown = normal = fault = 0
        file_outcomes = {}
        for f in js['files']:
            file_outcomes[os.path.basename(f['file'])] = f['diagnosis']
            for w in f['windows']:
                if w['outcome'] == 'unhealthy_input':
                    continue
                n += 1
                if w['outcome'] == 'unknown':
                    unknown += 1
                elif w['class'] == 'normal':
                    normal += 1
                else:
                    fault += 1
        res[name] = {'windows': n, 'unknown': unknown / n, 'called_normal': normal / n, 'called_fault': fault / n,
                     'files': file_outcomes}
    return res

summary = {'protocol': 'reference thresholds on the fan-end sensor (X097_FE_time, 48 kHz) of the healthy '
           'recording 97.mat, which no model saw: calibrate --reference on its first half (hop 256), measured on its '
           'second half (hop 256); the drive-end sensor of 97.mat, last 20 % (the protocol test region), hop 256; and '
           'the fan-end sensor of the 36 fault recordings (12 kHz), hop 2048', 'models': {}}
os.makedirs(out, exist_ok=True)
for model in models:
    ref = os.path.join(out, os.path.basename(os.path.dirname(model)) + '-reference.drsn')
    before = measure(model)
    cal = cli('calibrate', '--model', model, '--out', ref, '--rate', '48000', '--hop', '256', '--reference',
              T + '/fe-reference.csv')
    after = measure(ref)
    summary['models'][model] = {'before': before, 'after': after, 'calibrate_stdout': cal.stdout}
    print(model, json.dumps({k: {s: round(v[s]['unknown'], 3) for s in v} for k, v in
                              (('before', before), ('after', after))}), flush=True)
tmp = os.path.join(out, 'reference-thresholds.json.tmp')
json.dump(summary, open(tmp, 'w'), indent=1)
os.replace(tmp, os.path.join(out, 'reference-thresholds.json'))
