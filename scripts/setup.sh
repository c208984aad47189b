#!/usr/bin/env bash
# Installs everything gdverify needs from Debian bookworm's packages, idempotently,
# and extracts the real data sets (digits, iris, wine) from python3-sklearn's .deb
# without installing it. Safe to run again: it only acts on what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libmpfr-dev libmpfi-dev libgmp-dev libflint-arb-dev
  libeigen3-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libtrilinos-kokkos-dev librandom123-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev xtensor-dev
  libopenmpi-dev openmpi-bin
  gnuplot-nox python3-numpy python3-mpmath python3-dev python3-pytest pybind11-dev
  libtorch-dev python3-torch
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Real data sets shipped inside python3-sklearn (not installed: only extracted).
data_dir="$here/data/sklearn"
wanted=(digits.csv.gz iris.csv wine_data.csv)
# digits ships gzipped; it is kept decompressed as digits.csv beside the others.
have_all=1
for f in digits.csv iris.csv wine_data.csv; do [ -s "$data_dir/$f" ] || have_all=0; done
if [ "$have_all" -eq 0 ]; then
  echo "setup: extracting data sets from python3-sklearn into $data_dir"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq python3-sklearn >/dev/null 2>&1 ||
     { "${sudo_cmd[@]}" apt-get update -qq && apt-get download -qq python3-sklearn; })
  dpkg-deb -x "$tmp"/python3-sklearn_*.deb "$tmp/x"
  mkdir -p "$data_dir"
  for f in "${wanted[@]}"; do
    src="$(find "$tmp/x" -path '*sklearn/datasets/data/*' -name "$f" | head -n 1)"
    if [ -z "$src" ]; then
      echo "setup: $f not found in python3-sklearn's package" >&2
      exit 1
    fi
    case "$f" in
      *.gz) gzip -dc "$src" >"$data_dir/${f%.gz}.part" && mv "$data_dir/${f%.gz}.part" "$data_dir/${f%.gz}" ;;
      *) cp "$src" "$data_dir/$f.part" && mv "$data_dir/$f.part" "$data_dir/$f" ;;
    esac
  done
fi
echo "setup: done"
