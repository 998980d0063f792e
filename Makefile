# dpikit: `make test` runs every test suite; each installs what it needs, idempotently.
# CI runs `make test` through .ci/run on a clean clone with CI=true.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: test lint fmt-check clippy test-rust test-python test-wasm test-c doc bench fuzz-build tools-rust tools-system

## Every check and every suite. Bindings join as test-python, test-wasm, test-c.
test: lint test-rust
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
	$(CARGO) bench --bench core --bench credentials --bench consent --bench exchange

## Builds the fuzz targets (needs nightly and cargo-fuzz; not part of `make test`).
fuzz-build:
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	cd fuzz && $(CARGO) +nightly fuzz build
