import json, sys
d = json.load(open(sys.argv[1]))
print('| seed | healthy FE, held-out half: flagged unknown, validation thresholds → reference | healthy DE (test region): flagged unknown | FE of the 36 fault recordings: unknown / called a fault / called normal, validation thresholds | the same, reference thresholds |')
print('| ---: | ---: | ---: | ---: | ---: |')
for m, v in d['models'].items():
    seed = m.split('seed')[-1].split('/')[0]
    b, a = v['before'], v['after']
    f = lambda r: f"{100*r['unknown']:.1f} / {100*r['called_fault']:.1f} / {100*r['called_normal']:.1f}"
    print(f"| {seed} | {100*b['fe_healthy_heldout']['unknown']:.1f} → {100*a['fe_healthy_heldout']['unknown']:.1f} % | {100*b['de_healthy_test']['unknown']:.1f} → {100*a['de_healthy_test']['unknown']:.1f} % | {f(b['fe_faults'])} | {f(a['fe_faults'])} |")

# File level: the 36 fault recordings' fan-end files, by what each file's decision was (CWRU file numbers → class).
TRUTH = {}
for (first, last), c in [((105, 108), 'IR007'), ((118, 121), 'B007'), ((130, 133), 'OR007'), ((169, 172), 'IR014'),
                         ((185, 188), 'B014'), ((197, 200), 'OR014'), ((209, 212), 'IR021'), ((222, 225), 'B021'),
                         ((234, 237), 'OR021')]:
    for n in range(first, last + 1):
        TRUTH[f'{n}-fe.csv'] = c
family = lambda c: 'B' if c.startswith('B') else c[:2]
print()
print('| seed | thresholds | unknown | uncertain | normal (missed) | a fault of the wrong family | the right family |')
print('| ---: | --- | ---: | ---: | ---: | ---: | ---: |')
for m, v in d['models'].items():
    seed = m.split('seed')[-1].split('/')[0]
    for when, name in (('before', 'validation'), ('after', 'reference')):
        n = {'unknown': 0, 'uncertain': 0, 'normal': 0, 'wrong': 0, 'right': 0}
        for f, o in v[when]['fe_faults']['files'].items():
            if o in ('unknown', 'uncertain', 'normal'):
                n[o] += 1
            elif o in TRUTH.values():
                n['right' if family(o) == family(TRUTH[f]) else 'wrong'] += 1
        print(f"| {seed} | {name} | {n['unknown']} | {n['uncertain']} | {n['normal']} | {n['wrong']} | {n['right']} |")
