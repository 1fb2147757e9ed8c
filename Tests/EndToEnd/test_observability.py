"""The operators' view (issue 16): the alert rules and the Grafana dashboard name only series that
`troxileia run` really exports, and every alert has a promtool unit test that fires and one that stays
quiet. Run with `python3 -m unittest discover -s Tests/EndToEnd -t Tests/EndToEnd` after `swift build`."""
import json, os, re, socket, unittest, urllib.request

import yaml

from lab import ROOT, Lab, node, pod

RULES = os.path.join(ROOT, "webhook/prometheus-rules.yaml")
RULE_TESTS = os.path.join(ROOT, "Tests/Alerts/prometheus-rules.test.yaml")
DASHBOARD = os.path.join(ROOT, "charts/troxileia/dashboards/troxileia.json")
METRIC = re.compile(r"\btroxileia_[a-z0-9_]+")


def rule_expressions():
    with open(RULES) as f:
        return {rule["alert"]: rule["expr"] for group in yaml.safe_load(f)["groups"] for rule in group["rules"]}


def dashboard_expressions():
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    exprs = {f'{panel["title"]} {target["refId"]}': target["expr"] for panel in dashboard["panels"] for target in panel["targets"]}
    for variable in dashboard["templating"]["list"]:
        if variable.get("definition"):
            exprs[f'variable {variable["name"]}'] = variable["definition"]
    return exprs


def scraped_names(text):
    """Sample names of a Prometheus text exposition (histograms give _bucket, _sum and _count)."""
    return {re.split(r"[{ ]", line, maxsplit=1)[0] for line in text.splitlines() if line and not line.startswith("#")}


class AlertUnitTests(unittest.TestCase):
    def test_every_alert_has_a_firing_and_a_quiet_case(self):
        with open(RULE_TESTS) as f:
            cases = [case for test in yaml.safe_load(f)["tests"] for case in test["alert_rule_test"]]
        for alert in rule_expressions():
            with self.subTest(alert=alert):
                mine = [case for case in cases if case["alertname"] == alert]
                self.assertTrue(any(case["exp_alerts"] for case in mine), f"{alert}: no case where it fires")
                self.assertTrue(any(not case["exp_alerts"] for case in mine), f"{alert}: no case where it stays quiet")

    def test_every_alert_says_what_to_do_and_links_the_troubleshooting_section(self):
        with open(RULES) as f:
            rules = [rule for group in yaml.safe_load(f)["groups"] for rule in group["rules"]]
        with open(os.path.join(ROOT, "docs/operating.md")) as f:
            operating = f.read()
        self.assertIn("\n## Troubleshooting\n", operating)
        for rule in rules:
            with self.subTest(alert=rule["alert"]):
                annotations = rule["annotations"]
                self.assertTrue(annotations["summary"])
                self.assertGreater(len(annotations["description"]), 80)
                self.assertEqual(annotations["runbook_url"], "docs/operating.md#troubleshooting")
                self.assertIn(rule["alert"], operating, "docs/operating.md names every alert")


class MetricNamesAgainstARealScrape(unittest.TestCase):
    def test_rules_and_dashboard_name_only_exported_series(self):
        lab = Lab([node("n1", {"sensor": "true", "port": "1_1_x1"}), node("n2")], [pod("sensor-1", "n1")],
                  keep=bool(os.environ.get("KEEP_LAB")))
        self.addCleanup(lab.stop)
        lab.start_simulator()
        lab.start_standin()
        replica = lab.start_troxileia("--debounce", "300ms")
        lab.wait_for("the first push", lambda: lab.tap_ports() == ["1/1/x1"])
        # An admission decision (a denied duplicate, through the stand-in's webhook call) and a failed
        # TLS handshake (plain text on the TLS port), so their labelled counters exist.
        self.assertEqual(lab.label("n2", {"port": "1_1_x1"})[0], 403)
        with socket.create_connection(("127.0.0.1", lab.webhook_port), timeout=5) as plain:
            plain.sendall(b"GET /validate HTTP/1.1\r\nHost: x\r\n\r\n")
            plain.recv(1024)
        url = f"http://127.0.0.1:{replica['probe_port']}/metrics"
        text = lab.wait_for("a scrape with every series", lambda: (lambda t: "tls_handshake_failures_total" in t and t)(
            urllib.request.urlopen(url, timeout=5).read().decode()))
        exported = scraped_names(text)
        self.assertIn("troxileia_reconciler_push_failures_total", exported)
        for source, exprs in (("rule", rule_expressions()), ("dashboard", dashboard_expressions())):
            for name, expr in exprs.items():
                with self.subTest(source=source, name=name):
                    used = set(METRIC.findall(expr))
                    self.assertTrue(used, f"{name}: no troxileia series")
                    self.assertEqual(used - exported, set(), f"{source} {name} names series /metrics does not export")


if __name__ == "__main__":
    unittest.main()
