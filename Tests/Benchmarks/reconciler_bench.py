#!/usr/bin/env python3
"""`make bench-reconciler` (issue 6, "Benchmarks"): troxileia run against the API stand-in and the
GigaVUE simulator on loopback, release build.

1. Latency: with --debounce 200ms, flip one node's sensor label at a time and measure from the end of
   the PATCH (webhook included) to the start of the push session on the simulator (its login event):
   p50 / p99 over --changes flips. The debounce is part of the figure by design; --debounce 0s shows
   the machinery alone.
2. Burst: 1,000 label changes (100 nodes flipped 10 times each, as fast as the stand-in accepts them)
   with the default --debounce 1s / --debounce-max 10s; counts the pushes until the tap holds the
   final set.
3. Memory: RSS of troxileia after syncing 5,000 nodes (and after the burst).

usage: reconciler_bench.py [--bin .build-bench/release] [--changes 50] [--nodes 5000]
"""
import argparse, os, statistics, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "EndToEnd"))
import lab as lab_module  # noqa: E402
from lab import Lab, node  # noqa: E402


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


# A chassis with room for 100 sensor ports: 1/1/x1..x40 and 1/2/x1..x60 (1/1/x45..x48 are the source group).
CHASSIS = ("--ports", "1/1/x1..x48,1/2/x1..x64")


def port_of(i):
    return f"1_1_x{i + 1}" if i < 40 else f"1_2_x{i - 39}"


def latency(args):
    nodes = [node(f"n{i}", {"port": port_of(i), "sensor": "true" if i < 10 else "false"}) for i in range(60)]
    lab = Lab(nodes)
    try:
        lab.start_simulator()
        lab.start_standin()
        lab.start_troxileia("--debounce", args.debounce, "--debounce-max", "5s")
        lab.wait_for("first push", lambda: len(lab.tap_ports()) == 10)
        samples = []
        for k in range(args.changes):
            name = f"n{10 + k % 50}"
            value = "true" if (k // 50) % 2 == 0 else "false"
            mark = lab.log_mark()
            lab.label(name, {"sensor": value})
            done = time.time()
            entry = lab.wait_for("push start", lambda: next((e for e in lab.sim("GET", f"/log?since={mark}")["entries"]
                                                              if (e.get("event") or "").startswith("login")), None))
            samples.append(entry["time"] - done)
            lab.wait_for("push end", lambda: any(e.get("event") == "closed" for e in lab.sim("GET", f"/log?since={mark}")["entries"]))
        ms = [max(0.0, s) * 1000 for s in samples]
        print(f"label change -> push started (debounce {args.debounce}): p50 {percentile(ms, 0.5):.0f} ms, "
              f"p99 {percentile(ms, 0.99):.0f} ms, mean {statistics.mean(ms):.0f} ms over {len(ms)} changes")
    finally:
        lab.stop()


def burst_and_memory(args):
    nodes = [node(f"n{i}", {"port": port_of(i)} if i < 100 else {}) for i in range(args.nodes)]
    lab = Lab(nodes)
    try:
        lab.start_simulator(*CHASSIS)
        lab.start_standin()
        started = time.monotonic()
        replica = lab.start_troxileia()
        synced = time.monotonic() - started
        pid = replica["process"].pid
        time.sleep(3)
        print(f"{args.nodes} nodes: ready (stores synced) {synced:.1f} s after start, RSS {rss_mib(pid):.1f} MiB")
        mark = lab.log_mark()
        begin = time.monotonic()
        for round_ in range(10):
            for i in range(100):
                lab.label(f"n{i}", {"sensor": "true" if round_ % 2 == 1 else "false"})
        sent = time.monotonic() - begin
        lab.wait_for("the final set", lambda: len(lab.tap_ports()) == 100, timeout=120)
        time.sleep(2)
        print(f"burst of 1000 label changes in {sent:.1f} s -> {lab.pushes(mark)} push(es); RSS after {rss_mib(pid):.1f} MiB")
    finally:
        lab.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build-bench/release")
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--debounce", default="200ms")
    args = parser.parse_args()
    lab_module.BIN = os.path.abspath(args.bin)
    latency(args)
    burst_and_memory(args)


if __name__ == "__main__":
    main()
