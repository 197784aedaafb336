#!/usr/bin/python3
"""Helpers for scripts/bench/cuba-vs-brian2.sh (numpy only, no scipy).

  ours RAW OUT          extract the JSON object the neuromorphic CLI printed on stdout (file
                        RAW), check the keys the comparison needs, write it to OUT
  line WHO FILE         print one per-run line
  summary DIR ...       pooled comparison of DIR/ours-K.{json,rates} and DIR/brian-K.{json,rates}
                        for K = 1..REPEATS; prints it and writes it as JSON (--ours-only: no
                        Brian2 runs at this size, our figures alone)
  scaling OUT FILE...   one table over several sizes' summary JSON files; writes them as one
                        JSON object {"sizes": [...]} to OUT
"""
import argparse
import json
import math
import os
import platform
import sys

import numpy as np

OURS_KEYS = ['neurons', 'synapses', 'spikes', 'rate_hz', 'sim_loop_s', 'real_time_factor',
             'synaptic_events_per_s', 'bytes_per_synapse', 'seed']
QUANTILES = [10, 25, 50, 75, 90]


def die(msg):
    sys.exit(f'cuba_compare.py: {msg}')


def parse_ours(raw_path, out_path):
    with open(raw_path) as f:
        text = f.read()
    obj = None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        # Tolerate stray lines around the object: take the last line that parses as an object.
        for line in reversed(text.splitlines()):
            line = line.strip()
            if line.startswith('{'):
                try:
                    obj = json.loads(line)
                    break
                except json.JSONDecodeError:
                    continue
    if not isinstance(obj, dict):
        die(f'`bench cuba --json` did not print a JSON object on stdout; got:\n{text[:2000]}')
    missing = [k for k in OURS_KEYS if k not in obj]
    if missing:
        die(f'`bench cuba --json` output lacks key(s) {", ".join(missing)}; got keys '
            f'{", ".join(obj)}')
    for k in ['neurons', 'synapses', 'spikes', 'rate_hz', 'sim_loop_s', 'synaptic_events_per_s']:
        if not isinstance(obj[k], (int, float)) or isinstance(obj[k], bool):
            die(f'`bench cuba --json`: key {k} is not a number: {obj[k]!r}')
    obj.setdefault('simulator', 'neuromorphic')
    with open(out_path, 'w') as f:
        json.dump(obj, f)


def fmt_rate(x):
    if x is None:
        return 'n/a'
    return f'{x / 1e6:.2f} M/s'


def line(who, path):
    with open(path) as f:
        r = json.load(f)
    extra = ''
    if who == 'brian2' and 'main_wall_s' in r:
        extra = f'  (./main wall {r["main_wall_s"]:.3f} s, make {r["make_s"]:.1f} s)'
    print(f'  {who:<12} seed {r["seed"]:>3}: loop {r["sim_loop_s"]:8.3f} s  '
          f'RTF {r["real_time_factor"]:7.4f}  rate {r["rate_hz"]:6.3f} Hz  '
          f'spikes {r["spikes"]:>9}  synapses {r["synapses"]:>9}  '
          f'events {fmt_rate(r["synaptic_events_per_s"])}{extra}', flush=True)


def read_rates(path, neurons):
    rates = np.loadtxt(path, dtype=np.float64, ndmin=1)
    if rates.size != neurons:
        die(f'{path}: {rates.size} rates for {neurons} neurons')
    return rates


def ks_2samp(x, y):
    """Two-sample Kolmogorov-Smirnov statistic D and its asymptotic p-value.

    p from the Kolmogorov distribution with the Stephens correction
    lambda = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) D, ne = n m / (n + m) (Numerical Recipes
    "kstwo"). Ties (rates are multiples of 1/duration) make it conservative.
    """
    x = np.sort(np.asarray(x, dtype=np.float64))
    y = np.sort(np.asarray(y, dtype=np.float64))
    n, m = x.size, y.size
    grid = np.concatenate([x, y])
    cdf_x = np.searchsorted(x, grid, side='right') / n
    cdf_y = np.searchsorted(y, grid, side='right') / m
    d = float(np.max(np.abs(cdf_x - cdf_y)))
    en = math.sqrt(n * m / (n + m))
    lam = (en + 0.12 + 0.11 / en) * d
    if lam < 1e-3:
        return d, 1.0
    j = np.arange(1, 101)
    p = float(2.0 * np.sum((-1.0) ** (j - 1) * np.exp(-2.0 * j * j * lam * lam)))
    return d, min(1.0, max(0.0, p))


def median(values):
    values = [v for v in values if v is not None]
    return float(np.median(values)) if values else None


def mean(values):
    return float(np.mean(values)) if values else None


def side_summary(runs, pooled_rates):
    rates = [r['rate_hz'] for r in runs]
    return {
        'runs': len(runs),
        'median_sim_loop_s': median([r['sim_loop_s'] for r in runs]),
        'min_sim_loop_s': min(r['sim_loop_s'] for r in runs),
        'max_sim_loop_s': max(r['sim_loop_s'] for r in runs),
        'median_real_time_factor': median([r['real_time_factor'] for r in runs]),
        'median_synaptic_events_per_s': median([r['synaptic_events_per_s'] for r in runs]),
        'mean_rate_hz': mean(rates),
        'sd_rate_hz': float(np.std(rates, ddof=1)) if len(rates) > 1 else None,
        'mean_synapses': mean([r['synapses'] for r in runs]),
        'mean_spikes': mean([r['spikes'] for r in runs]),
        'rate_quantiles_hz': {f'p{q}': float(v) for q, v in
                              zip(QUANTILES, np.percentile(pooled_rates, QUANTILES))},
        'pooled_neuron_rate_mean_hz': float(pooled_rates.mean()),
        'fraction_silent_neurons': float(np.mean(pooled_rates == 0)),
    }


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for l in f:
                if l.startswith('model name'):
                    return l.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def summary(args):
    d = args.dir
    seeds = list(range(1, args.repeats + 1))
    ours, brian = [], []
    ours_rates, brian_rates = [], []
    warnings = []
    sides = (('ours', ours, ours_rates),) if args.ours_only else \
        (('ours', ours, ours_rates), ('brian', brian, brian_rates))
    for k in seeds:
        for who, runs, pool in sides:
            with open(os.path.join(d, f'{who}-{k}.json')) as f:
                r = json.load(f)
            if r['neurons'] != args.neurons:
                warnings.append(f'{who} seed {k}: reports {r["neurons"]} neurons, asked {args.neurons}')
            rates = read_rates(os.path.join(d, f'{who}-{k}.rates'), r['neurons'])
            if abs(rates.mean() - r['rate_hz']) > 1e-6 * max(1.0, r['rate_hz']) + 1e-9:
                warnings.append(f'{who} seed {k}: mean of --rates file {rates.mean():.6f} Hz '
                                f'differs from rate_hz {r["rate_hz"]:.6f}')
            runs.append(r)
            pool.append(rates)
    ours_pool = np.concatenate(ours_rates)
    s_ours = side_summary(ours, ours_pool)
    s_ours['bytes_per_synapse'] = median([r['bytes_per_synapse'] for r in ours])
    s_ours['median_setup_s'] = median([r.get('setup_s') for r in ours])
    # CPU time of our loop (all threads): like Brian2's std::clock figure, not inflated by other
    # processes competing for the cores, unlike the wall time.
    s_ours['median_synaptic_events_per_cpu_s'] = median(
        [r['synaptic_events'] / r['loop_cpu_s'] for r in ours if r.get('loop_cpu_s')])
    s_ours['threads'] = ours[0].get('threads')
    s_ours['loop_threads'] = ours[0].get('loop_threads')
    if args.ours_only:
        result = {
            'benchmark': 'CUBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 2)',
            'neurons': args.neurons, 'duration_s': args.duration, 'repeats': args.repeats,
            'seeds': seeds,
            'host': {'cpu': cpu_model(), 'cores': os.cpu_count(), 'platform': platform.platform()},
            'brian2': None, 'ours': s_ours, 'ratio_events_per_s_ours_over_brian2': None,
            'mean_rate_relative_difference_pct': None, 'runs': {'ours': ours}, 'warnings': warnings,
        }
        with open(args.json_out, 'w') as f:
            json.dump(result, f, indent=2)
            f.write('\n')
        print(f'\nSummary: CUBA, {args.neurons} neurons, {args.duration:g} s simulated, ours only '
              f'(Brian2 not run at this size): median {s_ours["median_synaptic_events_per_s"] / 1e6:.2f} M '
              f'events/s, mean rate {s_ours["mean_rate_hz"]:.4f} Hz, '
              f'{s_ours["bytes_per_synapse"]:.3g} bytes/synapse')
        return
    brian_pool = np.concatenate(brian_rates)
    s_brian = side_summary(brian, brian_pool)
    ks_d, ks_p = ks_2samp(ours_pool, brian_pool)

    def ratio(a, b):
        return a / b if a is not None and b else None

    with open(os.path.join(d, 'brian-build.json')) as f:
        build = json.load(f)
    result = {
        'benchmark': 'CUBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 2)',
        'neurons': args.neurons,
        'duration_s': args.duration,
        'repeats': args.repeats,
        'seeds': seeds,
        'host': {'cpu': cpu_model(), 'cores': os.cpu_count(), 'platform': platform.platform()},
        'brian2': {
            'version': build.get('brian2_version'),
            'device': 'cpp_standalone, openmp_threads=0 (single thread)',
            'codegen_and_compile_s': build.get('codegen_and_compile_s'),
            'sim_loop_timing': 'Network::run loop measured with std::clock() (CPU time) by the '
                               'compiled program, read from results/last_run_info.txt (the file '
                               'Brian2 reads into device._last_run_time)',
            **s_brian,
        },
        'ours': s_ours,
        'ratio_events_per_s_ours_over_brian2': ratio(s_ours['median_synaptic_events_per_s'],
                                                     s_brian['median_synaptic_events_per_s']),
        'ratio_sim_loop_s_ours_over_brian2': ratio(s_ours['median_sim_loop_s'],
                                                   s_brian['median_sim_loop_s']),
        'ratio_events_per_cpu_s_ours_over_brian2': ratio(s_ours['median_synaptic_events_per_cpu_s'],
                                                         s_brian['median_synaptic_events_per_s']),
        'mean_rate_relative_difference_pct': (
            100.0 * (s_ours['mean_rate_hz'] - s_brian['mean_rate_hz']) / s_brian['mean_rate_hz']
            if s_brian['mean_rate_hz'] else None),
        'per_neuron_rates_ks': {'statistic': ks_d, 'p_value_asymptotic': ks_p,
                                'n_ours': int(ours_pool.size), 'n_brian2': int(brian_pool.size)},
        'runs': {'ours': ours, 'brian2': brian},
        'warnings': warnings,
    }
    with open(args.json_out, 'w') as f:
        json.dump(result, f, indent=2)
        f.write('\n')
    print_summary(result)


def print_summary(res):
    o, b = res['ours'], res['brian2']

    def f(x, spec):
        return 'n/a' if x is None else format(x, spec)

    print()
    print(f'Summary: CUBA, {res["neurons"]} neurons, {res["duration_s"]:g} s simulated, '
          f'{res["repeats"]} seeds ({", ".join(map(str, res["seeds"]))})')
    print(f'  host: {res["host"]["cpu"]} ({res["host"]["cores"]} cores); Brian2 '
          f'{res["brian2"]["version"]} cpp_standalone, 1 thread')
    print(f'  {"":34}{"ours":>16}{"Brian2":>16}')
    rows = [
        ('median sim-loop time (s)', o['median_sim_loop_s'], b['median_sim_loop_s'], '.4f'),
        ('median real-time factor', o['median_real_time_factor'], b['median_real_time_factor'], '.4f'),
        ('median synaptic events/s (M)',
         o['median_synaptic_events_per_s'] and o['median_synaptic_events_per_s'] / 1e6,
         b['median_synaptic_events_per_s'] and b['median_synaptic_events_per_s'] / 1e6, '.2f'),
        ('mean firing rate over seeds (Hz)', o['mean_rate_hz'], b['mean_rate_hz'], '.4f'),
        ('  sd over seeds (Hz)', o['sd_rate_hz'], b['sd_rate_hz'], '.4f'),
        ('mean synapses', o['mean_synapses'], b['mean_synapses'], '.1f'),
        ('silent neurons (%)', 100 * o['fraction_silent_neurons'],
         100 * b['fraction_silent_neurons'], '.2f'),
    ]
    for q in QUANTILES:
        rows.append((f'per-neuron rate p{q} (Hz)', o['rate_quantiles_hz'][f'p{q}'],
                     b['rate_quantiles_hz'][f'p{q}'], '.3f'))
    for name, x, y, spec in rows:
        print(f'  {name:<34}{f(x, spec):>16}{f(y, spec):>16}')
    print(f'  events/s ratio ours/Brian2:       {f(res["ratio_events_per_s_ours_over_brian2"], ".3f")}')
    print(f'  sim-loop time ratio ours/Brian2:  {f(res["ratio_sim_loop_s_ours_over_brian2"], ".3f")}')
    print(f'  events per CPU second ratio ours/Brian2 (both CPU time): '
          f'{f(res["ratio_events_per_cpu_s_ours_over_brian2"], ".3f")}')
    print(f'  mean rate difference (ours-Brian2)/Brian2: '
          f'{f(res["mean_rate_relative_difference_pct"], "+.2f")} %')
    ks = res['per_neuron_rates_ks']
    print(f'  per-neuron rates, two-sample KS (pooled, n={ks["n_ours"]} vs {ks["n_brian2"]}): '
          f'D = {ks["statistic"]:.4f}, p ~ {ks["p_value_asymptotic"]:.3g}')
    print(f'  our bytes per synapse: {f(o["bytes_per_synapse"], ".3g")}')
    print('  (Brian2 loop time is the CPU time std::clock() measures around Network::run\'s loop;')
    print('   its compile time, '
          f'{f(res["brian2"]["codegen_and_compile_s"], ".1f")} s, is excluded.)')
    for w in res['warnings']:
        print(f'  WARNING: {w}')


def scaling(args):
    sizes = []
    for path in args.files:
        with open(path) as f:
            sizes.append(json.load(f))
    with open(args.out, 'w') as f:
        json.dump({'benchmark': sizes[0]['benchmark'] if sizes else None,
                   'host': sizes[0]['host'] if sizes else None, 'sizes': sizes}, f, indent=2)
        f.write('\n')

    def f(x, spec):
        return 'n/a' if x is None else format(x, spec)

    print()
    print('Scaling (medians over seeds; ours on the threads shown, Brian2 cpp_standalone on 1 thread):')
    head = (f'  {"neurons":>10} {"sim s":>6} {"ours ev/s":>11} {"ours ev/cpu-s":>13} {"Brian2 ev/s":>12} {"ratio":>6} '
            f'{"ours Hz":>8} {"Brian2 Hz":>9} {"rate diff %":>11} {"B/syn":>6} {"set-up s":>8} {"threads":>7}')
    print(head)
    for r in sizes:
        o, b = r['ours'], r.get('brian2') or {}
        print(f'  {r["neurons"]:>10} {r["duration_s"]:>6g} {f(o["median_synaptic_events_per_s"], ".3e"):>11} '
              f'{f(o.get("median_synaptic_events_per_cpu_s"), ".3e"):>13} '
              f'{f(b.get("median_synaptic_events_per_s"), ".3e"):>12} '
              f'{f(r.get("ratio_events_per_s_ours_over_brian2"), ".2f"):>6} {f(o["mean_rate_hz"], ".3f"):>8} '
              f'{f(b.get("mean_rate_hz"), ".3f"):>9} '
              f'{f(r.get("mean_rate_relative_difference_pct"), "+.2f"):>11} {f(o["bytes_per_synapse"], ".3g"):>6} '
              f'{f(o.get("median_setup_s"), ".2f"):>8} {f(o.get("loop_threads"), "d"):>7}')


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('ours')
    p.add_argument('raw')
    p.add_argument('out')
    p = sub.add_parser('line')
    p.add_argument('who')
    p.add_argument('file')
    p = sub.add_parser('summary')
    p.add_argument('dir')
    p.add_argument('--repeats', type=int, required=True)
    p.add_argument('--neurons', type=int, required=True)
    p.add_argument('--duration', type=float, required=True)
    p.add_argument('--json-out', required=True)
    p.add_argument('--ours-only', action='store_true')
    p = sub.add_parser('scaling')
    p.add_argument('out')
    p.add_argument('files', nargs='+')
    args = ap.parse_args()
    if args.cmd == 'ours':
        parse_ours(args.raw, args.out)
    elif args.cmd == 'line':
        line(args.who, args.file)
    elif args.cmd == 'scaling':
        scaling(args)
    else:
        summary(args)


if __name__ == '__main__':
    main()
