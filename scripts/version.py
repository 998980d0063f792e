#!/usr/bin/env python3
"""One version for the whole project: print it, check it, or set it.

The version lives in the root Cargo.toml (`[workspace.package] version`). Cargo also needs
it on each internal dependency in `[workspace.dependencies]`, and npm in
bindings/wasm/npm/package.json; this script keeps those copies equal to it.

    scripts/version.py            print the version
    scripts/version.py --check    fail if any copy differs (run by `make test`)
    scripts/version.py 0.2.0      set every copy (then `cargo update -w` refreshes Cargo.lock)
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CARGO = ROOT / "Cargo.toml"
PACKAGE_JSON = ROOT / "bindings" / "wasm" / "npm" / "package.json"
# Manifests that name an internal crate by path and version outside the workspace table
# (`cargo package --workspace` needs a version on every path dependency).
MEMBER_MANIFESTS = [ROOT / "bindings" / "python" / "Cargo.toml"]
SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
WORKSPACE_VERSION = re.compile(r'(\[workspace\.package\][^\[]*?\nversion = ")([^"]+)(")', re.S)
INTERNAL_DEP = re.compile(r'^(dpikit[a-z-]* = \{ path = "[^"]+", version = ")([^"]+)(".*\})$', re.M)


def current() -> str:
    m = WORKSPACE_VERSION.search(CARGO.read_text())
    if not m:
        sys.exit("no [workspace.package] version in Cargo.toml")
    return m.group(2)


def copies() -> list[tuple[str, str]]:
    found = []
    for manifest in [CARGO, *MEMBER_MANIFESTS]:
        where = manifest.relative_to(ROOT)
        found += [(f"{where} {m.group(0).split(' =')[0]}", m.group(2))
                  for m in INTERNAL_DEP.finditer(manifest.read_text())]
    if PACKAGE_JSON.exists():
        found.append(("bindings/wasm/npm/package.json", json.loads(PACKAGE_JSON.read_text())["version"]))
    return found


def set_version(new: str) -> None:
    if not SEMVER.match(new):
        sys.exit(f"not a semantic version: {new}")
    text = WORKSPACE_VERSION.sub(lambda m: m.group(1) + new + m.group(3), CARGO.read_text(), 1)
    text = INTERNAL_DEP.sub(lambda m: m.group(1) + new + m.group(3), text)
    CARGO.write_text(text)
    for manifest in MEMBER_MANIFESTS:
        manifest.write_text(INTERNAL_DEP.sub(lambda m: m.group(1) + new + m.group(3), manifest.read_text()))
    if PACKAGE_JSON.exists():
        pkg = PACKAGE_JSON.read_text()
        PACKAGE_JSON.write_text(re.sub(r'("version":\s*")[^"]+(")', rf"\g<1>{new}\g<2>", pkg, count=1))


def main() -> None:
    args = sys.argv[1:]
    if not args:
        print(current())
    elif args == ["--check"]:
        version = current()
        wrong = [f"{where}: {v}" for where, v in copies() if v != version]
        if not copies():
            sys.exit("no internal dependency versions found: has Cargo.toml's layout changed?")
        if wrong:
            sys.exit(f"version {version} in [workspace.package], but:\n  " + "\n  ".join(wrong))
        print(f"version {version} everywhere ({len(copies())} copies)")
    elif len(args) == 1:
        set_version(args[0])
        print(f"version set to {args[0]}; now run `cargo update -w` and update CHANGELOG.md")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
