"""dpikit.payments over ../shared/vectors/payments (see its PROVENANCE.md): codes, not messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import dpikit
from dpikit import payments
from conftest import vector_json, vector_path

ISO = "payments/iso20022"
MOJALOOP = "payments/mojaloop"

# Samples that parse strictly and validate clean, also with the CBPR+ rule pack.
POSITIVE = [
    ("camt.054.001.08_cbprplus_envelope.xml", "camt.054.001.08", True),
    ("pain.001.001.09_cbprplus_envelope.xml", "pain.001.001.09", True),
    ("pacs.008.001.08_cbprplus_envelope.xml", "pacs.008.001.08", True),
    ("pacs.008.001.08_pm4ml_mobilemoney_RWF.xml", "pacs.008.001.08", False),
    ("pacs.002.001.10_cbprplus_envelope.xml", "pacs.002.001.10", True),
    ("pacs.002.001.10_pm4ml_accepted.xml", "pacs.002.001.10", False),
    ("pacs.002.001.10_pm4ml_rejected.xml", "pacs.002.001.10", False),
    ("pacs.004.001.09_cbprplus_envelope.xml", "pacs.004.001.09", True),
]


def sample(name: str, folder: str = "samples") -> bytes:
    return vector_path(f"{ISO}/{folder}", name).read_bytes()


def codes(findings: list[payments.Finding]) -> list[tuple[str, str]]:
    return [(f.name, f.location) for f in findings]


@pytest.mark.parametrize(("name", "kind", "has_header"), POSITIVE)
def test_positive_samples_parse_validate_and_round_trip(name: str, kind: str, has_header: bool) -> None:
    msg = payments.parse(sample(name))
    assert (msg.message_type, msg.has_header, msg.parse_findings) == (kind, has_header, [])
    assert msg.validate() == []
    assert msg.validate(rules=["cbpr+"]) == []
    assert payments.validate(sample(name).decode()) == []
    back = payments.parse(msg.to_xml())
    assert back.to_dict() == msg.to_dict()
    assert payments.Message.from_dict(msg.to_dict()).to_xml() == msg.to_xml()
    assert msg.to_dict()["message"] == kind


@pytest.mark.parametrize(
    "name",
    [
        "pain.001.001.03_moov_international_USD.xml",
        "camt.053.001.02_moov_statement_1.xml",
        "camt.053.001.04_moov_postfinance.xml",
    ],
)
def test_unmodelled_versions_raise_unsupported_message(name: str) -> None:
    with pytest.raises(payments.PaymentError) as e:
        payments.parse(sample(name))
    assert e.value.name == "unsupported_message"
    assert isinstance(e.value, dpikit.DpikitError)
    assert dpikit.error_codes()[e.value.code] == "unsupported_message"


def test_extra_condition_is_unknown_strict_and_a_finding_lenient() -> None:
    xml = sample("pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml", "negative")
    with pytest.raises(payments.PaymentError) as e:
        payments.parse(xml)
    assert e.value.name == "unknown_element"
    msg = payments.parse(xml, lenient=True)
    assert codes(msg.parse_findings) == [
        ("unknown_element", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cndtn")
    ]
    found = codes(payments.validate(xml, lenient=True))
    assert found[0] == ("unknown_element", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cndtn")
    assert ("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId") in found


def test_uuid_over_max35text() -> None:
    xml = sample("pacs.008.001.08_pm4ml_template_uuid_exceeds_Max35Text.xml", "negative")
    assert codes(payments.validate(xml)) == [
        ("facet_violation", "/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId"),
        ("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId"),
    ]


def test_pain002_empty_required_fields() -> None:
    g = "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts"
    xml = sample("pain.002.001.10_pm4ml_empty_required_fields.xml", "negative")
    assert codes(payments.validate(xml)) == [
        ("facet_violation", f"{g}/OrgnlMsgId"),
        ("facet_violation", f"{g}/OrgnlCreDtTm"),
        ("facet_violation", f"{g}/OrgnlNbOfTxs"),
        ("facet_violation", "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/OrgnlPmtInfId"),
    ]


def test_pain001_rule_violations() -> None:
    r = "/Document/CstmrCdtTrfInitn"
    xml = sample("pain.001.001.09_rustiso_generated_many_rule_violations.xml", "negative")
    found = codes(payments.validate(xml))
    for want in [
        ("invalid_iban", f"{r}/PmtInf[0]/DbtrAcct/Id/IBAN"),
        ("unknown_currency", f"{r}/PmtInf[0]/CdtTrfTxInf/Amt/InstdAmt/@Ccy"),
        ("unknown_currency", f"{r}/PmtInf[1]/CdtTrfTxInf/Amt/InstdAmt/@Ccy"),
        ("number_of_txs_mismatch", f"{r}/GrpHdr/NbOfTxs"),
        ("facet_violation", f"{r}/SplmtryData[0]/Envlp"),
    ]:
        assert want in found


def test_bad_iban_and_header_mismatch() -> None:
    xml = sample("pacs.008.001.08_cbprplus_bad_IBAN_BIC_mismatch.xml", "negative")
    found = codes(payments.validate(xml))
    assert ("invalid_iban", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAcct/Id/IBAN") in found
    assert ("header_mismatch", "/AppHdr/Fr/FIId/FinInstnId/BICFI") in found


def test_xau_violates_only_the_cbpr_plus_rule_pack() -> None:
    msg = payments.parse(sample("pacs.008.001.08_cbprplus_violates_R41_XAU.xml", "negative"))
    assert msg.validate() == []
    [f] = msg.validate(rules=["CBPR+"])
    assert (f.name, f.location) == (
        "scheme_rule_violation",
        "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt",
    )
    assert f.code == 4000 + f.code % 1000 and f.to_dict()["name"] == "scheme_rule_violation"
    with pytest.raises(dpikit.DpikitError) as e:
        msg.validate(rules=["nope"])
    assert e.value.name == "invalid_argument"


def test_hostile_xml_is_refused_with_typed_errors() -> None:
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>'
    for xml, name in [
        (doctype, "xml_forbidden"),
        (b"<Document", "malformed_message"),
        (b"\xff\xfe", "malformed_message"),
    ]:
        with pytest.raises(payments.PaymentError) as e:
            payments.parse(xml)
        assert e.value.name == name, xml
    with pytest.raises(dpikit.DpikitError) as e2:
        payments.parse(42)  # type: ignore[arg-type]
    assert e2.value.name == "invalid_argument"


CSV = (
    "id,name,account,amount,currency,reference,district\n"
    "R001,Ada Uwase,+250788000001,20200,RWF,Nov subsidy,North\n"
    "R002,Bo Li,DE44 5001 0517 5407 3249 31,12.50,EUR,Nov subsidy,South\n"
    "R003,Cy Ng,DE00000000000000000000,1,EUR,Nov subsidy,East\n"
    "R004,Di Ko,+250788000004,20200.5,RWF,Nov subsidy,West\n"
    "R005,Ed Mu,+250788000005,300,RWF,Nov subsidy,West\n"
)


def batch() -> payments.Batch:
    return payments.bulk_from_csv(
        CSV,
        batch_id="SUBSIDY-2026-11",
        debtor_name="City of Example Treasury",
        debtor_account="DE89370400440532013000",
        debtor_bic="COBADEFFXXX",
        created_at="2026-11-29T08:00:00Z",
        execution_date="2026-12-01",
    )


def test_bulk_csv_rows_errors_and_pain001() -> None:
    b = batch()
    assert len(b) == 3 and b.batch_id == "SUBSIDY-2026-11"
    assert [(e.row, e.column, e.name) for e in b.errors] == [
        (4, "account", "invalid_iban"),
        (5, "amount", "invalid_amount"),
    ]
    assert b.ignored_columns == ["district"]
    rows = [p.to_dict() for p in b.payments]
    assert {r["beneficiary_id"] for r in rows} == {"R001", "R002", "R005"}
    assert all(len(r["end_to_end_id"]) == 32 for r in rows)
    assert sum(Decimal(p.amount) for p in b.payments if p.currency == "RWF") == Decimal(20500)
    msg = payments.parse(b.to_pain001_xml())
    assert msg.message_type == "pain.001.001.09" and msg.validate() == []
    assert msg.to_xml() == b.to_pain001().to_xml()
    again = payments.Batch.from_pain001(msg)
    assert [p.end_to_end_id for p in again.payments] == [p.end_to_end_id for p in b.payments]
    assert payments.Batch.from_pain001(b.to_pain001_xml()).payments == again.payments
    gov: Any = b.to_govstack_json()
    g2p: Any = b.to_g2p_connect_json("city-treasury")
    assert isinstance(gov, list) and len(gov) == 3 and isinstance(g2p, dict)
    assert "city-treasury" in str(g2p)


def test_bulk_refuses_bad_input_with_codes() -> None:
    with pytest.raises(payments.PaymentError) as e:
        payments.bulk_from_csv("id,name\nA,B\n", batch_id="B1", debtor_name="City", debtor_account="DE89370400440532013000")
    assert e.value.name == "bulk_row_invalid"
    with pytest.raises(payments.PaymentError) as e:
        payments.bulk_from_csv(CSV, batch_id="B" * 31, debtor_name="City", debtor_account="DE89370400440532013000")
    assert e.value.name == "batch_invalid"


def pacs002(b: payments.Batch, answers: list[tuple[str, str | None]]) -> str:
    txs = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{p.end_to_end_id}</OrgnlEndToEndId><TxSts>{sts}</TxSts>"
        + (f"<StsRsnInf><Rsn><Cd>{rsn}</Cd></Rsn></StsRsnInf>" if rsn else "")
        + "</TxInfAndSts>"
        for p, (sts, rsn) in zip(b.payments, answers)
    )
    return (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"><FIToFIPmtStsRpt>'
        "<GrpHdr><MsgId>BANK-STS-1</MsgId><CreDtTm>2026-12-01T10:00:00Z</CreDtTm></GrpHdr>"
        f"{txs}</FIToFIPmtStsRpt></Document>"
    )


def test_reconciliation_rows() -> None:
    b = batch()
    report = pacs002(b, [("ACSC", None), ("RJCT", "AC01")])
    assert payments.validate(report) == []
    r = payments.reconcile(b, [report])
    # Batch order: payment blocks by currency (EUR first), then input order.
    assert [(p.beneficiary_id, p.status, p.reason) for p in r.payments] == [
        ("R002", "settled", None),
        ("R001", "rejected", "AC01"),
        ("R005", "pending", None),
    ]
    assert r.payments[0].source == "BANK-STS-1"
    assert r.totals["settled"] == {"count": 1, "amounts": {"EUR": "12.50"}}
    assert r.unknown == [] and r.mismatches == []
    assert r.to_dict()["rejected"]["count"] == 1
    assert set(r.payments[1].to_dict()) >= {"end_to_end_id", "amount", "currency", "status"}
    with pytest.raises(payments.PaymentError) as e:
        payments.reconcile(b, ["<nope"])
    assert e.value.name == "malformed_message"


def test_mojaloop_condition_and_fulfilment() -> None:
    bodies = vector_json(f"{MOJALOOP}/fspiop-iso20022", "isoBodies.sdk-scheme-adapter.json")
    packet = bodies["postTransfersRequest"]["CdtTrfTxInf"]["VrfctnOfTerms"]["IlpV4PrepPacket"]
    f = bodies["putTransfersRequest"]["TxInfAndSts"]["ExctnConf"]
    c = payments.condition(f)
    payments.verify_fulfilment(f, c)
    fb, cb = payments.fulfilment("c2VjcmV0", packet)
    assert (len(fb), len(cb), payments.condition(fb)) == (43, 43, cb)
    with pytest.raises(payments.PaymentError) as e:
        payments.verify_fulfilment(fb, c)
    assert e.value.name == "condition_mismatch"
    with pytest.raises(payments.PaymentError) as e:
        payments.condition("short")
    assert e.value.name == "ilp_invalid"


ISO_EXPECTED: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("postQuotesRequest", "POST /quotes", [("expiry_before_creation", "/GrpHdr/PmtInstrXpryDtTm")]),
    ("putQuotesRequest", "PUT /quotes", []),
    ("postTransfersRequest", "POST /transfers", []),
    ("putTransfersRequest", "PUT /transfers", [("invalid_uetr", "/TxInfAndSts/OrgnlUETR")]),
    ("patchTransfersRequest", "PATCH /transfers", [("invalid_uetr", "/TxInfAndSts/OrgnlUETR")]),
    ("putPartiesRequest", "PUT /parties", []),
]


@pytest.mark.parametrize(("key", "op", "expected"), ISO_EXPECTED)
def test_mojaloop_iso_bodies(key: str, op: str, expected: list[tuple[str, str]]) -> None:
    bodies = vector_json(f"{MOJALOOP}/fspiop-iso20022", "isoBodies.sdk-scheme-adapter.json")
    assert codes(payments.validate_iso_body(op, bodies[key])) == expected


def test_mojaloop_classic_bodies_and_pacs008_mapping() -> None:
    quote = vector_path(f"{MOJALOOP}/fspiop-v1", "POST_quotes.sdk-scheme-adapter.json").read_text()
    transfer = vector_json(f"{MOJALOOP}/fspiop-v1", "POST_transfers.sdk-scheme-adapter.json")
    assert payments.validate_body("quote", quote, at="2020-01-20T11:00:00Z") == []
    assert codes(payments.validate_body("quote", quote, at="2026-11-29T00:00:00Z")) == [
        ("transfer_expired", "/expiration")
    ]
    assert payments.validate_body("transfer", transfer, at="2020-01-20T11:00:00Z") == []
    parsed = payments.parse_body("transfer", transfer)
    assert parsed["transferId"] == transfer["transferId"]
    msg, report = payments.transfer_to_pacs008(transfer, created_at="2020-01-20T11:30:00Z")
    assert msg.message_type == "pacs.008.001.08" and msg.validate() == []
    assert any(lost["field"] == "/ilpPacket" for lost in report["lost"])
    back, report2 = payments.pacs008_to_transfer(
        msg.to_xml(),
        ilp_packet=transfer["ilpPacket"],
        condition=transfer["condition"],
        expiration=transfer["expiration"],
    )
    # pacs.008 has no place for the FSPIOP extension list: the forward report says so.
    assert back == {k: v for k, v in parsed.items() if k != "extensionList"}
    assert any(lost["field"].startswith("/extensionList") for lost in report["lost"])
    assert isinstance(report2["mapped"], list)
    with pytest.raises(payments.PaymentError) as e:
        payments.parse_body("transfer", {**transfer, "surprise": 1})
    assert e.value.name == "mojaloop_invalid"
    with pytest.raises(dpikit.DpikitError) as e2:
        payments.parse_body("nope", transfer)
    assert e2.value.name == "invalid_argument"
    with pytest.raises(payments.PaymentError) as e:
        payments.validate_iso_body("DELETE /transfers", {})
    assert e.value.name == "mojaloop_invalid"
