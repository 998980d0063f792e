"""dpikit from Python in one page: keys, a credential, a consent on a ledger.

Run: python bindings/python/examples/quickstart.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import dpikit
from dpikit import consent, credentials, keys


def main() -> None:
    city = keys.generate("ed25519")
    resident = keys.generate("ed25519")

    vc = credentials.issue(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"id": resident.did},
        },
        city,
        suite="eddsa-jcs-2022",
    )
    report = credentials.verify(vc)
    print("credential verified:", report.verified)

    vp = credentials.present([vc], resident, challenge="nonce-1", domain="city.example")
    print("presentation verified:", credentials.verify(vp, challenge="nonce-1", domain="city.example").verified)

    record = consent.new_record(
        "urn:uuid:consent-1", resident.did, city.did, "dpv:ServiceProvision",
        purpose_text="Housing subsidy",
    )
    record = consent.transition(record, "Given")
    with tempfile.TemporaryDirectory() as tmp:
        ledger = consent.Ledger(Path(tmp) / "ledger.sqlite")
        ledger.append_record("consent.given", record)
        print("ledger:", ledger.verify())
    decision = consent.check_access(record, city.did, "dpv:Marketing")
    print("marketing allowed:", decision["allowed"], decision["reason_name"])

    try:
        keys.jws_verify(keys.jws_sign(b"hello", city), resident)
    except dpikit.KeyMaterialError as e:
        print("wrong key:", e.code, e.name)


if __name__ == "__main__":
    main()
