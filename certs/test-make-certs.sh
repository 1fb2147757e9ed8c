#!/usr/bin/env bash
# Self-contained test of make-certs.sh. Works in a temporary directory, removed on exit.
# Prints one line per check and a final line "N passed, M failed"; exits 1 if any check failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly script="$here/make-certs.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-make-certs.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf -- "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
check() {
    # check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then
        passed=$((passed + 1))
        printf 'ok   - %s\n' "$desc"
    else
        failed=$((failed + 1))
        printf 'FAIL - %s\n' "$desc"
    fi
}

# run OUTFILE ARGS...: run the script, keep stdout+stderr in OUTFILE, return its exit status.
all_output="$tmp/all-output.log"
run() {
    local outfile=$1 rc=0
    shift
    "$script" "$@" >"$outfile" 2>"$outfile.err" || rc=$?
    cat "$outfile" "$outfile.err" >>"$all_output"
    return "$rc"
}
exits_with() {
    # exits_with CODE ARGS...
    local want=$1 rc=0
    shift
    run "$tmp/last.out" "$@" || rc=$?
    [[ $rc -eq $want ]]
}

files_exist() {
    local f
    for f in ca.key ca.crt tls.key tls.crt; do [[ -s $1/$f ]] || return 1; done
}
is_p256_key() {
    local text
    text=$(openssl pkey -in "$1" -noout -text 2>/dev/null) || return 1
    grep -q 'ASN1 OID: prime256v1' <<<"$text"
}
mode_is() { [[ $(stat -c '%a' "$2") == "$1" ]]; }
sans_of() { openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | tr -d ' ' | tr ',' '\n'; }
has_sans() {
    # has_sans CERT ENTRY...: each ENTRY (e.g. DNS:x, IPAddress:1.2.3.4) is one of the SANs.
    local cert=$1 sans entry
    shift
    sans=$(sans_of "$cert") || return 1
    for entry in "$@"; do grep -qxF -- "$entry" <<<"$sans" || return 1; done
}
lacks_sans() {
    local cert=$1 sans entry
    shift
    sans=$(sans_of "$cert") || return 1
    for entry in "$@"; do ! grep -qxF -- "$entry" <<<"$sans" || return 1; done
}
verifies() { openssl verify -CAfile "$1/ca.crt" "$1/tls.crt"; }
is_server_leaf() {
    local text
    text=$(openssl x509 -in "$1" -noout -text) || return 1
    grep -q 'TLS Web Server Authentication' <<<"$text" &&
        grep -q 'CA:FALSE' <<<"$text" && ! grep -q 'CA:TRUE' <<<"$text" &&
        grep -A1 'X509v3 Key Usage' <<<"$text" | grep -q 'Digital Signature' &&
        grep -q 'X509v3 Authority Key Identifier' <<<"$text"
}
is_ca_cert() {
    local text
    text=$(openssl x509 -in "$1" -noout -text) || return 1
    grep -A1 'X509v3 Basic Constraints: critical' <<<"$text" | grep -q 'CA:TRUE' &&
        grep -A1 'X509v3 Key Usage' <<<"$text" | grep -q 'Certificate Sign, CRL Sign' &&
        grep -q 'X509v3 Subject Key Identifier' <<<"$text"
}
sums() { (cd "$1" && sha256sum ca.key ca.crt tls.key tls.crt); }
same_file() { cmp -s "$1" "$2"; }
differ() { ! cmp -s "$1" "$2"; }
grep_file() { grep -q -- "$1" "$2"; }
bundle_matches() {
    # bundle_matches TEXTFILE CA: the text decodes (base64 -d) to exactly CA.
    [[ -s $1 ]] && base64 -d <"$1" | cmp -s - "$2"
}
one_line() { [[ $(wc -l <"$1") -eq 1 ]]; }
last_line_is_bundle() { [[ $(tail -n 1 "$1") == caBundle:* ]]; }
mentions() {
    # mentions FILE WORD...: every WORD occurs in FILE.
    local file=$1 word
    shift
    for word in "$@"; do grep -qF -- "$word" "$file" || return 1; done
}
lacks_text() { ! grep -qF -- "$1" "$2"; }
unchanged() { (cd "$1" && sha256sum -c --quiet "$2"); }
keys_are_600() { mode_is 600 "$1/ca.key" && mode_is 600 "$1/tls.key"; }
holds_only_four_files() { [[ $(find "$1" -mindepth 1 | wc -l) -eq 4 ]]; }
expires_within() { ! openssl x509 -in "$2" -noout -checkend "$1"; }

# 1. Defaults plus custom service, namespace, cluster domain and extra SANs.
d1="$tmp/custom"
rc=0
run "$tmp/custom.out" --out "$d1" --service hook --namespace infra --cluster-domain corp.example \
    --dns webhook.example.com --ip 10.1.2.3 --ip fd00::7 || rc=$?
check "custom run exits 0" test "$rc" -eq 0
check "ca.key, ca.crt, tls.key, tls.crt exist" files_exist "$d1"
check "tls.key is EC prime256v1" is_p256_key "$d1/tls.key"
check "ca.key is EC prime256v1" is_p256_key "$d1/ca.key"
check "tls.key mode is 600" mode_is 600 "$d1/tls.key"
check "ca.key mode is 600" mode_is 600 "$d1/ca.key"
check "SANs hold the four Service names" has_sans "$d1/tls.crt" \
    DNS:hook DNS:hook.infra DNS:hook.infra.svc DNS:hook.infra.svc.corp.example
check "SANs hold the extra --dns and --ip" has_sans "$d1/tls.crt" \
    DNS:webhook.example.com IPAddress:10.1.2.3 IPAddress:FD00:0:0:0:0:0:0:7
check "SANs lack localhost without --local" lacks_sans "$d1/tls.crt" DNS:localhost IPAddress:127.0.0.1
check "chain verifies (openssl verify -CAfile ca.crt tls.crt)" verifies "$d1"
check "serving cert: serverAuth, digitalSignature, CA:FALSE, AKI" is_server_leaf "$d1/tls.crt"
check "CA cert: critical CA:TRUE, keyCertSign+cRLSign, SKI" is_ca_cert "$d1/ca.crt"
check "stdout lists the SANs" grep_file 'DNS:hook.infra.svc$' "$tmp/custom.out"
check "stdout lists the files written" grep_file "$d1/tls.key" "$tmp/custom.out"
check "stdout shows the expiry" grep_file '^Serving certificate expires: ' "$tmp/custom.out"
sed -n 's/^caBundle: //p' "$tmp/custom.out" >"$tmp/custom.bundle"
check "caBundle line is a single line" one_line "$tmp/custom.bundle"
check "caBundle line decodes to exactly ca.crt" bundle_matches "$tmp/custom.bundle" "$d1/ca.crt"
check "caBundle line is the last line" last_line_is_bundle "$tmp/custom.out"
rc=0
run "$tmp/only.out" --out "$d1" --ca-bundle-only || rc=$?
check "--ca-bundle-only exits 0" test "$rc" -eq 0
check "--ca-bundle-only prints one line" one_line "$tmp/only.out"
check "--ca-bundle-only prints the same bundle" cmp -s "$tmp/only.out" "$tmp/custom.bundle"
check "--ca-bundle-only without ca.crt exits 1" exits_with 1 --out "$tmp/nothing-here" --ca-bundle-only

# 2. Refusal to overwrite, --force, --reuse-ca.
sums "$d1" >"$tmp/before.sum"
cp "$d1/ca.crt" "$tmp/ca-before.crt"
cp "$d1/tls.crt" "$tmp/tls-before.crt"
check "re-run without --force exits 1" exits_with 1 --out "$d1" --service hook --namespace infra
check "refusal names tls.key and --force" mentions "$tmp/last.out.err" tls.key --force
check "refusal leaves all files unchanged" unchanged "$d1" "$tmp/before.sum"
rm "$d1/tls.key"
check "ca.key alone also refused without --force/--reuse-ca" exits_with 1 --out "$d1"
check "refusal names ca.key and --reuse-ca" mentions "$tmp/last.out.err" ca.key --reuse-ca
check "refusal did not write tls.key" test ! -e "$d1/tls.key"
check "--reuse-ca without existing tls.key exits 0" exits_with 0 --out "$d1" --reuse-ca --service hook --namespace infra
check "--reuse-ca kept ca.crt" same_file "$d1/ca.crt" "$tmp/ca-before.crt"
check "--reuse-ca without --force refused when tls.key exists" exits_with 1 --out "$d1" --reuse-ca
check "--reuse-ca without ca.key exits 1" exits_with 1 --out "$tmp/no-ca" --reuse-ca
sums "$d1" >"$tmp/before.sum"
cp "$d1/tls.crt" "$tmp/tls-before.crt"
cp "$d1/tls.key" "$tmp/tls-before.key"
check "--reuse-ca --force exits 0" exits_with 0 --out "$d1" --reuse-ca --force --service hook --namespace infra
check "--reuse-ca --force keeps ca.crt identical" same_file "$d1/ca.crt" "$tmp/ca-before.crt"
check "--reuse-ca --force issues a new tls.crt" differ "$d1/tls.crt" "$tmp/tls-before.crt"
check "--reuse-ca --force issues a new tls.key" differ "$d1/tls.key" "$tmp/tls-before.key"
check "rotated tls.crt still verifies against the old CA" verifies "$d1"
check "rotated tls.key mode is 600" mode_is 600 "$d1/tls.key"
sed -n 's/^caBundle: //p' "$tmp/last.out" >"$tmp/rotated.bundle"
check "rotation keeps the caBundle" cmp -s "$tmp/rotated.bundle" "$tmp/custom.bundle"
check "--force exits 0" exits_with 0 --out "$d1" --force
check "--force replaces ca.crt" differ "$d1/ca.crt" "$tmp/ca-before.crt"
check "--force replaces tls.crt" differ "$d1/tls.crt" "$tmp/tls-before.crt"
check "--force replaces tls.key" differ "$d1/tls.key" "$tmp/tls-before.key"
check "after --force the chain verifies" verifies "$d1"
check "after --force the keys are mode 600" keys_are_600 "$d1"
check "no leftover temporary files in DIR" holds_only_four_files "$d1"

# 3. Argument validation.
check "help exits 0" exits_with 0 --help
check "help lists every option" mentions "$tmp/last.out" --service --namespace --cluster-domain --dns --ip \
    --local --out --days --ca-days --reuse-ca --force --ca-bundle-only -h --help
check "unknown flag exits 2" exits_with 2 --out "$tmp/bad" --bogus
check "--days 0 exits 2" exits_with 2 --out "$tmp/bad" --days 0
check "--days x exits 2" exits_with 2 --out "$tmp/bad" --days x
check "--ca-days -5 exits 2" exits_with 2 --out "$tmp/bad" --ca-days -5
check "--ip 999.1.1.1 exits 2" exits_with 2 --out "$tmp/bad" --ip 999.1.1.1
check "--ip 1::2::3 exits 2" exits_with 2 --out "$tmp/bad" --ip 1::2::3
check "--dns missing value exits 2" exits_with 2 --out "$tmp/bad" --dns
check "--out followed by a flag exits 2" exits_with 2 --out --local
check "stray argument exits 2" exits_with 2 --out "$tmp/bad" stray
check "bad arguments wrote nothing" test ! -e "$tmp/bad"

# 4. --local, --days 1, --opt=value form.
d2="$tmp/local"
check "--local --days=1 exits 0" exits_with 0 --out="$d2" --local --days=1
check "--local adds localhost, 127.0.0.1 and ::1" has_sans "$d2/tls.crt" \
    DNS:localhost IPAddress:127.0.0.1 IPAddress:0:0:0:0:0:0:0:1
check "--local keeps the default Service names" has_sans "$d2/tls.crt" \
    DNS:troxileia DNS:troxileia.troxileia DNS:troxileia.troxileia.svc DNS:troxileia.troxileia.svc.cluster.local
check "--days 1: valid for more than 23 hours" openssl x509 -in "$d2/tls.crt" -noout -checkend 82800
check "--days 1: expires within 25 hours" expires_within 90000 "$d2/tls.crt"
check "CA default validity is over 9 years" openssl x509 -in "$d2/ca.crt" -noout -checkend $((9 * 365 * 86400))

# 5. A real TLS handshake on loopback with the --local certificate.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_server() {
    local port tries
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" && continue
        openssl s_server -accept "127.0.0.1:$port" -cert "$d2/tls.crt" -key "$d2/tls.key" -www \
            >"$tmp/s_server.log" 2>&1 </dev/null &
        server_pid=$!
        for ((tries = 0; tries < 50; tries++)); do
            if grep -q '^ACCEPT' "$tmp/s_server.log"; then
                echo "$port" >"$tmp/port"
                return 0
            fi
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    done
    return 1
}
handshake() {
    # handshake NAME: connect, verify the chain and that NAME is in the certificate.
    timeout 10 openssl s_client -connect "127.0.0.1:$(cat "$tmp/port")" -CAfile "$d2/ca.crt" \
        -verify_return_error -servername "$1" -verify_hostname "$1" </dev/null >"$tmp/s_client.log" 2>&1 &&
        grep -q 'Verify return code: 0 (ok)' "$tmp/s_client.log"
}
handshake_fails() { ! handshake "$1"; }
if start_server; then
    check "s_server started on 127.0.0.1:$(cat "$tmp/port")" true
    check "TLS handshake to troxileia.troxileia.svc verifies (return code 0)" handshake troxileia.troxileia.svc
    check "TLS handshake to localhost verifies" handshake localhost
    check "TLS handshake to a name not in the SANs fails" handshake_fails wrong.example.com
else
    check "s_server started on loopback" false
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

# 6. No secret ever printed.
check "no private key material in any output" lacks_text "PRIVATE KEY" "$all_output"

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0)) || exit 1
