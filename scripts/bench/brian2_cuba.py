#!/usr/bin/python3
"""Brian2 CUBA benchmark (cpp_standalone, single thread) for scripts/bench/cuba-vs-brian2.sh.

Run with Debian's /usr/bin/python3 (python3-brian, Brian2 2.5.1).

Two steps, so that the C++ project is compiled once per (neurons, duration) and the
compiled binary is re-run for every seed:

  build --dir D --neurons N --duration S
      Generates the network exactly as Brian2's examples/CUBA.py (Vogels & Abbott 2005,
      Brette et al. 2007 benchmark 2), with a seed() call as the first statement of main,
      and compiles it (device.build(compile=True, run=False)); nothing is run. Writes
      D/bench_meta.json (result file names and dtypes, parameters, compile time).

  run --dir D --seed K [--rates FILE]
      Rewrites the seed literal in D/main.cpp (rk_seed(<K>L + _i, ...)), re-runs `make`
      (only main.cpp is recompiled), runs ./main and reads its result files: the run-loop
      time from results/last_run_info.txt (this is the file from which Brian2's
      device.run() sets device._last_run_time), the SpikeMonitor's per-neuron counts and
      both Synapses' presynaptic indices. Prints one JSON object with the keys the
      neuromorphic CLI prints (neurons, synapses, spikes, rate_hz, sim_loop_s,
      real_time_factor, synaptic_events_per_s, seed, ...). Does not import brian2.

Only the run loop is timed: Network::run() measures it with std::clock() (process CPU
time; without OpenMP divided by 1 thread), from just before the first timestep to just
after the last one. Compilation, synapse creation, initialisation and writing results are
outside that interval.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

# A seed literal that cannot appear anywhere else in the generated main.cpp.
SENTINEL_SEED = 987654321
SEED_RE = re.compile(r"rk_seed\((\d+)L \+ _i, brian::_mersenne_twister_states\[_i\]\);")


def build(args):
    t0 = time.time()
    import brian2
    from brian2 import (NeuronGroup, SpikeMonitor, Synapses, defaultclock, device, mV,
                        ms, prefs, run, second, seed, set_device)
    import_s = time.time() - t0

    directory = os.path.abspath(args.dir)
    prefs.devices.cpp_standalone.openmp_threads = 0  # single thread, no OpenMP
    set_device('cpp_standalone', directory=directory, build_on_run=False)

    n = args.neurons
    ne = int(round(0.8 * n))
    p = min(1.0, 80.0 / n)

    seed(SENTINEL_SEED)  # first line of main: everything random below depends on it
    defaultclock.dt = 0.1 * ms

    taum = 20 * ms
    taue = 5 * ms
    taui = 10 * ms
    Vt = -50 * mV
    Vr = -60 * mV
    El = -49 * mV

    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''

    P = NeuronGroup(n, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV

    we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
    wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
    Ce = Synapses(P, P, on_pre='ge += we')
    Ci = Synapses(P, P, on_pre='gi += wi')
    Ce.connect(f'i<{ne}', p=p)
    Ci.connect(f'i>={ne}', p=p)

    s_mon = SpikeMonitor(P)

    run(args.duration * second, profile=False)

    t1 = time.time()
    device.build(directory=directory, compile=True, run=False, with_output=False)
    compile_s = time.time() - t1

    def fileinfo(var):
        return {'file': device.get_array_filename(var), 'dtype': np.dtype(var.dtype).str}

    main_cpp = os.path.join(directory, 'main.cpp')
    with open(main_cpp) as f:
        seeds = SEED_RE.findall(f.read())
    if seeds != [str(SENTINEL_SEED)]:
        sys.exit(f'brian2_cuba.py: expected exactly one rk_seed({SENTINEL_SEED}L ...) line in '
                 f'{main_cpp}, found {seeds}; the Brian2 code generator differs from 2.5.1')

    meta = {
        'brian2_version': brian2.__version__,
        'neurons': n,
        'excitatory': ne,
        'connection_probability': p,
        'duration_s': args.duration,
        'dt_s': float(defaultclock.dt),
        'openmp_threads': 0,
        'compile_flags': list(prefs['codegen.cpp.extra_compile_args_gcc']),
        'import_s': import_s,
        'codegen_and_compile_s': compile_s,
        'make_s': device.timers['compile']['make'],
        'files': {
            'spike_count': fileinfo(s_mon.variables['count']),
            'exc_pre': fileinfo(Ce.variables['_synaptic_pre']),
            'inh_pre': fileinfo(Ci.variables['_synaptic_pre']),
        },
        'seed_line_value': SENTINEL_SEED,
    }
    with open(os.path.join(directory, 'bench_meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(json.dumps({'directory': directory, 'codegen_and_compile_s': compile_s,
                      'make_s': meta['make_s'], 'brian2_version': brian2.__version__}))


def set_seed_and_make(directory, seed):
    main_cpp = os.path.join(directory, 'main.cpp')
    with open(main_cpp) as f:
        text = f.read()
    new_text, count = SEED_RE.subn(
        f'rk_seed({seed}L + _i, brian::_mersenne_twister_states[_i]);', text)
    if count != 1:
        sys.exit(f'brian2_cuba.py: no unique rk_seed line in {main_cpp}')
    t0 = time.time()
    if new_text != text:
        with open(main_cpp, 'w') as f:
            f.write(new_text)
        # Force main.o to be rebuilt whatever the timestamps' resolution.
        main_o = os.path.join(directory, 'main.o')
        if os.path.exists(main_o):
            os.remove(main_o)
    proc = subprocess.run(['make', '-j'], cwd=directory, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        sys.exit(f'brian2_cuba.py: make failed in {directory}:\n{proc.stdout}')
    return time.time() - t0


def read_array(directory, info):
    return np.fromfile(os.path.join(directory, info['file']), dtype=np.dtype(info['dtype']))


def run_seed(args):
    directory = os.path.abspath(args.dir)
    with open(os.path.join(directory, 'bench_meta.json')) as f:
        meta = json.load(f)
    make_s = set_seed_and_make(directory, args.seed)

    results = os.path.join(directory, 'results')
    for name in ['last_run_info.txt'] + [v['file'] for v in meta['files'].values()]:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            os.remove(path)

    t0 = time.time()
    proc = subprocess.run(['./main'], cwd=directory, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    main_wall_s = time.time() - t0
    if proc.returncode != 0:
        sys.exit(f'brian2_cuba.py: ./main failed in {directory}:\n{proc.stdout}')

    with open(os.path.join(results, 'last_run_info.txt')) as f:
        run_time, completed = (float(x) for x in f.read().split())
    if abs(completed - 1.0) > 1e-9:
        sys.exit(f'brian2_cuba.py: run completed only {completed:.3f} of the duration')

    n = meta['neurons']
    duration = meta['duration_s']
    counts = read_array(directory, meta['files']['spike_count']).astype(np.int64)
    pre = np.concatenate([read_array(directory, meta['files']['exc_pre']),
                          read_array(directory, meta['files']['inh_pre'])]).astype(np.int64)
    if counts.size != n:
        sys.exit(f'brian2_cuba.py: spike count array has {counts.size} entries, expected {n}')
    out_degree = np.bincount(pre, minlength=n)
    spikes = int(counts.sum())
    events = int((counts * out_degree).sum())
    rates = counts / duration

    if args.rates:
        np.savetxt(args.rates, rates, fmt='%.10g')

    report = {
        'simulator': 'brian2',
        'brian2_version': meta['brian2_version'],
        'device': 'cpp_standalone',
        'neurons': n,
        'excitatory': meta['excitatory'],
        'synapses': int(pre.size),
        'duration_s': duration,
        'dt_s': meta['dt_s'],
        'spikes': spikes,
        'rate_hz': spikes / (n * duration),
        'sim_loop_s': run_time,
        'sim_loop_clock': 'std::clock (process CPU time), Network::run loop, from results/last_run_info.txt',
        'real_time_factor': run_time / duration,
        'synaptic_events': events,
        'synaptic_events_per_s': events / run_time if run_time > 0 else None,
        'main_wall_s': main_wall_s,
        'make_s': make_s,
        'seed': args.seed,
    }
    print(json.dumps(report))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    b = sub.add_parser('build', help='generate and compile the standalone project')
    b.add_argument('--dir', required=True)
    b.add_argument('--neurons', type=int, default=4000)
    b.add_argument('--duration', type=float, default=10.0, help='simulated seconds')
    r = sub.add_parser('run', help='run the compiled project with a seed')
    r.add_argument('--dir', required=True)
    r.add_argument('--seed', type=int, required=True)
    r.add_argument('--rates', help='write per-neuron rates (Hz), one per line')
    args = ap.parse_args()
    if args.cmd == 'build':
        if args.neurons < 1 or not args.duration > 0:
            sys.exit('brian2_cuba.py: neurons must be >= 1 and duration > 0')
        build(args)
    else:
        if args.seed < 0:
            sys.exit('brian2_cuba.py: seed must be >= 0')
        run_seed(args)


if __name__ == '__main__':
    main()
