#!/usr/bin/env bash
# Make a private CA and a webhook serving certificate for Troxileia.
#
# The Kubernetes apiserver calls the validating webhook over TLS. It checks the serving certificate
# against the caBundle in the ValidatingWebhookConfiguration, and the name it dials is the Service's
# DNS name, <service>.<namespace>.svc, which must appear in the certificate's subjectAltName.
#
# Writes DIR/ca.key, DIR/ca.crt, DIR/tls.key, DIR/tls.crt (keys 0600, certificates 0644), verifies the
# chain, and prints the files, the SANs, the expiry and a line "caBundle: <base64 of ca.crt>".
# Needs only the openssl CLI (1.1.1 or 3.x) and coreutils. Never prints a private key.
set -euo pipefail

umask 077

readonly prog="${0##*/}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly script_dir

# Defaults.
service="troxileia"
namespace="troxileia"
cluster_domain="cluster.local"
out_dir="$script_dir/out"
days=365
ca_days=3650
reuse_ca=false
force=false
local_names=false
ca_bundle_only=false
ca_days_given=false
extra_dns=()
extra_ips=()

usage() {
    cat <<EOF
Usage: $prog [options]

Make a CA and a TLS serving certificate for the Troxileia admission webhook.
Writes ca.key, ca.crt, tls.key and tls.crt into the output directory and prints
the SANs, the expiry and "caBundle: <base64 of ca.crt>" for the webhook configuration.

Options:
  --service NAME         Service name of the webhook (default: troxileia)
  --namespace NS         namespace of the Service (default: troxileia)
  --cluster-domain DOM   cluster DNS domain (default: cluster.local)
                         SANs: NAME, NAME.NS, NAME.NS.svc, NAME.NS.svc.DOM
  --dns NAME             extra DNS SAN; repeatable (default: none)
  --ip ADDR              extra IP SAN, IPv4 or IPv6; repeatable (default: none)
  --local                add localhost, 127.0.0.1 and ::1 for local runs (default: off)
  --out DIR              output directory (default: certs/out next to this script)
  --days N               serving certificate validity in days (default: 365)
  --ca-days N            CA certificate validity in days (default: 3650)
  --reuse-ca             keep the existing DIR/ca.key and DIR/ca.crt and only issue
                         a new serving certificate, e.g. for rotation (default: off)
  --force                overwrite existing keys in DIR (default: off)
  --ca-bundle-only       print only the base64 CA bundle of DIR/ca.crt and exit
  -h, --help             show this help and exit

Existing DIR/tls.key is replaced only with --force; existing DIR/ca.key only with
--force (new CA) or kept with --reuse-ca. Rotation: --reuse-ca --force.

Exit status: 0 success, 1 failure (e.g. refusing to overwrite), 2 usage error.
EOF
}

die() {
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 1
}

usage_error() {
    printf '%s: %s\n' "$prog" "$*" >&2
    printf "Try '%s --help' for more information.\n" "$prog" >&2
    exit 2
}

# RFC 1123 label, lower case (Service and namespace names).
is_dns_label() {
    [[ ${#1} -le 63 && $1 =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]]
}

# DNS name: dot-separated labels of letters, digits and inner hyphens; an optional leading "*.".
is_dns_name() {
    local label='[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
    [[ ${#1} -le 253 && $1 =~ ^(\*\.)?${label}(\.${label})*$ ]]
}

is_ipv4() {
    local ip=$1 octet
    local -a octets
    [[ $ip =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || return 1
    IFS=. read -r -a octets <<<"$ip"
    for octet in "${octets[@]}"; do
        ((10#$octet <= 255)) || return 1
    done
}

# A simple IPv6 check: hex groups of 1-4 digits, at most one "::", optionally an IPv4 tail.
is_ipv6() {
    local ip=$1 rest group groups=0 compressed=false
    local -a parts
    [[ $ip == *:* && $ip =~ ^[0-9A-Fa-f:.]+$ && ${#ip} -le 45 ]] || return 1
    [[ $ip != *:::* ]] || return 1
    rest=${ip#*::}
    if [[ $rest != "$ip" ]]; then
        [[ $rest != *::* ]] || return 1
        compressed=true
    fi
    # A single leading or trailing colon (not part of "::") is invalid.
    if [[ $ip == :* && $ip != ::* ]] || [[ $ip == *: && $ip != *:: ]]; then
        return 1
    fi
    IFS=: read -r -a parts <<<"$ip"
    local last=$((${#parts[@]} - 1)) i
    for i in "${!parts[@]}"; do
        group=${parts[$i]}
        [[ -n $group ]] || continue
        if [[ $group == *.* ]]; then
            ((i == last)) && is_ipv4 "$group" || return 1
            groups=$((groups + 2))
        else
            [[ $group =~ ^[0-9A-Fa-f]{1,4}$ ]] || return 1
            groups=$((groups + 1))
        fi
    done
    if $compressed; then
        ((groups <= 7))
    else
        ((groups == 8))
    fi
}

is_days() {
    [[ $1 =~ ^[1-9][0-9]{0,5}$ ]]
}

# Parse arguments. Accepts "--opt VALUE" and "--opt=VALUE".
need_value() {
    # $1 option name, $2 number of remaining args, $3 the candidate value
    if (($2 < 2)) || [[ -z $3 || $3 == -* ]]; then
        usage_error "option $1 needs a value"
    fi
}

while (($# > 0)); do
    arg=$1
    value=""
    has_inline=false
    if [[ $arg == --*=* ]]; then
        value=${arg#*=}
        arg=${arg%%=*}
        has_inline=true
    fi
    case $arg in
        --service | --namespace | --cluster-domain | --dns | --ip | --out | --days | --ca-days)
            if $has_inline; then
                [[ -n $value ]] || usage_error "option $arg needs a value"
                shift
            else
                need_value "$arg" "$#" "${2-}"
                value=$2
                shift 2
            fi
            case $arg in
                --service)
                    is_dns_label "$value" || usage_error "--service: '$value' is not a valid Service name (lower-case RFC 1123 label)"
                    service=$value ;;
                --namespace)
                    is_dns_label "$value" || usage_error "--namespace: '$value' is not a valid namespace name (lower-case RFC 1123 label)"
                    namespace=$value ;;
                --cluster-domain)
                    is_dns_name "$value" || usage_error "--cluster-domain: '$value' is not a valid DNS domain"
                    cluster_domain=$value ;;
                --dns)
                    is_dns_name "$value" || usage_error "--dns: '$value' is not a valid DNS name"
                    extra_dns+=("$value") ;;
                --ip)
                    is_ipv4 "$value" || is_ipv6 "$value" || usage_error "--ip: '$value' is not a valid IPv4 or IPv6 address"
                    extra_ips+=("$value") ;;
                --out)
                    out_dir=$value ;;
                --days)
                    is_days "$value" || usage_error "--days: '$value' is not a positive integer (1..999999)"
                    days=$value ;;
                --ca-days)
                    is_days "$value" || usage_error "--ca-days: '$value' is not a positive integer (1..999999)"
                    ca_days=$value
                    ca_days_given=true ;;
            esac
            ;;
        --local | --reuse-ca | --force | --ca-bundle-only | -h | --help)
            $has_inline && usage_error "option $arg takes no value"
            shift
            case $arg in
                --local) local_names=true ;;
                --reuse-ca) reuse_ca=true ;;
                --force) force=true ;;
                --ca-bundle-only) ca_bundle_only=true ;;
                -h | --help)
                    usage
                    exit 0 ;;
            esac
            ;;
        -*)
            usage_error "unknown option: $arg" ;;
        *)
            usage_error "unexpected argument: $arg" ;;
    esac
done

command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH"

# Base64 of a file on one line, no wrapping.
b64_oneline() {
    base64 -w0 <"$1" 2>/dev/null || openssl base64 -A -in "$1"
}

ca_key="$out_dir/ca.key"
ca_crt="$out_dir/ca.crt"
tls_key="$out_dir/tls.key"
tls_crt="$out_dir/tls.crt"

if $ca_bundle_only; then
    [[ -f $ca_crt ]] || die "$ca_crt not found (make certificates first)"
    openssl x509 -in "$ca_crt" -noout 2>/dev/null || die "$ca_crt is not a PEM certificate"
    b64_oneline "$ca_crt"
    echo
    exit 0
fi

# Refuse to overwrite keys before doing anything.
if [[ -e $tls_key ]] && ! $force; then
    die "refusing to overwrite $tls_key; use --force to replace it (with --reuse-ca to keep the CA)"
fi
if $reuse_ca; then
    [[ -f $ca_key ]] || die "--reuse-ca: $ca_key not found (run without --reuse-ca to make a new CA)"
    [[ -f $ca_crt ]] || die "--reuse-ca: $ca_crt not found (run without --reuse-ca to make a new CA)"
elif [[ -e $ca_key ]] && ! $force; then
    die "refusing to overwrite $ca_key; use --reuse-ca to keep the CA or --force to replace it"
fi

# Subject alternative names, in order, without duplicates.
declare -A seen=()
san_dns=()
san_ips=()
add_dns() { [[ -n ${seen["DNS:$1"]-} ]] || { seen["DNS:$1"]=1; san_dns+=("$1"); }; }
add_ip() { [[ -n ${seen["IP:$1"]-} ]] || { seen["IP:$1"]=1; san_ips+=("$1"); }; }

add_dns "$service"
add_dns "$service.$namespace"
add_dns "$service.$namespace.svc"
add_dns "$service.$namespace.svc.$cluster_domain"
for name in "${extra_dns[@]}"; do add_dns "$name"; done
if $local_names; then
    add_dns localhost
    add_ip 127.0.0.1
    add_ip ::1
fi
for ip in "${extra_ips[@]}"; do add_ip "$ip"; done

# The common name is informational (clients match SANs); X.509 limits it to 64 characters.
serving_cn="$service.$namespace.svc"
((${#serving_cn} <= 64)) || serving_cn=$service
ca_cn="$service-webhook-ca"
((${#ca_cn} <= 64)) || ca_cn="troxileia-webhook-ca"

mkdir -p -- "$out_dir" || die "cannot create $out_dir"
work=$(mktemp -d "$out_dir/.make-certs.XXXXXX") || die "cannot create a temporary directory in $out_dir"
trap 'rm -rf -- "$work"' EXIT
log="$work/openssl.log"

# Run openssl quietly; show its diagnostics (never key material) only on failure.
ossl() {
    if ! openssl "$@" >"$log" 2>&1; then
        printf '%s: openssl %s failed:\n' "$prog" "$1" >&2
        sed 's/^/  /' "$log" >&2
        exit 1
    fi
}

new_ec_key() {
    ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1"
}

random_serial() {
    # 127 random bits, positive (RFC 5280: at most 20 octets, non-negative).
    local hex
    hex=$(openssl rand -hex 16)
    printf '0x%x%s' "$((0x${hex:0:1} & 7))" "${hex:1}"
}

pubkey_of_cert() { openssl x509 -in "$1" -noout -pubkey 2>/dev/null; }
pubkey_of_key() { openssl pkey -in "$1" -pubout 2>/dev/null; }

# The CA: new, or the existing one when --reuse-ca.
if $reuse_ca; then
    openssl x509 -in "$ca_crt" -noout 2>/dev/null || die "--reuse-ca: $ca_crt is not a PEM certificate"
    ca_pub=$(pubkey_of_cert "$ca_crt")
    [[ -n $ca_pub && $ca_pub == "$(pubkey_of_key "$ca_key")" ]] ||
        die "--reuse-ca: $ca_key does not match $ca_crt"
    openssl x509 -in "$ca_crt" -noout -checkend 0 >/dev/null 2>&1 ||
        die "--reuse-ca: $ca_crt has expired; make a new CA (--force without --reuse-ca)"
    if ! openssl x509 -in "$ca_crt" -noout -checkend $((days * 86400)) >/dev/null 2>&1; then
        printf '%s: warning: %s expires before the new serving certificate (%s)\n' \
            "$prog" "$ca_crt" "$(openssl x509 -in "$ca_crt" -noout -enddate | sed 's/^notAfter=//')" >&2
    fi
    if $ca_days_given; then
        printf '%s: note: --ca-days is ignored with --reuse-ca\n' "$prog" >&2
    fi
    cp -p -- "$ca_crt" "$work/ca.crt"
    ca_signing_key=$ca_key
else
    cat >"$work/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = $ca_cn
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
    new_ec_key "$work/ca.key"
    ossl req -new -x509 -config "$work/ca.cnf" -key "$work/ca.key" -sha256 \
        -days "$ca_days" -set_serial "$(random_serial)" -out "$work/ca.crt"
    ca_signing_key=$work/ca.key
fi

# The serving certificate.
{
    cat <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $serving_cn
[v3_serving]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = @alt_names
[alt_names]
EOF
    i=0
    for name in "${san_dns[@]}"; do
        i=$((i + 1))
        printf 'DNS.%d = %s\n' "$i" "$name"
    done
    i=0
    for ip in "${san_ips[@]}"; do
        i=$((i + 1))
        printf 'IP.%d = %s\n' "$i" "$ip"
    done
} >"$work/tls.cnf"

new_ec_key "$work/tls.key"
ossl req -new -config "$work/tls.cnf" -key "$work/tls.key" -sha256 -out "$work/tls.csr"
ossl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$ca_signing_key" \
    -set_serial "$(random_serial)" -days "$days" -sha256 \
    -extfile "$work/tls.cnf" -extensions v3_serving -out "$work/tls.crt"

# Check before anything in DIR is replaced.
ossl verify -CAfile "$work/ca.crt" -purpose sslserver "$work/tls.crt"
[[ $(pubkey_of_cert "$work/tls.crt") == "$(pubkey_of_key "$work/tls.key")" ]] ||
    die "internal error: tls.key does not match tls.crt"

chmod 0600 "$work/tls.key"
chmod 0644 "$work/tls.crt" "$work/ca.crt"
written=()
# Renames within DIR are atomic; the certificate goes last so a watcher sees a complete pair soon.
if ! $reuse_ca; then
    chmod 0600 "$work/ca.key"
    mv -f -- "$work/ca.key" "$ca_key"
    mv -f -- "$work/ca.crt" "$ca_crt"
    written+=("$ca_key" "$ca_crt")
fi
mv -f -- "$work/tls.key" "$tls_key"
mv -f -- "$work/tls.crt" "$tls_crt"
written+=("$tls_key" "$tls_crt")

# The final check on the files in place, as the usage text promises.
openssl verify -CAfile "$ca_crt" "$tls_crt" >/dev/null 2>"$log" || {
    sed 's/^/  /' "$log" >&2
    die "verification of $tls_crt against $ca_crt failed"
}

enddate() { openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//'; }

if $reuse_ca; then
    echo "Reused CA:    $ca_crt (unchanged; the caBundle stays valid)"
else
    echo "New CA:       $ca_crt (update caBundle wherever the webhook is configured)"
fi
echo "Files written:"
for f in "${written[@]}"; do
    printf '  %s\n' "$f"
done
echo "SANs:"
for name in "${san_dns[@]}"; do printf '  DNS:%s\n' "$name"; done
for ip in "${san_ips[@]}"; do printf '  IP:%s\n' "$ip"; done
echo "Serving certificate expires: $(enddate "$tls_crt")"
echo "CA certificate expires:      $(enddate "$ca_crt")"
echo "Chain verified: openssl verify -CAfile $ca_crt $tls_crt"
printf 'caBundle: %s\n' "$(b64_oneline "$ca_crt")"
