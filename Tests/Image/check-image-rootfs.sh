#!/usr/bin/env bash
# Runs the Dockerfile's runtime stage without a container engine: builds the image's root filesystem
# from the same Debian packages, puts the release binary in it, and runs it the way the chart's pod
# does. `make image-check` maps the binary's libraries to packages with dpkg on the build machine;
# this proves the image itself: the binary loads and serves TLS inside a root that holds only
# debian:<release>-slim and the runtime stage's packages.
#
# Usage: Tests/Image/check-image-rootfs.sh [--dockerfile Dockerfile] [--cache DIR] BINARY
#   BINARY  the image's build: swift build -c release --product troxileia --static-swift-stdlib
#   --cache where the root filesystem is kept (default .build-image/rootfs; DIR.key records what it
#           was built from, and a change of package list, release or mirror rebuilds it)
#
# Read from the Dockerfile's runtime stage (the last FROM), so the two cannot drift: the Debian
# release (ARG RUNTIME_IMAGE=debian:<release>-slim), the packages of its `apt-get install`, the
# binary's path (COPY --from=build … PATH) and the user (USER uid:gid).
#
# The root filesystem: mmdebstrap --variant=minbase (Essential, Priority required, apt: the slim
# image's package set), merged /usr without the usrmerge package (as the Docker images are), and
# dpkg path excludes after debuerreotype's slimify lists, which make the -slim images (no docs but
# copyright files, no man/info pages, no locales). The mirror is the machine's: the Debian entries
# of its apt configuration for its release, -updates and -security (the suites debian:*-slim uses),
# moved to the Dockerfile's release. mmdebstrap is installed with apt-get when missing.
#
# Inside, in a private mount namespace (its mounts go when its process ends, so nothing is left
# mounted whatever way the script stops): the root bind-mounted read-only (the chart's
# readOnlyRootFilesystem), /proc, /sys read-only, a /dev tmpfs with the usual nodes, /tmp a 16 MiB
# tmpfs (the chart's emptyDir), the TLS pair read-only at /etc/troxileia/tls as root:65532 0440 (the
# chart's Secret volume with fsGroup). The process runs as the Dockerfile's USER through
# `chroot --userspec`, with no_new_privs and no effective or permitted capabilities (setpriv, and
# the switch away from uid 0), environment cleared.
#
# Checks: the packages are installed; ldd inside finds every library; `troxileia version`; the
# process's uid, gid, capabilities and no_new_privs; the root read-only and /tmp writable;
# `troxileia run --nodes-file` (webhook/samples/nodes.json copied in) ready on loopback, answering
# webhook/samples/01-allowed.json with allowed true and 02-denied-malformed.json with allowed false
# over TLS from outside (curl, trusting only the CA, under the Service's name); SIGTERM ends it with
# status 0. Then the sizes (root filesystem, binary) and `N passed, M failed`.
# Needs root (mmdebstrap, chroot, mount). Under a minute to build the root filesystem (30-40 s here,
# mostly downloads), then a few seconds for the checks.
# To see it fail: a copy of the Dockerfile without libcurl4 (--dockerfile COPY --cache /tmp/rootfs) makes
# ldd, `troxileia version` and `run` fail on libcurl.so.4. Dropping libssh2-1 or libssl3 alone does not:
# libcurl4 depends on both; `make image-check` is what holds the list to exactly the linked libraries.
set -euo pipefail

dockerfile=Dockerfile
cache=.build-image/rootfs
while [[ $# -gt 1 ]]; do
  case $1 in
    --dockerfile) dockerfile=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    *) echo "check-image-rootfs.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
binary=${1:?usage: check-image-rootfs.sh [--dockerfile FILE] [--cache DIR] BINARY}
[[ -x $binary ]] || { echo "check-image-rootfs.sh: $binary is not an executable" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "check-image-rootfs.sh: needs root (mmdebstrap, chroot, mount)" >&2; exit 2; }
for tool in python3 unshare setpriv chroot strip curl openssl; do
  command -v "$tool" >/dev/null || { echo "check-image-rootfs.sh: needs $tool" >&2; exit 2; }
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
started=$SECONDS
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. What the runtime stage says, and the machine's mirror moved to its release.
python3 - "$dockerfile" "$work" <<'PY' >"$work/image.env"
import glob, os, re, sys

dockerfile, work = sys.argv[1], sys.argv[2]
text = open(dockerfile).read().replace("\\\n", " ")
def fail(message):
    print(f"check-image-rootfs.sh: {message}", file=sys.stderr)
    sys.exit(2)
stage = re.split(r"(?m)^FROM\s", text)[-1]
base = stage.split()[0] if stage.strip() else ""
arg = re.fullmatch(r"\$\{?(\w+)\}?", base)
if arg:
    default = re.search(r"(?m)^ARG\s+" + arg.group(1) + r"=(\S+)", text)
    base = default.group(1) if default else base
m = re.fullmatch(r"debian:([a-z]+)-slim", base)
m or fail(f"the runtime stage's base {base!r} is not debian:<release>-slim")
suite = m.group(1)
packages = sorted({w for c in re.findall(r"apt-get install ([^&\n]*)", stage) for w in c.split() if not w.startswith("-")})
packages or fail(f"no apt-get install in the runtime stage of {dockerfile}")
copy = re.search(r"(?m)^COPY\s+--from=\S+\s+\S+\s+(/\S+)", stage)
copy or fail(f"no COPY --from=… of the binary in the runtime stage of {dockerfile}")
user = re.search(r"(?m)^USER\s+(\d+):(\d+)\s*$", stage)
user or fail(f"no numeric USER uid:gid in the runtime stage of {dockerfile}")

# The machine's apt sources: one-line (sources.list, *.list) and deb822 (*.sources) entries.
entries = []  # (uri, suites, components, signed_by)
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    if not os.path.exists(path):
        continue
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        w = re.match(r"deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)", line)
        if w:
            opts = dict(o.split("=", 1) for o in (w.group(1) or "").split() if "=" in o)
            entries.append((w.group(2), [w.group(3)], w.group(4).split(), opts.get("signed-by")))
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith("#"):
                continue
            if line[:1].isspace() and key:
                fields[key] += "\n" + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                fields[key] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        for uri in fields.get("uris", "").split():
            entries.append((uri, fields.get("suites", "").split(), fields.get("components", "").split(), fields.get("signed-by")))
host = dict(l.strip().split("=", 1) for l in open("/etc/os-release") if "=" in l).get("VERSION_CODENAME", "").strip('"')
host or fail("no VERSION_CODENAME in /etc/os-release")
stanzas = []
for uri, suites, components, signed_by in entries:
    ours = [suite + s[len(host):] for s in suites if s in (host, host + "-updates", host + "-security")]
    if ours and "main" in components:
        stanza = f"Types: deb\nURIs: {uri}\nSuites: {' '.join(ours)}\nComponents: main\n"
        if signed_by and "\n" not in signed_by and os.path.exists(signed_by):
            stanza += f"Signed-By: {signed_by}\n"
        stanzas.append(stanza)
stanzas or fail(f"no Debian {host} entry with component main in the machine's apt sources")
open(f"{work}/image.sources", "w").write("\n".join(stanzas))
print(f"suite={suite}\npackages={' '.join(packages)}\ndest={copy.group(1)}\nuid={user.group(1)}\ngid={user.group(2)}")
PY
suite=$(sed -n 's/^suite=//p' "$work/image.env")
read -r -a packages <<<"$(sed -n 's/^packages=//p' "$work/image.env")"
dest=$(sed -n 's/^dest=//p' "$work/image.env")
uid=$(sed -n 's/^uid=//p' "$work/image.env")
gid=$(sed -n 's/^gid=//p' "$work/image.env")
echo "runtime stage of $dockerfile: debian:$suite-slim + ${packages[*]}; $dest as $uid:$gid"

# 2. The root filesystem, cached; built into DIR.new and renamed, so a stopped build is never used.
mmdebstrap_options=(
  --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  "--include=$(IFS=,; echo "${packages[*]}")"
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/groff/*' --dpkgopt='path-exclude=/usr/share/linda/*'
  --dpkgopt='path-exclude=/usr/share/lintian/overrides/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
)
key=$(printf '%s\n' "$suite" "${mmdebstrap_options[@]}" | cat - "$work/image.sources" | sha256sum | cut -d' ' -f1)
if [[ -d $cache && -f $cache.key && $(cat "$cache.key") == "$key" ]]; then
  echo "root filesystem: $cache (cached)"
else
  if ! command -v mmdebstrap >/dev/null; then
    echo "installing mmdebstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
  fi
  echo "root filesystem: building $cache with mmdebstrap (under a minute)"
  built=$SECONDS
  rm -rf "$cache.new" "$cache.key"
  mkdir -p "$(dirname "$cache")"
  if ! mmdebstrap --quiet "${mmdebstrap_options[@]}" "$suite" "$cache.new" "$work/image.sources" >"$work/mmdebstrap.log" 2>&1; then
    cat "$work/mmdebstrap.log"
    echo "check-image-rootfs.sh: mmdebstrap failed" >&2
    exit 1
  fi
  rm -rf "$cache"
  mv "$cache.new" "$cache"
  echo "$key" >"$cache.key"
  echo "root filesystem: built in $((SECONDS - built)) s"
fi
root=$(cd "$cache" && pwd)

# 3. The binary, stripped as the Dockerfile does, the NodeList, and the mount points of the volumes.
install -d -m 0755 "$root$(dirname "$dest")" "$root/etc/troxileia/tls"
strip -o "$root$dest" "$binary"
chmod 0755 "$root$dest"
install -m 0644 "$repo/webhook/samples/nodes.json" "$root/etc/troxileia/nodes.json"
bash "$repo/certs/make-certs.sh" --out "$work/certs" >/dev/null
install -d -m 0755 "$work/tls" "$work/view"
install -m 0440 -o 0 -g "$gid" "$work/certs/tls.crt" "$work/certs/tls.key" "$work/tls/"

# Runs a command inside the image as the pod would: "${in_image[@]}" COMMAND…. The mounts live in
# the mount namespace of this one process; unshare (no --fork), bash, setpriv, env and chroot each
# exec the next, so $! of a background call is the command itself and SIGTERM reaches it.
mounts='
  root=$1 view=$2 tls=$3 uid=$4 gid=$5; shift 5
  mount --bind "$root" "$view"
  mount -o remount,bind,ro "$view"
  mount -t proc -o nosuid,nodev,noexec proc "$view/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$view/sys"
  mount -t tmpfs -o nosuid,noexec,mode=0755,size=64k dev "$view/dev"
  for node in null zero full random urandom tty; do
    touch "$view/dev/$node"; mount --bind "/dev/$node" "$view/dev/$node"
  done
  ln -s /proc/self/fd "$view/dev/fd"
  mount -o remount,bind,ro "$view/dev"
  mount -t tmpfs -o nosuid,nodev,mode=1777,size=16m tmp "$view/tmp"
  mount --bind "$tls" "$view/etc/troxileia/tls"
  mount -o remount,bind,ro "$view/etc/troxileia/tls"
  exec setpriv --no-new-privs --bounding-set=-all,+sys_chroot,+setuid,+setgid -- \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/ \
    chroot --userspec="$uid:$gid" --groups="$gid" "$view" "$@"'
in_image=(unshare --mount --propagation private -- bash -euc "$mounts" in_image "$root" "$work/view" "$work/tls" "$uid" "$gid")

# 4. The checks.
missing=$(chroot "$root" dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>&1 | awk '$2 != "installed"' || true)
if [[ -z $missing ]]; then pass "the runtime stage's packages are installed: ${packages[*]}"; else fail "packages not installed: $missing"; fi

if out=$(timeout 30 "${in_image[@]}" /usr/bin/ldd "$dest" 2>&1) && ! grep -q "not found" <<<"$out"; then
  pass "ldd in the image resolves all $(grep -c "=>" <<<"$out") libraries of $dest"
else
  fail "ldd in the image: $(grep "not found" <<<"$out" | sed 's/^[[:space:]]*//' | paste -sd';' || true)"
fi

if out=$(timeout 30 "${in_image[@]}" "$dest" version 2>&1) && grep -q "^troxileia " <<<"$out"; then
  pass "troxileia version: $out"
else
  fail "troxileia version in the image: $out"
fi

status=$(timeout 30 "${in_image[@]}" /bin/cat /proc/self/status 2>&1 || true)
field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' <<<"$status"; }
if [[ $(field Uid) == "$uid $uid $uid $uid" && $(field Gid) == "$gid $gid $gid $gid" && $(field Groups) == "$gid" &&
      $(field CapEff) == 0000000000000000 && $(field CapPrm) == 0000000000000000 && $(field NoNewPrivs) == 1 ]]; then
  pass "runs as $uid:$gid (groups $gid), no capabilities, no_new_privs"
else
  fail "process identity: Uid $(field Uid), Gid $(field Gid), Groups $(field Groups), CapEff $(field CapEff), CapPrm $(field CapPrm), NoNewPrivs $(field NoNewPrivs)"
fi

if out=$(timeout 30 "${in_image[@]}" /bin/sh -c 'touch /tmp/probe && if touch /probe 2>&1; then echo "root writable"; exit 1; fi' 2>&1) &&
   grep -q "Read-only file system" <<<"$out"; then
  pass "the root is read-only, /tmp writable"
else
  fail "read-only root: $out"
fi

read -r port probe < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
"${in_image[@]}" "$dest" run --nodes-file /etc/troxileia/nodes.json \
  --tls-cert-file /etc/troxileia/tls/tls.crt --tls-key-file /etc/troxileia/tls/tls.key \
  --webhook-listen "127.0.0.1:$port" --probe-listen "127.0.0.1:$probe" --shutdown-delay 0s \
  --log-format text >"$work/server.log" 2>&1 &
server_pid=$!
ready=false
for _ in $(seq 150); do
  if curl -fsS --max-time 2 "http://127.0.0.1:$probe/readyz" >/dev/null 2>&1; then ready=true; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if $ready; then
  pass "troxileia run --nodes-file ready (/readyz) on 127.0.0.1:$port"
  for sample in 01-allowed:true 02-denied-malformed:false; do
    name=${sample%:*} want=${sample#*:}
    answer=$(curl -sS --fail-with-body --max-time 10 --cacert "$work/certs/ca.crt" \
      --resolve "troxileia.troxileia.svc:$port:127.0.0.1" -H 'Content-Type: application/json' \
      --data-binary @"$repo/webhook/samples/$name.json" "https://troxileia.troxileia.svc:$port/validate" 2>&1) || true
    got=$(python3 -c 'import json, sys
answer, request = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))["request"]
assert answer["response"]["uid"] == request["uid"], "uid differs"
print(str(answer["response"]["allowed"]).lower())' "$answer" "$repo/webhook/samples/$name.json" 2>/dev/null || echo "no answer")
    if [[ $got == "$want" ]]; then pass "TLS AdmissionReview $name.json: allowed $got"
    else fail "TLS AdmissionReview $name.json: expected allowed $want, got $got: ${answer:0:300}"; fi
  done
  kill -TERM "$server_pid"
  for _ in $(seq 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  code=0
  if kill -0 "$server_pid" 2>/dev/null; then code="none after 15 s"; kill -KILL "$server_pid"; fi
  wait "$server_pid" || { [[ $code != 0 ]] || code=$?; }
  server_pid=""
  if [[ $code == 0 ]]; then pass "SIGTERM: troxileia run exits with status 0"; else fail "SIGTERM: troxileia run exit status: $code"; fi
else
  fail "troxileia run did not become ready; its log:"
  sed 's/^/  /' "$work/server.log"
fi

# 5. The figures.
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
binary_bytes=$(stat -c %s "$root$dest")
rootfs_bytes=$(($(du -sxb "$root" | cut -f1) - binary_bytes))
echo "root filesystem: $(mib "$rootfs_bytes") without the binary, $(mib $((rootfs_bytes + binary_bytes))) with it" \
  "($(chroot "$root" dpkg-query -W -f='.\n' | wc -l) packages; du -sb $cache)"
echo "binary: $(mib "$binary_bytes") stripped ($(mib "$(stat -c %s "$binary")") as built): $binary"
echo "time: $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
