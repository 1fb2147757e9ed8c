#!/usr/bin/env bash
# The chart's checks (issue 7), run by `make chart-test`. No cluster and no Docker needed.
#
# Usage: Tests/Chart/check-chart.sh --troxileia BIN [--tools DIR] [--shared DIR]
#   --troxileia BIN  a built troxileia (debug is fine): the webhook server and `validate` that the
#                    chart's CEL is compared with
#   --tools DIR      where install-tools.sh puts helm, kubectl and the Python packages
#                    (default .build-chart-tools)
#   --shared DIR     the shared folder beside the repository, for DESIGN.md (default ../shared)
#
# Steps (each prints what it checked; the last line counts the steps):
#   lint         helm lint --strict with every ci/*.yaml value set and with the default values
#                (no tap.host: the webhook-only install)
#   render       helm template for the default values and every value set (all three certificate
#                modes), plus one in namespace default and one with another release name;
#                helm install --dry-run=client renders NOTES.txt for each (kept for the docs step)
#   schemas      every rendered manifest and webhook/*.yaml against the Kubernetes 1.30 and 1.34
#                OpenAPI schemas, strict (cert-manager, ServiceMonitor and PrometheusRule kinds skipped by name)
#   rejections   values.schema.json refuses typos and bad values; the templates refuse missing
#                credentials, host-key checks other than exactly one (all in one message), secrets
#                that --set made numbers, several pushing replicas without leader election, and more;
#                what --set-string/--set-file/--set-literal give is accepted and stored as given, and
#                both forms of sensorPods.apps render the same --sensor-apps
#   manifests    check_manifests.py: restricted pod security, RBAC, wiring, DESIGN.md flag names; the
#                PrometheusRule holds files/prometheus-rules.yaml's alerts, the dashboard ConfigMap
#                dashboards/troxileia.json, with the sidecar's label
#   env          check_env.py: the real `troxileia run` accepts every render's ConfigMap as its
#                environment (stops at "no Kubernetes configuration", reaching no cluster)
#   plain        webhook/validating-*.yaml are the chart's objects and webhook/prometheus-rules.yaml
#                is the chart's rule file (no drift)
#   helm-certs   the certificates of certificates.mode=helm: ECDSA P-256, the Service's names,
#                chained to the caBundle, and served by the real troxileia to curl
#   hooks        the `helm test` pods' scripts against a stand-in kubectl (fixtures/fake-kubectl),
#                refusing (enforce) and warning (warn mode)
#   cel          check_cel.py over cel-cases.yaml, default label keys and other keys
#   samples      webhook/send-samples.sh --check against a server started from the binary
#   docs         check_docs.py: every helm install/template/upgrade the docs and NOTES show sets
#                image.repository and passes no secret with plain --set; every Event reason the
#                reconciler records is in README.md and docs/operating.md
set -euo pipefail

troxileia="" tools=.build-chart-tools shared=../shared
while [[ $# -gt 0 ]]; do
  case $1 in
    --troxileia) troxileia=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    *) echo "check-chart.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x $troxileia ]] || { echo "check-chart.sh: --troxileia must name the built binary" >&2; exit 2; }
cd "$(dirname "$0")/../.."
troxileia=$(realpath "$troxileia")

bash Tests/Chart/install-tools.sh "$tools"
# -s: an absolute path without following links. The venv's python is a link to the base
# interpreter, and run through the link's target it no longer finds the venv's site-packages.
helm=$(realpath -s "$tools/bin/helm")
python=$(realpath -s "$tools/venv/bin/python")
# Every step's imports must come from the venv install-tools.sh made, never from packages installed
# into the base interpreter by hand (which once hid the realpath bug above).
"$python" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' || {
  echo "check-chart.sh: $python does not run inside the virtualenv $tools/venv" >&2; exit 1; }
chart=charts/troxileia
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/renders" "$work/notes"

steps_passed=0 steps_failed=0 failed_steps=()
step() {  # step NAME COMMAND…: runs a step, counts it
  local name=$1; shift
  local started=$SECONDS
  echo "---- $name"
  if "$@"; then
    steps_passed=$((steps_passed + 1)); echo "---- $name: ok ($((SECONDS - started)) s)"
  else
    steps_failed=$((steps_failed + 1)); failed_steps+=("$name"); echo "---- $name: FAILED ($((SECONDS - started)) s)"
  fi
}

lint() {
  local ok=0 bad=0 f out
  for f in "$chart"/ci/*.yaml; do
    if out=$("$helm" lint --strict "$chart" -f "$f" 2>&1); then ok=$((ok + 1)); else bad=$((bad + 1)); echo "FAIL lint $f:"; echo "$out"; fi
  done
  # The default values are an install of their own: the webhook and the admission policy, no tap.
  if out=$("$helm" lint --strict "$chart" 2>&1); then ok=$((ok + 1))
  else bad=$((bad + 1)); echo "FAIL lint with the default values:"; echo "$out"; fi
  echo "lint: $ok passed, $bad failed"
  [[ $bad -eq 0 ]]
}

render() {
  local ok=0 bad=0 f name out values
  for f in default "$chart"/ci/*.yaml; do
    if [[ $f == default ]]; then name=default-values values=(); else name=$(basename "$f" .yaml) values=(-f "$f"); fi
    if "$helm" template troxileia "$chart" -n troxileia "${values[@]}" >"$work/renders/$name.yaml" 2>"$work/err"; then ok=$((ok + 1))
    else bad=$((bad + 1)); echo "FAIL template $f:"; cat "$work/err"; fi
    if out=$("$helm" install troxileia "$chart" -n troxileia "${values[@]}" --dry-run=client 2>&1) && grep -q "^NOTES:" <<<"$out"; then
      ok=$((ok + 1)); sed -n '/^NOTES:/,$p' <<<"$out" >"$work/notes/$name.txt"
    else bad=$((bad + 1)); echo "FAIL NOTES.txt with $f:"; tail -5 <<<"$out"; fi
  done
  # Without tap.host the notes say that the tap is not managed, and how to change that.
  for f in "$work/notes/default-values.txt" "$work/notes/webhook-only-values.txt"; do
    if grep -q "THE TAP IS NOT MANAGED YET" "$f" && grep -q -- "--set tap.host=" "$f" && grep -q -- "--set-file tap.password=" "$f" &&
       grep -q -- "--set-file tap.knownHosts=" "$f" && grep -q -- "--set image.repository=" "$f"; then ok=$((ok + 1))
    else bad=$((bad + 1)); echo "FAIL $(basename "$f"): the notes do not say plainly how to turn the tap on:"; cat "$f"; fi
  done
  if grep -q "NOT MANAGED" "$work/notes/helm-certs-values.txt"; then bad=$((bad + 1)); echo "FAIL a release with tap.host says the tap is not managed"
  else ok=$((ok + 1)); fi
  if "$helm" template troxileia "$chart" -n default -f "$chart/ci/minimal-values.yaml" >"$work/renders/in-default-namespace.yaml" 2>"$work/err" &&
     "$helm" template tap-a "$chart" -n net-tap -f "$chart/ci/cert-manager-values.yaml" >"$work/renders/other-release-name.yaml" 2>>"$work/err"; then
    ok=$((ok + 1))
  else bad=$((bad + 1)); cat "$work/err"; fi
  grep -q "name: tap-a-troxileia-webhook" "$work/renders/other-release-name.yaml" || { bad=$((bad + 1)); echo "FAIL release name tap-a: no tap-a-troxileia-webhook Certificate"; }
  echo "render: $(ls "$work/renders" | wc -l) renders; $ok passed, $bad failed"
  [[ $bad -eq 0 ]]
}

schemas() {
  local bundle
  bundle=$(base64 -w0 <<<"placeholder CA for the schema check")
  sed "s|caBundle: .*|caBundle: $bundle|" webhook/validating-webhook.yaml >"$work/plain-webhook.yaml"
  "$python" Tests/Chart/validate_schemas.py --kubernetes-version 1.30.0 --kubernetes-version 1.34.0 \
    "$work"/renders/*.yaml "$work/plain-webhook.yaml" webhook/validating-admission-policy.yaml
}

rejections() {
  local ok=0 bad=0 base=(-f "$chart/ci/helm-certs-values.yaml")
  # expect_failure PATTERN HELM-TEMPLATE-ARGS…: the render must fail with PATTERN in its error.
  expect_failure() {
    local pattern=$1; shift
    local out
    if out=$("$helm" template troxileia "$chart" -n troxileia "$@" 2>&1 >/dev/null); then
      bad=$((bad + 1)); echo "FAIL accepted: $*"
    elif grep -qF -- "$pattern" <<<"$out"; then ok=$((ok + 1))
    else bad=$((bad + 1)); echo "FAIL refused $* without '$pattern':"; echo "$out"; fi
  }
  expect_failure "additional properties 'hots' not allowed" "${base[@]}" --set tap.hots=10.0.0.1
  expect_failure "additional properties 'timeoutSecond' not allowed" "${base[@]}" --set webhook.timeoutSecond=3
  expect_failure "additional properties 'replicas' not allowed" "${base[@]}" --set replicas=3
  expect_failure "additional properties 'enable' not allowed" "${base[@]}" --set networkPolicy.enable=true
  expect_failure "/webhook/mode" "${base[@]}" --set webhook.mode=audit
  expect_failure "/reconciler/debounce" "${base[@]}" --set reconciler.debounce=1sec
  expect_failure "/labels/port" "${base[@]}" --set "labels.port=Tap Port"
  expect_failure "/tap/hostKeySHA256" "${base[@]}" --set tap.hostKeySHA256=abc
  expect_failure "/certificates/mode" "${base[@]}" --set certificates.mode=vault
  expect_failure "/webhook/timeoutSeconds" "${base[@]}" --set webhook.timeoutSeconds=31
  expect_failure "/tap/mapAlias" "${base[@]}" --set "tap.mapAlias=a/b"
  expect_failure "tap credentials are required" --set tap.host=h --set tap.insecureSkipHostKeyVerification=true
  expect_failure "set exactly one tap host key check" --set tap.host=h --set tap.password=p
  expect_failure "set exactly one tap host key check" "${base[@]}" --set tap.insecureSkipHostKeyVerification=true
  # With tap.host, every missing requirement is named in one message, not one per try.
  expect_failure "2 problem(s) in the values:" --set tap.host=h
  expect_failure "tap credentials are required" --set tap.host=h
  expect_failure "set exactly one tap host key check (0 set)" --set tap.host=h
  expect_failure "4 problem(s) in the values:" --set tap.host=h --set leaderElection.enabled=false --set certificates.mode=secret
  # Without it, tap settings would be dropped silently: refused like the binary refuses them.
  expect_failure "tap.password, tap.knownHosts set but tap.host is not" --set tap.password=p --set tap.knownHosts=k
  # Secrets are text: what --set makes of 1234 or true is refused with the fix, not as "got number".
  expect_failure "tap.password was read as a number" "${base[@]}" --set tap.password=1234
  expect_failure "--set-file tap.enablePassword=./FILE" "${base[@]}" --set tap.enablePassword=true
  # Without leader election every replica of a managed tap would push on its own.
  expect_failure "leaderElection.enabled=false with replicaCount 2" "${base[@]}" --set leaderElection.enabled=false
  expect_failure "leaderElection.enabled=false with replicaCount 3" --set reconciler.dryRun=true --set leaderElection.enabled=false --set replicaCount=3
  # sensorPods.apps: label values only, as a list or as a comma-separated string.
  expect_failure "/sensorPods/apps" "${base[@]}" --set sensorPods.apps=zeek_
  expect_failure "/sensorPods/apps" "${base[@]}" --set 'sensorPods.apps={zeek,bad value}'
  expect_failure "/sensorPods/apps" "${base[@]}" --set-literal 'sensorPods.apps=zeek,,suricata'
  expect_failure "/sensorPods/apps" "${base[@]}" --set sensorPods.apps=1234
  expect_failure "/tap/host" --set "tap.host=a b"
  expect_failure "tap.existingSecret is set" "${base[@]}" --set tap.existingSecret=mine
  expect_failure "certificates.mode=secret needs" "${base[@]}" --set certificates.mode=secret
  expect_failure "terminationGracePeriodSeconds 60 is shorter" "${base[@]}" --set terminationGracePeriodSeconds=60
  expect_failure "chart requires kubeVersion: >=1.30.0-0" "${base[@]}" --kube-version 1.29.0
  expect_failure "additional properties 'enable' not allowed" "${base[@]}" --set metrics.prometheusRule.enable=true
  expect_failure "/metrics/prometheusRule/runbookBaseURL" "${base[@]}" --set metrics.prometheusRule.runbookBaseURL=git.example/troxileia
  expect_failure "/metrics/dashboard/namespace" "${base[@]}" --set metrics.dashboard.namespace=Monitoring
  # expect_render PATTERN TEMPLATE HELM-TEMPLATE-ARGS…: renders, and TEMPLATE's output holds the line PATTERN.
  expect_render() {
    local pattern=$1 template=$2; shift 2
    local out
    if ! out=$("$helm" template troxileia "$chart" -n troxileia -s "templates/$template" "$@" 2>&1); then
      bad=$((bad + 1)); echo "FAIL refused: $*"; echo "$out"
    elif grep -qxF -- "$pattern" <<<"$out"; then ok=$((ok + 1))
    else bad=$((bad + 1)); echo "FAIL $* renders no line '$pattern' in $template:"; echo "$out"; fi
  }
  # Secrets as --set-string, --set-file and --set-literal give them: stored as given, numbers as text,
  # commas and a file's trailing line break kept (the binary drops one line break when it reads the file).
  printf 'p,w\n' >"$work/tap-password"
  expect_render "  password: $(printf '1234' | base64)" secret.yaml "${base[@]}" --set-string tap.password=1234
  expect_render "  password: $(printf 'p,w\n' | base64)" secret.yaml "${base[@]}" --set-file tap.password="$work/tap-password"
  expect_render "  password: $(printf 'a,b=c' | base64)" secret.yaml "${base[@]}" --set-literal tap.password=a,b=c
  expect_render "  enable-password: $(printf '007' | base64)" secret.yaml "${base[@]}" --set-string tap.enablePassword=007
  # sensorPods.apps: a list and a comma-separated string give the binary the same --sensor-apps.
  expect_render '  TROXILEIA_SENSOR_APPS: "zeek"' configmap.yaml "${base[@]}" --set sensorPods.apps=zeek
  expect_render '  TROXILEIA_SENSOR_APPS: "zeek"' configmap.yaml "${base[@]}" --set-string sensorPods.apps=zeek
  expect_render '  TROXILEIA_SENSOR_APPS: "zeek,suricata"' configmap.yaml "${base[@]}" --set 'sensorPods.apps={zeek,suricata}'
  expect_render '  TROXILEIA_SENSOR_APPS: "zeek,suricata"' configmap.yaml "${base[@]}" --set-literal 'sensorPods.apps=zeek, suricata'
  expect_render '  TROXILEIA_SENSOR_APPS: "zeek,suricata"' configmap.yaml "${base[@]}" --set 'sensorPods.apps=zeek\,suricata'
  # One replica without leader election is fine; so are replicas of a webhook-only release (none pushes).
  expect_render '  TROXILEIA_LEADER_ELECT: "false"' configmap.yaml "${base[@]}" --set leaderElection.enabled=false --set replicaCount=1
  expect_render "  replicas: 3" deployment.yaml --set leaderElection.enabled=false --set replicaCount=3
  # `global` is open, for use as a subchart.
  if "$helm" template troxileia "$chart" "${base[@]}" --set global.imageRegistry=registry.example.com >/dev/null 2>&1; then ok=$((ok + 1))
  else bad=$((bad + 1)); echo "FAIL global values are refused"; fi
  echo "rejections: $ok passed, $bad failed"
  [[ $bad -eq 0 ]]
}

helm_certs() {
  local dir=$work/helm-certs ok=0 bad=0
  mkdir -p "$dir"
  "$python" - "$work/renders/helm-certs-values.yaml" "$dir" <<'PY'
import base64, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
secret = next(d for d in docs if d["kind"] == "Secret" and d["type"] == "kubernetes.io/tls")
hook = next(d for d in docs if d["kind"] == "ValidatingWebhookConfiguration")["webhooks"][0]
assert hook["clientConfig"]["caBundle"] == secret["data"]["ca.crt"], "caBundle is not the Secret's ca.crt"
for key in ("ca.crt", "tls.crt", "tls.key"):
    open(f"{sys.argv[2]}/{key}", "wb").write(base64.b64decode(secret["data"][key]))
PY
  check() { if "$@" >/dev/null 2>&1; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "FAIL helm-certs: $*"; fi; }
  check openssl verify -CAfile "$dir/ca.crt" "$dir/tls.crt"
  check grep -q "ASN1 OID: prime256v1" <(openssl pkey -in "$dir/tls.key" -noout -text)
  check grep -q "ASN1 OID: prime256v1" <(openssl x509 -in "$dir/ca.crt" -noout -text)
  check grep -q "DNS:troxileia.troxileia.svc," <(openssl x509 -in "$dir/tls.crt" -noout -ext subjectAltName)
  check grep -q "DNS:troxileia.troxileia.svc.cluster.local" <(openssl x509 -in "$dir/tls.crt" -noout -ext subjectAltName)
  # The real server loads them, and curl reaches it under the Service's name, trusting only the caBundle.
  local ports port probe pid answer
  ports=$("$python" -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*(x.getsockname()[1] for x in s))')
  read -r port probe <<<"$ports"
  "$troxileia" run --nodes-file webhook/samples/nodes.json --tls-cert-file "$dir/tls.crt" --tls-key-file "$dir/tls.key" \
    --webhook-listen "127.0.0.1:$port" --probe-listen "127.0.0.1:$probe" --log-format text >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$probe/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  if answer=$(curl -sS --fail-with-body --cacert "$dir/ca.crt" --resolve "troxileia.troxileia.svc:$port:127.0.0.1" \
      -H 'Content-Type: application/json' --data-binary @webhook/samples/01-allowed.json \
      "https://troxileia.troxileia.svc:$port/validate") && grep -q '"allowed":true' <<<"$answer"; then
    ok=$((ok + 1))
  else
    bad=$((bad + 1)); echo "FAIL the server with the chart's certificates: ${answer:-no answer}"; cat "$dir/server.log"
  fi
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  echo "helm-certs: $ok passed, $bad failed"
  [[ $bad -eq 0 ]]
}

hooks() {
  # The `helm test` pods' scripts, run against a stand-in kubectl that refuses (enforce) or warns.
  local ok=0 bad=0 render key mode test dir=$work/hooks
  mkdir -p "$dir/bin"
  cp Tests/Chart/fixtures/fake-kubectl "$dir/bin/kubectl"
  for render in helm-certs-values:port:deny everything-values:example.com/tap-port:warn; do
    IFS=: read -r render key mode <<<"$render"
    "$python" - "$work/renders/$render.yaml" "$dir" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d["kind"] == "Pod":
        open(f"{sys.argv[2]}/{d['metadata']['name'].rsplit('-', 1)[1]}.sh", "w").write(d["spec"]["containers"][0]["args"][0])
PY
    for test in allowed denied; do
      if out=$(PATH="$dir/bin:$PATH" NODE_NAME=n1 FAKE_KEY=$key FAKE_MODE=$mode sh -ec "$(cat "$dir/$test.sh")" 2>&1) &&
         [[ $(grep -c "^PASS" <<<"$out") -eq $([[ $test == allowed ]] && echo 1 || echo 2) ]]; then ok=$((ok + 1))
      else bad=$((bad + 1)); echo "FAIL helm test $test ($render, $mode):"; echo "$out"; fi
    done
  done
  echo "hooks: $ok passed, $bad failed"
  [[ $bad -eq 0 ]]
}

cel() {
  "$python" Tests/Chart/check_cel.py --manifests "$work/renders/helm-certs-values.yaml" --cases Tests/Chart/cel-cases.yaml \
    --troxileia "$troxileia" --make-certs certs/make-certs.sh &&
  "$python" Tests/Chart/check_cel.py --manifests "$work/renders/everything-values.yaml" --cases Tests/Chart/cel-cases.yaml \
    --troxileia "$troxileia" --make-certs certs/make-certs.sh --port-label example.com/tap-port --sensor-label example.com/sensor
}

step lint lint
step render render
step schemas schemas
step rejections rejections
step manifests "$python" Tests/Chart/check_manifests.py --design "$shared/DESIGN.md" "$work"/renders/*.yaml
step env "$python" Tests/Chart/check_env.py --troxileia "$troxileia" --make-certs certs/make-certs.sh "$work"/renders/*.yaml
step plain "$python" Tests/Chart/plain_manifests.py --helm "$helm" --chart "$chart" --out webhook --check
step helm-certs helm_certs
step hooks hooks
step cel cel
step samples bash webhook/send-samples.sh --start "$troxileia" --check
step docs "$python" Tests/Chart/check_docs.py --reconciler Sources/Reconciler --notes-dir "$work/notes" \
  README.md "$chart/README.md" docs/operating.md

echo "chart-test: steps failed: ${failed_steps[*]:-none}"
echo "$steps_passed passed, $steps_failed failed"
[[ $steps_failed -eq 0 ]]
