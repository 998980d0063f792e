#!/usr/bin/env bash
# Builds the `dpikit` npm package into bindings/wasm/pkg: the full module (default) and the
# credentials-only module (pkg/credentials), each for Node (CommonJS), the web (ES module
# with init) and bundlers. Installs what is missing, idempotently:
#   - rustup's wasm32-unknown-unknown target when installed is preferred; otherwise
#     Debian's rustc-web + rust-web-src + lld-22 rebuild std with -Zbuild-std (apt);
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (cargo install
#     --debug: ~3x less CPU to build than release, and fast enough for this module);
#   - wasm-opt from npm binaryen (Debian's binaryen 108 emits modules node rejects).
# Never changes the default (rustup) toolchain. Output sizes go to target/wasm/sizes.txt.
# WASM_OPT=0 skips wasm-opt (minutes of CPU; `make test-wasm` skips it, the package build
# `make build-wasm` runs it). WASM_PROFILE picks the cargo profile: `wasm-release` (default,
# the published modules) or `wasm-test` (`make test-wasm`: the same code without LTO, a
# fraction of the build time).
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
export CARGO_TARGET_DIR="$ROOT/target/wasm"
TOOLS="$ROOT/target/wasm-tools"
PKG="$ROOT/bindings/wasm/pkg"
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
RUSTUP_CARGO=$(command -v cargo)
BINARYEN_VERSION=132.0.0
WASM_OPT=${WASM_OPT:-1}
WASM_PROFILE=${WASM_PROFILE:-wasm-release}
TARGET=wasm32-unknown-unknown
log() { printf '== [%4ss] %s\n' "$SECONDS" "$*"; }

# --- 1. a Rust toolchain that targets wasm32 ------------------------------------------
if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  log "using rustup's $TARGET target"
  wasm_cargo() { "$RUSTUP_CARGO" "$@"; }
  BUILD_STD=()
else
  APT_PKGS=(rustc-web cargo-web rust-web-src lld-22)
  missing=()
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${APT_PKGS[@]}"
  fi
  [[ "$(dpkg-query -W -f='${Version}' rustc-web)" == "$(dpkg-query -W -f='${Version}' rust-web-src)" ]] \
    || { echo "rustc-web and rust-web-src versions differ: -Zbuild-std needs the same source" >&2; exit 1; }
  log "using Debian rustc-web $(/usr/bin/rustc -V | cut -d' ' -f2) with -Zbuild-std"
  # With std built from source, panics abort on the spot (`-Cpanic=immediate-abort`): no
  # panic messages, locations or formatting in the module. Nothing is lost: wasm32 has no
  # stderr, so a panic could only ever surface as a trap ("unreachable") in JS.
  wasm_cargo() {
    env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
      /usr/bin/cargo "$@"
  }
  BUILD_STD=(-Zbuild-std=std)
fi

# --- 2. wasm-bindgen-cli, exactly the crate's version -----------------------------------
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
WASM_BINDGEN=$(command -v wasm-bindgen || echo "$CARGO_HOME/bin/wasm-bindgen")
if [[ "$("$WASM_BINDGEN" --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]]; then
  # No --locked: its lockfile pins a webpki-roots version the registry lacks.
  log "cargo install --debug wasm-bindgen-cli $WB_VERSION"
  "$RUSTUP_CARGO" install --debug --force wasm-bindgen-cli --version "$WB_VERSION"
  WASM_BINDGEN="$CARGO_HOME/bin/wasm-bindgen"
fi

# --- 3. wasm-opt from npm binaryen ------------------------------------------------------
WASM_OPT_BIN="$TOOLS/node_modules/.bin/wasm-opt"
if [[ "$WASM_OPT" == 1 && "$("$WASM_OPT_BIN" --version 2>/dev/null || true)" != *"version ${BINARYEN_VERSION%%.*} "* ]]; then
  log "npm install binaryen@$BINARYEN_VERSION into target/wasm-tools"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# --- 4. the two modules ------------------------------------------------------------------
build_variant() { # name, out dir, cargo feature args...
  local name=$1 out=$2; shift 2
  log "cargo build ($name, profile $WASM_PROFILE)"
  wasm_cargo build --profile "$WASM_PROFILE" -p dpikit-wasm --target "$TARGET" "${BUILD_STD[@]}" "$@"
  local raw="$CARGO_TARGET_DIR/$TARGET/$WASM_PROFILE/dpikit_wasm.wasm"
  rm -rf "$out" && mkdir -p "$out"
  local pids=()
  for t in nodejs web bundler; do
    "$WASM_BINDGEN" --target "$t" --out-dir "$out/${t/nodejs/node}" "$raw" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  if [[ "$WASM_OPT" == 1 ]]; then
    "$WASM_OPT_BIN" -Oz \
      "$out/node/dpikit_wasm_bg.wasm" -o "$out/opt.wasm"
    for t in node web bundler; do cp "$out/opt.wasm" "$out/$t/dpikit_wasm_bg.wasm"; done
    rm "$out/opt.wasm"
  fi
  rm -f "$out"/*/.gitignore
  local w="$out/node/dpikit_wasm_bg.wasm"
  printf '%s wasm=%s gzip=%s\n' "$name" "$(stat -c %s "$w")" "$(gzip -9c "$w" | wc -c)" >> "$CARGO_TARGET_DIR/sizes.txt"
}
mkdir -p "$CARGO_TARGET_DIR" && : > "$CARGO_TARGET_DIR/sizes.txt"
build_variant credentials "$PKG/credentials" --no-default-features
build_variant full "$PKG"/full
# The full build is the package root; the credentials-only build is `dpikit/credentials`.
for t in node web bundler; do rm -rf "${PKG:?}/$t" && mv "$PKG/full/$t" "$PKG/$t"; done
rmdir "$PKG/full"
cp bindings/wasm/npm/package.json bindings/wasm/README.md LICENSE-APACHE LICENSE-MIT "$PKG/"
log "sizes (bytes): $(tr '\n' ' ' < "$CARGO_TARGET_DIR/sizes.txt")"
