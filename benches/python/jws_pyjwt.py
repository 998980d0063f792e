"""JWS verification through the dpikit wheel vs PyJWT (pyjwt[crypto], OpenSSL via
`cryptography`), same token, same run.

    make bench-python      # or: python benches/python/jws_pyjwt.py [--json-out FILE]

For EdDSA and ES256, dpikit signs one compact JWS over a small JSON payload; both libraries
then verify that token with a public key prepared once (dpikit `keys.jws_verify`, PyJWT
`jwt.decode` with the `cryptography` key object; both check the signature and decode the
payload JSON). Rounds alternate; each side's figure is its fastest round.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jwt
from verify_overhead import per_op_us  # the same timing as the overhead bench beside it

from dpikit import keys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    rows = []
    for key_type in ("ed25519", "p256"):
        kp = keys.generate(key_type)
        claims = {"iss": kp.did, "sub": "did:example:resident-1024", "entitlement": "transit", "n": 1}
        token = keys.jws_sign(json.dumps(claims), kp, typ="JWT", kid=kp.kid)
        public = kp.public_key()
        theirs = jwt.PyJWK(public.to_jwk()).key
        alg = kp.algorithm
        assert json.loads(keys.jws_verify(token, public)["payload"]) == claims
        assert jwt.decode(token, theirs, algorithms=[alg]) == claims
        ours_us = their_us = float("inf")
        for _ in range(3):
            ours_us = min(ours_us, per_op_us(lambda: keys.jws_verify(token, public), args.n))
            their_us = min(their_us, per_op_us(lambda: jwt.decode(token, theirs, algorithms=[alg]), args.n))
        rows.append({"alg": alg, "dpikit_us": round(ours_us, 2), "pyjwt_us": round(their_us, 2),
                     "ratio": round(their_us / ours_us, 2)})
    print(f"{'alg':6} {'dpikit us':>10} {'PyJWT us':>10} {'PyJWT/dpikit':>13}")
    for r in rows:
        print(f"{r['alg']:6} {r['dpikit_us']:>10} {r['pyjwt_us']:>10} {r['ratio']:>12}x")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
