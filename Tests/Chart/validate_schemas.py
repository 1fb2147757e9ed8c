#!/usr/bin/env python3
"""Validates rendered manifests against the Kubernetes OpenAPI schemas (kubernetes-validate, strict:
unknown fields fail) for each --kubernetes-version. Kinds from other projects are skipped, by name:
cert-manager's Certificate and Issuer, the Prometheus operator's ServiceMonitor and PrometheusRule. Any other kind
without a schema fails. Prints one line per failure and `N passed, M failed`.
"""
import argparse
import sys

import kubernetes_validate
import yaml

SKIPPED = {("cert-manager.io/v1", "Certificate"), ("cert-manager.io/v1", "Issuer"),
           ("monitoring.coreos.com/v1", "ServiceMonitor"), ("monitoring.coreos.com/v1", "PrometheusRule")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubernetes-version", action="append", required=True)
    parser.add_argument("renders", nargs="+")
    args = parser.parse_args()
    passed = failed = skipped = 0
    for path in args.renders:
        for doc in yaml.safe_load_all(open(path)):
            if not doc:
                continue
            what = f"{path}: {doc['kind']} {doc['metadata']['name']}"
            if (doc["apiVersion"], doc["kind"]) in SKIPPED:
                skipped += 1
                continue
            for version in args.kubernetes_version:
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                    passed += 1
                except kubernetes_validate.ValidationError as error:
                    failed += 1
                    print(f"FAIL {what} (Kubernetes {version}): {error.message} at {'/'.join(map(str, error.path))}")
                except kubernetes_validate.SchemaNotFoundError as error:
                    failed += 1
                    print(f"FAIL {what} (Kubernetes {version}): no schema: {error}")
    print(f"schemas: Kubernetes {', '.join(args.kubernetes_version)}; {skipped} documents of cert-manager and "
          f"Prometheus operator kinds skipped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
