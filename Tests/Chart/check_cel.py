#!/usr/bin/env python3
"""Evaluates the chart's CEL over Tests/Chart/cel-cases.yaml and compares it with TroxileiaCore.

The CEL is taken from `helm template` output, exactly as it would be installed: the
ValidatingWebhookConfiguration's matchConditions and the ValidatingAdmissionPolicy's
matchConditions, variables, validations and messageExpressions. They are compiled and run with
cel-expr-python (Google's C++ CEL) with the standard library and the strings extension, the
subset of Kubernetes' CEL environment the chart may use; a Kubernetes-only function would fail to
compile here. As in kube-apiserver, `oldObject` is null on CREATE (every CREATE case is also run
with an empty oldObject, which must change nothing), and policy variables may refer to earlier ones
(here they are all evaluated eagerly, so a variable that errors is caught even when unused).

TroxileiaCore's side comes from the real binary: `troxileia run --nodes-file` answers every case as
an AdmissionReview over TLS (dry runs, so no port is reserved between cases), and
`troxileia validate --output json` reads the grammar cases' new objects as a NodeList.

Checks per case: no CEL expression errors (an error would reject the request); the webhook's
matchConditions, the policy's verdict and the webhook's answer are what the table expects; a request
the matchConditions keep from the webhook is one the webhook allows without warnings; every policy
denial is a webhook denial with the same message; every format denial of the webhook is also a
policy denial (only duplicates are the webhook's alone); grammar cases name the expected problem,
and the policy's message equals `troxileia validate`'s finding for the same value.

Prints one line per failed case and `N passed, M failed`; exit status 1 when any failed.
"""

import argparse
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid

import yaml
from cel_expr_python import cel
from cel_expr_python.ext import ext_strings

USERS = {
    "admin": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
    "kubelet": None,  # per node: system:node:NAME in system:nodes
    "nogroups": {"username": "someone"},
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifests", required=True, help="helm template output (multi-document YAML)")
    parser.add_argument("--cases", required=True, help="Tests/Chart/cel-cases.yaml")
    parser.add_argument("--troxileia", required=True, help="the troxileia binary")
    parser.add_argument("--make-certs", required=True, help="certs/make-certs.sh")
    parser.add_argument("--port-label", default="port", help="labels.port the chart was rendered with")
    parser.add_argument("--sensor-label", default="sensor", help="labels.sensor the chart was rendered with")
    return parser.parse_args()


# ---------------------------------------------------------------------------------------------
# The chart's CEL


class ChartCEL:
    """The compiled expressions of the rendered webhook configuration and policy."""

    def __init__(self, manifests):
        docs = [d for d in yaml.safe_load_all(open(manifests)) if d]
        webhooks = [d for d in docs if d["kind"] == "ValidatingWebhookConfiguration"]
        policies = [d for d in docs if d["kind"] == "ValidatingAdmissionPolicy"]
        if len(webhooks) != 1 or len(policies) != 1:
            raise SystemExit(f"expected one ValidatingWebhookConfiguration and one ValidatingAdmissionPolicy, "
                             f"found {len(webhooks)} and {len(policies)}")
        self.env = cel.NewEnv(
            variables={name: cel.Type.DYN for name in ("object", "oldObject", "request", "variables")},
            extensions=[ext_strings.ExtStrings()])
        hooks = webhooks[0]["webhooks"]
        if len(hooks) != 1:
            raise SystemExit("expected one webhook")
        self.webhook_conditions = [(c["name"], self.compile(c["expression"])) for c in hooks[0]["matchConditions"]]
        spec = policies[0]["spec"]
        self.policy_conditions = [(c["name"], self.compile(c["expression"])) for c in spec.get("matchConditions", [])]
        self.variables = [(v["name"], self.compile(v["expression"])) for v in spec.get("variables", [])]
        self.validations = []
        for index, v in enumerate(spec["validations"]):
            message_expression = v.get("messageExpression")
            self.validations.append({
                "index": index,
                "expression": self.compile(v["expression"]),
                "message": v.get("message", ""),
                "messageExpression": self.compile(message_expression) if message_expression else None,
            })
        self.expression_count = (len(self.webhook_conditions) + len(self.policy_conditions) + len(self.variables)
                                 + sum(1 + (v["messageExpression"] is not None) for v in self.validations))

    def compile(self, text):
        try:
            return (text, self.env.compile(text))
        except Exception as error:  # a compile error names the expression
            raise SystemExit(f"CEL does not compile: {error}\n  {text}")

    @staticmethod
    def run(compiled, data, errors, what):
        text, expression = compiled
        value = expression.eval(data=data)
        if value.type() == cel.Type.ERROR:
            errors.append(f"{what}: {value.plain_value()}  [{text[:120]}…]")
            return None
        if value.type() == cel.Type.NULL:
            # cel-expr-python 0.1.3's plain_value() of a null drops a reference to None it never
            # took: thousands of them crash the interpreter ("deallocating None").
            return None
        return value.plain_value()

    def evaluate(self, request, obj, old):
        """Returns (webhook_called, policy_result, errors); policy_result is 'skipped' or a list of
        failed validations as (index, message)."""
        errors = []
        data = {"object": obj, "oldObject": old, "request": request, "variables": {}}
        called = all(self.run(c, data, errors, f"webhook matchCondition {name}") is True
                     for name, c in self.webhook_conditions)
        # Every condition is evaluated, also after a false one, so an error anywhere shows.
        conditions = [self.run(c, data, errors, f"policy matchCondition {name}") for name, c in self.policy_conditions]
        variables = {}
        for name, compiled in self.variables:
            variables[name] = self.run(compiled, dict(data, variables=variables), errors, f"variable {name}")
        data = dict(data, variables=variables)
        failed = []
        for v in self.validations:
            passed = self.run(v["expression"], data, errors, f"validation {v['index']}")
            message = None
            if v["messageExpression"] is not None:
                message = self.run(v["messageExpression"], data, errors, f"messageExpression {v['index']}")
            if passed is False:
                failed.append((v["index"], message or v["message"]))
            elif passed is not True and passed is not None:
                errors.append(f"validation {v['index']} returned {passed!r}, not a bool")
        policy = failed if all(c is True for c in conditions) else "skipped"
        return called, policy, errors


# ---------------------------------------------------------------------------------------------
# Cases


def load_cases(path, port_key, sensor_key):
    table = yaml.safe_load(open(path))
    rename = {"port": port_key, "sensor": sensor_key}

    def labels(value, where):
        if value is None:
            return None
        for key, text in value.items():
            if not isinstance(text, str):
                raise SystemExit(f"{where}: label {key} is {text!r}, not a string: quote it in {path}")
        return {rename.get(k, k): v for k, v in value.items()}

    cases = []
    for r in table["requests"]:
        cases.append({
            "name": r["name"], "node": r["name"], "op": r["op"], "user": r.get("user", "admin"),
            "old": labels(r.get("old"), r["name"]), "new": labels(r.get("new"), r["name"]),
            "expect": r["expect"], "grammar": None,
        })
    for kind, key in (("ports", "port"), ("sensors", "sensor")):
        for index, (value, expected) in enumerate(table[kind]):
            if not isinstance(value, str) or not isinstance(expected, str):
                raise SystemExit(f"{kind}[{index}]: {value!r} → {expected!r}: quote it in {path}")
            node = f"{key}-{index:02d}"
            old = {"kubernetes.io/hostname": node}
            cases.append({
                "name": f"{key}={value!r}", "node": node, "op": "UPDATE", "user": "admin",
                "old": old, "new": dict(old, **{rename[key]: value}),
                "expect": None, "grammar": (rename[key], value, expected),
            })
    holders = {name: labels(value, name) for name, value in table.get("holders", {}).items()}
    return cases, holders


def node_object(name, labels):
    metadata = {"name": name, "uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
                "creationTimestamp": "2026-11-23T11:00:31Z"}
    if labels is not None:
        metadata["labels"] = labels
    return {"kind": "Node", "apiVersion": "v1", "metadata": metadata,
            "spec": {"taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]},
            "status": {"nodeInfo": {"kubeletVersion": "v1.34.5"}}}


def admission_request(case):
    user = USERS[case["user"]]
    if user is None:
        user = {"username": f"system:node:{case['node']}", "groups": ["system:nodes", "system:authenticated"]}
    gvk = {"group": "", "version": "v1", "kind": "Node"}
    gvr = {"group": "", "version": "v1", "resource": "nodes"}
    new = node_object(case["node"], case["new"])
    old = None if case["op"] == "CREATE" else node_object(case["node"], case["old"])
    request = {
        "uid": str(uuid.uuid4()), "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
        "name": case["node"], "operation": case["op"], "userInfo": user, "dryRun": True,
        "options": {"kind": "CreateOptions" if case["op"] == "CREATE" else "UpdateOptions", "apiVersion": "meta.k8s.io/v1"},
    }
    return request, new, old


# ---------------------------------------------------------------------------------------------
# TroxileiaCore: the webhook server and `troxileia validate`


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookServer:
    def __init__(self, binary, make_certs, holders, port_key, sensor_key, workdir):
        certs = os.path.join(workdir, "certs")
        subprocess.run(["bash", make_certs, "--local", "--out", certs], check=True, stdout=subprocess.DEVNULL)
        nodes = os.path.join(workdir, "holders.json")
        json.dump({"kind": "NodeList", "apiVersion": "v1",
                   "items": [node_object(name, labels) for name, labels in holders.items()]}, open(nodes, "w"))
        self.port, probe = free_port(), free_port()
        self.log = open(os.path.join(workdir, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "run", "--nodes-file", nodes, "--tls-cert-file", f"{certs}/tls.crt",
             "--tls-key-file", f"{certs}/tls.key", "--webhook-listen", f"127.0.0.1:{self.port}",
             "--probe-listen", f"127.0.0.1:{probe}", "--port-label", port_key, "--sensor-label", sensor_key,
             "--log-format", "text", "--event-loops", "1"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                probe_connection = http.client.HTTPConnection("127.0.0.1", probe, timeout=2)
                probe_connection.request("GET", "/readyz")
                if probe_connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the webhook server did not become ready; log: {self.log.name}\n"
                                 + open(self.log.name).read()[-2000:])
            time.sleep(0.1)
        context = ssl.create_default_context(cafile=f"{certs}/ca.crt")
        self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=10)

    def review(self, request, new, old):
        body = json.dumps({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
                           "request": dict(request, object=new, oldObject=old)})
        self.connection.request("POST", "/validate?timeout=5s", body=body,
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise SystemExit(f"webhook answered {response.status}: {payload[:300]!r}")
        answer = json.loads(payload)["response"]
        if answer.get("uid") != request["uid"]:
            raise SystemExit("webhook answered with another uid")
        return answer

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def validate_findings(binary, cases, port_key, sensor_key, workdir):
    """`troxileia validate --output json` over the grammar cases' new objects: message by node."""
    path = os.path.join(workdir, "grammar-nodes.json")
    items = [node_object(c["node"], c["new"]) for c in cases if c["grammar"]]
    json.dump({"kind": "NodeList", "apiVersion": "v1", "items": items}, open(path, "w"))
    run = subprocess.run([binary, "validate", "--output", "json", "--port-label", port_key,
                          "--sensor-label", sensor_key, path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"troxileia validate exited {run.returncode}: {run.stderr}")
    findings = {}
    for f in json.loads(run.stdout)["findings"]:
        if f["kind"] in ("InvalidTapPort", "InvalidSensorValue"):
            findings.setdefault(f["node"], []).append(f"node {f['node']}: {f['problem']}; {f['hint']}")
    return findings


# ---------------------------------------------------------------------------------------------


def core_verdict(answer):
    if not answer.get("allowed"):
        return "deny"
    return "warn" if answer.get("warnings") else "allow"


def check_case(case, chart, server, findings):
    problems = []
    request, new, old = admission_request(case)
    called, policy, errors = chart.evaluate(request, new, old)
    problems += errors
    if case["op"] == "CREATE":
        # Some callers hand CEL an empty object rather than null: the verdicts must not change.
        called2, policy2, errors2 = chart.evaluate(request, new, {})
        problems += [f"with oldObject {{}}: {e}" for e in errors2]
        if (called2, policy2) != (called, policy):
            problems.append(f"oldObject {{}} changes the verdicts: {called2}/{policy2} vs {called}/{policy}")
    answer = server.review(request, new, old)
    core = core_verdict(answer)
    core_message = answer.get("status", {}).get("message", "")
    core_parts = core_message.split("; and ") if core_message else []
    policy_verdict = policy if policy == "skipped" else ("deny" if policy else "allow")
    policy_messages = [] if policy == "skipped" else [m for _, m in policy]

    if policy != "skipped" and len([i for i, _ in policy if i > 0]) > 1:
        problems.append(f"validations {[i for i, _ in policy]} failed: a port problem should fire exactly one")
    if any(i == len(chart.validations) - 1 for i, _ in ([] if policy == "skipped" else policy)):
        problems.append("the safety-net validation fired: portKind missed a problem")
    expect = case["expect"]
    if case["grammar"]:
        key, value, expected = case["grammar"]
        valid = expected == "valid"
        expect = {"webhook": "called", "policy": "allow" if valid else "deny",
                  "core": ("allow", "warn") if valid else "deny"}
        if not valid:
            if not policy_messages or expected not in policy_messages[0]:
                problems.append(f"policy message lacks {expected!r}: {policy_messages[:1]}")
            if expected not in core_message:
                problems.append(f"webhook message lacks {expected!r}: {core_message!r}")
            if policy_messages and findings.get(case["node"]) != [policy_messages[0]]:
                problems.append(f"troxileia validate says {findings.get(case['node'])}, the policy {policy_messages[0]!r}")
        elif case["node"] in findings:
            problems.append(f"troxileia validate finds {findings[case['node']]}")
    want_core = expect["core"] if isinstance(expect["core"], tuple) else (expect["core"],)
    if ("called" if called else "skipped") != expect["webhook"]:
        problems.append(f"webhook matchConditions: {'called' if called else 'skipped'}, expected {expect['webhook']}")
    if policy_verdict != expect["policy"]:
        problems.append(f"policy: {policy_verdict} {policy_messages}, expected {expect['policy']}")
    if core not in want_core:
        problems.append(f"webhook answer: {core} {core_message!r} {answer.get('warnings')}, expected {expect['core']}")
    if not called and core != "allow":
        problems.append(f"the matchConditions skip a request the webhook would not simply allow: {core} {answer}")
    if policy_verdict == "deny":
        if core != "deny":
            problems.append(f"the policy denies what the webhook admits ({core}): {policy_messages[0]!r}")
        elif policy_messages[0] not in core_parts:
            problems.append(f"policy message {policy_messages[0]!r} is not the webhook's {core_parts}")
    if core == "deny" and any("is already labelled on node" not in part for part in core_parts) \
            and policy_verdict != "deny":
        problems.append(f"the webhook denies a format problem the policy lets through: {core_message!r}")
    return problems


def main():
    args = parse_args()
    chart = ChartCEL(args.manifests)
    cases, holders = load_cases(args.cases, args.port_label, args.sensor_label)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="troxileia-cel-") as workdir:
        findings = validate_findings(args.troxileia, cases, args.port_label, args.sensor_label, workdir)
        server = WebhookServer(args.troxileia, args.make_certs, holders, args.port_label, args.sensor_label, workdir)
        try:
            for case in cases:
                problems = check_case(case, chart, server, findings)
                if problems:
                    failed += 1
                    print(f"FAIL {case['name']}")
                    for p in problems:
                        print(f"     {p}")
                else:
                    passed += 1
        finally:
            server.stop()
    print(f"cel: {len(cases)} cases ({args.port_label}, {args.sensor_label}) through {chart.expression_count} CEL "
          f"expressions, the webhook server and troxileia validate")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
