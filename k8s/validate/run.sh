#!/usr/bin/env bash
# Validates the Kubernetes manifests against the Kubernetes JSON schemas: renders k8s/base with
# kustomize (kubectl), then checks every object with kubernetes-models (npm, pinned by
# package-lock.json). Part of the README's test command.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund --silent
if command -v kubectl >/dev/null; then
  kubectl kustomize ../base | node validate.mjs
else
  # Without kubectl the generated ConfigMap is not rendered; every other object is still checked.
  echo "kubectl not found: validating k8s/base's resource files without kustomize" >&2
  for f in ../base/*.yaml; do [ "$(basename "$f")" = kustomization.yaml ] || { cat "$f"; echo "---"; }; done | node validate.mjs
fi
