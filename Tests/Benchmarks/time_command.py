#!/usr/bin/env python3
"""Run a command several times; print its input size, wall time (min/median) and peak RSS.

usage: time_command.py [--runs N] -- COMMAND ARGS...
Exit status 0/1 of the command are both fine (validate exits 1 on findings); others abort.
"""
import argparse, os, resource, statistics, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=5)
p.add_argument("command", nargs=argparse.REMAINDER)
a = p.parse_args()
command = a.command[1:] if a.command[:1] == ["--"] else a.command
walls, peaks = [], []
for _ in range(a.runs):
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    walls.append(time.perf_counter() - start)
    peaks.append(usage.ru_maxrss / 1024)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {code}")
inputs = [arg for arg in command if os.path.isfile(arg) and arg != command[0]]
size = sum(os.path.getsize(f) for f in inputs) / 1e6
print(f"{' '.join(os.path.basename(c) for c in command)}: input {size:.1f} MB, "
      f"wall min {min(walls):.3f} s, median {statistics.median(walls):.3f} s, peak RSS {max(peaks):.0f} MiB "
      f"({a.runs} runs)")
