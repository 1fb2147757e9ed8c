#!/usr/bin/env python3
"""Checks rendered chart manifests for what the Kubernetes schemas cannot see.

Usage: check_manifests.py --design ../shared/DESIGN.md RENDER.yaml [RENDER.yaml …]
Each RENDER is `helm template` output of one value set. Per render:
  - kinds: only the chart's own (cert-manager and Prometheus operator kinds included);
  - Pod Security Standard "restricted" for every pod (the Deployment's and the test hooks');
  - the Deployment: rolling update keeping every ready replica, anti-affinity, probes on the probe
    port, a checksum of the ConfigMaps, terminationGracePeriodSeconds >= shutdown delay + grace +
    push timeout, every file the environment names is mounted from an item that exists;
  - the ConfigMap: every key is TROXILEIA_<FLAG> of a flag in DESIGN.md's configuration table;
    without TROXILEIA_TAP_HOST (and no dry run) it is a webhook-only release: no reconciler, leader
    election or tap setting, no tap Secret or volume;
  - PodDisruptionBudget exactly when replicas > 1;
  - RBAC is least privilege for what the release runs: exactly the rules issue 7 lists (the Lease
    only with leader election; events, Lease and status only with the reconciler; pods only with
    sensor apps), nothing cluster-wide beyond reading nodes (and pods when no sensor namespace is
    set), no wildcard, no secrets; a webhook-only release may read nodes and nothing else;
  - the ValidatingWebhookConfiguration points at the Service, whose 443 reaches the container's
    webhook port, and its CA comes from the certificate mode (caBundle or cert-manager's injection);
  - the policy binding names the policy.
Across renders: every flag of DESIGN.md's table that the chart configures appears in some render.
Prints one line per failed check and `N passed, M failed`.
"""

import argparse
import base64
import json
import os
import re
import sys

import yaml

KNOWN_KINDS = {
    "ServiceAccount", "Secret", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
    "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "Pod",
    "Certificate", "Issuer", "ServiceMonitor", "PrometheusRule",
}
CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../charts/troxileia")
# Flags of DESIGN.md's table the chart leaves to the binary: in-cluster config needs no kubeconfig
# or context; max-connections and reservation-ttl keep their defaults (no chart value).
NOT_SET_BY_CHART = {"kubeconfig", "context", "max-connections", "reservation-ttl"}
# What `troxileia run` reads when it only serves the webhook (no --tap-host, no --dry-run).
WEBHOOK_ONLY_SETTINGS = {f"TROXILEIA_{k}" for k in (
    "NAMESPACE", "WEBHOOK_LISTEN", "PROBE_LISTEN", "TLS_CERT_FILE", "TLS_KEY_FILE", "SHUTDOWN_DELAY", "SHUTDOWN_GRACE",
    "ADMISSION_MODE", "SENSOR_LABEL", "PORT_LABEL", "LOG_FORMAT", "LOG_LEVEL")}
# Tap-named settings of the plan, used by a dry run without a tap too.
RECONCILER_TAP_SETTINGS = {"TROXILEIA_TAP_SAVE", "TROXILEIA_TAP_SET_TOOL_TYPE"}
# Flags of this repository that ../shared/DESIGN.md's table (read-only here) does not list yet, with
# where they are documented meanwhile; the row belongs in DESIGN.md's table.
PENDING_DESIGN_FLAGS = {"tap-update-strategy": "issue 15, README options table and docs/gigavue-cli-model.md"}
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret"}


def seconds(text):
    total = 0.0
    for number, unit in re.findall(r"([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)", text):
        total += float(number) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total


def design_flags(path):
    text = open(path).read()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    flags = set()
    for line in section.splitlines():
        if line.startswith("| `--"):
            flags.update(re.findall(r"`--([a-z0-9-]+)", re.split(r"(?<!\\)\|", line)[1]))
    return flags


class Render:
    def __init__(self, path):
        self.path = path
        self.docs = [d for d in yaml.safe_load_all(open(path)) if d]
        self.failures = []
        self.passed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failures.append(message)
        return condition

    def of(self, kind):
        return [d for d in self.docs if d["kind"] == kind]

    def one(self, kind, name=None):
        found = [d for d in self.of(kind) if name is None or d["metadata"]["name"] == name]
        self.check(len(found) == 1, f"expected one {kind}{' ' + name if name else ''}, found {len(found)}")
        return found[0] if found else None


def check_pod_security(r, where, pod):
    r.check(not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC")), f"{where}: host namespaces")
    for volume in pod.get("volumes", []):
        kinds = set(volume) - {"name"}
        r.check(kinds <= RESTRICTED_VOLUMES, f"{where}: volume {volume['name']} of type {kinds} is not allowed")
    pod_sc = pod.get("securityContext", {})
    for c in pod.get("initContainers", []) + pod["containers"]:
        sc = c.get("securityContext", {})
        name = f"{where}/{c['name']}"
        r.check(sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, f"{name}: runAsNonRoot")
        r.check(sc.get("runAsUser", pod_sc.get("runAsUser", 1)) != 0, f"{name}: runs as root")
        r.check(sc.get("allowPrivilegeEscalation") is False, f"{name}: allowPrivilegeEscalation must be false")
        r.check(not sc.get("privileged"), f"{name}: privileged")
        caps = sc.get("capabilities", {})
        r.check("ALL" in caps.get("drop", []), f"{name}: capabilities must drop ALL")
        r.check(set(caps.get("add", [])) <= {"NET_BIND_SERVICE"}, f"{name}: adds capabilities")
        seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {})).get("type")
        r.check(seccomp in ("RuntimeDefault", "Localhost"), f"{name}: seccompProfile {seccomp}")
        r.check(sc.get("readOnlyRootFilesystem") is True, f"{name}: readOnlyRootFilesystem")


def check_operators_view(r):
    """The PrometheusRule holds the rule file's alerts (runbook_url maybe prefixed), the dashboard
    ConfigMap the dashboard file, labelled for Grafana's sidecar."""
    with open(os.path.join(CHART, "files/prometheus-rules.yaml")) as f:
        groups = yaml.safe_load(f)["groups"]
    for rule_object in r.of("PrometheusRule"):
        rendered = rule_object["spec"]["groups"]
        for group in rendered:
            for rule in group["rules"]:
                url = rule["annotations"]["runbook_url"]
                r.check(url.endswith("docs/operating.md#troubleshooting"), f"{rule['alert']}: runbook_url {url}")
                rule["annotations"]["runbook_url"] = "docs/operating.md#troubleshooting"
        r.check(rendered == groups, "the PrometheusRule's groups are files/prometheus-rules.yaml's")
    with open(os.path.join(CHART, "dashboards/troxileia.json")) as f:
        dashboard = json.load(f)
    boards = [d for d in r.of("ConfigMap") if "troxileia.json" in d.get("data", {})]
    for board in boards:
        r.check(json.loads(board["data"]["troxileia.json"]) == dashboard, "the dashboard ConfigMap holds dashboards/troxileia.json")
        r.check(board["metadata"]["labels"].get("grafana_dashboard") == "1", "the dashboard carries the sidecar's label")


def check_render(r, flags_seen, flags):
    kinds = {d["kind"] for d in r.docs}
    r.check(kinds <= KNOWN_KINDS, f"unexpected kinds {kinds - KNOWN_KINDS}")
    check_operators_view(r)
    deployment = r.one("Deployment")
    if deployment is None:
        return
    name = deployment["metadata"]["name"]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    check_pod_security(r, "Deployment", pod)
    for test_pod in r.of("Pod"):
        hook = test_pod["metadata"].get("annotations", {}).get("helm.sh/hook")
        r.check(hook == "test", f"Pod {test_pod['metadata']['name']} is not a helm test hook")
        check_pod_security(r, f"Pod {test_pod['metadata']['name']}", test_pod["spec"])

    # Rollout and availability.
    rolling = spec["strategy"].get("rollingUpdate", {})
    r.check(spec["strategy"]["type"] == "RollingUpdate" and rolling.get("maxUnavailable") == 0,
            "rolling update must keep every ready replica (maxUnavailable 0)")
    anti = pod.get("affinity", {}).get("podAntiAffinity", {}).get("preferredDuringSchedulingIgnoredDuringExecution", [])
    r.check(any(t["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname" for t in anti),
            "preferred anti-affinity on kubernetes.io/hostname")
    pdbs = r.of("PodDisruptionBudget")
    r.check(len(pdbs) == (1 if spec["replicas"] > 1 else 0), f"{len(pdbs)} PodDisruptionBudgets for {spec['replicas']} replicas")
    for pdb in pdbs:
        r.check(pdb["spec"].get("minAvailable") == 1, "PodDisruptionBudget minAvailable 1")
    annotations = spec["template"]["metadata"].get("annotations", {})
    r.check(re.fullmatch(r"[0-9a-f]{64}", str(annotations.get("checksum/config", ""))), "checksum/config annotation")
    r.check(not any(k.startswith("checksum/") and k != "checksum/config" for k in annotations),
            "only the ConfigMaps are checksummed (certificates and credentials reload hot)")

    container = pod["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = container.get(probe, {}).get("httpGet", {})
        r.check(get.get("path") == path and get.get("port") == "probes", f"{probe} must GET {path} on the probe port")

    # Configuration: the ConfigMap as environment twins.
    config_name = container["envFrom"][0]["configMapRef"]["name"]
    config = r.one("ConfigMap", config_name)
    env = config["data"] if config else {}
    for key in env:
        flag = key.removeprefix("TROXILEIA_").lower().replace("_", "-")
        r.check(key.startswith("TROXILEIA_") and flag in flags, f"ConfigMap key {key} is no flag of DESIGN.md's table")
        flags_seen.add(flag)
    r.check(env.get("TROXILEIA_WEBHOOK_LISTEN") == f"[::]:{ports.get('webhook')}", "webhook listen = container port webhook")
    r.check(env.get("TROXILEIA_PROBE_LISTEN") == f"[::]:{ports.get('probes')}", "probe listen = container port probes")
    # What the release runs (charts/troxileia/templates/_helpers.tpl "What the release runs").
    manages_tap = "TROXILEIA_TAP_HOST" in env
    reconciles = manages_tap or env.get("TROXILEIA_DRY_RUN") == "true"
    push = seconds(env.get("TROXILEIA_TAP_PUSH_TIMEOUT", "2m")) if manages_tap else 0
    minimum = seconds(env.get("TROXILEIA_SHUTDOWN_DELAY", "5s")) + seconds(env.get("TROXILEIA_SHUTDOWN_GRACE", "10s")) + push
    r.check(pod.get("terminationGracePeriodSeconds", 30) > minimum,
            f"terminationGracePeriodSeconds {pod.get('terminationGracePeriodSeconds')} <= delay + grace + push {minimum}")
    host_key_checks = [k for k in ("TROXILEIA_TAP_KNOWN_HOSTS", "TROXILEIA_TAP_HOST_KEY_SHA256",
                                   "TROXILEIA_TAP_INSECURE_SKIP_HOST_KEY_VERIFICATION") if k in env]
    if manages_tap:
        r.check(len(host_key_checks) == 1, f"exactly one tap host key check, found {host_key_checks}")
        r.check("TROXILEIA_TAP_PASSWORD_FILE" in env or "TROXILEIA_TAP_KEY_FILE" in env, "tap credentials")
    else:
        tap_settings = sorted(k for k in env if k.startswith("TROXILEIA_TAP_") and k not in RECONCILER_TAP_SETTINGS)
        r.check(not tap_settings, f"no tap.host, yet tap settings {tap_settings}")
        r.check(not any(v["name"] in ("tap", "tap-known-hosts") for v in pod.get("volumes", [])), "no tap.host, yet tap volumes")
        r.check(not [d for d in r.of("Secret") if d.get("type") == "Opaque"], "no tap.host, yet a tap Secret")
    if not reconciles:
        extra = sorted(set(env) - WEBHOOK_ONLY_SETTINGS)
        r.check(not extra, f"a webhook-only release with settings it does not use: {extra}")
    r.check(not any(re.search(r"PASSWORD|PASSPHRASE|PRIVATE", k) and not k.endswith("_FILE") for k in env),
            "secrets are files only, never environment values")

    # Every file named by the environment is mounted from an item that exists.
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    secrets = {d["metadata"]["name"]: d for d in r.of("Secret")}
    config_maps = {d["metadata"]["name"]: d for d in r.of("ConfigMap")}
    for key, path in env.items():
        if not (key.endswith("_FILE") or key == "TROXILEIA_TAP_KNOWN_HOSTS"):
            continue
        directory, _, file = path.rpartition("/")
        volume = volumes.get(mounts.get(directory, ""), {})
        if not r.check(volume, f"{key}={path}: no volume mounted at {directory}"):
            continue
        source = volume.get("secret") or volume.get("configMap")
        items = {i["path"]: i["key"] for i in source.get("items", [])}
        source_key = items.get(file, file if not items else None)
        r.check(source_key is not None, f"{key}={path}: the volume has no item {file}")
        rendered = secrets.get(source.get("secretName")) or config_maps.get(source.get("name"))
        if rendered:  # not rendered: a Secret the user manages, or cert-manager's
            data = rendered.get("data", {})
            r.check(source_key in data, f"{key}={path}: {rendered['kind']} {rendered['metadata']['name']} has no key {source_key}")

    # RBAC: exactly issue 7's list, plus issue 17's port claims.
    namespace = deployment["metadata"]["namespace"]
    sensor_namespace = env.get("TROXILEIA_SENSOR_NAMESPACE")
    watches_pods = reconciles and bool(env.get("TROXILEIA_SENSOR_APPS"))
    lease = env.get("TROXILEIA_LEASE_NAME", "troxileia")
    pods = {("", "pods", None, ("get", "list", "watch"))}
    want = {("ClusterRole", None): {("", "nodes", None, ("get", "list", "watch"))}
            | (pods if watches_pods and not sensor_namespace else set())}
    # Port claims (issue 17): Leases named after ports, taken by every replica, swept by the leader.
    want[("Role", namespace)] = {("coordination.k8s.io", "leases", None, ("create",)),
                                 ("coordination.k8s.io", "leases", None, ("delete", "get", "list", "update"))}
    if reconciles:
        want[("Role", namespace)] |= {("events.k8s.io", "events", None, ("create", "patch")),
                                      ("", "configmaps", None, ("create",)),
                                      ("", "configmaps", ("troxileia-status",), ("get", "patch", "update"))}
        if env.get("TROXILEIA_LEADER_ELECT", "true") == "true":
            want[("Role", namespace)] |= {("coordination.k8s.io", "leases", (lease,), ("get", "patch", "update"))}
        if namespace != "default":
            want[("Role", "default")] = {("events.k8s.io", "events", None, ("create", "patch"))}
    if watches_pods and sensor_namespace:
        want[("Role", sensor_namespace)] = pods
    sa = pod["serviceAccountName"]
    have = {}
    bound = set()
    for kind in ("ClusterRoleBinding", "RoleBinding"):
        for binding in r.of(kind):
            if binding["metadata"].get("annotations", {}).get("helm.sh/hook"):
                continue
            if any(s["kind"] == "ServiceAccount" and s["name"] == sa for s in binding["subjects"]):
                bound.add((binding["roleRef"]["kind"], binding["roleRef"]["name"], binding["metadata"].get("namespace")))
    for kind in ("ClusterRole", "Role"):
        for role in r.of(kind):
            if role["metadata"].get("annotations", {}).get("helm.sh/hook"):
                continue
            role_ns = role["metadata"].get("namespace")
            r.check((kind, role["metadata"]["name"], role_ns) in bound, f"{kind} {role['metadata']['name']} is bound to {sa}")
            rules = have.setdefault((kind, role_ns), set())
            for rule in role["rules"]:
                for group in rule["apiGroups"]:
                    for resource in rule["resources"]:
                        rules.add((group, resource, tuple(sorted(rule["resourceNames"])) if "resourceNames" in rule else None,
                                   tuple(sorted(rule["verbs"]))))
    r.check(have == want, f"RBAC differs from least privilege:\n       have {sorted(have.items())}\n       want {sorted(want.items())}")

    # Service, webhook configuration, certificates.
    service = r.one("Service")
    webhook_config = r.one("ValidatingWebhookConfiguration")
    if service and webhook_config:
        svc_ports = {p["port"]: p["targetPort"] for p in service["spec"]["ports"]}
        r.check(svc_ports.get(443) == "webhook", "Service 443 → container port webhook")
        hook = webhook_config["webhooks"][0]
        ref = hook["clientConfig"]["service"]
        r.check((ref["name"], ref["namespace"], ref["path"], ref["port"]) ==
                (service["metadata"]["name"], namespace, "/validate", 443), f"webhook service reference {ref}")
        r.check(hook["sideEffects"] == "NoneOnDryRun" and hook["admissionReviewVersions"] == ["v1"]
                and hook["matchPolicy"] == "Equivalent" and hook.get("matchConditions"), "webhook settings")
        rule = hook["rules"][0]
        r.check(sorted(rule["operations"]) == ["CREATE", "UPDATE"] and sorted(rule["resources"]) == ["nodes", "nodes/status"],
                "webhook rules: nodes and nodes/status, CREATE and UPDATE")
        tls_volume = volumes.get(mounts.get("/etc/troxileia/tls", ""), {}).get("secret", {}).get("secretName")
        injected = webhook_config["metadata"].get("annotations", {}).get("cert-manager.io/inject-ca-from")
        certificates = [c for c in r.of("Certificate") if c["spec"]["secretName"] == tls_volume]
        tls_secret = secrets.get(tls_volume)
        if certificates:
            certificate = certificates[0]
            r.check(injected == f"{namespace}/{certificate['metadata']['name']}", f"inject-ca-from {injected}")
            r.check("caBundle" not in hook["clientConfig"], "cert-manager injects the caBundle")
            svc = service["metadata"]["name"]
            r.check(f"{svc}.{namespace}.svc" in certificate["spec"]["dnsNames"], "the certificate names the Service")
            r.check(certificate["spec"]["privateKey"]["algorithm"] == "ECDSA", "ECDSA key")
        elif tls_secret:
            r.check(tls_secret["type"] == "kubernetes.io/tls", "TLS Secret type")
            r.check(hook["clientConfig"].get("caBundle") == tls_secret["data"]["ca.crt"], "caBundle = the Secret's ca.crt")
            r.check(b"BEGIN EC PRIVATE KEY" in base64.b64decode(tls_secret["data"]["tls.key"])
                    or b"BEGIN PRIVATE KEY" in base64.b64decode(tls_secret["data"]["tls.key"]), "PEM key")
        else:
            r.check(hook["clientConfig"].get("caBundle"), "mode secret: caBundle from the values")
            r.check(not injected, "no cert-manager annotation without cert-manager")
    policies = r.of("ValidatingAdmissionPolicy")
    bindings = r.of("ValidatingAdmissionPolicyBinding")
    r.check(len(policies) == len(bindings) <= 1, "policy and binding come together")
    for policy, binding in zip(policies, bindings):
        r.check(binding["spec"]["policyName"] == policy["metadata"]["name"], "the binding names the policy")
        r.check(set(binding["spec"]["validationActions"]) <= {"Deny", "Warn", "Audit"}, "validationActions")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--design", required=True)
    parser.add_argument("renders", nargs="+")
    args = parser.parse_args()
    flags = design_flags(args.design) | set(PENDING_DESIGN_FLAGS)
    flags_seen = set()
    passed = failed = 0
    for path in args.renders:
        r = Render(path)
        check_render(r, flags_seen, flags)
        passed += r.passed
        failed += len(r.failures)
        for f in r.failures:
            print(f"FAIL {path}: {f}")
    missing = flags - NOT_SET_BY_CHART - flags_seen
    if missing:
        failed += 1
        print(f"FAIL flags of DESIGN.md's table no render sets: {sorted(missing)}")
    else:
        passed += 1
    print(f"manifests: {len(args.renders)} renders; DESIGN.md flags set by the chart: {len(flags_seen)} of {len(flags)} "
          f"(left to the binary: {', '.join(sorted(NOT_SET_BY_CHART))})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
