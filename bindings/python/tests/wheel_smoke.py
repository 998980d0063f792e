"""Run by `make test-wheel` in a fresh venv holding only the built wheel (not a pytest file)."""

import dpikit
from dpikit import consent, credentials, keys

kp = keys.generate()
vc = credentials.issue(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:1"},
    },
    kp,
)
assert credentials.verify(vc).verified
assert consent.new_record("c-1", "did:example:ana", "did:web:city.example", "dpv:X")["state"] == "Requested"
try:
    keys.PublicKey.from_multikey("bad")
except dpikit.DpikitError as e:
    assert e.code // 1000 == 1
print(f"wheel smoke: dpikit {dpikit.__version__} from {dpikit.__file__}: ok")
