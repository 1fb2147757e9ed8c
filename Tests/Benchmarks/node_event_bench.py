#!/usr/bin/env python3
"""CPU per node event of a whole `troxileia run` process (issue 18), part of `make bench-kube`.

For each cluster size (default 500, 5,000 and 50,000 metadata-only nodes; every tenth node a sensor with
its own port, 12 other labels and 4 annotations each), the API stand-in serves the nodes (no webhook:
this measures the watch side), `troxileia run --dry-run` (release) syncs them, and then receives
--events node label changes, in two modes: a burst (sent back to back, as `kubectl label` in a loop: the
issue's "CPU for a burst of 2,000 node label changes"), and paced (one every --interval-ms, so that each
change wakes an idle process and pays its thread wake-ups alone: the worst case per event). Half flip a sensor's `sensor` label
(its port leaves or rejoins the desired set), half change an unrelated label on another node. The figure is
the process's CPU (utime + stime from /proc/PID/stat) from the first change until the desired-ports
gauge shows the last one (plus a second), less the idle CPU measured over a quiet window just before,
divided by the number of events. The debounce is set long (--debounce 10m) so that no push falls into
the window: a push's cost does not depend on how many events it follows (issue 18: "debounced pushes
are unchanged"), and at 50,000 nodes a 50-second burst would otherwise hold five pushes (one per
--debounce-max).

With --old-bin, a second binary (say main's before issue 18, built in a scratch path) runs the same
burst against a fresh stand-in right after, so both figures come from one run on one machine.

usage: node_event_bench.py --bin .build-bench/release [--old-bin DIR] [--sizes 500,5000,50000]
                           [--events 200] [--modes burst,paced] [--interval-ms MS]
"""
import argparse, json, os, sys, time, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "EndToEnd"))
import lab as lab_module  # noqa: E402
from lab import Lab  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of `pid`, in seconds (fields 14 and 15 of /proc/PID/stat, after the command name)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_mib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def port_of(k):
    """The k-th distinct tap port label: box, slot 1-32, 10G port 1-48."""
    return f"{1 + k // (32 * 48)}_{1 + (k // 48) % 32}_x{1 + k % 48}"


def make_nodes(count):
    nodes = []
    for i in range(count):
        labels = {f"bench.example/label-{j}": f"value-{(i + j) % 7}" for j in range(12)}
        labels["kubernetes.io/hostname"] = f"n{i}"
        if i % 10 == 0:
            labels.update({"sensor": "true", "port": port_of(i // 10)})
        annotations = {f"bench.example/annotation-{j}": f"note {i} {j}" for j in range(4)}
        nodes.append({"apiVersion": "v1", "kind": "Node",
                      "metadata": {"name": f"n{i}", "uid": f"uid-{i}", "resourceVersion": "1",
                                   "labels": labels, "annotations": annotations}})
    return nodes


def desired_ports(lab, replica):
    for line in lab.metrics(replica).splitlines():
        if line.startswith("troxileia_reconciler_desired_ports "):
            return int(float(line.split()[1]))
    return None


def pushes(lab, replica):
    total = 0
    for line in lab.metrics(replica).splitlines():
        if line.startswith("troxileia_reconciler_pushes_total{"):
            total += int(float(line.split()[-1]))
    return total


def measure(bin_dir, standin_dir, size, events, interval):
    nodes = make_nodes(size)
    sensors = size // 10
    lab = Lab(nodes)
    try:
        lab_module.BIN = standin_dir
        lab.start_standin(webhook=False)
        lab_module.BIN = bin_dir
        started = time.monotonic()
        replica = lab.start_troxileia("--dry-run", "--debounce", "10m", "--debounce-max", "10m", tap=False, webhook=False)
        pid = replica["process"].pid
        lab.wait_for("the first desired set", lambda: desired_ports(lab, replica) == sensors, timeout=300)
        synced = time.monotonic() - started
        lab.wait_for("the first push", lambda: pushes(lab, replica) >= 1, timeout=60)
        time.sleep(2)
        rss_synced, _ = memory_mib(pid)
        off = set()   # sensors flipped to false so far
        quiet = min(20.0, max(3.0, events * interval + 2.5))
        idle_start = cpu_seconds(pid)
        time.sleep(quiet)
        idle_rate = (cpu_seconds(pid) - idle_start) / quiet
        before_pushes = pushes(lab, replica)
        cpu_start, wall_start = cpu_seconds(pid), time.monotonic()
        for k in range(events):
            due = wall_start + k * interval
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if k % 2 == 0:
                sensor = (k // 2) % sensors * 10
                off.symmetric_difference_update({sensor})
                status, _ = lab.label(f"n{sensor}", {"sensor": "false" if sensor in off else "true"})
            else:
                status, _ = lab.label(f"n{(k * 7919) % size}", {"bench.example/round": str(k)})
            if status != 200:
                raise SystemExit(f"PATCH answered {status}")
        if not off:
            # Every flip was undone: one more, so the gauge shows when the last change was seen.
            off.add(0)
            events += 1
            lab.label("n0", {"sensor": "false"})
        sent = time.monotonic() - wall_start
        lab.wait_for("the last change", lambda: desired_ports(lab, replica) == sensors - len(off), timeout=600)
        time.sleep(1.0)
        wall = time.monotonic() - wall_start
        used = cpu_seconds(pid) - cpu_start
        rss_after, hwm = memory_mib(pid)
        per_event = max(0.0, used - idle_rate * wall) / events
        if pushes(lab, replica) != before_pushes:
            raise SystemExit("a push fell into the measured window")
        return {"nodes": size, "events": events, "sent_s": sent, "window_s": wall, "cpu_s": used,
                "idle_cpu_per_s": idle_rate, "cpu_ms_per_event": per_event * 1000, "sync_s": synced,
                "rss_synced_mib": rss_synced, "rss_after_mib": rss_after, "hwm_mib": hwm}
    finally:
        lab.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build-bench/release", help="folder with troxileia and troxileia-standin")
    parser.add_argument("--old-bin", help="folder with the troxileia to compare against (same burst, same run)")
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--interval-ms", type=float, default=None,
                        help="pause between paced changes (default: 5 ms per 1,000 nodes, at least 5 ms)")
    parser.add_argument("--modes", default="burst,paced",
                        help="burst: changes sent back to back, as `kubectl label` in a loop (the issue's "
                             "measure); paced: one change every --interval-ms, so each pays the wake-ups alone")
    args = parser.parse_args()
    new_bin = os.path.abspath(args.bin)
    runs = [("new", new_bin)] + ([("old", os.path.abspath(args.old_bin))] if args.old_bin else [])
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        paced = (args.interval_ms if args.interval_ms is not None else max(5.0, size / 1000 * 5)) / 1000
        for mode in args.modes.split(","):
            interval = 0.0 if mode == "burst" else paced
            for name, bin_dir in runs:
                result = measure(bin_dir, new_bin, size, args.events, interval)
                result.update(binary=name, mode=mode, interval_ms=interval * 1000)
                results.append(result)
                print(json.dumps(result), flush=True)
    print()
    print("| nodes | changes | binary | CPU per node event | RSS synced / after / peak | sync |")
    print("|---|---|---|---|---|---|")
    for r in results:
        changes = "burst" if r["mode"] == "burst" else f"every {r['interval_ms']:g} ms"
        print(f"| {r['nodes']:,} | {changes} | {r['binary']} | {r['cpu_ms_per_event']:.3f} ms | "
              f"{r['rss_synced_mib']:.1f} / {r['rss_after_mib']:.1f} / {r['hwm_mib']:.1f} MiB | {r['sync_s']:.1f} s |")


if __name__ == "__main__":
    main()
