#!/usr/bin/env bash
# Builds the testbed's binaries from Go modules (no prebuilt downloads) into a cache keyed by the pinned
# versions: ~/.cache/regops/testbed/<key>/{bin,share}. A second call with the same pins is a no-op.
#
#   kube-apiserver, kube-controller-manager, kube-scheduler  k8s.io/kubernetes (test/testbed/kube/go.mod)
#   etcd                                                     go.etcd.io/etcd/server/v3 (test/testbed/etcd/go.mod)
#   kwok                                                     sigs.k8s.io/kwok (test/testbed/kwok/go.mod)
#
# The operator (github.com/openshift/cluster-image-registry-operator) is not built here: the Go module
# proxy refuses it (403 "This module version is not available"), so the launcher takes a binary the user
# supplies as REGOPS_OPERATOR_BIN (functions/testbed/README.md). CIRO_COMMIT names the operator version
# whose openshift/api pin (OPENSHIFT_API) the CRDs and the FeatureGate below come from.
# CRDs: the five in functions/schemas/crds (see functions/schemas/crds/SOURCES.md) plus ClusterVersion,
# FeatureGate, Proxy, APIServer and Route from the openshift/api module at that version.
set -euo pipefail

K8S_VERSION=1.35.4
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
CIRO_COMMIT=02bb5c2cd4d5f4d277cf987d6f65e58a732aefee
OPENSHIFT_API=v0.0.0-20260317165824-54a3998d81eb

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-local}
command -v go >/dev/null || { echo "testbed build: go is not installed (needs Go >= 1.26)" >&2; exit 1; }
gov=$(go env GOVERSION)

# The key changes when a pin, a go.mod/go.sum, a vendored CRD or the Go version changes.
sum=$( { echo "$gov"; echo "$K8S_VERSION $ETCD_VERSION $KWOK_VERSION $CIRO_COMMIT $OPENSHIFT_API"; cat "$here"/*/go.mod "$here"/*/go.sum "$repo"/functions/schemas/crds/*.yaml; } | sha256sum | cut -c1-10)
key="k8s${K8S_VERSION}-etcd${ETCD_VERSION#v}-kwok${KWOK_VERSION#v}-api${OPENSHIFT_API: -12:8}-${sum}"
root=${REGOPS_TESTBED_CACHE:-$HOME/.cache/regops/testbed}
out="$root/$key"

report() {
  echo "testbed binaries: $out"
  echo "  versions: kubernetes v$K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, openshift/api $OPENSHIFT_API (the pin of operator ${CIRO_COMMIT:0:12}), $gov"
  for f in "$out"/bin/*; do printf '  %-34s %6s MiB\n' "$(basename "$f")" "$(( $(stat -c %s "$f") / 1048576 ))"; done
}
# --print-dir: where the binaries of these pins are (exit 3 when they are not built yet); builds nothing
if [[ "${1:-}" == "--print-dir" ]]; then
  [[ -f "$out/complete" ]] || { echo "$out"; exit 3; }
  echo "$out"; exit 0
fi
if [[ -f "$out/complete" ]]; then
  echo "testbed build: cached (no-op)"; report; cat "$out/timings.txt"; exit 0
fi

stage="$out.partial"
rm -rf "$stage"; mkdir -p "$stage/bin" "$stage/share/crds"
now() { date +%s; }
timings=()

# 1. module downloads, timed apart from the build.
t=$(now)
(cd "$here/kube" && go mod download k8s.io/kubernetes && go list -deps k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler >/dev/null)
(cd "$here/etcd" && go list -deps go.etcd.io/etcd/server/v3 >/dev/null)
(cd "$here/kwok" && go list -deps sigs.k8s.io/kwok/cmd/kwok >/dev/null)
api=$(cd "$here/kube" && go mod download -json "github.com/openshift/api@$OPENSHIFT_API" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
kwokdir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
timings+=("download $(( $(now) - t ))s")

# 2. builds, one shared build cache, -p 2 (2 cores).
flags=(-p 2 -trimpath)
ld="-s -w"
minor=$(echo "$K8S_VERSION" | cut -d. -f2)
kld="$ld -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
t=$(now); (cd "$here/kube" && go build "${flags[@]}" -ldflags "$kld" -o "$stage/bin/" k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler); timings+=("kubernetes $(( $(now) - t ))s")
t=$(now); (cd "$here/etcd" && go build "${flags[@]}" -ldflags "$ld" -o "$stage/bin/etcd" go.etcd.io/etcd/server/v3); timings+=("etcd $(( $(now) - t ))s")
t=$(now); (cd "$here/kwok" && go build "${flags[@]}" -ldflags "$ld" -o "$stage/bin/kwok" sigs.k8s.io/kwok/cmd/kwok); timings+=("kwok $(( $(now) - t ))s")

# 3. data the launcher needs: CRDs, the FeatureGate payload, KWOK's stages.
cp "$repo"/functions/schemas/crds/*.yaml "$stage/share/crds/"
c="$api/config/v1/zz_generated.crd-manifests"
cp "$c/0000_00_cluster-version-operator_01_clusterversions-Default.crd.yaml" "$c/0000_10_config-operator_01_featuregates.crd.yaml" \
  "$c/0000_03_config-operator_01_proxies.crd.yaml" "$c/0000_10_config-operator_01_apiservers-Default.crd.yaml" \
  "$api/route/v1/zz_generated.crd-manifests/routes.crd.yaml" "$stage/share/crds/"
cp "$api/payload-manifests/featuregates/featureGate-4-10-SelfManagedHA-Default.yaml" "$stage/share/featuregate.yaml"
# KWOK's stages, one multi-document file for `kwok --config` (it exits "no stages found" without them)
for s in node/fast node/heartbeat pod/fast; do
  for f in "$kwokdir/kustomize/stage/$s"/*.yaml; do
    [[ $(basename "$f") == kustomization.yaml ]] && continue
    echo "---"; cat "$f"
  done
done > "$stage/share/kwok-stages.yaml"
chmod -R u+w "$stage/share"

cat > "$stage/versions.json" <<JSON
{"kubernetes":"v$K8S_VERSION","etcd":"$ETCD_VERSION","kwok":"$KWOK_VERSION","operatorApiOf":"$CIRO_COMMIT","openshiftApi":"$OPENSHIFT_API","go":"$gov","key":"$key"}
JSON
printf 'timings: %s\n' "${timings[*]}" > "$stage/timings.txt"
touch "$stage/complete"
rm -rf "$out"; mv "$stage" "$out"
echo "testbed build: built"; report; cat "$out/timings.txt"
