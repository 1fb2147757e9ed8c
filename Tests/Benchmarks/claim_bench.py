#!/usr/bin/env python3
"""The latency a port claim (issue 17) adds to an admission that gives a node a new port.

`troxileia run` (release, webhook only) against the API stand-in (release, loopback, plain HTTP)
holding the 5,000 peer nodes. One keep-alive TLS connection sends ~20 KB AdmissionReviews one at a
time, alternating blocks of two kinds:
- "no port change": the node's port label stays as it was (the sensor label flips): decided in
  memory, no claim, answered at once;
- "port change": the node gets a free port it does not hold (a fresh one per request): the claim
  (a Lease POST to the stand-in) is taken before the answer.
It reports client-side latency percentiles of both, their difference (what the claim adds), and
the server's troxileia_webhook_port_claim_duration_seconds buckets. Every answer must be allowed,
and the claim counter must count exactly the port-change requests.

The stand-in answers from memory; a real kube-apiserver adds its etcd write (a few ms on a healthy
control plane) to every claim, so read the figure as the webhook's own share plus one round trip.

usage: claim_bench.py --troxileia BIN --standin BIN [--shared DIR] [--requests 2000] [--images 40] [--json OUT]
"""
from __future__ import annotations

import argparse, http.client, json, re, shutil, signal, ssl, statistics, subprocess, sys, tempfile, time, urllib.request, uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/EndToEnd"))
from lab import free_port  # noqa: E402

NODE = "worker-13"            # not a peer node: holds nothing
KEPT_PORT = "12_1_x1"         # its port in the "no port change" reviews (box 12: no peer holds it)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fresh_port(k: int) -> str:
    """The k-th port nobody holds: boxes 20 and up (the peers use 1–11)."""
    return f"{20 + k // (32 * 48)}_{1 + (k // 48) % 32}_x{1 + k % 48}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--troxileia", default=str(REPO / ".build-bench/release/troxileia"))
    p.add_argument("--standin", default=str(REPO / ".build-bench/release/troxileia-standin"))
    p.add_argument("--shared", default=str(REPO.parent / "shared"))
    p.add_argument("--requests", type=int, default=2000, help="requests of each kind")
    p.add_argument("--images", type=int, default=40)
    p.add_argument("--json", default=None)
    a = p.parse_args()
    bench = Path(a.shared) / "bench"
    tmp = Path(tempfile.mkdtemp(prefix="troxileia-claim-bench-"))
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run(["bash", str(REPO / "certs/make-certs.sh"), "--local", "--out", str(tmp / "certs")], check=True,
                       capture_output=True, timeout=60)
        nodes = tmp / "nodes.json"
        subprocess.run([sys.executable, str(bench / "make_peer_nodes.py"), str(nodes)], check=True, timeout=120)
        template = tmp / "review.json"
        subprocess.run([sys.executable, str(bench / "make_review.py"), str(template), "--images", str(a.images),
                        "--port", KEPT_PORT, "--old-port", KEPT_PORT, "--name", NODE], check=True, timeout=60)
        review = json.loads(template.read_text())

        def body(port: str | None) -> bytes:
            review["request"]["uid"] = str(uuid.uuid4())
            labels = review["request"]["object"]["metadata"]["labels"]
            labels["port"] = port or KEPT_PORT
            labels["sensor"] = "false" if labels["sensor"] == "true" else "true"
            return json.dumps(review).encode()

        standin_log = open(tmp / "standin.log", "w")
        standin = subprocess.Popen([a.standin, "--listen", "127.0.0.1:0", "--nodes-file", str(nodes)],
                                   stdout=standin_log, stderr=standin_log)
        processes.append(standin)
        deadline = time.monotonic() + 60
        api_port = None
        while api_port is None and time.monotonic() < deadline:
            text = (tmp / "standin.log").read_text()
            match = re.search(r'"listening","port":(\d+)', text)
            api_port = int(match.group(1)) if match else None
            time.sleep(0.1)
        if api_port is None:
            raise RuntimeError("the stand-in did not start")
        kubeconfig = tmp / "kubeconfig"
        kubeconfig.write_text(f"apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters:\n- name: b\n  cluster:\n"
                              f"    server: http://127.0.0.1:{api_port}\ncontexts:\n- name: b\n  context:\n"
                              f"    cluster: b\n    user: b\nusers:\n- name: b\n  user: {{}}\n")
        port, probe = free_port(), free_port()
        ours_log = open(tmp / "troxileia.log", "w")
        ours = subprocess.Popen([a.troxileia, "run", "--kubeconfig", str(kubeconfig), "--namespace", "troxileia",
                                 "--tls-cert-file", str(tmp / "certs/tls.crt"), "--tls-key-file", str(tmp / "certs/tls.key"),
                                 "--webhook-listen", f"127.0.0.1:{port}", "--probe-listen", f"127.0.0.1:{probe}",
                                 "--log-format", "text", "--log-level", "warning", "--shutdown-delay", "0s",
                                 "--shutdown-grace", "1s"], stdout=ours_log, stderr=ours_log)
        processes.append(ours)
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{probe}/readyz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("troxileia did not become ready")
            time.sleep(0.1)

        ctx = ssl.create_default_context(cafile=str(tmp / "certs/ca.crt"))
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        counter = {"port": 0}

        def send(kind: str) -> float:
            if kind == "port":
                data = body(fresh_port(counter["port"]))
                counter["port"] += 1
            else:
                data = body(None)
            started = time.perf_counter()
            connection.request("POST", "/validate?timeout=5s", data, {"Content-Type": "application/json"})
            answer = connection.getresponse().read()
            elapsed = time.perf_counter() - started
            if b'"allowed":true' not in answer:
                raise RuntimeError(f"{kind}: not allowed: {answer[:300]!r}")
            return elapsed

        for kind in ("same", "port"):
            for _ in range(100):
                send(kind)
        claims_before = claim_count(probe)
        times = {"same": [], "port": []}
        blocks = 10
        for block in range(blocks):
            for kind in (("same", "port") if block % 2 == 0 else ("port", "same")):
                for _ in range(a.requests // blocks):
                    times[kind].append(send(kind))
        claimed = claim_count(probe) - claims_before
        if claimed != len(times["port"]):
            raise RuntimeError(f"{claimed} claims taken for {len(times['port'])} port-change requests")
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{probe}/metrics", timeout=5).read().decode()

        result = {kind: {"n": len(v), "p50_ms": percentile(v, 0.5) * 1e3, "p90_ms": percentile(v, 0.9) * 1e3,
                         "p99_ms": percentile(v, 0.99) * 1e3, "mean_ms": statistics.fmean(v) * 1e3}
                  for kind, v in times.items()}
        result["claim_adds_p50_ms"] = result["port"]["p50_ms"] - result["same"]["p50_ms"]
        result["claim_adds_p99_ms"] = result["port"]["p99_ms"] - result["same"]["p99_ms"]
        result["server_claim_duration_buckets"] = {
            le: float(count) for le, count in re.findall(
                r'troxileia_webhook_port_claim_duration_seconds_bucket\{le="([^"]+)"\} (\S+)', metrics)}
        print(f"claim latency: {a.troxileia} run + {a.standin} on loopback, {a.images}-image reviews, "
              f"one keep-alive TLS connection, {a.requests} requests of each kind in alternating blocks")
        print(f"{'':16} {'p50':>9} {'p90':>9} {'p99':>9} {'mean':>9}")
        for kind, label in (("same", "no port change"), ("port", "port change")):
            r = result[kind]
            print(f"{label:16} {r['p50_ms']:8.3f}ms {r['p90_ms']:8.3f}ms {r['p99_ms']:8.3f}ms {r['mean_ms']:8.3f}ms")
        print(f"the claim adds {result['claim_adds_p50_ms']:.3f} ms at p50, {result['claim_adds_p99_ms']:.3f} ms at p99 "
              f"(a real kube-apiserver adds its etcd write)")
        print("server-side claim duration (cumulative buckets):",
              ", ".join(f"≤{le}s: {int(c)}" for le, c in result["server_claim_duration_buckets"].items()))
        if a.json:
            Path(a.json).write_text(json.dumps(result, indent=2))
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def claim_count(probe: int) -> float:
    text = urllib.request.urlopen(f"http://127.0.0.1:{probe}/metrics", timeout=5).read().decode()
    match = re.search(r'troxileia_webhook_port_claims_total\{result="taken"\} (\S+)', text)
    return float(match.group(1)) if match else 0.0


if __name__ == "__main__":
    sys.exit(main())
