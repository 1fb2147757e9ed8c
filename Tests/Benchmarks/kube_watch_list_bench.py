#!/usr/bin/env python3
"""Initial sync by paginated lists against sync by watch-list (issue 18), at 500, 5,000 and 50,000
nodes, gzip on and off, from the Kubernetes API stand-in, in one run.

For each size the cluster is generated (cached under --work): N realistic nodes (make_review.py's
generator, --images images each) and 20,000 pods of realistic size of which 2,000 are `app=zeek`.
`troxileia-standin` serves them on 127.0.0.1 (watch-lists as kube-apiserver v1.36 does). Each round
runs `troxileia-kube-bench` (the production reflectors and stores) once per configuration —
{list, watch-list} x {gzip, plain}, for "both synced" (nodes + the 2,000 selected pods) and for
"nodes only" (a pod selector that matches nothing: the metadata-only node list alone) — in an order
rotated every round, so a slow moment of the shared machine hits every configuration alike. Prints
the medians per size with RSS right after sync and the peak (VmHWM), and the ratio watch-list/list.

usage: kube_watch_list_bench.py [--standin BIN] [--bench BIN] [--shared DIR] [--work DIR] [--sizes 500,5000,50000]
                                [--rounds 3] [--pods 20000] [--sensor-pods 2000] [--images 10] [--json OUT]
"""
from __future__ import annotations

import argparse
import atexit
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kube_sync_bench as sync  # noqa: E402  (the stand-in, process and pod helpers)

REPO = Path(__file__).resolve().parents[2]
SELECTOR = "app in (zeek)"
NOTHING = "app in (no-such-app)"
CLIENT_GO_SYNC_S = 0.43     # client-go informers, nodes + sensor pods, real apiserver, 5,000 nodes / 20,000 pods
CLIENT_GO_NODES_S = 0.27    # client-go metadata-only node list, same apiserver
CONFIGS = [(mode, gzip) for mode in ("list", "watch-list") for gzip in (True, False)]


def generate(work: Path, shared: Path, nodes: int, pods: int, sensor_pods: int, images: int) -> tuple[Path, Path]:
    """The node and pod files for one size (made once, then cached)."""
    work.mkdir(parents=True, exist_ok=True)
    nodes_file = work / f"nodes-{nodes}-{images}img.json"
    pods_file = work / f"pods-{pods}-{sensor_pods}-on-{nodes}.json"
    if not nodes_file.exists():
        sys.path.insert(0, str(shared / "bench"))
        from make_review import node  # noqa: E402
        tmp = nodes_file.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[')
            for i in range(nodes):
                port = f"{1 + i // 480 % 255}_{1 + (i // 48) % 10}_x{1 + i % 48}"
                f.write(("," if i else "") + json.dumps(node(f"node-{i}", port, images), separators=(",", ":")))
            f.write("]}")
        tmp.rename(nodes_file)
    if not pods_file.exists():
        sync.write_pods(pods_file, pods, sensor_pods, nodes)
    return nodes_file, pods_file


def run_once(binary: Path, port: int, mode: str, gzip: bool, selector: str, timeout: float, log: Path) -> dict:
    args = [str(binary), "--server", f"http://127.0.0.1:{port}", "--pod-selector", selector,
            "--watch-list", "true" if mode == "watch-list" else "false", "--gzip", "true" if gzip else "false",
            "--steady-seconds", "0", "--timeout-seconds", str(timeout)]
    with open(log, "a") as err:
        result = subprocess.run(args, stdout=subprocess.PIPE, stderr=err, text=True, timeout=timeout + 30)
    if result.returncode != 0:
        raise sync.BenchError(f"troxileia-kube-bench exited {result.returncode}; see {log}")
    line = json.loads(result.stdout.splitlines()[0])
    if mode == "watch-list" and line["list_syncs"]:
        raise sync.BenchError(f"the watch-list run fell back to lists: {line}")
    return line


def measure(a, size: int) -> dict:
    nodes_file, pods_file = generate(a.work, a.shared, size, a.pods, a.sensor_pods, a.images)
    standin, port, load_s = sync.start_standin(a.standin, nodes_file, pods_file, a.work / "standin.log")
    print(f"{size} nodes: stand-in loaded {nodes_file.stat().st_size / 1e6:.0f} MB nodes + "
          f"{pods_file.stat().st_size / 1e6:.0f} MB pods in {load_s:.1f} s", flush=True)
    runs: dict[tuple, list[dict]] = {}
    jobs = [(mode, gzip, what) for mode, gzip in CONFIGS for what in ("both", "nodes")]
    timeout = 60.0 + size / 250
    try:
        for r in range(a.rounds):
            for mode, gzip, what in jobs[r % len(jobs):] + jobs[:r % len(jobs)]:
                line = run_once(a.bench, port, mode, gzip, SELECTOR if what == "both" else NOTHING, timeout, a.work / "bench.log")
                expected_pods = a.sensor_pods if what == "both" else 0
                if line["nodes"] != size or line["pods"] != expected_pods:
                    raise sync.BenchError(f"{mode}: saw {line['nodes']} nodes and {line['pods']} pods")
                runs.setdefault((mode, gzip, what), []).append(line)
    finally:
        standin.terminate()
        standin.wait(30)
    return {f"{mode}|{'gzip' if gzip else 'plain'}|{what}": lines for (mode, gzip, what), lines in runs.items()}


def report(size: int, runs: dict, rounds: int) -> None:
    def med(key: str, field: str) -> float:
        return statistics.median(x[field] for x in runs[key])
    print(f"\n{size} nodes, median of {rounds} rounds")
    header = ("sync", "gzip", "both synced", "nodes only", "RSS synced", "peak RSS")
    rows = []
    for mode, gzip in CONFIGS:
        z = "gzip" if gzip else "plain"
        both, nodes = f"{mode}|{z}|both", f"{mode}|{z}|nodes"
        rows.append((mode, z, f"{med(both, 'sync_s'):.3f} s", f"{med(nodes, 'node_sync_s'):.3f} s",
                     f"{med(both, 'rss_synced_kib') / 1024:.1f} MiB", f"{med(both, 'hwm_synced_kib') / 1024:.1f} MiB"))
    for z in ("gzip", "plain"):
        rows.append(("watch-list/list", z,
                     f"{med(f'watch-list|{z}|both', 'sync_s') / med(f'list|{z}|both', 'sync_s'):.2f}x",
                     f"{med(f'watch-list|{z}|nodes', 'node_sync_s') / med(f'list|{z}|nodes', 'node_sync_s'):.2f}x", "", ""))
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if size == 5000:
        print(f"client-go on a real apiserver at 5,000 nodes / 20,000 pods: both {CLIENT_GO_SYNC_S} s, "
              f"node metadata list {CLIENT_GO_NODES_S} s (issue 18)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sync.common_arguments(p, REPO / ".build-bench/kube-watch-list-bench")
    p.add_argument("--sizes", default="500,5000,50000")
    p.add_argument("--pods", type=int, default=20_000)
    p.add_argument("--sensor-pods", type=int, default=2_000)
    p.add_argument("--images", type=int, default=10,
                   help="container images per node (default 10: they weigh on the stand-in only, the client reads metadata)")
    p.add_argument("--json", type=Path)
    a = p.parse_args()
    sync.require(a.standin, a.bench)
    if not 0 < a.sensor_pods <= a.pods:
        raise sync.BenchError("--sensor-pods must be within 1...--pods")
    atexit.register(sync.stop_children)
    signal.signal(signal.SIGTERM, sync.on_signal)
    signal.signal(signal.SIGINT, sync.on_signal)
    results = {}
    for size in (int(s) for s in a.sizes.split(",") if s):
        started = time.monotonic()
        results[size] = measure(a, size)
        report(size, results[size], a.rounds)
        print(f"({time.monotonic() - started:.0f} s for this size)", flush=True)
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except sync.BenchError as error:
        print(f"kube_watch_list_bench: {error}", file=sys.stderr)
        sys.exit(1)
