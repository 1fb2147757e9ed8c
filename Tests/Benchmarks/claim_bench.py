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

usage: claim_bench.py [--bin DIR] [--shared DIR] [--requests 2000] [--images 40] [--json OUT]
"""
from __future__ import annotations

import argparse, http.client, json, os, re, ssl, statistics, subprocess, sys, tempfile, time, uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE = "worker-13"            # not a peer node: holds nothing
KEPT_PORT = "12_1_x1"         # its port in the "no port change" reviews (box 12: no peer holds it)


def fresh_port(k: int) -> str:
    """The k-th port nobody holds: boxes 20 and up (the peers use 1–11)."""
    return f"{20 + k // (32 * 48)}_{1 + (k // 48) % 32}_x{1 + k % 48}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=str(REPO / ".build-bench/release"), help="folder holding troxileia and troxileia-standin")
    p.add_argument("--shared", default=str(REPO.parent / "shared"))
    p.add_argument("--requests", type=int, default=2000, help="requests of each kind")
    p.add_argument("--images", type=int, default=40)
    p.add_argument("--json", default=None)
    a = p.parse_args()
    # The lab (Tests/EndToEnd/lab.py) runs the processes; it reads the binaries' folder when imported.
    os.environ["TROXILEIA_BIN"] = a.bin
    sys.path.insert(0, str(REPO / "Tests/EndToEnd"))
    from lab import Lab  # noqa: E402

    bench = Path(a.shared) / "bench"
    with tempfile.TemporaryDirectory(prefix="troxileia-claim-bench-") as tmp:
        nodes, template = Path(tmp) / "nodes.json", Path(tmp) / "review.json"
        subprocess.run([sys.executable, str(bench / "make_peer_nodes.py"), str(nodes)], check=True, timeout=120)
        subprocess.run([sys.executable, str(bench / "make_review.py"), str(template), "--images", str(a.images),
                        "--port", KEPT_PORT, "--old-port", KEPT_PORT, "--name", NODE], check=True, timeout=60)
        peers = json.loads(nodes.read_text())["items"]
        review = json.loads(template.read_text())
    lab = Lab(peers)
    try:
        lab.start_standin()
        replica = lab.start_troxileia("--log-level", "warning", tap=False)
        return measure(a, lab, replica, review)
    finally:
        lab.stop()


def measure(a, lab, replica: dict, review: dict) -> int:
    def body(port: str | None) -> bytes:
        review["request"]["uid"] = str(uuid.uuid4())
        labels = review["request"]["object"]["metadata"]["labels"]
        labels["port"] = port or KEPT_PORT
        labels["sensor"] = "false" if labels["sensor"] == "true" else "true"
        return json.dumps(review).encode()

    ctx = ssl.create_default_context(cafile=os.path.join(lab.certs, "ca.crt"))
    connection = http.client.HTTPSConnection("127.0.0.1", lab.webhook_port, context=ctx, timeout=10)
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
    claims_before = claim_count(lab.metrics(replica))
    times = {"same": [], "port": []}
    blocks = 10
    for block in range(blocks):
        for kind in (("same", "port") if block % 2 == 0 else ("port", "same")):
            for _ in range(a.requests // blocks):
                times[kind].append(send(kind))
    metrics = lab.metrics(replica)
    claimed = claim_count(metrics) - claims_before
    if claimed != len(times["port"]):
        raise RuntimeError(f"{claimed} claims taken for {len(times['port'])} port-change requests")

    result = {kind: {"n": len(v), "p50_ms": percentile(v, 0.5) * 1e3, "p90_ms": percentile(v, 0.9) * 1e3,
                     "p99_ms": percentile(v, 0.99) * 1e3, "mean_ms": statistics.fmean(v) * 1e3}
              for kind, v in times.items()}
    result["claim_adds_p50_ms"] = result["port"]["p50_ms"] - result["same"]["p50_ms"]
    result["claim_adds_p99_ms"] = result["port"]["p99_ms"] - result["same"]["p99_ms"]
    result["server_claim_duration_buckets"] = {
        le: float(count) for le, count in re.findall(
            r'troxileia_webhook_port_claim_duration_seconds_bucket\{le="([^"]+)"\} (\S+)', metrics)}
    print(f"claim latency: troxileia run + troxileia-standin from {a.bin} on loopback, {a.images}-image reviews, "
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


def claim_count(metrics: str) -> float:
    """Claims taken so far, from a /metrics text."""
    match = re.search(r'troxileia_webhook_port_claims_total\{result="taken"\} (\S+)', metrics)
    return float(match.group(1)) if match else 0.0


if __name__ == "__main__":
    sys.exit(main())
