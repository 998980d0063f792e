# dpikit: `make test` runs every test suite; each installs what it needs, idempotently.
# CI runs `make test` through .ci/run on a clean clone with CI=true.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

PHONY_WASM := build-wasm test-wasm wasm-test-deps tools-chromium bench-wasm
.PHONY: $(PHONY_WASM) deny tools-c test lint fmt-check clippy test-rust test-python test-wheel wheel python-venv test-wasm test-c doc bench bench-python fuzz-build tools-rust tools-system

## Every check and every suite. Bindings join as test-python, test-wasm, test-c.
test: lint test-rust test-python test-wheel test-c
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

lint: fmt-check clippy deny

## Licenses, banned crates (no network clients or TLS stacks) and sources of every production
## dependency tree (deny.toml), offline.
deny:
	@command -v cargo-deny >/dev/null 2>&1 || $(CARGO) install cargo-deny --locked
	$(CARGO) deny --offline check licenses bans sources

clippy: tools-system

fmt-check: tools-rust
	$(CARGO) fmt --all -- --check

clippy: tools-rust
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Unit, integration and doc tests of every crate (doctests run).
## dpikit-interop builds apart: its peer ssi turns on serde_json's `arbitrary_precision`, and
## cargo unifies features across one invocation, which would change dpikit's own number
## handling under test.
test-rust: tools-system
	DPIKIT_REQUIRE_XMLLINT=1 $(CARGO) test --workspace --exclude dpikit-interop --all-targets
	$(CARGO) test --workspace --exclude dpikit-interop --doc
	$(CARGO) test -p dpikit-interop --all-targets

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

bench:
	$(CARGO) bench --bench core --bench consent --bench exchange --bench payments --bench sdjwt_qr
	$(CARGO) bench -p dpikit-interop --bench credentials

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

## The C binding (bindings/c): regenerate the header and fail on drift, then run the C suite
## against the static and the shared library, the same suite under AddressSanitizer +
## LeakSanitizer (it intercepts the library's allocations too), a C++ compile of
## the header, and the CMake example (through dpikit.pc) on a credential the suite issued.
C_DIR := bindings/c
C_OUT := target/c
C_LIBDIR := target/debug
C_CFLAGS := -std=c99 -Wall -Wextra -Werror -I$(C_DIR)/include
C_STATIC_LIBS := -lssl -lcrypto -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
C_PKGS := gcc g++ cmake pkg-config libssl-dev

tools-c:
	@command -v cbindgen >/dev/null 2>&1 || $(CARGO) install cbindgen --version 0.29.4 --locked \
	  || $(CARGO) install cbindgen --version 0.29.4
	@missing=""; for p in $(C_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-c: tools-c tools-system
	$(CARGO) build -p dpikit-ffi
	cd $(C_DIR) && cbindgen --quiet --config cbindgen.toml --output include/dpikit.h
	git ls-files --error-unmatch $(C_DIR)/include/dpikit.h >/dev/null
	git diff --exit-code -- $(C_DIR)/include/dpikit.h
	mkdir -p $(C_OUT)
	gcc $(C_CFLAGS) $(C_DIR)/tests/test_dpikit.c $(C_LIBDIR)/libdpikit_ffi.a $(C_STATIC_LIBS) -o $(C_OUT)/test_static
	gcc $(C_CFLAGS) $(C_DIR)/tests/test_dpikit.c -L$(C_LIBDIR) -ldpikit_ffi -Wl,-rpath,$(abspath $(C_LIBDIR)) -o $(C_OUT)/test_shared
	g++ -std=c++11 -Wall -Wextra -Werror -fsyntax-only -x c++ $(C_DIR)/include/dpikit.h
	$(C_OUT)/test_static $(C_OUT)/credential.json
	$(C_OUT)/test_shared
	gcc $(C_CFLAGS) -g -fsanitize=address -fno-omit-frame-pointer $(C_DIR)/tests/test_dpikit.c -L$(C_LIBDIR) -ldpikit_ffi -Wl,-rpath,$(abspath $(C_LIBDIR)) -o $(C_OUT)/test_asan
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 $(C_OUT)/test_asan
	sed -e 's|@LIBDIR@|$(abspath $(C_LIBDIR))|' -e 's|@INCLUDEDIR@|$(abspath $(C_DIR)/include)|' \
	  -e "s|@VERSION@|$$(sed -n 's/^version = \"\(.*\)\"/\1/p' Cargo.toml | head -1)|" \
	  $(C_DIR)/dpikit.pc.in > $(C_OUT)/dpikit.pc
	PKG_CONFIG_PATH=$(abspath $(C_OUT)) cmake -S examples/c -B $(C_OUT)/example >/dev/null
	cmake --build $(C_OUT)/example >/dev/null
	LD_LIBRARY_PATH=$(abspath $(C_LIBDIR)) $(C_OUT)/example/verify $(C_OUT)/credential.json >/dev/null
	sed 's/Ana/Eve/' $(C_OUT)/credential.json > $(C_OUT)/tampered.json
	! LD_LIBRARY_PATH=$(abspath $(C_LIBDIR)) $(C_OUT)/example/verify $(C_OUT)/tampered.json >/dev/null 2>&1
	@echo "make test-c: C suite passed (static, shared, ASan+LSan, C++ header, CMake example)"

## ---- WASM binding (bindings/wasm): the `dpikit` npm package ----
## build-wasm installs what is missing (rustup's wasm32 target is preferred when installed,
## else Debian's rustc-web + rust-web-src + lld-22 with -Zbuild-std; wasm-bindgen-cli at the
## Cargo.lock version; npm binaryen under target/wasm-tools), then builds the full and the
## credentials-only modules into bindings/wasm/pkg (target dir target/wasm).
WASM_DIR := bindings/wasm

build-wasm:
	bash $(WASM_DIR)/scripts/build.sh

## The test-only npm packages (Digital Bazaar's stack, playwright-core) from the committed
## package-lock.json, into bindings/wasm/node_modules; skipped when the lock is unchanged.
wasm-test-deps:
	@if ! cmp -s $(WASM_DIR)/package-lock.json $(WASM_DIR)/node_modules/.dpikit-lock.json; then \
	  cd $(WASM_DIR) && npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.dpikit-lock.json; fi

## Debian's Chromium for the browser test (playwright-core drives /usr/bin/chromium).
tools-chromium:
	@dpkg -s chromium >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; }

## The Node suite over the shared vectors (both builds), the Digital Bazaar interop both ways,
## and a headless Chromium page (screenshot in target/wasm/browser.png).
## wasm-opt is skipped here (minutes of CPU on 2 cores); `make build-wasm` runs it.
test-wasm: wasm-test-deps tools-chromium
	WASM_OPT=0 bash $(WASM_DIR)/scripts/build.sh
	node --test $(WASM_DIR)/tests/*.test.cjs $(WASM_DIR)/tests/*.test.mjs
	node $(WASM_DIR)/tests/browser/run.cjs

## WASM-in-Node over native time for one eddsa-jcs-2022 verify (same credential, reused
## verifier, fastest of alternating rounds; a loaded machine widens the spread).
bench-wasm: build-wasm
	$(CARGO) build --release -q -p dpikit-py --example verify_bench
	node benches/wasm/verify_node.cjs target/release/examples/verify_bench
