#!/usr/bin/env bash
# Copies the generated CRDs (crds/, the only source, written by the operator module's build) into
# the Helm chart (helm/dbguard/crds/), replacing whatever is there. The chart tier's
# ChartCrdsGoldenTest fails until this has been run after a CRD change.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f helm/dbguard/crds/*.yml helm/dbguard/crds/*.yaml
cp crds/*.yml helm/dbguard/crds/
echo "synced: $(ls crds/*.yml | wc -l) CRD file(s) into helm/dbguard/crds/"
