#!/usr/bin/env python3
"""One benchmark run as the bench scripts take it (cuba-scaling.sh, chip-overhead.sh).

Waits (up to --quiet-wait seconds) for a second in which all processes together keep the machine busy
under --busy-share of its cores, then runs COMMAND, which prints one JSON object, and prints that object
with what the machine did meanwhile added: the load average before the run (load_before), the CPU seconds
the hypervisor stole during it (stolen_s), the CPU seconds *other* processes used during it (all cores'
busy time minus the run's own: others_cpu_s), and those of the last second waited (others_cpu_s_before,
null without a wait), plus any --field KEY=VALUE given. A disturbed run shows as one.

Usage: measured_run.py [--quiet-wait S] [--busy-share F] [--field KEY=VALUE]... -- COMMAND [ARG]...
Exits with COMMAND's status (its standard error passed on) if it fails.
"""
import argparse, json, os, resource, subprocess, sys, time

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet-wait", type=float, default=0, help="seconds to wait at most for a quiet second (0: none)")
    parser.add_argument("--busy-share", type=float, default=0.05, help="busy share of the cores under which a second is quiet")
    parser.add_argument("--field", action="append", default=[], metavar="KEY=VALUE", help="a text field added to the JSON")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command: parser.error("no command to run")
    hz = os.sysconf("SC_CLK_TCK")

    def stat():
        f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        return f[0] + f[1] + f[2] + f[5] + f[6], f[7]  # busy (user, nice, system, irq, softirq), stolen

    deadline = time.time() + args.quiet_wait
    busy_before = None  # not sampled when there is no wait: --quiet-wait 0 costs nothing
    while args.quiet_wait > 0:
        b0, _ = stat(); time.sleep(1); b1, _ = stat()
        busy_before = (b1 - b0) / hz
        if busy_before < args.busy_share * os.cpu_count() or time.time() >= deadline: break
    load = float(open("/proc/loadavg").read().split()[0])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0, s0 = stat()
    out = subprocess.run(command, capture_output=True, text=True)
    b1, s1 = stat()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.stderr.write(out.stderr); sys.exit(out.returncode)
    r = json.loads(out.stdout)
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    for field in args.field:
        key, _, value = field.partition("=")
        r[key] = value
    r["load_before"] = load
    r["stolen_s"] = round((s1 - s0) / hz, 2)
    r["others_cpu_s"] = round(max(0.0, (b1 - b0) / hz - own), 2)
    r["others_cpu_s_before"] = None if busy_before is None else round(busy_before, 2)
    print(json.dumps(r))

if __name__ == "__main__":
    main()
