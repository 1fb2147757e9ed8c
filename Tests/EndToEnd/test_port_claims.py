"""End to end, issue 17: port claims hold across webhook replicas. Two `troxileia run` replicas
(webhook only) behind the API stand-in, whose admission calls spread over both; racing label
changes claim one port for two nodes. Run after `swift build` with
`python3 -m unittest discover -s Tests/EndToEnd -t Tests/EndToEnd -p test_port_claims.py`.

TROXILEIA_RACE_PAIRS sets the number of racing pairs (default 1000)."""
import os, re, threading, time, unittest

from lab import Lab, node

PAIRS = int(os.environ.get("TROXILEIA_RACE_PAIRS", "1000"))


def ports(count):
    """`count` distinct valid port label values: 1_1_x1 … (box, slot 1–32, port 1–128)."""
    out = []
    for box in range(1, 256):
        for slot in range(1, 33):
            for number in range(1, 129):
                out.append(f"{box}_{slot}_x{number}")
                if len(out) == count:
                    return out
    return out


class PortClaimsEndToEnd(unittest.TestCase):
    def lab(self, *args, replicas=2, spread="round-robin"):
        lab = Lab([node("node-a"), node("node-b"), node("node-c")], keep=bool(os.environ.get("KEEP_LAB")),
                  webhook_replicas=replicas)
        self.addCleanup(lab.stop)
        lab.start_standin(spread=spread)
        for _ in range(replicas):
            lab.start_troxileia(*args, tap=False)
        return lab

    def race(self, lab, port):
        """node-a and node-b ask for `port` at once; returns the two HTTP statuses."""
        barrier = threading.Barrier(2)
        statuses = {}

        def claim(name):
            barrier.wait()
            statuses[name] = lab.label(name, {"port": port})[0]

        threads = [threading.Thread(target=claim, args=(name,)) for name in ("node-a", "node-b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return statuses["node-a"], statuses["node-b"]

    def run_pairs(self, lab, count, during=None):
        """`count` racing pairs, each for a fresh port; `during(i)` runs before pair i. Returns counts."""
        tally = {"both": 0, "one": 0, "none": 0}
        for i, port in enumerate(ports(count)):
            if during:
                during(i)
            admitted = sum(status == 200 for status in self.race(lab, port))
            tally[("none", "one", "both")[admitted]] += 1
        return tally

    def claim_metric(self, lab, result):
        total = 0.0
        for replica in lab.replicas:
            match = re.search(r'troxileia_webhook_port_claims_total\{result="%s"\} (\S+)' % result, lab.metrics(replica))
            total += float(match.group(1)) if match else 0.0
        return total

    def test_racing_pairs_over_two_replicas_are_never_both_admitted(self):
        lab = self.lab()
        tally = self.run_pairs(lab, PAIRS)
        print(f"\nrace, two replicas round-robin: {PAIRS} pairs: {tally}")
        self.assertEqual(tally["both"], 0)
        self.assertEqual(tally["one"], PAIRS, "every pair admits exactly one node")
        self.assertGreaterEqual(self.claim_metric(lab, "conflict"), 1, "the arbiter was the claim, not one process")

    def test_racing_pairs_with_a_replica_restarted_in_the_middle(self):
        lab = self.lab(spread="random")
        restarted = {}

        def restart(i):
            if i == PAIRS // 2:
                lab.stop_replica(lab.replicas[1])
                restarted["replica"] = lab.start_troxileia(tap=False, index=1, wait_ready=False)

        tally = self.run_pairs(lab, PAIRS, during=restart)
        print(f"\nrace, two replicas random, one restarted at pair {PAIRS // 2}: {PAIRS} pairs: {tally}")
        self.assertIn("replica", restarted)
        self.assertEqual(tally["both"], 0)
        self.assertGreater(tally["one"], PAIRS // 2)

    def test_a_dry_run_takes_no_claim(self):
        lab = self.lab(replicas=1)
        status, _ = lab.api("PATCH", "/api/v1/nodes/node-a?dryRun=All", {"metadata": {"labels": {"port": "1_1_x7"}}})
        self.assertEqual(status, 200)
        self.assertEqual(lab.claims(), {})
        self.assertEqual(lab.label("node-b", {"port": "1_1_x7"})[0], 200, "the dry run held nothing")
        self.assertEqual(lab.claims(), {"troxileia-port-1-1-x7": "node-b"})

    def test_claims_are_swept_after_the_ttl_and_a_stale_one_is_taken_over(self):
        lab = self.lab("--reservation-ttl", "2s", replicas=1)
        # A claim whose label write failed after admission: the claim exists, the node never got the port.
        stale = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": "troxileia-port-1-1-x8", "labels": {"troxileia.io/claim": "port", "troxileia.io/port": "1_1_x8"}},
                 "spec": {"holderIdentity": "node-c", "renewTime": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())}}
        self.assertEqual(lab.api("POST", "/apis/coordination.k8s.io/v1/namespaces/troxileia/leases", stale,
                                 content_type="application/json")[0], 201)
        status, body = lab.label("node-b", {"port": "1_1_x8"})
        self.assertEqual(status, 403)
        self.assertIn("was just admitted for node node-c", body.get("message", ""))
        time.sleep(2.2)
        self.assertEqual(lab.label("node-b", {"port": "1_1_x8"})[0], 200, "after the TTL the stale claim gives way")
        # A node labelled, then deleted: the sweep leaves no claim behind.
        self.assertEqual(lab.label("node-c", {"port": "1_1_x9"})[0], 200)
        self.assertEqual(lab.api("DELETE", "/api/v1/nodes/node-c")[0], 200)
        lab.wait_for("no claims at rest", lambda: lab.claims() == {}, timeout=15)
        self.assertIn('troxileia_webhook_port_claim_sweeps_total{result="success"}', lab.metrics(lab.replicas[0]))

    def test_claim_failure_deny_asks_to_retry_and_allow_falls_back(self):
        lab = self.lab(replicas=1)
        fail_leases = "/standin/fail?count=1&path=/apis/coordination.k8s.io/"
        self.assertEqual(lab.api("POST", fail_leases)[0], 200)
        status, body = lab.label("node-a", {"port": "1_1_x5"})
        self.assertEqual(status, 403)
        self.assertIn("could not be recorded in the API server", body.get("message", ""))
        self.assertIn("retry", body.get("message", ""))
        self.assertEqual(lab.label("node-a", {"port": "1_1_x5"})[0], 200, "the retry goes through")

        lab.stop_replica(lab.replicas[0])
        replica = lab.start_troxileia("--claim-failure", "allow", tap=False, index=0)
        self.assertEqual(lab.api("POST", fail_leases)[0], 200)
        self.assertEqual(lab.label("node-b", {"port": "1_1_x6"})[0], 200)
        self.assertIn("troxileia_webhook_port_claim_fallbacks_total 1", lab.metrics(replica))


if __name__ == "__main__":
    unittest.main()
