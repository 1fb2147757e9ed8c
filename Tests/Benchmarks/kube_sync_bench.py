#!/usr/bin/env python3
"""Initial list + sync of 5,000 realistic nodes and 150,000 pods from the Kubernetes API stand-in,
beside curl of the same URLs in the same run (issue 4, "Benchmark (README, not a test)").

Generates the cluster (cached under --work): nodes as make_peer_nodes.py writes them (40 images,
full objects), and pods of realistic size (containers, volumes, tolerations, statuses, conditions
with lastTransitionTime); 5,000 of them are `app=zeek` on distinct nodes, the rest other apps.
Starts `troxileia-standin` on 127.0.0.1 with them, then for each round:
  (a) curl the metadata-only node list in limit=500 pages (the Accept header our client sends) and
      the selected pods in limit=500 pages: curl's own time_total and bytes, summed over pages;
  (b) runs `troxileia-kube-bench` (sync times, RSS right after sync and steady after --steady-seconds),
      then PATCHes --patches node labels through the stand-in as fast as it accepts them and reads
      from the bench binary when its node store held the last one (events/s applied by the watch).
The full node list is fetched once for scale. Prints a table with the issue's targets beside the
figures. Everything is on loopback and bounded in time; every process started is stopped on exit.

The stand-in copies its whole store on every write (ObjectStore.commit takes the Shelf out of the
dictionary before mutating it), so loading is quadratic: 150,000 pods take tens of minutes. --pods
lowers the total (the 5,000 selected pods stay; only the server-side filtering work shrinks).

usage: kube_sync_bench.py [--standin BIN] [--bench BIN] [--shared DIR] [--work DIR] [--rounds 3] [--pods N]
                          [--steady-seconds 5] [--patches 3000] [--patch-threads 4] [--json OUT]
"""
from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import queue
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODES = 5000
PODS = 150_000
SENSOR_PODS = 5000
SELECTOR = "app in (zeek)"
META_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
PAGE = 500
LOAD_TIMEOUT = 900.0       # seconds for the stand-in to load the files and listen
RUN_TIMEOUT = 180.0        # seconds for one bench binary run
TARGET_SYNC_S = 10.0
TARGET_STEADY_MIB = 64.0
TARGET_NODE_RATIO = 1.3
TARGET_EVENTS_S = 150.0

CHILDREN: list[subprocess.Popen] = []


class BenchError(Exception):
    pass


def stop_children() -> None:
    for proc in CHILDREN:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def on_signal(number, _frame):
    stop_children()
    sys.exit(128 + number)


# ---------------------------------------------------------------- data

OTHER_APPS = ["nginx", "redis", "api-gateway", "payments", "search", "kafka-consumer", "fluent-bit",
              "node-exporter", "coredns", "checkout", "inventory", "auth"]
T0 = "2026-11-01T10:00:00Z"


def pod(name: str, namespace: str, app: str, node: str, index: int) -> dict:
    """One Running pod as kube-apiserver returns it (no managedFields): ~4 KB of JSON."""
    rs_hash = f"{index % 9973:05x}b7c9"
    uid = str(uuid.uuid4())
    image = f"registry.example.org/{namespace}/{app}:v2.{index % 17}.4"
    cid = uuid.uuid4().hex + uuid.uuid4().hex
    since = f"2026-11-{1 + index % 20:02d}T{index % 24:02d}:{index % 60:02d}:{(index * 7) % 60:02d}Z"
    return {
        "metadata": {
            "name": name, "generateName": name[: name.rfind("-") + 1], "namespace": namespace, "uid": uid,
            "resourceVersion": "918273", "creationTimestamp": since,
            "labels": {"app": app, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": namespace,
                       "pod-template-hash": rs_hash},
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-10-30T08:12:44Z",
                            "prometheus.io/scrape": "true", "prometheus.io/port": "9102"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet" if app == "zeek" else "ReplicaSet",
                                 "name": f"{app}-{rs_hash}", "uid": str(uuid.UUID(int=index % 977 + 1)),
                                 "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": {
            "volumes": [
                {"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420}},
                {"name": "kube-api-access-" + uid[:5], "projected": {"sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
                ], "defaultMode": 420}},
            ],
            "containers": [{
                "name": app, "image": image,
                "args": ["--config=/etc/app/config.yaml", "--log-format=json", f"--listen=:{8000 + index % 100}"],
                "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                          {"name": "metrics", "containerPort": 9102, "protocol": "TCP"}],
                "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                        {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                        {"name": "GOMAXPROCS", "value": "2"}],
                "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
                "volumeMounts": [{"name": "config", "readOnly": True, "mountPath": "/etc/app"},
                                 {"name": "kube-api-access-" + uid[:5], "readOnly": True,
                                  "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 10,
                                  "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                                   "timeoutSeconds": 1, "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
                "securityContext": {"capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": True, "runAsNonRoot": True},
            }],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "serviceAccountName": app, "serviceAccount": app, "nodeName": node, "securityContext": {},
            "schedulerName": "default-scheduler",
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
            "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
        },
        "status": {
            "phase": "Running",
            "conditions": [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": since}
                           for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "hostIP": f"10.{index % 250}.{(index // 250) % 250}.13", "hostIPs": [{"ip": f"10.{index % 250}.{(index // 250) % 250}.13"}],
            "podIP": f"10.244.{index % 250}.{index % 251}", "podIPs": [{"ip": f"10.244.{index % 250}.{index % 251}"}],
            "startTime": since,
            "containerStatuses": [{"name": app, "state": {"running": {"startedAt": since}}, "lastState": {},
                                   "ready": True, "restartCount": index % 3, "image": image,
                                   "imageID": f"registry.example.org/{namespace}/{app}@sha256:{cid}",
                                   "containerID": f"containerd://{cid}", "started": True}],
            "qosClass": "Burstable",
        },
    }


def generate(work: Path, shared: Path, total_pods: int) -> tuple[Path, Path]:
    nodes_file, pods_file = work / f"nodes-{NODES}.json", work / f"pods-{total_pods}.json"
    work.mkdir(parents=True, exist_ok=True)
    if not nodes_file.exists():
        sys.path.insert(0, str(shared / "bench"))
        from make_review import node  # noqa: E402  (make_peer_nodes.py's generator)
        items = [node(f"node-{i}", f"{1 + i // 480}_{1 + (i // 48) % 10}_x{1 + i % 48}", 40) for i in range(NODES)]
        tmp = nodes_file.with_suffix(".tmp")
        with open(tmp, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, f)
        tmp.rename(nodes_file)
    if not pods_file.exists():
        write_pods(pods_file, total_pods, SENSOR_PODS, NODES)
    return nodes_file, pods_file


def write_pods(path: Path, total: int, sensor_pods: int, nodes: int) -> None:
    """A PodList of `total` pods: the first `sensor_pods` are `app=zeek` in `sensors`, spread over the
    nodes in turn, the rest other apps in 40 namespaces."""
    rng = random.Random(4)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write('{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":""},"items":[')
        for i in range(total):
            if i < sensor_pods:
                item = pod(f"zeek-{i:05d}-{rng.randrange(36**5):x}", "sensors", "zeek", f"node-{i % nodes}", i)
            else:
                app = OTHER_APPS[i % len(OTHER_APPS)]
                item = pod(f"{app}-{i % 9973:05x}b7c9-{i:06d}", f"team-{i % 40}", app, f"node-{i % nodes}", i)
            if i:
                f.write(",")
            f.write(json.dumps(item, separators=(",", ":")))
        f.write("]}")
    tmp.rename(path)


# ---------------------------------------------------------------- processes

def proc_status(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return out


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def start_standin(binary: Path, nodes_file: Path, pods_file: Path, log_path: Path) -> tuple[subprocess.Popen, int, float]:
    started = time.monotonic()
    proc = subprocess.Popen([str(binary), "--listen", "127.0.0.1:0", "--nodes-file", str(nodes_file),
                             "--pods-file", str(pods_file)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    CHILDREN.append(proc)
    lines: queue.Queue = queue.Queue()
    log = open(log_path, "w")

    def pump():
        for line in proc.stderr:
            log.write(line)
            log.flush()
            lines.put(line)
        lines.put(None)
    threading.Thread(target=pump, daemon=True).start()
    deadline = started + LOAD_TIMEOUT
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise BenchError(f"stand-in did not listen within {LOAD_TIMEOUT:.0f} s (its load is quadratic in the object count; try --pods 6000)")
        if line is None:
            raise BenchError(f"stand-in exited ({proc.wait()}); see {log_path}")
        match = re.search(r'"msg":"listening","port":(\d+)', line)
        if match:
            return proc, int(match.group(1)), time.monotonic() - started


# ---------------------------------------------------------------- curl

def curl(url: str, accept: str, out: Path) -> tuple[float, int]:
    """curl's own time_total and size_download for one GET."""
    result = subprocess.run(["curl", "-sS", "--fail", "-m", "120", "-H", f"Accept: {accept}", "-o", str(out),
                             "-w", "%{time_total} %{size_download}", url], capture_output=True, text=True, timeout=150)
    if result.returncode != 0:
        raise BenchError(f"curl {url}: {result.stderr.strip()}")
    seconds, size = result.stdout.split()
    return float(seconds), int(size)


def curl_pages(base: str, path: str, accept: str, selector: str | None, scratch: Path) -> dict:
    """All pages of a list: summed curl time and bytes, wall time, pages and items."""
    total_s, total_bytes, pages, items, token = 0.0, 0, 0, 0, None
    wall = time.monotonic()
    while True:
        query = [f"limit={PAGE}"]
        if selector:
            query.append("labelSelector=" + urlquote(selector))
        if token:
            query.append("continue=" + urlquote(token))
        seconds, size = curl(f"{base}{path}?{'&'.join(query)}", accept, scratch)
        total_s += seconds
        total_bytes += size
        pages += 1
        head = scratch.read_bytes()[:4096].decode("utf-8", "replace")
        match = re.search(r'"continue":"([^"]*)"', head)
        items += len(json.loads(scratch.read_bytes())["items"])
        token = match.group(1) if match else None
        if not token:
            break
    return {"seconds": total_s, "bytes": total_bytes, "pages": pages, "items": items,
            "wall_s": time.monotonic() - wall}


def urlquote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


# ---------------------------------------------------------------- bench binary and watch

def patch_nodes(port: int, names: list[str], label: str, value: str, threads: int) -> tuple[float, float, int]:
    """Merge-patches `label=value` onto every node, `threads` keep-alive connections in parallel.
    Returns (start epoch, end epoch, failures)."""
    failures = [0]
    body = json.dumps({"metadata": {"labels": {label: value}}}).encode()

    def worker(chunk: list[str]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for name in chunk:
            conn.request("PATCH", f"/api/v1/nodes/{name}", body=body,
                         headers={"Content-Type": "application/merge-patch+json", "Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures[0] += 1
        conn.close()
    chunks = [names[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=worker, args=(chunk,), daemon=True) for chunk in chunks]
    start = time.time()
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    return start, time.time(), failures[0]


def run_bench(binary: Path, port: int, steady: float, patches: int, threads: int, round_no: int,
              standin: subprocess.Popen, log_path: Path) -> dict:
    label, value = "bench.troxileia.io/wave", str(round_no)
    args = [str(binary), "--server", f"http://127.0.0.1:{port}", "--pod-selector", SELECTOR,
            "--steady-seconds", str(steady), "--timeout-seconds", str(RUN_TIMEOUT / 2)]
    if patches:
        args += ["--watch-label", f"{label}={value}", "--watch-count", str(patches)]
    standin_cpu = cpu_seconds(standin.pid)
    with open(log_path, "a") as log:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    CHILDREN.append(proc)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: ([lines.put(l) for l in proc.stdout], lines.put(None)), daemon=True).start()

    def next_line() -> dict:
        try:
            line = lines.get(timeout=RUN_TIMEOUT)
        except queue.Empty:
            raise BenchError("troxileia-kube-bench produced nothing in time")
        if line is None:
            raise BenchError(f"troxileia-kube-bench exited ({proc.wait()}); see {log_path}")
        return json.loads(line)
    result = next_line()
    result["bench_cpu_s"] = cpu_seconds(proc.pid)
    result["standin_cpu_s"] = cpu_seconds(standin.pid) - standin_cpu
    result["standin_rss_kib"] = proc_status(standin.pid).get("VmRSS", 0)
    if patches:
        names = [f"node-{i}" for i in random.Random(round_no).sample(range(NODES), patches)]
        start, end, failures = patch_nodes(port, names, label, value, threads)
        watch = next_line()
        result["patch_failures"] = failures
        result["patch_s"] = end - start
        result["patch_per_s"] = patches / max(end - start, 1e-9)
        result["applied_s"] = watch["last_seen_epoch"] - start
        result["applied_per_s"] = watch["seen"] / max(result["applied_s"], 1e-9)
        result["lag_after_last_patch_s"] = watch["last_seen_epoch"] - end
        result["watch_seen"] = watch["seen"]
        result["rss_after_watch_kib"] = watch["rss_kib"]
        result["hwm_after_watch_kib"] = watch["hwm_kib"]
    try:
        code = proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise BenchError("troxileia-kube-bench did not exit")
    if code != 0:
        raise BenchError(f"troxileia-kube-bench exited {code}; see {log_path}")
    return result


# ---------------------------------------------------------------- report

def common_arguments(parser: argparse.ArgumentParser, work: Path) -> None:
    """The binaries, the shared folder, the data cache and the rounds, for both kube benchmarks."""
    parser.add_argument("--standin", type=Path, default=REPO / ".build-bench/release/troxileia-standin")
    parser.add_argument("--bench", type=Path, default=REPO / ".build-bench/release/troxileia-kube-bench")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--work", type=Path, default=work)
    parser.add_argument("--rounds", type=int, default=3)


def require(*binaries: Path) -> None:
    """Stops with a hint when a release binary has not been built."""
    for binary in binaries:
        if not binary.exists():
            raise BenchError(f"{binary} is missing; `make bench-kube` builds it")


def mib(kib: float) -> float:
    return kib / 1024


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_arguments(p, REPO / ".build-bench/kube-bench")
    p.add_argument("--pods", type=int, default=PODS, help="total pods (>= 5,000; default 150,000)")
    p.add_argument("--steady-seconds", type=float, default=5.0)
    p.add_argument("--patches", type=int, default=3000)
    p.add_argument("--patch-threads", type=int, default=4)
    p.add_argument("--json", type=Path)
    a = p.parse_args()
    require(a.standin, a.bench)
    if not 0 <= a.patches <= NODES:
        raise BenchError(f"--patches must be within 0...{NODES}")
    atexit.register(stop_children)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t = time.monotonic()
    if a.pods < SENSOR_PODS:
        raise BenchError(f"--pods must be at least {SENSOR_PODS}")
    nodes_file, pods_file = generate(a.work, a.shared, a.pods)
    print(f"data: {nodes_file.stat().st_size / 1e6:.0f} MB nodes, {pods_file.stat().st_size / 1e6:.0f} MB pods "
          f"({time.monotonic() - t:.1f} s to generate or find)", flush=True)
    standin, port, load_s = start_standin(a.standin, nodes_file, pods_file, a.work / "standin.log")
    base = f"http://127.0.0.1:{port}"
    standin_mem = proc_status(standin.pid)
    print(f"stand-in: port {port}, loaded in {load_s:.1f} s, RSS {mib(standin_mem.get('VmRSS', 0)):.0f} MiB", flush=True)

    scratch = a.work / "page.json"
    full_s, full_bytes = curl(f"{base}/api/v1/nodes", "application/json", scratch)
    print(f"full node list (one GET, for scale): {full_bytes / 1e6:.1f} MB in {full_s:.3f} s", flush=True)

    rounds = []
    for r in range(1, a.rounds + 1):
        nodes_curl = curl_pages(base, "/api/v1/nodes", META_ACCEPT, None, scratch)
        pods_curl = curl_pages(base, "/api/v1/pods", "application/json", SELECTOR, scratch)
        result = run_bench(a.bench, port, a.steady_seconds, a.patches, a.patch_threads, r, standin,
                           a.work / "bench.log")
        if result["nodes"] != NODES or result["pods"] != SENSOR_PODS:
            raise BenchError(f"bench saw {result['nodes']} nodes and {result['pods']} pods")
        if nodes_curl["items"] != NODES or pods_curl["items"] != SENSOR_PODS:
            raise BenchError(f"curl saw {nodes_curl['items']} nodes and {pods_curl['items']} pods")
        result["curl_nodes"], result["curl_pods"] = nodes_curl, pods_curl
        rounds.append(result)
        print(f"round {r}: curl nodes {nodes_curl['seconds']:.3f} s ({nodes_curl['bytes'] / 1e6:.1f} MB, "
              f"{nodes_curl['pages']} pages), curl pods {pods_curl['seconds']:.3f} s ({pods_curl['bytes'] / 1e6:.1f} MB, "
              f"{pods_curl['pages']} pages); ours: node sync {result['node_sync_s']:.3f} s, pod sync "
              f"{result['pod_sync_s']:.3f} s, sync {result['sync_s']:.3f} s, RSS synced "
              f"{mib(result['rss_synced_kib']):.1f} MiB, steady {mib(result['rss_steady_kib']):.1f} MiB, peak "
              f"{mib(result['hwm_steady_kib']):.1f} MiB, CPU {result['bench_cpu_s']:.2f} s (stand-in "
              f"{result['standin_cpu_s']:.2f} s)"
              + (f"; watch: {result['watch_seen']} labels in {result['applied_s']:.2f} s = "
                 f"{result['applied_per_s']:.0f} events/s applied (PATCH {result['patch_per_s']:.0f}/s, lag after last "
                 f"PATCH {result['lag_after_last_patch_s'] * 1000:.0f} ms)" if a.patches else ""), flush=True)

    def med(f):
        return statistics.median(f(x) for x in rounds)
    node_curl = med(lambda x: x["curl_nodes"]["seconds"])
    pod_curl = med(lambda x: x["curl_pods"]["seconds"])
    node_sync, pod_sync, sync = med(lambda x: x["node_sync_s"]), med(lambda x: x["pod_sync_s"]), med(lambda x: x["sync_s"])
    steady, peak = med(lambda x: x["rss_steady_kib"]), med(lambda x: x["hwm_steady_kib"])
    rows = [
        ("node list, metadata-only (curl / ours)", f"{node_curl:.3f} s", f"{node_sync:.3f} s",
         f"{node_sync / node_curl:.2f}x", f"<= {TARGET_NODE_RATIO}x: {verdict(node_sync <= TARGET_NODE_RATIO * node_curl)}"),
        ("zeek pods, selected (curl / ours)", f"{pod_curl:.3f} s", f"{pod_sync:.3f} s", f"{pod_sync / pod_curl:.2f}x", ""),
        ("both synced (ours)", "", f"{sync:.3f} s", "", f"<= {TARGET_SYNC_S:.0f} s: {verdict(sync <= TARGET_SYNC_S)}"),
        ("steady RSS (ours)", "", f"{mib(steady):.1f} MiB", "",
         f"<= {TARGET_STEADY_MIB:.0f} MiB: {verdict(mib(steady) <= TARGET_STEADY_MIB)}"),
        ("peak RSS, VmHWM (ours)", "", f"{mib(peak):.1f} MiB", "", "client-go metadata list: 75 MB"),
        ("stand-in RSS (context)", "", f"{mib(med(lambda x: x['standin_rss_kib'])):.0f} MiB", "", ""),
        ("CPU during sync: ours / stand-in", "", f"{med(lambda x: x['bench_cpu_s']):.2f} s / "
         f"{med(lambda x: x['standin_cpu_s']):.2f} s", "", ""),
    ]
    if a.patches:
        applied = med(lambda x: x["applied_per_s"])
        rows.append((f"watch: {a.patches} node label PATCHes", f"{med(lambda x: x['patch_per_s']):.0f}/s sent",
                     f"{applied:.0f} events/s", "", f">= {TARGET_EVENTS_S:.0f}/s: {verdict(applied >= TARGET_EVENTS_S)}"))
    print(f"\nmedian of {len(rounds)} rounds; data {NODES} nodes (40 images) + {a.pods} pods, {SENSOR_PODS} selected; "
          f"page size {PAGE}; full node list {full_bytes / 1e6:.1f} MB in {full_s:.3f} s")
    widths = [max(len(r[i]) for r in rows + [("measure", "curl", "ours", "ratio", "target")]) for i in range(5)]
    for row in [("measure", "curl", "ours", "ratio", "target")] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if a.json:
        a.json.write_text(json.dumps({"rounds": rounds, "full_node_list": {"seconds": full_s, "bytes": full_bytes},
                                      "standin_load_s": load_s, "pods_total": a.pods}, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"kube_sync_bench: {error}", file=sys.stderr)
        sys.exit(1)
