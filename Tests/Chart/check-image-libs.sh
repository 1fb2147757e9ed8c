#!/usr/bin/env bash
# Checks that the Dockerfile's runtime stage installs exactly the libraries the troxileia binary
# links, without a Docker engine: the binary is built here, on the same Debian release as both
# stages of the Dockerfile (bookworm), and its libraries are mapped to Debian packages with dpkg -S.
#
# Usage: Tests/Chart/check-image-libs.sh [--dockerfile Dockerfile] BINARY
#
# Checks:
#  1. every library the binary needs directly (readelf NEEDED) comes from a package the runtime
#     stage installs or one every debian:bookworm-slim image has (Priority required, apt, and
#     their dependencies: libc6, libgcc-s1, libstdc++6, …);
#  2. every package the runtime stage installs (ca-certificates aside: no library) is needed
#     directly by the binary: nothing extra;
#  3. every library ldd resolves, transitively, is in the dependency closure of those packages, so
#     apt brings it into the image.
# A debug build links the Swift runtime dynamically from the toolchain; the image's release build
# has it statically (--static-swift-stdlib). Libraries resolved from the toolchain are therefore
# left out, and the Debian packages are compared: for this project the system libraries ldd lists
# are the same for the debug binary and the static release binary (checked 2026-12-07, libyaml-0-2 added: the same 35,
# only which of them are direct differs: libstdc++ and libgcc_s come through libswiftCore in debug),
# so CI checks the debug binary `make test` already built instead of spending about 3 minutes of a
# 2-core machine on a release build (`make image-check-release` does that build and check).
# Prints a table and `N passed, M failed`.
set -euo pipefail

dockerfile=Dockerfile
while [[ $# -gt 1 ]]; do
  case $1 in
    --dockerfile) dockerfile=$2; shift 2 ;;
    *) echo "check-image-libs.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
binary=${1:?usage: check-image-libs.sh [--dockerfile FILE] BINARY}
[[ -x $binary ]] || { echo "check-image-libs.sh: $binary is not an executable" >&2; exit 2; }
for tool in readelf ldd dpkg dpkg-query python3; do
  command -v "$tool" >/dev/null || { echo "check-image-libs.sh: needs $tool" >&2; exit 2; }
done
swift_runtime=$(swift -print-target-info 2>/dev/null | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["paths"]["runtimeLibraryPaths"]))' 2>/dev/null || true)

python3 - "$dockerfile" "$binary" "$swift_runtime" <<'PY'
import os, re, subprocess, sys

dockerfile, binary, swift_runtime = sys.argv[1], sys.argv[2], [p for p in sys.argv[3].splitlines() if p]
passed = failed = 0
def check(ok, message):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {message}")

# The runtime stage: the last FROM, its apt-get install line(s).
text = open(dockerfile).read().replace("\\\n", " ")
stage = re.split(r"(?m)^FROM\s", text)[-1]
runtime = set()
for command in re.findall(r"apt-get install ([^&\n]*)", stage):
    runtime |= {w for w in command.split() if not w.startswith("-")}
check(runtime, f"no apt-get install in the runtime stage of {dockerfile}")
libraries_wanted = runtime - {"ca-certificates"}

def owner(path):
    """The Debian package that ships `path` (usr-merged paths tried both ways)."""
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        if p.startswith("/lib"):
            candidates.append("/usr" + p)
        elif p.startswith("/usr/lib"):
            candidates.append(p[4:])
    for p in candidates:
        run = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.split(":", 1)[0].strip()
    return None

def installed():
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Priority}\t${Depends}, ${Pre-Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
    packages = {}
    for line in out.splitlines():
        name, priority, depends = line.split("\t")
        alternatives = [[re.split(r"[\s(:]", a.strip())[0] for a in d.split("|")] for d in depends.split(",") if d.strip()]
        packages[name] = (priority, alternatives)
    return packages

packages = installed()
def closure(roots):
    seen, todo = set(), list(roots)
    while todo:
        p = todo.pop()
        if p in seen or p not in packages:
            continue
        seen.add(p)
        for alternatives in packages[p][1]:
            present = [a for a in alternatives if a in packages]
            todo.extend(present[:1])
    return seen

base_roots = {p for p, (priority, _) in packages.items() if priority == "required"} | {"apt"}
base = closure(base_roots)
image = closure(base_roots | runtime)

def in_toolchain(path):
    return any(os.path.realpath(path).startswith(os.path.realpath(d) + "/") for d in swift_runtime)

# 1. Direct needs.
needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                    subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout)
resolved = {}
for line in subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
    if m:
        name = m.group(1)
        path = m.group(2) if m.lastindex == 2 else m.group(1)
        check(path != "not", f"ldd cannot find {name}")
        resolved[os.path.basename(name)] = path
direct_packages = {}
print(f"{'library':28} {'package':22} in the image because")
for name in needed:
    path = resolved.get(name) or next((p for n, p in resolved.items() if n == name), None)
    if path is None:
        check(False, f"ldd does not resolve NEEDED {name}")
        continue
    if in_toolchain(path):
        print(f"{name:28} {'(Swift toolchain)':22} linked statically in the image (--static-swift-stdlib)")
        continue
    package = owner(path)
    check(package, f"{name} ({path}) belongs to no Debian package")
    if not package:
        continue
    direct_packages[package] = name
    why = "installed by the runtime stage" if package in runtime else ("in debian:bookworm-slim" if package in base else "MISSING")
    print(f"{name:28} {package:22} {why}")
    check(package in runtime or package in base, f"{name} needs {package}, which the runtime stage does not install")

# 2. Nothing extra.
for package in sorted(libraries_wanted):
    check(package in direct_packages, f"the runtime stage installs {package}, which the binary does not link")

# 3. Transitive libraries come along.
transitive = 0
for name, path in sorted(resolved.items()):
    if in_toolchain(path) or name in needed:
        continue
    package = owner(path)
    transitive += 1
    check(package in image, f"{name} ({path}, package {package}) would be missing from the image")
print(f"image libs: {len(needed)} direct, {transitive} more through them; runtime stage installs {sorted(runtime)}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
