"""Run by `make test-wheel` in a fresh venv holding only the built wheel (not a pytest file).

    python wheel_smoke.py [OUT_DIR]

With OUT_DIR, also writes the inputs the examples then run on in that venv: OUT_DIR/vcs/
(three credentials) and OUT_DIR/subsidy.csv.
"""

import json
import sys
from pathlib import Path

import dpikit
from dpikit import consent, credentials, exchange, keys, payments

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
assert credentials.qr_decode(credentials.qr_encode({"temp": 15})) == {"temp": 15}
batch = payments.bulk_from_csv(
    "id,name,account,amount,currency,reference\nR1,Ana,DE89370400440532013000,10.50,EUR,Nov\n",
    batch_id="B1",
    debtor_name="City",
    debtor_account="DE44500105175407324931",
)
assert len(batch) == 1 and payments.validate(batch.to_pain001_xml()) == []
registry = exchange.Registry()
assert registry.keys() and not registry.validate(registry.keys()[0].id, {}).valid
try:
    keys.PublicKey.from_multikey("bad")
except dpikit.DpikitError as e:
    assert e.code // 1000 == 1
if len(sys.argv) > 1:
    out = Path(sys.argv[1])
    (out / "vcs").mkdir(parents=True, exist_ok=True)
    for i in range(3):
        subject = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                   "credentialSubject": {"id": f"did:example:{i}"}}
        (out / "vcs" / f"vc{i}.json").write_text(json.dumps(credentials.issue(subject, kp)))
    (out / "subsidy.csv").write_text(
        "id,name,account,amount,currency,reference\n"
        "R001,Ada Uwase,DE44 5001 0517 5407 3249 31,120.00,EUR,Winter subsidy\n"
        "R002,Cy Ng,+250788000003,20200,RWF,Winter subsidy\n"
    )
print(f"wheel smoke: dpikit {dpikit.__version__} from {dpikit.__file__}: ok")
