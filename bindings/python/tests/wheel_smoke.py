"""Run by `make test-wheel` in a fresh venv holding only the built wheel (not a pytest file)."""

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
print(f"wheel smoke: dpikit {dpikit.__version__} from {dpikit.__file__}: ok")
