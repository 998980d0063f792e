"""Turn a CSV of subsidy beneficiaries into an ISO 20022 pain.001 and a validation report.

    python examples/python/subsidy_batch.py BENEFICIARIES.csv --batch-id ID \\
        --debtor-name NAME --debtor-account IBAN [--debtor-bic BIC] \\
        [--execution-date YYYY-MM-DD] [--out pain001.xml] [--report report.json]

The CSV has the columns ``id, name, account, amount, currency, reference`` (and optionally
``execution_date``, ``provider``); an account is an IBAN, an MSISDN (``+250...``) or another
id. Rejected rows (bad IBAN, unknown currency, duplicate, ...) are listed by row, column and
stable error code and stay out of the batch. The generated pain.001 is parsed back and
validated (XSD facets, IBAN/BIC, NbOfTxs and CtrlSum, ...); the report says whether it is
clean. Exit status: 0 when every row is paid and the message is clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Sequence

from dpikit import payments


@dataclass(frozen=True)
class SubsidyReport:
    """What happened to one CSV: the batch, the rejected rows, the message findings."""

    batch_id: str
    payments: int
    totals: dict[str, str]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.rejected and not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "clean": self.clean}


def build(
    csv: bytes,
    *,
    batch_id: str,
    debtor_name: str,
    debtor_account: str,
    debtor_bic: Optional[str] = None,
    execution_date: Optional[str] = None,
    created_at: Optional[str] = None,
) -> tuple[str, SubsidyReport]:
    """Builds the pain.001 XML for the valid rows and the report of the whole file."""
    batch = payments.bulk_from_csv(
        csv,
        batch_id=batch_id,
        debtor_name=debtor_name,
        debtor_account=debtor_account,
        debtor_bic=debtor_bic,
        execution_date=execution_date,
        created_at=created_at,
    )
    xml = batch.to_pain001_xml()
    totals: dict[str, Decimal] = {}
    for p in batch.payments:
        totals[p.currency] = totals.get(p.currency, Decimal(0)) + Decimal(p.amount)
    report = SubsidyReport(
        batch_id=batch.batch_id,
        payments=len(batch),
        totals={c: str(t) for c, t in sorted(totals.items())},
        rejected=[e.to_dict() for e in batch.errors],
        findings=[f.to_dict() for f in payments.validate(xml)],
    )
    return xml, report


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", type=Path)
    ap.add_argument("--batch-id", required=True)
    ap.add_argument("--debtor-name", required=True)
    ap.add_argument("--debtor-account", required=True)
    ap.add_argument("--debtor-bic")
    ap.add_argument("--execution-date")
    ap.add_argument("--out", type=Path, default=Path("pain001.xml"))
    ap.add_argument("--report", type=Path)
    a = ap.parse_args(argv)
    xml, report = build(
        a.csv.read_bytes(),
        batch_id=a.batch_id,
        debtor_name=a.debtor_name,
        debtor_account=a.debtor_account,
        debtor_bic=a.debtor_bic,
        execution_date=a.execution_date,
    )
    a.out.write_text(xml, encoding="utf-8")
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    if a.report:
        a.report.write_text(text + "\n", encoding="utf-8")
    for row in report.rejected:
        print(f"row {row['row']} {row['column']}: {row['name']} ({row['code']})")
    for f in report.findings:
        print(f"{f['location']}: {f['name']} ({f['code']})")
    totals = ", ".join(f"{t} {c}" for c, t in report.totals.items())
    print(f"{report.payments} payments ({totals}) -> {a.out}; {len(report.rejected)} rows rejected")
    return 0 if report.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
