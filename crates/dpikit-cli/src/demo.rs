//! `dpikit demo`: one city, end to end, offline, on embedded defaults.
//!
//! The city creates its keys and DID, issues residents a residency credential
//! (eddsa-jcs-2022) and an income-band credential with a status list entry
//! (eddsa-rdfc-2022), records each resident's consent on a SQLite ledger, asks for and
//! verifies presentations, checks consent, pays the eligible residents (pain.001, a simulated
//! pacs.002 answer, reconciliation), prints a credential as a QR code and verifies it from the
//! image, exchanges a subsidy claim in a signed,
//! consent-gated envelope, refuses the next one after a withdrawal, and revokes one credential. Every artefact is
//! written to the output directory; a table of steps with counts and timings is printed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

use dpikit_consent::check::{Request, check};
use dpikit_consent::ledger::{Ledger, NewEntry, SqliteStorage};
use dpikit_consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::did::{DidDocument, did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::Timestamp;
use dpikit_credentials::Verifier;
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::{CredentialBuilder, presentation};
use dpikit_credentials::qr;
use dpikit_credentials::status::{StatusList, StatusPurpose, status_entry};
use dpikit_exchange::Registry;
use dpikit_exchange::envelope::{
    self, ConsentCheck, ConsentExpectation, EnvelopeBuilder, SignedEnvelope, VerifyPolicy, seal,
    sign, verify_consent,
};
use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
use dpikit_payments::reconcile::reconcile_xml;

use crate::error::{CliError, CliResult};
use crate::io::{Format, emit, out, write_file, write_secret};
use crate::vc::progress;

/// The city's DID (a did:web whose document the demo writes and every verifier is given).
pub(crate) const CITY_DID: &str = "did:web:city.example";
/// The welfare department's DID.
pub(crate) const WELFARE_DID: &str = "did:web:welfare.city.example";
/// The status list credential's URL.
const STATUS_LIST_URL: &str = "https://city.example/status/1";
/// The domain presentations are bound to.
const DOMAIN: &str = "welfare.city.example";
/// The city's vocabulary for its own claims and credential types (an inline context, so
/// every term is defined and covered by RDF proofs).
const CITY_VOCAB: &str = "https://city.example/vocab#";
/// A marker file that says a directory holds a previous demo run (and may be replaced).
const MARKER: &str = "summary.json";

/// Options of `dpikit demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Where to write every artefact (replaced if it holds a previous demo run).
    #[arg(long, default_value = "./dpikit-demo")]
    out: PathBuf,
    /// How many synthetic residents.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    residents: u32,
}

/// One row of the demo's table.
struct Step {
    name: &'static str,
    count: u64,
    detail: String,
    millis: f64,
}

struct Steps {
    rows: Vec<Step>,
    started: Instant,
}

impl Steps {
    fn run<T>(
        &mut self,
        name: &'static str,
        f: impl FnOnce() -> CliResult<(u64, String, T)>,
    ) -> CliResult<T> {
        let t = Instant::now();
        let (count, detail, value) = f()?;
        self.rows.push(Step { name, count, detail, millis: t.elapsed().as_secs_f64() * 1e3 });
        Ok(value)
    }
}

/// A synthetic resident.
struct Resident {
    id: String,
    key: KeyPair,
    name: String,
    income_band: &'static str,
    status_index: u64,
    consent_id: String,
}

/// What the city issued to one resident.
struct Issued {
    residency: Value,
    income: Value,
}

fn demo_failed(message: impl Into<String>) -> CliError {
    CliError::invalid(ErrorCode::Internal, message)
}

fn prepare_out(out: &Path) -> CliResult {
    let name = out.display().to_string();
    if out.exists() {
        let empty = std::fs::read_dir(out).map_err(|e| CliError::io(&name, &e))?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(CliError::usage(format!(
                "{name} is not empty and holds no previous demo run; choose another --out"
            )));
        }
        std::fs::remove_dir_all(out).map_err(|e| CliError::io(&name, &e))?;
    }
    std::fs::create_dir_all(out).map_err(|e| CliError::io(&name, &e))
}

fn city_did_document(key: &KeyPair) -> CliResult<DidDocument> {
    let vm = format!("{CITY_DID}#key-1");
    let doc = json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": CITY_DID,
        "verificationMethod": [{
            "id": vm, "type": "Multikey", "controller": CITY_DID,
            "publicKeyMultibase": key.public_key().to_multikey(),
        }],
        "assertionMethod": [vm],
        "authentication": [vm],
    });
    Ok(DidDocument::from_json(doc.to_string().as_bytes())?)
}

fn band(i: u32) -> &'static str {
    match i % 10 {
        0..=5 => "low",
        6..=8 => "middle",
        _ => "high",
    }
}

/// Runs the demo.
// The scenario reads top to bottom as one story; splitting it would scatter the steps.
#[allow(clippy::too_many_lines)]
pub(crate) fn run(args: &DemoArgs, format: Format) -> CliResult<bool> {
    let out = &args.out;
    prepare_out(out)?;
    let mut steps = Steps { rows: Vec::new(), started: Instant::now() };
    let now: Timestamp = chrono::Utc::now();
    let contexts = ContextStore::new();
    let n = args.residents;

    // 1. The city's keys and DID.
    let (city, city_doc) = steps.run("city keys and DID", || {
        let key = KeyPair::generate(KeyType::Ed25519)?;
        let doc = city_did_document(&key)?;
        write_secret(&out.join("keys/city.jwk"), key.to_private_jwk().to_json().as_bytes())?;
        write_file(
            &out.join("did.json"),
            serde_json::to_string_pretty(&doc.to_json_value())?.as_bytes(),
        )?;
        let signer = WithKeyId { signer: key, kid: format!("{CITY_DID}#key-1") };
        Ok((1, format!("{CITY_DID} (Ed25519)"), (signer, doc)))
    })?;
    let welfare = KeyPair::generate(KeyType::Ed25519)?;
    write_secret(&out.join("keys/welfare.jwk"), welfare.to_private_jwk().to_json().as_bytes())?;
    let welfare =
        WithKeyId { kid: did_key_verification_method(&welfare.public_key()), signer: welfare };

    // 2. Residents and their wallets' keys.
    let mut allocated = BTreeSet::new();
    let mut list = StatusList::with_entries(131_072, 1)?;
    let residents = steps.run("resident wallets", || {
        let mut residents = Vec::with_capacity(n as usize);
        for i in 0..n {
            let key = KeyPair::generate(KeyType::Ed25519)?;
            residents.push(Resident {
                id: did_key(&key.public_key()),
                key,
                name: format!("Resident {:04}", i + 1),
                income_band: band(i),
                status_index: list.allocate(&mut allocated)?,
                consent_id: format!("urn:dpikit:consent:{:04}", i + 1),
            });
        }
        Ok((u64::from(n), "Ed25519 did:key per resident".to_owned(), residents))
    })?;

    // 3. Residency credentials (eddsa-jcs-2022) and income-band credentials (eddsa-rdfc-2022,
    //    with a Bitstring Status List entry).
    let issued = steps.run("issue credentials", || {
        let bar = progress(u64::from(n), "issuing");
        let mut issued = Vec::with_capacity(residents.len());
        for (i, r) in residents.iter().enumerate() {
            let residency = CredentialBuilder::new(CITY_DID)
                .context(json!({"@vocab": CITY_VOCAB}))
                .issuer_name("City of Example")
                .id(format!("urn:dpikit:residency:{:04}", i + 1))
                .add_type("ResidencyCredential")
                .valid_from(now)
                .subject(json!({"id": r.id, "name": r.name, "residentOf": "City of Example"}))
                .build()?;
            let income = CredentialBuilder::new(CITY_DID)
                .context(json!({"@vocab": CITY_VOCAB}))
                .id(format!("urn:dpikit:income:{:04}", i + 1))
                .add_type("IncomeBandCredential")
                .valid_from(now)
                .subject(json!({"id": r.id, "incomeBand": r.income_band}))
                .status(status_entry(STATUS_LIST_URL, r.status_index, StatusPurpose::Revocation))
                .build()?;
            let residency = di::add_proof(
                &residency.to_value(),
                &city,
                &ProofOptions::assertion("eddsa-jcs-2022"),
                &contexts,
            )?;
            let income = di::add_proof(
                &income.to_value(),
                &city,
                &ProofOptions::assertion("eddsa-rdfc-2022"),
                &contexts,
            )?;
            let dir = out.join("credentials");
            write_file(
                &dir.join(format!("residency-{:04}.json", i + 1)),
                residency.to_string().as_bytes(),
            )?;
            write_file(
                &dir.join(format!("income-{:04}.json", i + 1)),
                income.to_string().as_bytes(),
            )?;
            issued.push(Issued { residency, income });
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok((
            2 * u64::from(n),
            "residency (eddsa-jcs-2022) + income band (eddsa-rdfc-2022)".into(),
            issued,
        ))
    })?;

    // 4. The status list credential.
    let sign_list = |list: &StatusList| -> CliResult<Value> {
        let unsigned = list.to_credential(STATUS_LIST_URL, CITY_DID, StatusPurpose::Revocation)?;
        Ok(di::add_proof(
            &unsigned.to_value(),
            &city,
            &ProofOptions::assertion("eddsa-jcs-2022"),
            &contexts,
        )?)
    };
    let list_vc = steps.run("status list", || {
        let vc = sign_list(&list)?;
        write_file(&out.join("status-list.json"), serde_json::to_string_pretty(&vc)?.as_bytes())?;
        Ok((list.len(), "Bitstring Status List, revocation".into(), vc))
    })?;

    // 5. Consent: each resident lets the welfare department check eligibility.
    let eligibility = Code::new(Scheme::Dpv, "dpv:ServiceProvision")
        .with_text("Check eligibility for the energy subsidy");
    let db = out.join("ledger.sqlite");
    let mut ledger = Ledger::new(SqliteStorage::open(&db)?)?;
    steps.run("record consent", || {
        let bar = progress(u64::from(n), "consent");
        let mut batch = Vec::with_capacity(2 * residents.len());
        for r in &residents {
            let mut record = ConsentRecord::request(
                r.consent_id.clone(),
                r.id.clone(),
                Party::new(WELFARE_DID, "Welfare Department"),
                Purpose::new(eligibility.clone(), "Check eligibility for the energy subsidy"),
            );
            record.data_categories =
                vec![DataCategory { code: Code::new(Scheme::Dpv, "pd:Income"), sensitive: false }];
            batch.push(NewEntry::snapshot("consent.requested", &record, now));
            record.give(now, &r.id)?;
            batch.push(NewEntry::snapshot("consent.given", &record, now));
            bar.inc(1);
        }
        ledger.append_batch(batch)?;
        bar.finish_and_clear();
        Ok((u64::from(n), format!("given, SQLite ledger {}", db.display()), ()))
    })?;

    // 6. Presentations: the welfare department sends a challenge; each wallet presents both
    //    credentials; the department verifies them and checks consent.
    let verifier = Verifier::new()
        .with_did_document(city_doc.clone())
        .with_status_list(list_vc.clone())?
        .with_domain(DOMAIN);
    let eligible = steps.run("verify presentations", || {
        let bar = progress(u64::from(n), "verifying");
        let mut eligible = Vec::new();
        let mut failed = 0u64;
        for (i, (r, creds)) in residents.iter().zip(&issued).enumerate() {
            let challenge = format!("welfare-{i:04}-{}", now.timestamp());
            let holder = WithKeyId {
                kid: did_key_verification_method(&r.key.public_key()),
                signer: r.key.clone(),
            };
            let vp = presentation(&r.id, &[creds.residency.clone(), creds.income.clone()]);
            let opts = ProofOptions::authentication(
                "eddsa-jcs-2022",
                Some(challenge.clone()),
                Some(DOMAIN.into()),
            );
            let vp = di::add_proof(&vp, &holder, &opts, &contexts)?;
            if i == 0 {
                write_file(
                    &out.join("presentation-0001.json"),
                    serde_json::to_string_pretty(&vp)?.as_bytes(),
                )?;
            }
            let report = verifier.clone().with_challenge(challenge).verify_presentation(&vp);
            let consent = ledger
                .current_record(&r.consent_id)?
                .ok_or_else(|| demo_failed("consent missing"))?;
            let allowed = check(&consent, &Request::new(WELFARE_DID, &eligibility, now))?.allowed;
            if !report.verified || !allowed {
                failed += 1;
            } else if r.income_band == "low" {
                eligible.push(i);
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        if failed > 0 {
            return Err(demo_failed(format!("{failed} presentations did not verify")));
        }
        Ok((
            u64::from(n),
            format!("all verified, consent checked; {} eligible (low income)", eligible.len()),
            eligible,
        ))
    })?;

    // 6b. The welfare department pays the eligible residents: a pain.001 subsidy batch with
    //     deterministic end-to-end ids; the bank answers with a pacs.002 (simulated here, a
    //     few accounts closed) and the answer is reconciled payment by payment.
    steps.run("subsidy batch", || {
        let beneficiaries = eligible
            .iter()
            .map(|&i| -> CliResult<Beneficiary> {
                Ok(Beneficiary {
                    id: format!("R{:04}", i + 1),
                    name: residents[i].name.clone(),
                    account: Account::Msisdn(format!("+3161{:07}", i + 1)),
                    amount: "75.00".parse()?,
                    currency: "EUR".to_owned(),
                    reference: "Energy subsidy 2026-12".to_owned(),
                    execution_date: None,
                    provider: None,
                })
            })
            .collect::<CliResult<Vec<_>>>()?;
        let created = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let config = BatchConfig::new(
            "SUBSIDY-2026-12",
            &created,
            &now.format("%Y-%m-%d").to_string(),
            "City of Example",
            Account::Iban("DE89370400440532013000".to_owned()),
        );
        let outcome = bulk::build(&config, beneficiaries)?;
        if !outcome.errors.is_empty() {
            return Err(demo_failed(format!("{} beneficiaries rejected", outcome.errors.len())));
        }
        let pain = outcome.batch.to_pain001_xml()?;
        write_file(&out.join("payments/pain.001.xml"), pain.as_bytes())?;
        let answer = simulated_bank_answer(&outcome.batch, &created);
        write_file(&out.join("payments/pacs.002.xml"), answer.as_bytes())?;
        let rec = reconcile_xml(&outcome.batch, &[answer.as_bytes()])?;
        write_file(
            &out.join("payments/reconciliation.json"),
            serde_json::to_string_pretty(&rec)?.as_bytes(),
        )?;
        let settled =
            rec.settled.amounts.get("EUR").map_or_else(|| "0".to_owned(), ToString::to_string);
        Ok((
            outcome.batch.len() as u64,
            format!(
                "pain.001 -> pacs.002: {} settled (EUR {settled}), {} rejected, {} pending",
                rec.settled.count, rec.rejected.count, rec.pending.count
            ),
            (),
        ))
    })?;

    // 6c. A residency credential printed as a QR code (PixelPass: CBOR, zlib, base45), read
    //     back from the PNG image and verified offline.
    steps.run("QR credential", || {
        let text = qr::encode_json(&issued[0].residency, qr::Payload::Cbor)?;
        let fit = qr::fit(&text, qr::EcLevel::M)?;
        let png = qr::render_png(&text, qr::EcLevel::M, 4)?;
        write_file(&out.join("qr/residency-0001.png"), &png)?;
        let read = qr::read_png(&png)?;
        let report = qr::verify_qr(&read, &Verifier::new().with_did_document(city_doc.clone()));
        if !report.verified {
            return Err(demo_failed(format!("QR credential did not verify: {}", report.to_json())));
        }
        Ok((
            1,
            format!("{} chars, QR version {}, read from PNG and verified", text.len(), fit.version),
            (),
        ))
    })?;

    // 7. A signed consent receipt for the first resident.
    steps.run("consent receipt", || {
        let record = ledger
            .current_record(&residents[0].consent_id)?
            .ok_or_else(|| demo_failed("consent missing"))?;
        let token = Receipt::new(&record, format!("{}#receipt", record.id), now)?.sign(&welfare)?;
        verify_receipt(&token, &welfare.signer.public_key())?;
        write_file(&out.join("consent-receipt-0001.jws"), token.as_bytes())?;
        Ok((1, "signed by the welfare department, verified".into(), ()))
    })?;

    // 8. The welfare department sends the finance department a subsidy claim for a resident
    //    in a signed, consent-gated envelope citing the resident's consent receipt; the
    //    finance department verifies the envelope, its schema and the cited consent.
    let registry = Registry::with_builtin()?;
    let claim_schema = registry.resolve(dpikit_exchange::schemas::SUBSIDY_CLAIM, None)?;
    let template = registry.document(&claim_schema)?["examples"][0].clone();
    let sender = &residents[residents.len() - 1];
    let welfare_public = welfare.signer.public_key();
    let send = |record: &ConsentRecord, receipt: &str, n: usize| -> CliResult<SignedEnvelope> {
        let mut claim = template.clone();
        claim["claimId"] = json!(format!("c-{n:04}"));
        claim["consentId"] = json!(record.id);
        let envelope = EnvelopeBuilder::new(
            WELFARE_DID,
            "org.city.welfare.subsidy-claim",
            claim_schema.clone(),
            claim,
        )
        .subject(format!("claim-{n:04}"))
        .build(&registry)?;
        let gate = ConsentCheck::new(record, WELFARE_DID, &eligibility, now).with_receipt(receipt);
        Ok(sign(&seal(envelope, &gate)?, &welfare, false)?)
    };
    let (record, receipt) = steps.run("exchange claim", || {
        let record = ledger
            .current_record(&sender.consent_id)?
            .ok_or_else(|| demo_failed("consent missing"))?;
        let receipt =
            Receipt::new(&record, format!("{}#receipt", record.id), now)?.sign(&welfare)?;
        let signed = send(&record, &receipt, 1)?;
        let verified = envelope::verify(
            &signed.token,
            None,
            &welfare_public,
            &registry,
            &VerifyPolicy::at(now),
        )?;
        let expectation = ConsentExpectation {
            controller: WELFARE_DID,
            purpose: &eligibility,
            data_category: None,
        };
        verify_consent(&verified.envelope, None, &welfare_public, &expectation)?;
        write_file(&out.join("exchange/claim-0001.jws"), signed.token.as_bytes())?;
        write_file(&out.join("exchange/claim-0001.json"), &signed.bytes)?;
        Ok((
            1,
            "welfare -> finance, signed, schema-valid, consent receipt verified".into(),
            (record, receipt),
        ))
    })?;

    // 9. That resident withdraws consent: the next exchange about them is refused.
    steps.run("withdraw consent", || {
        let mut record = record.clone();
        record.withdraw(now, &sender.id, Some("no longer wants the subsidy"))?;
        ledger.append_record("consent.withdrawn", &record, now)?;
        match send(&record, &receipt, 2) {
            Err(e) if e.code == ErrorCode::ConsentDenied => {}
            Err(e) => return Err(e),
            Ok(_) => return Err(demo_failed("an exchange under a withdrawn consent was sealed")),
        }
        let decision = check(&record, &Request::new(WELFARE_DID, &eligibility, now))?;
        let code = decision.reason.map_or("", ErrorCode::name);
        Ok((1, format!("next exchange refused: consent_denied ({code})"), ()))
    })?;

    // 10. The city revokes one income credential; its verification now fails.
    let revoked = &residents[0];
    steps.run("revoke credential", || {
        list.set(revoked.status_index, 1)?;
        let vc = sign_list(&list)?;
        write_file(&out.join("status-list.json"), serde_json::to_string_pretty(&vc)?.as_bytes())?;
        let report = Verifier::new()
            .with_did_document(city_doc.clone())
            .with_status_list(vc)?
            .verify_credential(&issued[0].income);
        if report.verified || !report.has_error(ErrorCode::Revoked) {
            return Err(demo_failed("a revoked credential still verified"));
        }
        Ok((1, format!("income-0001 fails with {}", ErrorCode::Revoked.name()), ()))
    })?;

    // 11. The ledger's hash chain verifies.
    steps.run("verify ledger", || {
        let report = ledger.verify(None)?;
        Ok((report.entries, "hash chain intact".into(), ()))
    })?;

    let summary = summary(&steps, n, eligible.len());
    write_file(&out.join(MARKER), serde_json::to_string_pretty(&summary)?.as_bytes())?;
    print_table(&steps, out, format, &summary);
    Ok(true)
}

/// The bank's pacs.002 answer to a batch (simulated): every 25th payment rejected because
/// the account is closed (AC04), the rest settled (ACSC).
fn simulated_bank_answer(batch: &dpikit_payments::bulk::Batch, created: &str) -> String {
    use std::fmt::Write as _;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\">\
         <FIToFIPmtStsRpt><GrpHdr><MsgId>BANK-{id}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>\
         <OrgnlGrpInfAndSts><OrgnlMsgId>{id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>",
        id = batch.config.batch_id
    );
    for (i, p) in batch.payments().enumerate() {
        let status = if i % 25 == 24 {
            "<TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>"
        } else {
            "<TxSts>ACSC</TxSts>"
        };
        let _ = write!(
            xml,
            "<TxInfAndSts><OrgnlEndToEndId>{}</OrgnlEndToEndId>{status}</TxInfAndSts>",
            p.end_to_end_id
        );
    }
    xml.push_str("</FIToFIPmtStsRpt></Document>\n");
    xml
}

fn summary(steps: &Steps, residents: u32, eligible: usize) -> Value {
    json!({
        "residents": residents,
        "eligible": eligible,
        "totalMillis": (steps.started.elapsed().as_secs_f64() * 1e3).round(),
        "steps": steps.rows.iter().map(|s| json!({
            "step": s.name, "count": s.count, "detail": s.detail, "millis": (s.millis * 10.0).round() / 10.0,
        })).collect::<Vec<_>>(),
    })
}

fn print_table(steps: &Steps, out_dir: &Path, format: Format, summary: &Value) {
    use std::fmt::Write as _;
    if format == Format::Json && !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        emit(summary, format);
        return;
    }
    let mut text = String::from("dpikit demo: one city, end to end, offline\n\n");
    let _ = writeln!(text, "  {:<24} {:>7} {:>10}  result", "step", "count", "ms");
    for s in &steps.rows {
        let _ = writeln!(text, "  {:<24} {:>7} {:>10.1}  {}", s.name, s.count, s.millis, s.detail);
    }
    let _ = writeln!(
        text,
        "\n  total {:.2} s; artefacts in {}",
        steps.started.elapsed().as_secs_f64(),
        out_dir.display()
    );
    out(&text);
}
