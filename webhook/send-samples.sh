#!/usr/bin/env bash
# Sends AdmissionReview requests to a running Troxileia webhook with curl and shows the answers.
#
# Usage: webhook/send-samples.sh [options] [REVIEW.json ...]
#   --url URL        the webhook endpoint (default: https://127.0.0.1:8443/validate)
#   --cacert FILE    CA certificate to trust (default: certs/out/ca.crt, from certs/make-certs.sh --local)
#   --start BINARY   start `BINARY run --nodes-file webhook/samples/nodes.json` on free loopback ports
#                    with fresh certificates from certs/make-certs.sh, send, and stop it again
#   --check          exit 1 unless every sample gets the answer its file name says
#                    (*allowed*: allowed without warnings, *denied*: denied, *warning*: allowed with warnings)
#   -h, --help       this text
# Without REVIEW files it sends webhook/samples/0*.json. Needs curl and python3 (for the summaries).
#
# Try it against your own build:
#   bash certs/make-certs.sh --local
#   troxileia run --nodes-file webhook/samples/nodes.json \
#     --tls-cert-file certs/out/tls.crt --tls-key-file certs/out/tls.key --webhook-listen 127.0.0.1:8443 &
#   webhook/send-samples.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
url=https://127.0.0.1:8443/validate
cacert=$repo/certs/out/ca.crt
start=""
check=false
samples=()

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --url) url=$2; shift 2 ;;
    --cacert) cacert=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --check) check=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "send-samples.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) samples+=("$1"); shift ;;
  esac
done
[[ ${#samples[@]} -gt 0 ]] || samples=("$here"/samples/0*.json)

server_pid=""
work=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n $work ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ -n $start ]]; then
  work=$(mktemp -d)
  bash "$repo/certs/make-certs.sh" --local --out "$work/certs" >/dev/null
  read -r webhook_port probe_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')
  "$start" run --nodes-file "$here/samples/nodes.json" \
    --tls-cert-file "$work/certs/tls.crt" --tls-key-file "$work/certs/tls.key" \
    --webhook-listen "127.0.0.1:$webhook_port" --probe-listen "127.0.0.1:$probe_port" \
    --log-format text >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$probe_port/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:"; cat "$work/server.log"; exit 1; }
    sleep 0.1
  done
  url=https://127.0.0.1:$webhook_port/validate
  cacert=$work/certs/ca.crt
  echo "started: $start run --nodes-file webhook/samples/nodes.json on $url (pid $server_pid)"
fi
[[ -r $cacert ]] || { echo "no CA certificate at $cacert: run certs/make-certs.sh --local, or pass --cacert" >&2; exit 2; }

failures=0
for sample in "${samples[@]}"; do
  answer=$(curl -sS --fail-with-body --max-time 10 --cacert "$cacert" \
    -H 'Content-Type: application/json' --data-binary @"$sample" "$url") || {
    echo "== $(basename "$sample"): curl failed: $answer"; failures=$((failures + 1)); continue; }
  expect=any
  case $(basename "$sample") in
    *allowed*) expect=allowed ;;
    *denied*) expect=denied ;;
    *warning*) expect=warning ;;
  esac
  python3 - "$sample" "$answer" "$expect" "$check" <<'PY' || failures=$((failures + 1))
import json, os, sys
sample, answer, expect, check = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4] == "true"
request = json.load(open(sample))["request"]
def contract(obj):
    labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
    return " ".join(f"{k}={v}" for k, v in sorted(labels.items()) if not k.startswith("kubernetes.io/")) or "(none)"
was = f" (were: {contract(request['oldObject'])})" if request.get("oldObject") else ""
print(f"== {os.path.basename(sample)}: {request['operation']} node {request['name']} by {request['userInfo']['username']}, "
      f"labels {contract(request['object'])}{was}")
response = answer["response"]
if response["allowed"]:
    print("   ALLOWED")
else:
    status = response.get("status", {})
    print(f"   DENIED {status.get('code')}: {status.get('message')}")
for warning in response.get("warnings", []):
    print(f"   warning: {warning}")
if response.get("uid") != request["uid"]:
    print("   the answer's uid is not the request's"); sys.exit(1)
got = "denied" if not response["allowed"] else ("warning" if response.get("warnings") else "allowed")
if check and expect != "any" and got != expect:
    print(f"   FAIL: expected {expect}"); sys.exit(1)
PY
done
if $check; then
  echo "$(( ${#samples[@]} - failures )) passed, $failures failed"
fi
[[ $failures -eq 0 ]]
