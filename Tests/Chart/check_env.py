#!/usr/bin/env python3
"""Feeds each render's ConfigMap, as environment twins, to the real `troxileia run`: every setting
the chart writes must be a flag the binary knows, with a value it accepts.

The files the environment names (certificates, tap credentials, known_hosts) are replaced by
files made here, the listeners by 127.0.0.1:0, and the Kubernetes configuration by a path that
does not exist: so `run` gets through argument parsing and validation and then stops at
"no Kubernetes configuration" without reaching any cluster. Passing means it stopped there (or
was still running after the timeout); an ArgumentParser error (`Usage:`), a twin refused, or a
crash fails. Prints one line per render and `N passed, M failed`.

Usage: check_env.py --troxileia BIN --make-certs certs/make-certs.sh RENDER.yaml …
"""
import argparse
import os
import subprocess
import sys
import tempfile

import yaml


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--troxileia", required=True)
    parser.add_argument("--make-certs", required=True)
    parser.add_argument("renders", nargs="+")
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="troxileia-env-") as work:
        subprocess.run(["bash", args.make_certs, "--local", "--out", f"{work}/certs"], check=True, stdout=subprocess.DEVNULL)
        for path in args.renders:
            docs = [d for d in yaml.safe_load_all(open(path)) if d]
            deployment = next(d for d in docs if d["kind"] == "Deployment")
            name = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["configMapRef"]["name"]
            data = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == name)["data"]
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": f"{work}/home",
                   "KUBECONFIG": f"{work}/no-such-kubeconfig"}
            for key, value in data.items():
                if key == "TROXILEIA_TLS_CERT_FILE":
                    value = f"{work}/certs/tls.crt"
                elif key == "TROXILEIA_TLS_KEY_FILE":
                    value = f"{work}/certs/tls.key"
                elif key.endswith("_FILE") or key == "TROXILEIA_TAP_KNOWN_HOSTS":
                    value = f"{work}/{key.lower()}"
                    with open(value, "w") as f:
                        f.write("[tap]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHv2mJuN0Ur0N0tARealKeyJustForChartTests0\n"
                                if key.endswith("KNOWN_HOSTS") else "not-a-secret\n")
                elif key in ("TROXILEIA_WEBHOOK_LISTEN", "TROXILEIA_PROBE_LISTEN"):
                    value = "127.0.0.1:0"
                env[key] = value
            try:
                run = subprocess.run([args.troxileia, "run"], env=env, capture_output=True, text=True, timeout=20)
                output, code = run.stdout + run.stderr, run.returncode
            except subprocess.TimeoutExpired as timeout:
                output, code = (timeout.stdout or b"").decode() + (timeout.stderr or b"").decode(), "timeout"
            refused = "Usage:" in output or "is not valid" in output or (code not in (1, "timeout"))
            if refused:
                failed += 1
                print(f"FAIL {path}: troxileia run refused the chart's environment (exit {code}):\n{output[-1500:]}")
            else:
                passed += 1
                last = output.strip().splitlines()[-1] if output.strip() else "(no output)"
                print(f"ok   {os.path.basename(path)}: {len(data)} settings accepted; stopped at: {last[:140]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
