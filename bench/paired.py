"""Paired timing with the Python standard library only: two commands run in
turn (A B A B ...) after a warm-up of each; every run's wall time (a
monotonic clock around the child) and CPU time (the kernel's accounting of
that child, from wait4) are kept, and the ratio A/B
is taken pair by pair, so that a drift in the machine's speed during the
run (other work on a shared machine) cancels. Prints the medians.

Usage: paired.py [--prepare 'COMMAND'] RUNS NAME_A 'COMMAND A' NAME_B 'COMMAND B'
A command is run by /bin/sh (so it may redirect its output); its output is
thrown away unless it redirects it itself. --prepare runs a command, not
timed, before every run of A (to put back a file that A rewrites)."""
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    start = time.monotonic()
    p = subprocess.Popen(["/bin/sh", "-c", "exec " + cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    p.returncode = 0  # reaped above
    return wall, usage.ru_utime + usage.ru_stime


def main():
    args = sys.argv[1:]
    prepare = None
    if args[0] == "--prepare":
        prepare, args = args[1], args[2:]
    runs = int(args[0])
    (name_a, cmd_a, name_b, cmd_b) = args[1:5]

    def run_a():
        if prepare:
            subprocess.run(["/bin/sh", "-c", prepare], check=True)
        return run(cmd_a)

    run_a()
    run(cmd_b)
    a, b = [], []
    for _ in range(runs):
        a.append(run_a())
        b.append(run(cmd_b))
    med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
    ratio = statistics.median(x[0] / y[0] for x, y in zip(a, b))
    print(
        f"{name_a}: wall {med(a, 0):.3f} s, cpu {med(a, 1):.3f} s | "
        f"{name_b}: wall {med(b, 0):.3f} s, cpu {med(b, 1):.3f} s | "
        f"{name_a} / {name_b} (wall, median of {runs} pairs): {ratio:.3f}"
    )


main()
