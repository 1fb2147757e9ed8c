#!/usr/bin/env python3
"""Runtime footprint of troxileia beside the Go standard-library peer webhook (issue 14), on loopback.

Figures, each beside the Go peer's where it has one (medians over alternating rounds, the order
flipped every round, because on a shared machine only side-by-side figures mean anything):
  1. startup: exec -> the TLS listener answers a /validate POST, empty inventory (`troxileia run
     --nodes-file` with an empty NodeList; the peer with -nodes 0). Polled every 0.5 ms.
  2. idle resident memory (VmRSS), empty inventory, 2 s after the first answer.
  3. resident memory under `wrk -t1 -c16` with the 5,000 peer nodes indexed: VmRSS sampled near the
     end of the run (connections open) and the peak (VmHWM) after it.
  4. `troxileia run` synced from the API stand-in with 5,000 realistic nodes (40 images each) and
     2,000 sensor pods (kube_sync_bench.py's pods): VmRSS 3 s after /readyz (no Go figure).
  5. `troxileia validate` on the YAML of 5,000 realistic nodes (~53 MB): wall time and peak RSS
     (the child's VmHWM, read until it exits) (no Go figure).
  6. the binary: ldd (no ICU or Foundation library may be named), ICU linked in statically (ICU's
     data symbol in the file), size as built and stripped.
Also for troxileia, once: where the idle memory goes (smaps_rollup, the largest mappings, threads).

Builds nothing: `make bench-footprint` builds the binaries (the image's flags) and runs this.
Every process started is stopped on exit, Ctrl-C or error; every wait is bounded.

usage: footprint_bench.py [--troxileia BIN] [--gopeer BIN] [--standin BIN] [--shared DIR]
                          [--rounds 3] [--duration 10] [--json OUT]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import webhook_bench as wb
import kube_sync_bench as ks

REPO = Path(__file__).resolve().parents[2]
NODES = 5000
SENSOR_PODS = 2000
TARGETS = {"startup_ms": 25.0, "idle_mib": 14.0, "wrk_mib": 20.0, "synced_mib": 28.0,
           "validate_s": 1.0, "validate_mib": 64.0}
ICU_NAMES = re.compile(r"icu|FoundationICU|libFoundation\.so|libFoundationInternationalization", re.I)
ICU_DATA_SYMBOL = re.compile(rb"icudt\d+_dat")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise wb.BenchError(f"/proc/{pid}/status has no {key}")


def vm_hwm_kib(pid: int) -> int:
    """VmHWM of a child that may be exiting: 0 once it is gone or a zombie (no memory left to read)."""
    try:
        return status_kib(pid, "VmHWM")
    except (OSError, wb.BenchError):
        return 0


def mib(kib: float) -> float:
    return kib / 1024


# ----------------------------------------------------------------------------------------------
# 1 + 2: startup and idle memory


def answer_once(ctx: ssl.SSLContext, port: int, body: bytes) -> bool:
    """True when a TLS connection to `port` answers the POST with 200; False while nothing listens."""
    try:
        status, _ = wb.post_review(ctx, port, body, timeout=2.0)
        return status == 200
    except (ConnectionRefusedError, ConnectionResetError, ssl.SSLError, socket.timeout):
        return False


def start_and_time(name: str, argv: list[str], port: int, ctx, body: bytes, tmp: Path) -> tuple[wb.Server, float]:
    server = wb.Server(name, argv, tmp / f"{name}-start.log", port)
    wb._children.append(server)
    started = time.monotonic()
    server.start()
    deadline = started + wb.READY_TIMEOUT
    while time.monotonic() < deadline:
        if answer_once(ctx, port, body):
            return server, time.monotonic() - started
        server.check_alive()
        time.sleep(0.0005)
    raise wb.BenchError(f"{name} did not answer within {wb.READY_TIMEOUT:.0f} s:\n{server.log_tail()}")


def stop(server: wb.Server) -> None:
    server.stop()
    if server in wb._children:
        wb._children.remove(server)


def breakdown(pid: int) -> dict:
    """Where a process's resident memory is: smaps_rollup, the largest mappings by RSS, threads."""
    rollup = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            rollup[parts[0].rstrip(":")] = int(parts[1])
    by_name: dict[str, int] = {}
    current = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            current = fields[5] if len(fields) > 5 else "[anon]"
            current = os.path.basename(current) if current.startswith("/") else current
        elif fields and fields[0] == "Rss:" and current is not None:
            by_name[current] = by_name.get(current, 0) + int(fields[1])
    threads = sorted(Path(f"/proc/{pid}/task/{t}/comm").read_text().strip() for t in os.listdir(f"/proc/{pid}/task"))
    return {"rollup_kib": rollup, "mappings_kib": dict(sorted(by_name.items(), key=lambda kv: -kv[1])[:8]),
            "threads": threads}


# ----------------------------------------------------------------------------------------------
# 4: run synced from the stand-in


def synced_rss(a, tmp: Path, certs: Path) -> tuple[list[float], dict]:
    data = tmp / "cluster"
    data.mkdir(exist_ok=True)
    nodes_file = data / "nodes.json"
    pods_file = data / "pods.json"
    sys.path.insert(0, str(Path(a.shared) / "bench"))
    from make_review import node  # noqa: E402  (make_peer_nodes.py's generator)
    items = [node(f"node-{i}", wb.peer_port(i), 40) for i in range(NODES)]
    nodes_file.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}))
    pods = [ks.pod(f"zeek-{i:05d}", "sensors", "zeek", f"node-{i}", i) for i in range(SENSOR_PODS)]
    pods_file.write_text(json.dumps({"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": ""}, "items": pods}))
    standin, api_port, load_s = ks.start_standin(Path(a.standin), nodes_file, pods_file, tmp / "standin.log")
    log(f"stand-in loaded {NODES} nodes and {SENSOR_PODS} pods in {load_s:.1f} s (port {api_port})")
    kubeconfig = tmp / "kubeconfig"
    kubeconfig.write_text(f"apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters:\n- name: b\n  cluster:\n"
                          f"    server: http://127.0.0.1:{api_port}\ncontexts:\n- name: b\n  context:\n"
                          f"    cluster: b\n    user: b\nusers:\n- name: b\n  user: {{}}\n")
    figures, detail = [], {}
    try:
        for rnd in range(a.rounds):
            port, probe = wb.free_port(), wb.free_port()
            argv = [a.troxileia, "run", "--kubeconfig", str(kubeconfig), "--namespace", "troxileia",
                    "--webhook-listen", f"127.0.0.1:{port}", "--probe-listen", f"127.0.0.1:{probe}",
                    "--tls-cert-file", str(certs / "tls.crt"), "--tls-key-file", str(certs / "tls.key"),
                    "--sensor-apps", "zeek", "--log-format", "text", "--log-level", "warning",
                    "--shutdown-delay", "0s", "--shutdown-grace", "1s"]
            server = wb.Server("troxileia-synced", argv, tmp / "troxileia-synced.log", port, probe)
            wb._children.append(server)
            started = time.monotonic()
            server.start()
            while not ready(probe):
                server.check_alive()
                if time.monotonic() - started > wb.READY_TIMEOUT:
                    raise wb.BenchError(f"troxileia run did not become ready:\n{server.log_tail()}")
                time.sleep(0.05)
            synced_s = time.monotonic() - started
            time.sleep(3)
            server.check_alive()
            rss = mib(status_kib(server.proc.pid, "VmRSS"))
            figures.append(rss)
            if rnd == 0:
                detail = breakdown(server.proc.pid)
            log(f"round {rnd + 1}: troxileia run synced in {synced_s:.1f} s, RSS {rss:.1f} MiB, "
                f"peak {mib(status_kib(server.proc.pid, 'VmHWM')):.1f} MiB")
            stop(server)
    finally:
        standin.terminate()
        try:
            standin.wait(timeout=10)
        except subprocess.TimeoutExpired:
            standin.kill()
            standin.wait()
    return figures, detail


def ready(probe: int) -> bool:
    """`/readyz` answers 200: the stores are synced."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", probe, timeout=2)
        conn.request("GET", "/readyz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


# ----------------------------------------------------------------------------------------------
# 5: validate on YAML


def validate_yaml(a, tmp: Path) -> list[tuple[float, float]]:
    import yaml
    cache = REPO / ".build-bench" / "footprint"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"nodes-{NODES}.yaml"
    if not path.exists():
        sys.path.insert(0, str(Path(a.shared) / "bench"))
        from make_review import node  # noqa: E402
        items = [node(f"node-{i}", wb.peer_port(i), 40) for i in range(NODES)]
        with open(path.with_suffix(".tmp"), "w") as f:
            yaml.dump({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, f,
                      Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
        path.with_suffix(".tmp").rename(path)
    log(f"validate input: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    out = []
    for _ in range(a.rounds):
        with open(tmp / "validate.err", "wb") as err:
            started = time.monotonic()
            proc = subprocess.Popen([a.troxileia, "validate", str(path)], stdout=subprocess.DEVNULL, stderr=err)
            timer = threading.Timer(120, proc.kill)    # bounded: a hung run is killed and reported
            timer.start()
            # The peak is VmHWM of the child's own address space, read until it exits (VmHWM only
            # grows, so the last read is within a few ms of the end). Not ru_maxrss: Linux carries the
            # high-water mark of the forked copy of this (large) Python process across exec into it.
            peak_kib = 0
            while proc.poll() is None:
                peak_kib = max(peak_kib, vm_hwm_kib(proc.pid))
                time.sleep(0.005)
            seconds = time.monotonic() - started
            timer.cancel()
        if proc.returncode not in (0, 1):       # 1: findings, still a full read
            raise wb.BenchError(f"troxileia validate exited {proc.returncode}: "
                                f"{(tmp / 'validate.err').read_text(errors='replace')[-400:]}")
        out.append((seconds, mib(peak_kib)))
        log(f"validate YAML: {seconds:.2f} s, peak RSS {mib(peak_kib):.1f} MiB (exit {proc.returncode})")
    return out


# ----------------------------------------------------------------------------------------------
# 6: the binary


def binary_facts(binary: str, tmp: Path) -> dict:
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=30).stdout
    named = [line.strip() for line in ldd.splitlines() if ICU_NAMES.search(line)]
    data = Path(binary).read_bytes()
    icu_static = sorted({m.decode() for m in ICU_DATA_SYMBOL.findall(data)})
    stripped = tmp / "stripped"
    shutil.copy(binary, stripped)
    subprocess.run(["strip", str(stripped)], check=True, timeout=60)
    return {"ldd_icu": named, "icu_static": icu_static, "size": len(data), "stripped": stripped.stat().st_size,
            "ldd": [line.split()[0] for line in ldd.splitlines() if line.strip()]}


# ----------------------------------------------------------------------------------------------


def med(values):
    return statistics.median(values) if values else float("nan")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--troxileia", default=str(REPO / ".build-bench/release/troxileia"))
    p.add_argument("--gopeer", default=str(REPO / ".build-bench/gopeer"))
    p.add_argument("--standin", default=str(REPO / ".build-bench/release/troxileia-standin"))
    p.add_argument("--shared", default=os.environ.get("SHARED", str(REPO.parent / "shared")))
    p.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--startup-rounds", type=int, default=7)
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    p.add_argument("--json", type=Path, default=None)
    a = p.parse_args()
    a.threads, a.connections = 1, 16
    a.lua = Path(a.shared) / "bench" / "post.lua"
    for path in (a.troxileia, a.gopeer, a.standin, a.lua):
        if not Path(path).is_file():
            log(f"missing: {path} (`make bench-footprint` builds and fetches what is needed)")
            return 1
    load1 = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="troxileia-footprint-"))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, wb._on_signal)
    try:
        return bench(a, tmp, load1)
    finally:
        wb.cleanup()
        ks.stop_children()
        shutil.rmtree(tmp, ignore_errors=True)


def bench(a, tmp: Path, load1: float) -> int:
    py = sys.executable
    bench_dir = Path(a.shared) / "bench"
    certs = tmp / "certs"
    wb.run_checked(["bash", str(REPO / "certs/make-certs.sh"), "--local", "--out", str(certs)], timeout=60)
    empty = tmp / "nodes-0.json"
    empty.write_text('{"apiVersion":"v1","kind":"List","items":[]}')
    nodes = tmp / f"nodes-{NODES}.json"
    wb.run_checked([py, str(bench_dir / "make_peer_nodes.py"), str(nodes), "--nodes", str(NODES)], timeout=120)
    review = tmp / "review.json"
    wb.run_checked([py, str(bench_dir / "make_review.py"), str(review), "--images", "40", "--port", wb.ALLOWED_PORT,
                    "--name", wb.REVIEW_NAME], timeout=60)
    body = review.read_bytes()
    ctx = ssl.create_default_context(cafile=str(certs / "ca.crt"))
    ctx.set_alpn_protocols(["http/1.1"])

    def argv(name: str, port: int, nodes_file: Path, count: int) -> list[str]:
        if name == "troxileia":
            return [a.troxileia, "run", "--nodes-file", str(nodes_file), "--tls-cert-file", str(certs / "tls.crt"),
                    "--tls-key-file", str(certs / "tls.key"), "--webhook-listen", f"127.0.0.1:{port}",
                    "--probe-listen", f"127.0.0.1:{wb.free_port()}", "--log-format", "text", "--log-level", "warning",
                    "--shutdown-delay", "0s", "--shutdown-grace", "1s"]
        return [a.gopeer, "-addr", f"127.0.0.1:{port}", "-cert", str(certs / "tls.crt"), "-key", str(certs / "tls.key"),
                "-nodes", str(count)]

    names = ["troxileia", "go-peer"]
    r = {n: {"startup_s": [], "idle_kib": [], "wrk_kib": [], "wrk_hwm_kib": [], "rps": []} for n in names}
    idle_detail = {}
    # 1 + 2: startup and idle, empty inventory
    for rnd in range(max(a.startup_rounds, a.rounds)):
        for name in (names if rnd % 2 == 0 else names[::-1]):
            port = wb.free_port()
            server, seconds = start_and_time(name, argv(name, port, empty, 0), port, ctx, body, tmp)
            r[name]["startup_s"].append(seconds)
            if rnd < a.rounds:
                time.sleep(2)
                server.check_alive()
                r[name]["idle_kib"].append(status_kib(server.proc.pid, "VmRSS"))
                if name == "troxileia" and rnd == 0:
                    idle_detail = breakdown(server.proc.pid)
            stop(server)
        log(f"startup round {rnd + 1}: " + ", ".join(f"{n} {r[n]['startup_s'][-1] * 1000:.1f} ms" for n in names))

    # 3: under wrk with 5,000 nodes
    for rnd in range(a.rounds):
        for name in (names if rnd % 2 == 0 else names[::-1]):
            port = wb.free_port()
            server, _ = start_and_time(name, argv(name, port, nodes, NODES), port, ctx, body, tmp)
            wb.run_wrk(a, port, review, 2)                # warm-up: connections, caches
            samples: list[int] = []
            wrk = subprocess.Popen([a.wrk, "-t1", "-c16", f"-d{a.duration}s", "--latency", "-s", str(a.lua),
                                    f"https://127.0.0.1:{port}/validate"], env=dict(os.environ, REVIEW=str(review)),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
            wb._wrk.append(wrk)
            begin = time.monotonic()
            while wrk.poll() is None and time.monotonic() - begin < a.duration + 30:
                if time.monotonic() - begin < a.duration - 0.5:
                    samples.append(status_kib(server.proc.pid, "VmRSS"))
                time.sleep(0.25)
            out, _ = wrk.communicate(timeout=30)
            wb._wrk.remove(wrk)
            result = wb.parse_wrk(out)
            if result["non2xx"]:
                raise wb.BenchError(f"{name}: {result['non2xx']} non-2xx answers under wrk")
            server.check_alive()
            # The last samples are the loaded steady state; the median of the last quarter smooths one outlier.
            tail = samples[-max(1, len(samples) // 4):]
            r[name]["wrk_kib"].append(statistics.median(tail))
            r[name]["wrk_hwm_kib"].append(status_kib(server.proc.pid, "VmHWM"))
            r[name]["rps"].append(result["rps"])
            log(f"wrk round {rnd + 1} {name}: {result['rps']:.0f} req/s, RSS {mib(r[name]['wrk_kib'][-1]):.1f} MiB, "
                f"peak {mib(r[name]['wrk_hwm_kib'][-1]):.1f} MiB")
            stop(server)

    # 4, 5, 6: troxileia alone
    synced, synced_detail = synced_rss(a, tmp, certs)
    validate = validate_yaml(a, tmp)
    facts = {"troxileia": binary_facts(a.troxileia, tmp), "go-peer": binary_facts(a.gopeer, tmp)}

    print(report(a, r, synced, validate, facts, idle_detail, synced_detail, load1))
    if a.json:
        a.json.write_text(json.dumps({"rounds": r, "synced_mib": synced, "validate": validate, "binary": facts,
                                      "idle_breakdown": idle_detail, "synced_breakdown": synced_detail}, indent=2))
    return 0


def report(a, r, synced, validate, facts, idle_detail, synced_detail, load1) -> str:
    lines = []
    w = lines.append
    cpus = os.cpu_count() or 1
    w("")
    w(f"footprint benchmark (issue 14): medians; startup over {max(a.startup_rounds, a.rounds)} rounds, the rest over "
      f"{a.rounds}; servers alternated, order flipped every round")
    w(f"machine: {cpus} CPUs; 1-min load at start {load1:.2f}, after {os.getloadavg()[0]:.2f}"
      + ("  (LOADED: other work was running; trust ratios more than absolute figures)" if load1 > 0.5 * cpus else ""))
    w("")
    hdr = f"{'figure':<52} {'troxileia':>12} {'Go peer':>12} {'ours/Go':>8} {'target':>10}"
    w(hdr)
    w("-" * len(hdr))

    def row(label, ours, go, unit, target=None, fmt="{:.1f}"):
        ratio = f"{ours / go:.2f}x" if go else ""
        w(f"{label:<52} {(fmt.format(ours) + ' ' + unit):>12} {((fmt.format(go) + ' ' + unit) if go else '-'):>12} "
          f"{ratio:>8} {(('<= ' + fmt.format(target) + ' ' + unit) if target else ''):>10}"
          + ("" if target is None or ours <= target else "  MISSED"))

    t, g = r["troxileia"], r["go-peer"]
    row("exec -> TLS listener answers, empty inventory", med(t["startup_s"]) * 1000, med(g["startup_s"]) * 1000, "ms",
        TARGETS["startup_ms"])
    row("idle RSS, empty inventory", mib(med(t["idle_kib"])), mib(med(g["idle_kib"])), "MiB", TARGETS["idle_mib"])
    row("RSS under wrk -c16, 5,000 nodes indexed", mib(med(t["wrk_kib"])), mib(med(g["wrk_kib"])), "MiB", TARGETS["wrk_mib"])
    row("  peak (VmHWM) under wrk -c16", mib(med(t["wrk_hwm_kib"])), mib(med(g["wrk_hwm_kib"])), "MiB")
    row("  req/s during that run", med(t["rps"]), med(g["rps"]), "", fmt="{:.0f}")
    row("run synced: 5,000 nodes + 2,000 sensor pods, RSS", med(synced), None, "MiB", TARGETS["synced_mib"])
    row("validate 53 MB YAML (5,000 nodes): wall time", med([s for s, _ in validate]), None, "s", TARGETS["validate_s"], "{:.2f}")
    row("validate 53 MB YAML: peak RSS", max(m for _, m in validate), None, "MiB", TARGETS["validate_mib"])
    tf, gf = facts["troxileia"], facts["go-peer"]
    row("binary size as built", tf["size"] / 2**20, gf["size"] / 2**20, "MiB")
    row("binary size stripped (the image's)", tf["stripped"] / 2**20, gf["stripped"] / 2**20, "MiB")
    w(f"{'ldd names ICU/Foundation':<52} {('yes' if tf['ldd_icu'] else 'no'):>12} {('yes' if gf['ldd_icu'] else 'no'):>12}"
      f" {'':>8} {'no':>10}" + ("  MISSED: " + "; ".join(tf["ldd_icu"]) if tf["ldd_icu"] else ""))
    w(f"{'ICU data linked in statically':<52} {('yes' if tf['icu_static'] else 'no'):>12} "
      f"{('yes' if gf['icu_static'] else 'no'):>12} {'':>8} {'no':>10}"
      + ("  MISSED: " + ", ".join(tf["icu_static"]) if tf["icu_static"] else ""))
    w(f"troxileia's shared libraries: {', '.join(tf['ldd'])}")
    for title, d in (("idle, empty inventory", idle_detail), ("run synced", synced_detail)):
        if not d:
            continue
        ro = d["rollup_kib"]
        w("")
        w(f"where troxileia's memory goes ({title}): Rss {mib(ro.get('Rss', 0)):.1f} MiB = anonymous "
          f"{mib(ro.get('Anonymous', 0)):.1f} + file-backed {mib(ro.get('Rss', 0) - ro.get('Anonymous', 0)):.1f}; "
          f"{len(d['threads'])} threads ({', '.join(sorted(set(d['threads'])))})")
        w("  largest mappings by RSS: " + ", ".join(f"{k} {mib(v):.1f}" for k, v in d["mappings_kib"].items()))
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except wb.BenchError as e:
        wb.cleanup()
        log(f"footprint_bench: error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        wb.cleanup()
        log("footprint_bench: interrupted; servers stopped")
        sys.exit(130)
