#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the shared public vectors and the hostile corpus.

The shared vectors (../shared/vectors, or $DPIKIT_VECTORS) are read, never committed: the
corpus directory is ignored by git. With CI=true, missing vectors are an error. Each target
also gets the inputs of the hostile cases (vectors/<block>/cases.json) whose op it parses.
"""
import base64
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SEED = 256 * 1024

# target -> (globs under the shared vectors, hostile-corpus ops)
TARGETS = {
    "json_intake": (["vc/jcs-rfc8785/*.json", "consent/**/*.json*", "vc/eddsa/*.json"], ["json.parse"]),
    "jcs": (["vc/jcs-rfc8785/*"], ["jcs.canonicalize"]),
    "jws_verify": (["vc/rfc8037/*"], ["jws.verify"]),
    "keys": (["vc/did-key/*", "vc/eddsa/*.json", "vc/rfc8037/*"], ["jwk.thumbprint", "multikey.decode"]),
    "did": (["vc/did-key/*"], ["did.resolve"]),
    "credential_verify": (
        ["vc/eddsa-jcs-2022/*", "vc/eddsa-rdfc-2022/*", "vc/eddsa/*", "vc/bitstring-status-list/*"],
        ["credential.verify"],
    ),
    "rdfc": (["vc/rdf-canon/**/*.nq"], ["nquads.canonicalize"]),
    "sdjwt_verify": (["vc/sd-jwt/*"], ["sdjwt.verify"]),
    "qr_decode": (["vc/pixelpass/*"], ["qr.decode"]),
    "consent_import": (["consent/**/*.json*"], ["consent.import", "consent.record"]),
    "consent_receipt": ([], ["consent.receipt.verify"]),
    "iso20022_parse": (["payments/iso20022/**/*.xml"], ["iso20022.parse"]),
    "mojaloop_parse": (["payments/mojaloop/*"], ["mojaloop.parse"]),
    "ilp_packet": ([], ["ilp.decode", "ilp.verify_fulfilment"]),
    "bulk_csv": (["exchange/smart-data-models/**/*.csv"], ["bulk.from_csv"]),
    "schema_register": (["exchange/smart-data-models/**/schema.json", "exchange/smart-data-models/common/*.json"], ["schema.register", "schema.validate"]),
    "ngsi": (["exchange/smart-data-models/**/examples/*.json*"], ["ngsi.to_key_values"]),
    "envelope_open": ([], ["envelope.verify"]),
    "csv_import": (["exchange/smart-data-models/**/*.csv"], ["csv.import"]),
}


def materialize(data):
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if "base64" in data:
        return base64.b64decode(data["base64"])
    parts = data["repeat"]
    if sum(len(t.encode()) * n for t, n in parts) > MAX_SEED:
        return None
    return b"".join(t.encode() * n for t, n in parts)


def main():
    with open(os.path.join(ROOT, "fuzz", "targets.txt")) as f:
        listed = f.read().split()
    missing = sorted(set(listed) ^ set(TARGETS))
    if missing:
        sys.exit(f"seed.py and fuzz/targets.txt disagree about: {missing}")
    vectors = os.environ.get("DPIKIT_VECTORS") or os.path.join(ROOT, "..", "shared", "vectors")
    if not os.path.isdir(vectors):
        if os.environ.get("CI") in ("true", "1"):
            sys.exit(f"test vectors missing: {vectors} (set DPIKIT_VECTORS); CI must not skip")
        print(f"seed.py: no shared vectors at {vectors}; seeding from the hostile corpus only")
        vectors = None
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "vectors", "*", "cases.json"))):
        with open(path) as f:
            cases.extend(json.load(f))
    for target, (globs, ops) in TARGETS.items():
        out = os.path.join(ROOT, "fuzz", "corpus", target)
        os.makedirs(out, exist_ok=True)
        seeds = []
        for pattern in globs if vectors else []:
            for path in sorted(glob.glob(os.path.join(vectors, pattern), recursive=True)):
                if os.path.isfile(path) and os.path.getsize(path) <= MAX_SEED:
                    with open(path, "rb") as f:
                        seeds.append(f.read())
        for case in cases:
            if case["op"] in ops:
                seed = materialize(case["input"]["data"])
                if seed is not None:
                    seeds.append(seed)
                schema = case["input"].get("schema")
                if target == "schema_register" and isinstance(schema, str):
                    seeds.append(schema.encode())
        for seed in seeds:
            name = hashlib.sha1(seed).hexdigest()
            with open(os.path.join(out, name), "wb") as f:
                f.write(seed)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
