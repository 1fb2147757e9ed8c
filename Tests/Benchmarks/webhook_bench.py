#!/usr/bin/env python3
"""Benchmark troxileia's validating webhook against the Go standard-library peer, on loopback.

Both servers hold the same 5,000-node cluster (make_peer_nodes.py) and judge the same ~20 KB
AdmissionReviews (make_review.py): one that must be ALLOWED (a free tap port) and one that must be
DENIED (a port another node holds). Before and after measuring, each server must give the right
answer to both; wrk then hits them ALTERNATELY (round after round, the order flipped every round) with
identical settings, because on a shared machine only ratios taken side by side mean anything.

For troxileia it also scrapes /metrics around every run and reads, from the bucket deltas of
troxileia_webhook_request_duration_seconds (parsed request -> serialized response), the share of
requests decided within 100 us and 250 us and the bucket that bounds the p99; the decision counters
must show only the expected result. The CPU time each server process burns per request comes from
/proc/PID/stat.

Builds nothing: pass the binaries (defaults are what `make bench-webhook` builds). Everything is
bounded in time; both servers are stopped on exit, Ctrl-C and errors. Exit 0 with the report,
1 when something broke (a wrong answer, a server that died or never came up, wrk failing).

usage: webhook_bench.py [--troxileia BIN] [--gopeer BIN] [--shared DIR] [--rounds 3] [--duration 10]
                        [--warmup 2] [--connections 16] [--threads 1] [--event-loops N]
                        [--slow-connections 1000] [--json OUT.json] [--keep-temp]

Then, unless --slow-connections 0: the allowed review against each server while N slowloris
connections are held open against it (slow_crowd.py), one run each: normal-request p99 beside them.
"""
from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from slow_crowd import SlowCrowd

REPO = Path(__file__).resolve().parents[2]
NODES = 5000
ALLOWED_PORT = "12_1_x1"            # box 12 starts at I = 5280: nobody holds it
DENIED_PORT = "1_1_x2"              # held by node-1
REVIEW_NAME = "worker-13"           # the node being labelled in both reviews (not a peer node)
HISTOGRAM = "troxileia_webhook_request_duration_seconds"
READY_TIMEOUT = 60.0                # seconds for a server to answer its first request
STOP_TIMEOUT = 10.0                 # SIGTERM -> SIGKILL


def peer_port(i: int) -> str:
    """The tap port the Go peer (and make_peer_nodes.py) gives node-I."""
    return f"{1 + i // 480}_{1 + (i // 48) % 10}_x{1 + i % 48}"


class BenchError(Exception):
    pass


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Processes


class Server:
    """A server process in its own session, logging to a file; stop() is idempotent."""

    def __init__(self, name: str, argv: list[str], logfile: Path, port: int, probe_port: int | None = None):
        self.name, self.argv, self.logfile, self.port, self.probe_port = name, argv, logfile, port, probe_port
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.logfile, "wb") as out:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        log(f"started {self.name} (pid {self.proc.pid}): {' '.join(self.argv)}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self) -> None:
        if not self.alive():
            code = self.proc.returncode if self.proc else None
            raise BenchError(f"{self.name} is not running (exit status {code}); log tail:\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        """utime + stime of the process (all threads), from /proc."""
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        p = self.proc
        if p is None or p.poll() is not None:
            return
        try:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log(f"{self.name} ignored SIGTERM for {STOP_TIMEOUT:.0f} s; killing it")
            p.kill()
            p.wait(timeout=STOP_TIMEOUT)
        except ProcessLookupError:
            pass


_children: list[Server] = []
_wrk: list[subprocess.Popen] = []


def cleanup() -> None:
    for w in _wrk:
        if w.poll() is None:
            w.kill()
            w.wait()
    _wrk.clear()
    for s in _children:
        s.stop()


def _on_signal(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_checked(argv: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        raise BenchError(f"timed out after {timeout:.0f} s: {' '.join(argv)}") from None
    if r.returncode != 0:
        raise BenchError(f"failed ({r.returncode}): {' '.join(argv)}\n{r.stdout}{r.stderr}")
    return r


# ----------------------------------------------------------------------------------------------
# HTTP(S) clients


def post_review(ctx: ssl.SSLContext, port: int, body: bytes, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)
    try:
        conn.request("POST", "/validate", body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def check_answer(server: Server, ctx: ssl.SSLContext, review_path: Path, want_allowed: bool) -> None:
    body = review_path.read_bytes()
    uid = json.loads(body)["request"]["uid"]
    status, data = post_review(ctx, server.port, body)
    what = f"{server.name} on {review_path.name}"
    if status != 200:
        raise BenchError(f"{what}: HTTP {status}: {data[:300]!r}")
    try:
        resp = json.loads(data)["response"]
    except (ValueError, KeyError, TypeError):
        raise BenchError(f"{what}: not an AdmissionReview response: {data[:300]!r}") from None
    if resp.get("allowed") is not want_allowed:
        raise BenchError(f"{what}: expected allowed={want_allowed}, got {json.dumps(resp)[:400]}")
    if resp.get("uid") != uid:
        raise BenchError(f"{what}: response uid {resp.get('uid')!r} != request uid {uid!r}")


def wait_ready(server: Server, ctx: ssl.SSLContext, review_path: Path) -> float:
    body = review_path.read_bytes()
    start = time.monotonic()
    last = None
    while time.monotonic() - start < READY_TIMEOUT:
        server.check_alive()
        try:
            status, _ = post_review(ctx, server.port, body, timeout=2.0)
            if status == 200:
                return time.monotonic() - start
            last = f"HTTP {status}"
        except (OSError, http.client.HTTPException) as e:
            last = repr(e)
        time.sleep(0.1)
    raise BenchError(f"{server.name} did not answer within {READY_TIMEOUT:.0f} s (last: {last}); log tail:\n"
                     f"{server.log_tail()}")


def scrape(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5.0)
    try:
        conn.request("GET", "/metrics")
        r = conn.getresponse()
        text = r.read().decode()
        if r.status != 200:
            raise BenchError(f"/metrics answered HTTP {r.status}")
        return text
    finally:
        conn.close()


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> dict:
    """Sums over label sets: histogram buckets by le, the histogram sum/count, decisions by result,
    /validate requests by code."""
    buckets: dict[float, float] = {}
    out = {"buckets": buckets, "sum": 0.0, "count": 0.0, "decisions": {}, "codes": {}}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        name, labels, value = m.group(1), dict(_LABEL.findall(m.group(2) or "")), float(m.group(3))
        if name == HISTOGRAM + "_bucket":
            le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
            buckets[le] = buckets.get(le, 0.0) + value
        elif name == HISTOGRAM + "_sum":
            out["sum"] += value
        elif name == HISTOGRAM + "_count":
            out["count"] += value
        elif name == "troxileia_webhook_admission_decisions_total":
            out["decisions"][labels.get("result")] = out["decisions"].get(labels.get("result"), 0.0) + value
        elif name == "troxileia_webhook_requests_total" and labels.get("route") == "/validate":
            out["codes"][labels.get("code")] = out["codes"].get(labels.get("code"), 0.0) + value
    if not buckets:
        raise BenchError(f"/metrics has no {HISTOGRAM}_bucket series")
    return out


def metrics_delta(before: dict, after: dict) -> dict:
    def sub(a: dict, b: dict) -> dict:
        return {k: a.get(k, 0.0) - b.get(k, 0.0) for k in set(a) | set(b)}
    return {"buckets": sub(after["buckets"], before["buckets"]), "sum": after["sum"] - before["sum"],
            "count": after["count"] - before["count"], "decisions": sub(after["decisions"], before["decisions"]),
            "codes": sub(after["codes"], before["codes"])}


def in_server_figures(delta: dict) -> dict:
    b = delta["buckets"]
    total = b.get(float("inf"), 0.0)
    if total <= 0:
        return {"n": 0}

    def share(le: float) -> float | None:
        return b[le] / total if le in b else None

    p99_le = next(le for le in sorted(b) if b[le] >= 0.99 * total)
    p50_le = next(le for le in sorted(b) if b[le] >= 0.50 * total)
    return {"n": int(total), "le_100us": share(0.0001), "le_250us": share(0.00025),
            "p50_le_s": p50_le, "p99_le_s": p99_le, "mean_s": delta["sum"] / total}


# ----------------------------------------------------------------------------------------------
# wrk

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not m:
        raise BenchError(f"cannot read wrk duration {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> dict:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    total = re.search(r"^\s+(\d+) requests in", out, re.M)
    if not (rps and p99 and p50 and total):
        raise BenchError(f"cannot parse wrk output:\n{out}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(rps.group(1)), "p99_s": _seconds(p99.group(1)), "p50_s": _seconds(p50.group(1)),
            "requests": int(total.group(1)), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0}


def run_wrk(a, port: int, review: Path, duration: int) -> dict:
    argv = [a.wrk, f"-t{a.threads}", f"-c{a.connections}", f"-d{duration}s", "--latency", "-s", str(a.lua),
            f"https://127.0.0.1:{port}/validate"]
    env = dict(os.environ, REVIEW=str(review))
    p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True)
    _wrk.append(p)
    try:
        out, _ = p.communicate(timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {duration + 30} s: {' '.join(argv)}") from None
    finally:
        if p.poll() is None:        # timeout, Ctrl-C, SIGTERM: never leave wrk behind
            p.kill()
            p.wait()
        _wrk.remove(p)
    if p.returncode != 0:
        raise BenchError(f"wrk failed ({p.returncode}): {' '.join(argv)}\n{out}")
    r = parse_wrk(out)
    if r["non2xx"]:
        raise BenchError(f"wrk got {r['non2xx']} non-2xx responses from port {port}:\n{out}")
    return r


# ----------------------------------------------------------------------------------------------
# Report


def fmt_time(s: float | None) -> str:
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1.0:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


def report(results: dict, a, machine: dict) -> str:
    lines = []
    w = lines.append
    w("")
    w(f"webhook benchmark: wrk -t{a.threads} -c{a.connections} -d{a.duration}s --latency, {a.rounds} rounds, "
      f"servers alternated (order flipped every round); medians across rounds")
    w(f"machine: {machine['cpus']} CPUs ({machine['cpu_model']}); 1-min load at start {machine['load1_at_start']:.2f}, "
      f"load avg after {machine.get('loadavg_after', '?')}; wrk, both servers and this script share these CPUs")
    if machine["load1_at_start"] > 0.5 * (machine["cpus"] or 1):
        w("WARNING: other work was running (1-min load above); absolute figures are depressed, trust the ratios "
          "and CPU/req more; rerun on an idle machine for README numbers")
    w(f"cluster: {NODES} nodes; payloads: allowed = port {ALLOWED_PORT} (free), denied = port {DENIED_PORT} "
      f"(held by node-1), {machine['payload_bytes']} bytes each")
    w("")
    hdr = f"{'payload':<8} {'server':<10} {'req/s':>9} {'p99':>9} {'p50':>9} {'CPU/req':>9}   per-round req/s | p99"
    w(hdr)
    w("-" * len(hdr))
    for payload in ("allowed", "denied"):
        med = {}
        for server in ("troxileia", "go-peer"):
            runs = results[payload][server]
            rps = [r["rps"] for r in runs]
            p99 = [r["p99_s"] for r in runs]
            p50 = [r["p50_s"] for r in runs]
            cpu = [r["cpu_s_per_req"] for r in runs if r.get("cpu_s_per_req")]
            med[server] = (statistics.median(rps), statistics.median(p99))
            w(f"{payload:<8} {server:<10} {statistics.median(rps):>9.0f} {fmt_time(statistics.median(p99)):>9} "
              f"{fmt_time(statistics.median(p50)):>9} {fmt_time(statistics.median(cpu) if cpu else None):>9}   "
              f"{' '.join(f'{x:.0f}' for x in rps)} | {' '.join(fmt_time(x) for x in p99)}")
        tr, tp = med["troxileia"][0] / med["go-peer"][0], med["troxileia"][1] / med["go-peer"][1]
        ours_runs, go_runs = results[payload]["troxileia"], results[payload]["go-peer"]
        pr = statistics.median(o["rps"] / g["rps"] for o, g in zip(ours_runs, go_runs))
        pp = statistics.median(o["p99_s"] / g["p99_s"] for o, g in zip(ours_runs, go_runs))
        cpu_o = [r["cpu_s_per_req"] for r in ours_runs if r.get("cpu_s_per_req")]
        cpu_g = [r["cpu_s_per_req"] for r in go_runs if r.get("cpu_s_per_req")]
        cr = statistics.median(cpu_o) / statistics.median(cpu_g) if cpu_o and cpu_g else float("nan")
        w(f"{'':<8} {'ours/Go':<10} {tr:>8.2f}x {tp:>8.2f}x {'':>9} {cr:>8.2f}x   "
          f"median of same-round ratios: req/s {pr:.2f}x, p99 {pp:.2f}x")
        f = results[payload]["in_server"]
        if f.get("n"):
            w(f"{'':<8} troxileia in-server decision time (n={f['n']}): <= 100 µs {fmt_pct(f['le_100us'])}, "
              f"<= 250 µs {fmt_pct(f['le_250us'])}, p50 <= {fmt_time(f['p50_le_s'])}, p99 <= {fmt_time(f['p99_le_s'])}, "
              f"mean {fmt_time(f['mean_s'])}")
        w("")
    w("ours/Go: req/s higher is better; p99 and CPU/req lower is better. Same-round ratios pair runs made")
    w("back to back, so they drift less with background load than the ratio of medians.")
    w("CPU/req = (user+system CPU of the server process during the run) / requests wrk completed.")
    w("In-server time = troxileia_webhook_request_duration_seconds (parsed request -> serialized response),")
    w("from /metrics bucket deltas over all rounds; p50/p99 are bucket upper bounds.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--troxileia", default=str(REPO / ".build-bench/release/troxileia"), help="our release binary")
    p.add_argument("--gopeer", default=str(REPO / ".build-bench/gopeer"), help="the built Go peer webhook")
    p.add_argument("--shared", default=os.environ.get("SHARED", str(REPO.parent / "shared")),
                   help="folder holding bench/ (make_review.py, make_peer_nodes.py, post.lua)")
    p.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    p.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured wrk per server and payload first (0: none)")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=1, help="wrk threads")
    p.add_argument("--images", type=int, default=40, help="status.images in the reviewed node (40 = ~20 KB review)")
    p.add_argument("--event-loops", type=int, default=None, help="troxileia --event-loops (default: its own)")
    p.add_argument("--slow-connections", type=int, default=1000,
                   help="slowloris connections held during the last runs (0: skip that phase)")
    p.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    p.add_argument("--keep-temp", action="store_true", help="keep the temp dir (certs, payloads, server logs)")
    a = p.parse_args()
    if a.rounds < 1 or a.duration < 1 or a.warmup < 0:
        p.error("--rounds and --duration must be >= 1, --warmup >= 0")

    a.load1_at_start = os.getloadavg()[0]
    bench = Path(a.shared) / "bench"
    a.lua = bench / "post.lua"
    inputs = {"troxileia binary": Path(a.troxileia), "gopeer binary": Path(a.gopeer),
              "make_review.py": bench / "make_review.py", "make_peer_nodes.py": bench / "make_peer_nodes.py",
              "post.lua": a.lua, "make-certs.sh": REPO / "certs/make-certs.sh"}
    missing = [f"{k}: {v}" for k, v in inputs.items() if not v.is_file()]
    for k in ("troxileia binary", "gopeer binary"):
        if inputs[k].is_file() and not os.access(inputs[k], os.X_OK):
            missing.append(f"{k} is not executable: {inputs[k]}")
    if not shutil.which(a.wrk):
        missing.append(f"wrk: {a.wrk} (apt-get install -y wrk)")
    if not shutil.which("openssl"):
        missing.append("openssl CLI (for make-certs.sh)")
    if missing:
        log("missing inputs (`make bench-webhook` builds and installs them):\n  " + "\n  ".join(missing))
        return 1

    # The two ports must mean what we say in the peer's scheme.
    held = {peer_port(i): f"node-{i}" for i in range(NODES)}
    if ALLOWED_PORT in held:
        raise BenchError(f"{ALLOWED_PORT} is held by {held[ALLOWED_PORT]}; pick a free port")
    if held.get(DENIED_PORT) in (None, REVIEW_NAME):
        raise BenchError(f"{DENIED_PORT} must be held by a node other than {REVIEW_NAME}")

    tmp = Path(tempfile.mkdtemp(prefix="troxileia-webhook-bench-"))
    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        return bench_in(a, bench, tmp)
    finally:
        cleanup()
        if a.keep_temp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def bench_in(a, bench: Path, tmp: Path) -> int:
    py = sys.executable
    certs = tmp / "certs"
    run_checked(["bash", str(REPO / "certs/make-certs.sh"), "--local", "--out", str(certs)], timeout=60)
    nodes = tmp / "nodes-5000.json"
    run_checked([py, str(bench / "make_peer_nodes.py"), str(nodes), "--nodes", str(NODES)], timeout=120)
    reviews = {"allowed": tmp / "review-allowed.json", "denied": tmp / "review-denied.json"}
    run_checked([py, str(bench / "make_review.py"), str(reviews["allowed"]), "--images", str(a.images),
                 "--port", ALLOWED_PORT, "--name", REVIEW_NAME], timeout=60)
    run_checked([py, str(bench / "make_review.py"), str(reviews["denied"]), "--images", str(a.images),
                 "--port", DENIED_PORT, "--name", REVIEW_NAME], timeout=60)
    want = {"allowed": True, "denied": False}

    ours_port, ours_probe, go_port = free_port(), free_port(), free_port()
    ours_argv = [a.troxileia, "run", "--nodes-file", str(nodes),
                 "--tls-cert-file", str(certs / "tls.crt"), "--tls-key-file", str(certs / "tls.key"),
                 "--webhook-listen", f"127.0.0.1:{ours_port}", "--probe-listen", f"127.0.0.1:{ours_probe}",
                 "--log-format", "text", "--log-level", "warning", "--shutdown-delay", "0s", "--shutdown-grace", "1s",
                 "--max-connections", str(a.slow_connections + 1024)]
    if a.event_loops:
        ours_argv += ["--event-loops", str(a.event_loops)]
    ours = Server("troxileia", ours_argv, tmp / "troxileia.log", ours_port, ours_probe)
    gopeer = Server("go-peer", [a.gopeer, "-addr", f"127.0.0.1:{go_port}", "-cert", str(certs / "tls.crt"),
                                "-key", str(certs / "tls.key"), "-nodes", str(NODES)], tmp / "gopeer.log", go_port)
    servers = [ours, gopeer]
    for s in servers:
        _children.append(s)
        s.start()

    ctx = ssl.create_default_context(cafile=str(certs / "ca.crt"))
    ctx.set_alpn_protocols(["http/1.1"])
    for s in servers:
        log(f"{s.name} answered after {wait_ready(s, ctx, reviews['allowed']):.1f} s")

    def verify(when: str) -> None:
        for s in servers:
            for payload, path in reviews.items():
                check_answer(s, ctx, path, want[payload])
        log(f"{when}: both servers allow the allowed review and deny the denied one")

    verify("before")
    machine = machine_notes(reviews)
    machine["load1_at_start"] = a.load1_at_start

    results = {pl: {"troxileia": [], "go-peer": []} for pl in reviews}
    if a.warmup:
        for payload, path in reviews.items():
            for s in servers:
                log(f"warm-up {a.warmup}s: {s.name} / {payload}")
                run_wrk(a, s.port, path, a.warmup)

    runs = a.rounds * len(reviews) * len(servers)
    log(f"measuring: {runs} runs of {a.duration} s (~{runs * (a.duration + 1) / 60:.1f} min)")
    pooled = {pl: None for pl in reviews}
    for rnd in range(a.rounds):
        order = servers if rnd % 2 == 0 else servers[::-1]
        for payload, path in reviews.items():
            for s in order:
                s.check_alive()
                before = parse_metrics(scrape(ours.probe_port)) if s is ours else None
                cpu0 = s.cpu_seconds()
                r = run_wrk(a, s.port, path, a.duration)
                r["cpu_s_per_req"] = (s.cpu_seconds() - cpu0) / r["requests"] if r["requests"] else None
                s.check_alive()
                if s is ours:
                    d = metrics_delta(before, parse_metrics(scrape(ours.probe_port)))
                    check_decisions(d, payload, r)
                    r["in_server"] = in_server_figures(d)
                    pooled[payload] = d if pooled[payload] is None else {
                        "buckets": {k: pooled[payload]["buckets"].get(k, 0) + v for k, v in d["buckets"].items()},
                        "sum": pooled[payload]["sum"] + d["sum"], "count": pooled[payload]["count"] + d["count"]}
                results[payload][s.name].append(r)
                log(f"round {rnd + 1}/{a.rounds} {payload:<7} {s.name:<9}: {r['rps']:8.0f} req/s, "
                    f"p99 {fmt_time(r['p99_s'])}, {r['socket_errors']} socket errors")

    verify("after")
    slow = {}
    if a.slow_connections:
        for s in servers:
            with SlowCrowd(s.port, a.slow_connections) as crowd:
                crowd.measuring()
                r = run_wrk(a, s.port, reviews["allowed"], a.duration)
                r["held_min"], r["reconnects"] = crowd.held_min, crowd.reconnects
            s.check_alive()
            slow[s.name] = r
            log(f"beside {a.slow_connections} slow connections {s.name:<9}: {r['rps']:8.0f} req/s, "
                f"p99 {fmt_time(r['p99_s'])}, at least {r['held_min']} held, {r['reconnects']} replaced")
        verify("after the slow connections")
    machine["loadavg_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for payload in reviews:
        results[payload]["in_server"] = in_server_figures(pooled[payload])
    print(report(results, a, machine))
    for name, r in slow.items():
        print(f"slowloris: {name:<9} allowed review beside {a.slow_connections} slow connections (at least "
              f"{r['held_min']} held, {r['reconnects']} replaced after the server dropped them): "
              f"{r['rps']:.0f} req/s, p50 {fmt_time(r['p50_s'])}, p99 {fmt_time(r['p99_s'])}")
    if a.json:
        a.json.write_text(json.dumps({"settings": {k: str(v) for k, v in vars(a).items()}, "machine": machine,
                                      "results": results, "slowloris": slow}, indent=2, default=str))
        log(f"wrote {a.json}")
    return 0


def check_decisions(d: dict, payload: str, r: dict) -> None:
    """Every request troxileia answered during the run got the expected decision (and a 200)."""
    expected = "allowed" if payload == "allowed" else "denied"
    wrong = {k: v for k, v in d["decisions"].items() if k != expected and v}
    bad_codes = {k: v for k, v in d["codes"].items() if k != "200" and v}
    if wrong or bad_codes:
        raise BenchError(f"troxileia gave unexpected answers on the {payload} review: decisions {wrong}, codes {bad_codes}")
    if d["decisions"].get(expected, 0) < r["requests"]:
        raise BenchError(f"troxileia counted {d['decisions'].get(expected, 0):.0f} {expected} decisions "
                         f"but wrk completed {r['requests']} requests")


def machine_notes(reviews: dict) -> dict:
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
            "payload_bytes": "/".join(str(p.stat().st_size) for p in reviews.values())}


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        cleanup()
        log(f"webhook_bench: error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        cleanup()
        log("webhook_bench: interrupted; servers stopped")
        sys.exit(130)
