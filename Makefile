# dpikit: `make test` runs every test suite; each installs what it needs, idempotently.
# CI runs `make test` through .ci/run on a clean clone with CI=true.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

## Helper tools (cargo-deny, cbindgen, ...) build unoptimised and without debug info: about a
## third of the CPU time of a release build, and they run for seconds on this repository.
CARGO_INSTALL := CARGO_PROFILE_DEV_DEBUG=0 $(CARGO) install --debug --locked

PHONY_WASM := build-wasm test-wasm wasm-test-deps tools-chromium bench-wasm
.PHONY: $(PHONY_WASM) tools-apt npm-pack test-npm version-check hostile-drift tools-fuzz fuzz-smoke deny tools-c test lint fmt-check clippy test-rust test-python test-wheel wheel python-venv test-wasm test-c doc bench bench-python fuzz-build tools-rust tools-system c-dist test-c-dist package-check release-check test-release

## Every check and every suite: lint, the Rust tests, the Python, C and WASM bindings, the
## release packages (crates, C and npm tarballs), and a 10 s smoke run of every fuzz target
## (`make fuzz-smoke` alone runs each 20 s). System packages come first, in one apt step.
test: tools-apt lint test-rust test-python test-wheel test-c test-wasm test-release fuzz-smoke
	@echo "make test: all suites passed"

## In `make test` the Python suite imports the manylinux wheel, built once with the dev profile,
## which test-wheel then installs into a clean venv: one build of the extension instead of a
## `maturin develop` build and a release build (`make wheel` and `make release-check` build
## the release wheel).
test: PY_BUILD := wheel
test: WHEEL_PROFILE := dev
test: FUZZ_SECONDS := 10

## rustfmt and clippy come with the rustup toolchain; add them if a minimal profile lacks them.
tools-rust:
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

## System packages the tests use: xmllint validates generated ISO 20022 XML against the XSDs;
## libssl-dev and pkg-config build josekit (JWE, and the JOSE interop peer).
SYSTEM_PKGS := libxml2-utils libssl-dev pkg-config
## apt-get install of the packages in $(1) that are missing (one apt-get update, or none).
apt_install = missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
tools-system:
	@$(call apt_install,$(SYSTEM_PKGS))

## Every system package `make test` uses, in one apt step (each suite also installs its own
## when run alone). The WASM toolchain packages are skipped when rustup has the wasm32 target.
WASM_APT_PKGS = $(if $(shell rustup target list --installed 2>/dev/null | grep -x wasm32-unknown-unknown),,rustc-web cargo-web rust-web-src lld-22)
tools-apt:
	@$(call apt_install,$(SYSTEM_PKGS) $(C_PKGS) $(WASM_APT_PKGS) chromium)

lint: fmt-check clippy deny version-check

## One version everywhere (scripts/version.py; docs/releasing.md).
version-check:
	scripts/version.py --check

## Licenses, banned crates (no network clients or TLS stacks) and sources of every production
## dependency tree (deny.toml), offline.
deny:
	@command -v cargo-deny >/dev/null 2>&1 || $(CARGO_INSTALL) cargo-deny --version 0.20.2
	$(CARGO) fetch --locked -q  # every platform's crates, which cargo-deny's metadata reads
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

## Every benchmark, then docs/performance.md (scripts/perf_report.py): one table of ratios
## against the peers, measured in this run, with the machine noted. Run it on an idle machine.
## dpikit-interop benches apart: its peer ssi turns on serde_json's `arbitrary_precision`
## (see test-rust).
BENCH_RESULTS := target/bench-results
bench:
	rm -rf $(BENCH_RESULTS) && mkdir -p $(BENCH_RESULTS) && touch $(BENCH_RESULTS)/started
	$(CARGO) bench --workspace --exclude dpikit-interop --bench core --bench consent --bench exchange --bench payments --bench sdjwt_qr
	$(CARGO) bench -p dpikit-interop --bench credentials
	$(MAKE) bench-python bench-wasm
	scripts/perf_report.py

## The hostile-input corpus (crates/dpikit-hostile): regenerate vectors/<block>/cases.json and
## fail when the committed files differ, or a generated file is not committed. In `make test`
## the corpus test of test-rust (`files_match_the_generator`) makes the same comparison
## without a build of its own.
hostile-drift:
	$(CARGO) run -q -p dpikit-hostile --bin gen-cases >/dev/null
	git diff --exit-code -- vectors/
	@test -z "$$(git status --porcelain -- vectors/)" || { git status --short -- vectors/; echo "vectors/: uncommitted case files"; exit 1; }

## Fuzzing (fuzz/): cargo-fuzz targets for every parser and verifier, built with the stable
## toolchain (RUSTC_BOOTSTRAP=1 admits cargo-fuzz's -Z flags). cargo-fuzz is installed once,
## as a debug build (it only drives cargo; 3 min instead of 6).
## The smoke run in `make test` looks for panics, hangs and memory blow-ups: every crate under
## crates/ forbids unsafe code, so it builds without a sanitizer, at opt-level 1 with 16
## codegen units (cargo-fuzz's default of opt-level 3 and one codegen unit takes several
## times longer to build on two cores). For a long campaign:
##   make fuzz-smoke FUZZ_SANITIZER=address FUZZ_OPT_LEVEL=3 FUZZ_SECONDS=3600 FUZZ_SEED=0
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SANITIZER ?= none
FUZZ_OPT_LEVEL ?= 1
FUZZ_SECONDS ?= 20
FUZZ_SEED ?= 1

tools-fuzz:
	@cargo-fuzz --version 2>/dev/null | grep -q " $(CARGO_FUZZ_VERSION)$$" || \
	  $(CARGO) install --debug --locked --force cargo-fuzz --version $(CARGO_FUZZ_VERSION)

fuzz-build: tools-fuzz
	cd fuzz && RUSTC_BOOTSTRAP=1 CARGO_PROFILE_RELEASE_OPT_LEVEL=$(FUZZ_OPT_LEVEL) \
	  $(CARGO) fuzz build --sanitizer $(FUZZ_SANITIZER) --codegen-units 16

## Seeds fuzz/corpus/<target> from ../shared/vectors and the hostile corpus (gitignored, never
## committed), then runs each target FUZZ_SECONDS (20 s), two at a time, with libFuzzer's seed
## fixed (FUZZ_SEED=1: a smoke run repeats itself; 0 is random); fails on any crash.
fuzz-smoke: fuzz-build
	python3 fuzz/seed.py >/dev/null
	FUZZ_SEED=$(FUZZ_SEED) fuzz/smoke.sh $(FUZZ_SECONDS) 2

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
## PY_BUILD=wheel installs the wheel of `make wheel` (at WHEEL_PROFILE) into the venv instead.
PY_BUILD ?= develop
test-python: python-venv
	@if [ "$(PY_BUILD)" = wheel ]; then \
	  $(MAKE) --no-print-directory wheel WHEEL_PROFILE=$(WHEEL_PROFILE) && \
	  $(PY) -m pip install -q --disable-pip-version-check --no-deps --force-reinstall target/wheels/dpikit-*.whl; \
	else cd bindings/python && VIRTUAL_ENV=$(VENV_ABS) $(VENV_ABS)/bin/maturin develop -q; fi
	$(PY) -m pytest -q -p no:cacheprovider bindings/python/tests
	$(PY) -m mypy --strict --cache-dir target/mypy_cache $(PY_TYPED)
	$(PY) -m mypy.stubtest dpikit._dpikit --mypy-config-file bindings/python/pyproject.toml

## The release wheel (abi3, CPython >= 3.9) in target/wheels.
## Portable: manylinux2014 (glibc 2.17) and abi3, linked by zig from the PyPI `ziglang`
## package in target/venv (maturin --zig), so no manylinux Docker image is needed.
## WHEEL_PROFILE picks the cargo profile (`make test` packs a dev build: same wheel, unoptimised).
ZIGLANG := ziglang==0.17.1
WHEEL_PROFILE ?= release
wheel: python-venv
	@$(PY) -m pip show ziglang 2>/dev/null | grep -qx "Version: $(subst ziglang==,,$(ZIGLANG))" || \
	  $(PY) -m pip install -q --disable-pip-version-check $(ZIGLANG)
	rm -f target/wheels/dpikit-*.whl
	cd bindings/python && PATH=$(VENV_ABS)/bin:$$PATH $(VENV_ABS)/bin/maturin build --profile $(WHEEL_PROFILE) -q \
	  --zig --compatibility manylinux2014 --out $(abspath target/wheels)
	@ls target/wheels/dpikit-*-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl

## Installs the release wheel into a fresh venv and uses it there: the smoke script, then the
## Python examples (quickstart, verify_batch over credentials the smoke script issued,
## subsidy_batch over a CSV), run from outside the repository.
WHEEL_CHECK := $(abspath target/wheel-check)
test-wheel: wheel
	rm -rf target/wheel-venv $(WHEEL_CHECK) && python3 -m venv target/wheel-venv
	target/wheel-venv/bin/pip install -q --disable-pip-version-check --no-index target/wheels/dpikit-*.whl
	cd /tmp && $(abspath target/wheel-venv)/bin/python $(abspath bindings/python/tests/wheel_smoke.py) $(WHEEL_CHECK)
	cd /tmp && $(abspath target/wheel-venv)/bin/python $(abspath bindings/python/examples/quickstart.py) >/dev/null
	cd /tmp && $(abspath target/wheel-venv)/bin/python $(abspath examples/python/verify_batch.py) $(WHEEL_CHECK)/vcs | tail -1
	cd /tmp && $(abspath target/wheel-venv)/bin/python $(abspath examples/python/subsidy_batch.py) $(WHEEL_CHECK)/subsidy.csv \
	  --batch-id W1 --debtor-name City --debtor-account DE89370400440532013000 --out $(WHEEL_CHECK)/pain001.xml

## Python overhead over Rust for the same credential verification (release wheel): wall
## time (fastest rounds, alternating), and instruction counts under callgrind when present.
## Then Smart Data Model validation through dpikit vs the Python jsonschema and
## fastjsonschema packages (pinned, installed next to the wheel), in the same run: wall time,
## and instructions per validation under callgrind when present. Then JWS verify vs PyJWT.
BENCH_PY_DEPS := jsonschema==4.26.0 fastjsonschema==2.22.3 pyjwt[crypto]==2.15.1
bench-python: test-wheel
	target/wheel-venv/bin/pip install -q --disable-pip-version-check $(BENCH_PY_DEPS)
	mkdir -p $(BENCH_RESULTS)
	target/wheel-venv/bin/python benches/python/sdm_validation.py --json-out $(BENCH_RESULTS)/python-sdm.json
	$(CARGO) build --release -q -p dpikit-py --example verify_bench
	target/wheel-venv/bin/python benches/python/jws_pyjwt.py --json-out $(BENCH_RESULTS)/python-pyjwt.json
	-target/wheel-venv/bin/python benches/python/verify_overhead.py --rust-bin target/release/examples/verify_bench \
	  | tee $(BENCH_RESULTS)/python-overhead.json
	@if command -v valgrind >/dev/null; then \
	  target/wheel-venv/bin/python benches/python/verify_overhead.py --callgrind --rust-bin target/release/examples/verify_bench; \
	  target/wheel-venv/bin/python benches/python/sdm_validation.py --callgrind; fi

## The C binding (bindings/c): regenerate the header and fail on drift, then run the C suite
## against the static and the shared library, the same suite under AddressSanitizer +
## LeakSanitizer (it intercepts the library's allocations too), a C++ compile of
## the header, and the CMake example (through dpikit.pc) on a credential the suite issued; then
## the C++ snippet of docs/c.md compiles, and its cgo snippet builds when Go is installed.
## The suite reads the shared vectors from DPIKIT_VECTORS or ../shared/vectors.
C_DIR := bindings/c
C_OUT := target/c
C_LIBDIR := target/debug
C_CFLAGS := -std=c99 -Wall -Wextra -Werror -I$(C_DIR)/include
C_STATIC_LIBS := -lssl -lcrypto -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
C_PKGS := gcc g++ cmake pkg-config libssl-dev

tools-c:
	@command -v cbindgen >/dev/null 2>&1 || $(CARGO_INSTALL) cbindgen --version 0.29.4 \
	  || $(subst --locked,,$(CARGO_INSTALL)) cbindgen --version 0.29.4
	@$(call apt_install,$(C_PKGS))

## The libraries of profile $(1). The debug ones are built with the workspace's features and
## targets, so every crate test-rust compiled is reused and only the libraries are linked (no
## second build of the dpikit crates with the features of dpikit-ffi alone). `cargo test
## --no-run` alone would not do: it builds dpikit-ffi as an rlib only, never the .a and .so.
## Another profile builds dpikit-ffi alone. The libraries are removed first (cargo links them
## again from target/<profile>/deps), so that a build which stopped producing them fails here
## instead of testing a stale copy.
ffi_libdir = target/$(if $(filter dev,$(1)),debug,$(1))
ffi_build = rm -f $(ffi_libdir)/libdpikit_ffi.a $(ffi_libdir)/libdpikit_ffi.so && \
  $(if $(filter dev,$(1)),$(CARGO) build -q --workspace --exclude dpikit-interop --all-targets,$(CARGO) build -q --profile $(1) -p dpikit-ffi)

test-c: tools-c tools-system
	$(call ffi_build,dev)
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
	rm -rf $(C_OUT)/example  # a CMake cache remembers its source and build paths
	PKG_CONFIG_PATH=$(abspath $(C_OUT)) cmake -S examples/c -B $(C_OUT)/example >/dev/null
	cmake --build $(C_OUT)/example >/dev/null
	LD_LIBRARY_PATH=$(abspath $(C_LIBDIR)) $(C_OUT)/example/verify $(C_OUT)/credential.json >/dev/null
	sed 's/Ana/Eve/' $(C_OUT)/credential.json > $(C_OUT)/tampered.json
	! LD_LIBRARY_PATH=$(abspath $(C_LIBDIR)) $(C_OUT)/example/verify $(C_OUT)/tampered.json >/dev/null 2>&1
	awk '/^```cpp$$/{f=1;next} /^```$$/{f=0} f' docs/c.md > $(C_OUT)/doc_snippet.cpp
	g++ -std=c++14 -Wall -Wextra -Werror -I$(C_DIR)/include -c $(C_OUT)/doc_snippet.cpp -o $(C_OUT)/doc_snippet.o
	@if command -v go >/dev/null 2>&1; then \
	  mkdir -p $(C_OUT)/go && awk '/^```go$$/{f=1;next} /^```$$/{f=0} f' docs/c.md > $(C_OUT)/go/dpikit.go && \
	  printf 'module example.com/dpikit\n\ngo 1.19\n' > $(C_OUT)/go/go.mod && \
	  cd $(C_OUT)/go && PKG_CONFIG_PATH=$(abspath $(C_OUT)) GOCACHE=$(abspath $(C_OUT))/gocache GOFLAGS=-mod=mod \
	    CGO_ENABLED=1 go build ./... && echo "docs/c.md: the cgo snippet builds"; \
	else echo "docs/c.md: no Go toolchain, skipped the cgo snippet"; fi
	@echo "make test-c: C suite passed (static, shared, ASan+LSan, C++ header and docs snippet, CMake example)"

## ---- Release packaging (docs/releasing.md) ----
VERSION = $(shell scripts/version.py)
DIST := target/dist
C_DIST_NAME = libdpikit-$(VERSION)-x86_64-linux-gnu

## The C tarball: header, release static and shared libraries (stripped), dpikit.pc and a
## CMake package config that find themselves relative to where the tarball is unpacked, docs
## and licences.
## C_DIST_PROFILE=dev packs the debug libraries instead (`make test-release`: the layout and
## the CMake/pkg-config files are what it checks, on libraries the C suite already built).
C_DIST_PROFILE ?= release
C_DIST_LIBDIR = target/$(if $(filter dev,$(C_DIST_PROFILE)),debug,$(C_DIST_PROFILE))
c-dist: tools-c
	$(call ffi_build,$(C_DIST_PROFILE))
	rm -rf $(DIST)/$(C_DIST_NAME) && mkdir -p $(DIST)/$(C_DIST_NAME)/{include,lib/pkgconfig,lib/cmake/dpikit,share/doc/dpikit}
	cp $(C_DIR)/include/dpikit.h $(DIST)/$(C_DIST_NAME)/include/
	cp $(C_DIST_LIBDIR)/libdpikit_ffi.a $(C_DIST_LIBDIR)/libdpikit_ffi.so $(DIST)/$(C_DIST_NAME)/lib/
	# Without debug info and the LLVM bitcode rustc embeds in the archive's objects (the
	# static library halves; the shared one keeps its exported dpikit_* symbols).
	objcopy --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd $(DIST)/$(C_DIST_NAME)/lib/libdpikit_ffi.a
	strip --strip-unneeded $(DIST)/$(C_DIST_NAME)/lib/libdpikit_ffi.so
	sed -e 's|@LIBDIR@|$${pcfiledir}/..|' -e 's|@INCLUDEDIR@|$${pcfiledir}/../../include|' -e 's|@VERSION@|$(VERSION)|' \
	  $(C_DIR)/dpikit.pc.in > $(DIST)/$(C_DIST_NAME)/lib/pkgconfig/dpikit.pc
	libs="$$(sed -n 's/^Libs.private: //p' $(C_DIR)/dpikit.pc.in | sed 's/-l//g; s/ /;/g')"; \
	  sed "s|@STATIC_LIBS@|$$libs|" $(C_DIR)/cmake/dpikitConfig.cmake.in > $(DIST)/$(C_DIST_NAME)/lib/cmake/dpikit/dpikitConfig.cmake
	sed 's|@VERSION@|$(VERSION)|' $(C_DIR)/cmake/dpikitConfigVersion.cmake.in > $(DIST)/$(C_DIST_NAME)/lib/cmake/dpikit/dpikitConfigVersion.cmake
	cp README.md docs/c.md LICENSE-APACHE LICENSE-MIT $(DIST)/$(C_DIST_NAME)/share/doc/dpikit/
	tar -C $(DIST) --owner=0 --group=0 --sort=name -czf $(DIST)/$(C_DIST_NAME).tar.gz $(C_DIST_NAME)
	@echo "$(DIST)/$(C_DIST_NAME).tar.gz: $$(stat -c %s $(DIST)/$(C_DIST_NAME).tar.gz) bytes"

## Unpacks the C tarball elsewhere and builds the CMake example against it twice (CMake
## config, then pkg-config); the example verifies a credential the C suite issued and refuses
## a tampered one.
C_DIST_CHECK := $(abspath target/c-dist-check)
test-c-dist: c-dist
	@test -f $(C_OUT)/tampered.json || $(MAKE) test-c  # the credentials the C suite issued
	rm -rf $(C_DIST_CHECK) && mkdir -p $(C_DIST_CHECK)
	tar -C $(C_DIST_CHECK) -xzf $(DIST)/$(C_DIST_NAME).tar.gz
	cmake -S examples/c -B $(C_DIST_CHECK)/cmake-config -DCMAKE_PREFIX_PATH=$(C_DIST_CHECK)/$(C_DIST_NAME) | grep 'CMake config'
	cmake --build $(C_DIST_CHECK)/cmake-config >/dev/null
	PKG_CONFIG_PATH=$(C_DIST_CHECK)/$(C_DIST_NAME)/lib/pkgconfig cmake -S examples/c -B $(C_DIST_CHECK)/pkg-config -DDPIKIT_USE_PKGCONFIG=ON | grep 'pkg-config'
	cmake --build $(C_DIST_CHECK)/pkg-config >/dev/null
	for b in cmake-config pkg-config; do \
	  LD_LIBRARY_PATH=$(C_DIST_CHECK)/$(C_DIST_NAME)/lib $(C_DIST_CHECK)/$$b/verify $(C_OUT)/credential.json >/dev/null; \
	  ! LD_LIBRARY_PATH=$(C_DIST_CHECK)/$(C_DIST_NAME)/lib $(C_DIST_CHECK)/$$b/verify $(C_OUT)/tampered.json >/dev/null 2>&1; \
	done
	@echo "make test-c-dist: the example built against the unpacked tarball (CMake config and pkg-config)"

## Packages every workspace crate together (`cargo package --workspace`: path dependencies
## all carry versions), unpacks the published crates' .crate files outside
## the repository, and builds and runs a scratch crate that depends on the packaged `dpikit`
## through [patch.crates-io]: it issues and verifies a credential in both eddsa suites.
PUBLISHED := dpikit-core dpikit-credentials dpikit-consent dpikit-payments dpikit-exchange dpikit dpikit-cli
PACKAGE_CHECK := $(or $(TMPDIR),/tmp)/dpikit-package-check
package-check:
	scripts/version.py --check
	$(CARGO) package -q --no-verify --allow-dirty --workspace
	rm -rf $(PACKAGE_CHECK) && mkdir -p $(PACKAGE_CHECK)/crates $(PACKAGE_CHECK)/scratch/src
	for c in $(PUBLISHED); do tar -xzf target/package/$$c-$(VERSION).crate -C $(PACKAGE_CHECK)/crates; done
	cp scripts/package-check/main.rs $(PACKAGE_CHECK)/scratch/src/main.rs
	cp Cargo.lock $(PACKAGE_CHECK)/scratch/  # same versions and dev profile: target/ is reused
	{ printf '[package]\nname = "scratch"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'; \
	  printf '[dependencies]\ndpikit = "=$(VERSION)"\nserde_json = "1"\n\n[workspace]\n\n[patch.crates-io]\n'; \
	  for c in $(PUBLISHED); do echo "$$c = { path = \"../crates/$$c-$(VERSION)\" }"; done; \
	  printf '\n[profile.dev]\ndebug = "line-tables-only"\n\n[profile.dev.package."*"]\ndebug = false\n'; \
	  } > $(PACKAGE_CHECK)/scratch/Cargo.toml
	cd $(PACKAGE_CHECK)/scratch && CARGO_TARGET_DIR=$(abspath target) $(CARGO) run -q
	@for c in $(PUBLISHED); do printf '%-28s %s bytes\n' "$$c-$(VERSION).crate" "$$(stat -c %s target/package/$$c-$(VERSION).crate)"; done

## The npm tarball: `npm pack` of bindings/wasm/pkg (full and credentials-only modules).
## NPM_PKG_BUILD= packs bindings/wasm/pkg as it is (`make test-release`: the modules
## test-wasm built) instead of building it with `make build-wasm` first.
NPM_OUT := target/npm
NPM_PKG_BUILD ?= build-wasm
npm-pack: $(NPM_PKG_BUILD)
	rm -rf $(NPM_OUT) && mkdir -p $(NPM_OUT)
	cd $(WASM_DIR)/pkg && npm pack --silent --pack-destination $(abspath $(NPM_OUT)) >/dev/null
	@t=$(NPM_OUT)/dpikit-$(VERSION).tgz; echo "$$t: $$(stat -c %s $$t) bytes"; \
	  for w in node/dpikit_wasm_bg.wasm credentials/node/dpikit_wasm_bg.wasm; do \
	    echo "  $$w: $$(stat -c %s $(WASM_DIR)/pkg/$$w) bytes, $$(gzip -9c $(WASM_DIR)/pkg/$$w | wc -c) gzip"; done

## Installs the tarball into a scratch Node project outside the repository (as a user would:
## `npm install ./dpikit-X.Y.Z.tgz`), then issues and verifies credentials with both builds
## through `require` and `import`.
NPM_CHECK := $(or $(TMPDIR),/tmp)/dpikit-npm-check
test-npm: npm-pack
	rm -rf $(NPM_CHECK) && mkdir -p $(NPM_CHECK)
	cp $(NPM_OUT)/dpikit-$(VERSION).tgz scripts/npm-check/check.cjs scripts/npm-check/check.mjs $(NPM_CHECK)/
	cd $(NPM_CHECK) && npm init -y >/dev/null && npm install --no-audit --no-fund --silent ./dpikit-$(VERSION).tgz
	cd $(NPM_CHECK) && node check.cjs && node check.mjs

## Every release check of docs/releasing.md.
release-check: package-check test-wheel test-c test-c-dist test-npm
	@echo "make release-check: crates, wheel and C tarball checked"

## The release checks inside `make test`, on what the suites before it built: the packaged
## crates build and run a scratch crate; the C tarball, packed from the debug libraries,
## builds the CMake example (CMake config and pkg-config); the npm tarball of test-wasm's
## modules installs into a scratch project (test-wheel covers the wheel).
test-release:
	$(MAKE) package-check
	$(MAKE) test-c-dist C_DIST_PROFILE=dev
	$(MAKE) test-npm NPM_PKG_BUILD=

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
	@$(call apt_install,chromium)

## The Node suite over the shared vectors (both builds), the Digital Bazaar interop both ways,
## and a headless Chromium page (screenshot in target/wasm/browser.png).
## The modules build with the `wasm-test` profile (no LTO, opt-level 1; 0 for the two slowest
## crates to compile) and without wasm-opt:
## minutes less CPU on 2 cores; `make build-wasm` builds what is published.
test-wasm: wasm-test-deps tools-chromium
	WASM_OPT=0 WASM_PROFILE=wasm-test bash $(WASM_DIR)/scripts/build.sh
	node --test $(WASM_DIR)/tests/*.test.cjs $(WASM_DIR)/tests/*.test.mjs
	node $(WASM_DIR)/tests/browser/run.cjs

## WASM-in-Node over native time for one eddsa-jcs-2022 verify (same credential, reused
## verifier, fastest of alternating rounds; a loaded machine widens the spread).
bench-wasm: build-wasm
	$(CARGO) build --release -q -p dpikit-py --example verify_bench
	mkdir -p $(BENCH_RESULTS)
	node benches/wasm/verify_node.cjs target/release/examples/verify_bench | tee $(BENCH_RESULTS)/wasm-node.json
