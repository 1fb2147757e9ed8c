#!/usr/bin/env python3
"""Writes (--write) or checks (--check) webhook/validating-webhook.yaml and
webhook/validating-admission-policy.yaml: the chart's ValidatingWebhookConfiguration and
ValidatingAdmissionPolicy (+ binding) for installs without Helm, rendered from the chart with the
default values (Service troxileia in namespace troxileia, label keys port and sensor), so their
matchConditions and CEL are exactly the chart's. The caBundle is a placeholder line that
certs/README.md's `sed "s|caBundle: .*|caBundle: ${CA_BUNDLE}|"` replaces; left as it is, the
apiserver refuses it (not base64), so a forgotten step fails loudly.

webhook/prometheus-rules.yaml is a copy of the chart's files/prometheus-rules.yaml (the alerts for a
Prometheus without the operator).

Usage: plain_manifests.py --helm HELM --chart charts/troxileia --out webhook (--write | --check)
"""
import argparse
import subprocess
import sys

PLACEHOLDER = "caBundle: PASTE-THE-caBundle-LINE-OF-certs/make-certs.sh-HERE"
HEADER = """# {what} for installs without Helm: the chart's {kinds}
# rendered with its default values (Service troxileia in namespace troxileia, label keys `port`
# and `sensor`) by `make chart-manifests`; `make chart-test` fails when this file and the chart differ.
# Other names or keys: render your own with `helm template` (docs/operating.md, "Without Helm").
"""
FILES = {
    "validating-webhook.yaml": ("The webhook configuration", {"ValidatingWebhookConfiguration"}),
    "validating-admission-policy.yaml": ("The label-format policy",
                                         {"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"}),
}
COPIES = {"prometheus-rules.yaml": "files/prometheus-rules.yaml"}
DROPPED_LINES = ("helm.sh/chart:", "app.kubernetes.io/managed-by:", "# Source:")


def render(helm, chart):
    out = subprocess.run(
        [helm, "template", "troxileia", chart, "--namespace", "troxileia",
         "--set", "tap.host=gigavue", "--set", "tap.password=unused", "--set", "tap.insecureSkipHostKeyVerification=true",
         "--set", "certificates.mode=secret", "--set", "certificates.secret.name=troxileia-webhook-tls",
         "--set", "certificates.secret.caBundle=UExBQ0VIT0xERVI="],
        check=True, capture_output=True, text=True).stdout
    return [d for d in out.split("\n---\n") if d.strip()]


def kind_of(doc):
    for line in doc.splitlines():
        if line.startswith("kind: "):
            return line.split(": ", 1)[1].strip()
    return None


def plain(doc):
    lines = [l for l in doc.splitlines() if not l.strip().startswith(DROPPED_LINES)]
    text = "\n".join(lines).strip("\n-") + "\n"
    return text.replace("caBundle: UExBQ0VIT0xERVI=", PLACEHOLDER)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helm", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--out", required=True)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()
    docs = render(args.helm, args.chart)
    passed = failed = 0
    wanted = {name: HEADER.format(what=what, kinds=" and ".join(sorted(kinds)))
              + "---\n".join(plain(d) for d in docs if kind_of(d) in kinds) for name, (what, kinds) in FILES.items()}
    for name, source in COPIES.items():
        with open(f"{args.chart}/{source}") as f:
            wanted[name] = f.read()
    for name, text in wanted.items():
        path = f"{args.out}/{name}"
        if args.write:
            open(path, "w").write(text)
            print(f"wrote {path}")
            continue
        try:
            current = open(path).read()
        except FileNotFoundError:
            current = None
        if current == text:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {path} differs from the chart: run `make chart-manifests` and commit it")
    if args.check:
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
