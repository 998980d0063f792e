# dpikit: `make test` runs every test suite; each installs what it needs, idempotently.
# CI runs `make test` through .ci/run on a clean clone with CI=true.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: test lint fmt-check clippy test-rust test-python test-wheel wheel python-venv test-wasm test-c doc bench bench-python fuzz-build tools-rust tools-system

## Every check and every suite. Bindings join as test-python, test-wasm, test-c.
test: lint test-rust test-python test-wheel
	@echo "make test: all suites passed"

## rustfmt and clippy come with the rustup toolchain; add them if a minimal profile lacks them.
tools-rust:
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

## System packages the tests use: xmllint validates generated ISO 20022 XML against the XSDs;
## libssl-dev and pkg-config build josekit (JWE, and the JOSE interop peer).
SYSTEM_PKGS := libxml2-utils libssl-dev pkg-config
tools-system:
	@missing=""; for p in $(SYSTEM_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

lint: fmt-check clippy

clippy: tools-system

fmt-check: tools-rust
	$(CARGO) fmt --all -- --check

clippy: tools-rust
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Unit, integration and doc tests of every crate (doctests run).
test-rust: tools-system
	DPIKIT_REQUIRE_XMLLINT=1 $(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

bench:
	$(CARGO) bench --bench core --bench credentials --bench consent

## Builds the fuzz targets (needs nightly and cargo-fuzz; not part of `make test`).
fuzz-build:
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	cd fuzz && $(CARGO) +nightly fuzz build

## ---- Python binding (bindings/python): a venv under target/, maturin, pytest, mypy ----
VENV := target/venv
VENV_ABS := $(abspath $(VENV))
PY := $(VENV_ABS)/bin/python
PY_DEPS := maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 pyjwt[crypto]==2.15.1
PY_TYPED := bindings/python/python/dpikit bindings/python/examples examples/python benches/python

## Creates target/venv and installs the pinned tools once (a stamp records the pins).
python-venv:
	@test -x $(PY) || python3 -m venv $(VENV)
	@if [ "$$(cat $(VENV)/.dpikit-deps 2>/dev/null)" != "$(PY_DEPS)" ]; then \
	  $(PY) -m pip install -q --disable-pip-version-check $(PY_DEPS) && echo "$(PY_DEPS)" > $(VENV)/.dpikit-deps; \
	fi

## Builds the extension into the venv (maturin develop), runs pytest, mypy --strict, and
## stubtest (the .pyi stubs against the built module).
test-python: python-venv
	cd bindings/python && VIRTUAL_ENV=$(VENV_ABS) $(VENV_ABS)/bin/maturin develop -q
	$(PY) -m pytest -q -p no:cacheprovider bindings/python/tests
	$(PY) -m mypy --strict --cache-dir target/mypy_cache $(PY_TYPED)
	$(PY) -m mypy.stubtest dpikit._dpikit --mypy-config-file bindings/python/pyproject.toml

## The release wheel (abi3, CPython >= 3.9) in target/wheels.
wheel: python-venv
	rm -f target/wheels/dpikit-*.whl
	cd bindings/python && $(VENV_ABS)/bin/maturin build --release -q --out $(abspath target/wheels)

## Installs the release wheel into a fresh venv and uses it there.
test-wheel: wheel
	rm -rf target/wheel-venv && python3 -m venv target/wheel-venv
	target/wheel-venv/bin/pip install -q --disable-pip-version-check --no-index target/wheels/dpikit-*.whl
	cd /tmp && $(abspath target/wheel-venv)/bin/python $(abspath bindings/python/tests/wheel_smoke.py)

## Python overhead over Rust for the same credential verification (release wheel): wall
## time (fastest rounds, alternating), and instruction counts under callgrind when present.
bench-python: test-wheel
	$(CARGO) build --release -q -p dpikit-py --example verify_bench
	-target/wheel-venv/bin/python benches/python/verify_overhead.py --rust-bin target/release/examples/verify_bench
	@if command -v valgrind >/dev/null; then \
	  target/wheel-venv/bin/python benches/python/verify_overhead.py --callgrind --rust-bin target/release/examples/verify_bench; fi
