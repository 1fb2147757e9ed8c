"""End to end: the API stand-in, the GigaVUE simulator and `troxileia run` as processes on loopback
(issue 6 "End-to-end tests"). Run with
`python3 -m unittest discover -s Tests/EndToEnd -t Tests/EndToEnd` after `swift build`."""
import os, signal, subprocess, time, unittest, urllib.request

from lab import BIN, Lab, node, pod

FAST = ("--debounce", "300ms", "--debounce-max", "2s")


class ReconcilerEndToEnd(unittest.TestCase):
    def lab(self, nodes, pods=(), *args, simulator_lines=None, start=True):
        lab = Lab(nodes, pods, keep=bool(os.environ.get("KEEP_LAB")))
        self.addCleanup(lab.stop)
        lab.start_simulator()
        if simulator_lines:
            lab.sim("POST", "/configure", {"lines": simulator_lines})
        lab.start_standin()
        if start:
            lab.start_troxileia(*FAST, *args)
        return lab

    def test_labels_drive_the_gigastream(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"port": "1_1_x2"})])
        lab.wait_for("n1 on the tap", lambda: lab.tap_ports() == ["1/1/x1"])
        self.assertEqual(lab.label("n2", {"sensor": "true"})[0], 200)
        lab.wait_for("n2 added", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        lab.label("n1", {"sensor": "false"})
        lab.wait_for("n1 removed", lambda: lab.tap_ports() == ["1/1/x2"])
        lab.label("n2", {"port": "1_1_x5"})
        lab.wait_for("n2 moved", lambda: lab.tap_ports() == ["1/1/x5"])
        shown = lab.wait_for("troxileia status in sync", lambda: (lambda r: r.returncode == 0 and "in sync:    yes" in r.stdout
                                                                   and r.stdout)(lab.cli("status")))
        self.assertIn("desired:    1/1/x5 (1 port(s))", shown)
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{lab.replicas[0]['probe_port']}/metrics").read().decode()
        for line in ("troxileia_reconciler_leader 1.0", "troxileia_reconciler_desired_ports 1.0",
                     "troxileia_reconciler_applied_ports 1.0", "troxileia_reconciler_last_successful_push_timestamp_seconds"):
            self.assertIn(line, metrics)
        # The series exists at 0 from the start (for increase()); the pushes above counted in it.
        self.assertRegex(metrics, r'troxileia_reconciler_pushes_total\{reason="change",result="pushed"\} [1-9]')
        missing = subprocess.run([os.path.join(BIN, "troxileia"), "status", "--kubeconfig", lab.kubeconfig,
                                  "--namespace", "elsewhere"], capture_output=True, text=True, timeout=30)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("no status yet", missing.stderr)

    def test_a_port_the_tap_lacks_costs_the_other_sensors_nothing(self):
        """Issue 15: the node is left out with its Event, the others never go dark, a fixed label fixes the tap."""
        lab = self.lab([node(f"n{i}", {"sensor": "true", "port": f"1_1_x{i}"}) for i in (1, 2, 3)])
        lab.wait_for("three sensors on the tap", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2", "1/1/x3"])
        self.assertEqual(lab.label("n3", {"port": "1_3_x1"})[0], 200)  # well-formed, so admitted
        lab.wait_for("n3 reported", lambda: ("TapPortUnknown", "n3") in lab.event_reasons())
        lab.wait_for("n3 left out", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        status = lab.api("GET", "/api/v1/namespaces/troxileia/configmaps/troxileia-status")[1]["data"]
        self.assertIn("n3: tap port 1/3/x1 left out", status["rejected"])
        self.assertIn("% Port 1/3/x1 does not exist", status["rejected"])
        self.assertEqual(status["lastPushResult"], "pushed")
        fixed_at = time.monotonic()
        lab.label("n3", {"port": "1_1_x4"})
        lab.wait_for("n3 back", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2", "1/1/x4"])
        self.assertLess(time.monotonic() - fixed_at, 10, "no retry backoff stands between the fix and the tap")
        traffic = lab.traffic()
        for port in ("1/1/x1", "1/1/x2"):
            self.assertEqual(len(traffic[port]), 1, f"{port} never went dark: {traffic[port]}")
            self.assertIsNone(traffic[port][0][1])
        lab.wait_for("rejection cleared", lambda: lab.api(
            "GET", "/api/v1/namespaces/troxileia/configmaps/troxileia-status")[1]["data"]["rejected"] == "")

    def test_doctor_passes_on_a_healthy_setup_and_names_each_failure(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"})])
        lab.wait_for("n1 on the tap", lambda: lab.tap_ports() == ["1/1/x1"])
        webhook = ("--webhook-url", f"https://127.0.0.1:{lab.webhook_port}/validate",
                   "--webhook-ca-file", os.path.join(lab.certs, "ca.crt"))
        healthy = lab.cli("doctor", "--sensor-apps", "sensor", *webhook, tap=True)
        self.assertEqual(healthy.returncode, 0, healthy.stdout + healthy.stderr)
        for line in ("PASS  cluster reachable", "PASS  create events in default", "PASS  create the Lease in troxileia",
                     "PASS  list port claims in troxileia",
                     "PASS  node labels", "PASS  tap reachable", "PASS  source port group: net_group",
                     "PASS  managed map: map sensor_map sends to 1/1/x1", "PASS  webhook certificate: valid for 127.0.0.1",
                     "all checks passed"):
            self.assertIn(line, healthy.stdout)
        lab.sim("POST", "/faults", {"alternate_host_key": True})
        lab.api("POST", "/api/v1/nodes", {"apiVersion": "v1", "kind": "Node",
                                          "metadata": {"name": "k1", "labels": {"sensor": "true", "port": "01_1_x1"}}},
                content_type="application/json",
                headers={"X-Standin-User": "system:node:k1", "X-Standin-Groups": "system:nodes"})
        broken = lab.cli("doctor", tap=True)
        self.assertEqual(broken.returncode, 1, broken.stdout + broken.stderr)
        self.assertIn("FAIL  tap reachable: refused the tap's host key", broken.stdout)
        self.assertIn("FAIL  node labels", broken.stdout)
        self.assertIn("hint:", broken.stdout)
        # Without --webhook-url the certificate check is named as skipped, with the flags that run it.
        self.assertIn("SKIP  webhook certificate: not checked\n      hint: pass --webhook-url", broken.stdout)
        self.assertNotIn("SKIP", healthy.stdout)
        self.assertIn("2 check(s) failed", broken.stdout)

    def test_plan_reads_and_never_changes(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"port": "1_1_x2"})])
        lab.wait_for("n1 on the tap", lambda: lab.tap_ports() == ["1/1/x1"])
        in_sync = lab.cli("plan", "--sensor-apps", "sensor", tap=True)
        self.assertEqual(in_sync.returncode, 0, in_sync.stdout + in_sync.stderr)
        self.assertIn("nothing to change", in_sync.stdout)
        lab.stop_replica(lab.replicas[0])
        lab.sim("POST", "/configure", {"lines": ["no map-passall alias sensor_map"]})  # drift by hand
        mark = lab.log_mark()
        pending = lab.cli("plan", "--sensor-apps", "sensor", tap=True)
        self.assertEqual(pending.returncode, 2, pending.stdout + pending.stderr)
        self.assertIn("read from the tap", pending.stdout)
        self.assertIn("  map-passall alias sensor_map\n  from net_group\n  to 1/1/x1", pending.stdout)
        self.assertNotIn("no map-passall alias sensor_map", lab.tap_lines(mark), "plan only reads the tap")
        self.assertEqual(lab.tap_ports(), [])
        per_status = lab.cli("plan")
        self.assertEqual(per_status.returncode, 0, per_status.stdout + per_status.stderr)
        lab.api("PATCH", "/api/v1/namespaces/troxileia/configmaps/troxileia-status", {"data": {"applied": "none"}})
        from_status = lab.cli("plan")
        self.assertEqual(from_status.returncode, 2, from_status.stdout + from_status.stderr)
        self.assertIn("status ConfigMap", from_status.stdout)

    def test_dry_run_logs_the_plan_and_never_changes_the_tap(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"})], (), "--dry-run")
        lab.wait_for("the planned push", lambda: "dry run: push planned" in lab.log("troxileia-0"))
        self.assertIn("map-passall alias sensor_map", lab.log("troxileia-0"))
        self.assertEqual(lab.tap_ports(), [])
        self.assertNotIn("no map-passall alias sensor_map", lab.tap_lines(), "a dry run only reads the tap")

    def test_a_burst_of_fifty_labels_is_one_push(self):
        # The simulator's chassis: 1/1/x1..x44 free (x45..x48 are the source group), 1/2/x1..x24.
        nodes = [node(f"n{i}", {"port": f"1_1_x{i}" if i <= 40 else f"1_2_x{i - 40}"}) for i in range(1, 51)]
        lab = self.lab(nodes, (), "--debounce", "3s", "--debounce-max", "20s", start=False)
        lab.start_troxileia("--debounce", "3s", "--debounce-max", "20s")
        lab.wait_for("the first check", lambda: "show running-config" in lab.tap_lines())
        time.sleep(0.5)
        mark = lab.log_mark()
        for i in range(1, 51):
            self.assertEqual(lab.label(f"n{i}", {"sensor": "true"})[0], 200)
        lab.wait_for("all 50 ports", lambda: len(lab.tap_ports()) == 50, timeout=60)
        time.sleep(4)
        self.assertEqual(lab.pushes(mark), 1, lab.tap_lines(mark))

    def test_a_first_push_that_would_empty_the_tap_waits_for_the_flag(self):
        existing = ["port 1/1/x1..x4 type tool", "gigastream alias sensor_stream port-list 1/1/x1..x4",
                    "map-passall alias sensor_map", "from net_group", "to sensor_stream", "exit"]
        lab = self.lab([node("n1", {"port": "1_1_x1"})], (), simulator_lines=existing)
        lab.wait_for("the hold event", lambda: ("LargeRemovalHeld", "troxileia-status") in lab.event_reasons("troxileia"))
        self.assertEqual(lab.tap_ports(), ["1/1/x1", "1/1/x2", "1/1/x3", "1/1/x4"])
        lab.stop_replica(lab.replicas[0])
        lab.start_troxileia(*FAST, "--allow-large-removal", webhook=False)
        lab.wait_for("the tap emptied", lambda: lab.tap_ports() == [])

    def test_exclude_annotation_and_bad_kubelet_labels_leave_nodes_out(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}),
                        node("n2", {"sensor": "true", "port": "1_1_x2"})])
        lab.wait_for("both on the tap", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        lab.annotate("n2", {"troxileia.io/exclude": "true"})
        lab.wait_for("n2 excluded", lambda: lab.tap_ports() == ["1/1/x1"])
        lab.wait_for("SensorExcluded", lambda: ("SensorExcluded", "n2") in lab.event_reasons())
        # kubelet registers a node with a malformed port: the webhook lets it in with a warning.
        status, _ = lab.api("POST", "/api/v1/nodes", node("n3", {"sensor": "true", "port": "1/1/x3"}),
                            content_type="application/json",
                            headers={"X-Standin-User": "system:node:n3", "X-Standin-Groups": "system:nodes"})
        self.assertEqual(status, 201)
        lab.wait_for("InvalidSensorLabels on n3", lambda: ("InvalidSensorLabels", "n3") in lab.event_reasons())
        lab.annotate("n2", {"troxileia.io/exclude": "false"})
        lab.wait_for("n2 back, n3 still out", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])

    def test_pod_health_removes_and_restores_and_deletion_removes_nothing(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"sensor": "true", "port": "1_1_x2"})],
                       [pod("s1", "n1"), pod("s2", "n2")], "--pod-not-ready-timeout", "2s")
        lab.wait_for("both on the tap", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        lab.set_pod_ready("s2", False)
        lab.wait_for("n2 out after the timeout", lambda: lab.tap_ports() == ["1/1/x1"])
        lab.wait_for("SensorExcluded event", lambda: ("SensorExcluded", "n2") in lab.event_reasons())
        lab.set_pod_ready("s2", True)
        lab.wait_for("n2 restored", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        self.assertEqual(lab.api("DELETE", "/api/v1/namespaces/sensors/pods/s1")[0], 200)
        time.sleep(3)
        self.assertEqual(lab.tap_ports(), ["1/1/x1", "1/1/x2"])

    def test_duplicates_set_before_install_leave_both_out_with_events(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"sensor": "true", "port": "1_1_x1"}),
                        node("n3", {"sensor": "true", "port": "1_1_x3"})])
        lab.wait_for("only n3", lambda: lab.tap_ports() == ["1/1/x3"])
        lab.wait_for("DuplicateTapPort on both", lambda: {("DuplicateTapPort", "n1"), ("DuplicateTapPort", "n2")}
                     <= set(lab.event_reasons()))

    def test_failed_pushes_retry_and_converge(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"})], start=False)
        lab.sim("POST", "/faults", {"fail_config_commands": 4})
        lab.start_troxileia(*FAST)
        lab.wait_for("TapPushFailed", lambda: ("TapPushFailed", "troxileia-status") in lab.event_reasons("troxileia"))
        lab.wait_for("converged after retries", lambda: lab.tap_ports() == ["1/1/x1"], timeout=60)

    def test_a_manual_change_is_repaired_at_the_next_resync(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"sensor": "true", "port": "1_1_x2"})],
                       (), "--resync-interval", "2s")
        lab.wait_for("both on the tap", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        lab.sim("POST", "/configure", {"lines": ["no map-passall alias sensor_map"]})
        self.assertEqual(lab.tap_ports(), [])
        lab.wait_for("repaired", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"], timeout=30)

    def test_a_restart_with_an_unchanged_cluster_pushes_nothing_and_sigterm_exits_cleanly(self):
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"})])
        lab.wait_for("n1 on the tap", lambda: lab.tap_ports() == ["1/1/x1"])
        self.assertEqual(lab.stop_replica(lab.replicas[0]), 0)
        mark = lab.log_mark()
        lab.start_troxileia(*FAST, webhook=False)
        lab.wait_for("the startup check", lambda: "show running-config" in lab.tap_lines(mark))
        time.sleep(2)
        self.assertEqual(lab.pushes(mark), 0)

    def test_only_the_leader_pushes_and_another_takes_over(self):
        timings = ("--lease-duration", "3s", "--lease-renew-deadline", "2s", "--lease-retry-period", "500ms")
        lab = self.lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2", {"port": "1_1_x2"})], (), *timings)
        lab.start_troxileia(*FAST, *timings, webhook=False)
        lab.wait_for("n1 on the tap", lambda: lab.tap_ports() == ["1/1/x1"])
        lab.label("n2", {"sensor": "true"})
        lab.wait_for("n2 on the tap", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"])
        pushers = [r["name"] for r in lab.replicas if "tap reconfigured" in lab.log(r["name"])]
        self.assertEqual(len(pushers), 1, pushers)
        leader = next(r for r in lab.replicas if r["name"] == pushers[0])
        other = next(r for r in lab.replicas if r is not leader)
        leader["process"].send_signal(signal.SIGKILL)
        leader["process"].wait()
        # The killed replica may have served the stand-in's webhook: change the tap instead of a label.
        # The new leader's first check after taking the Lease finds the drift and repairs it.
        lab.sim("POST", "/configure", {"lines": ["no map-passall alias sensor_map"]})
        lab.wait_for("the other replica took over", lambda: lab.tap_ports() == ["1/1/x1", "1/1/x2"], timeout=60)
        # The log line follows the read-back, a moment after the tap shows the ports.
        lab.wait_for("the takeover logged", lambda: "tap reconfigured" in lab.log(other["name"]), timeout=10)


if __name__ == "__main__":
    unittest.main()
