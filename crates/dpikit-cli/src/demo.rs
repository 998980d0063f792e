//! `dpikit demo`: one city, end to end, offline, on embedded defaults.
//!
//! The city creates its keys and DID, issues residents a residency credential
//! (eddsa-jcs-2022) and an income-band credential with a status list entry
//! (eddsa-rdfc-2022), records each resident's consent on a SQLite ledger, asks for and
//! verifies presentations, checks consent, exchanges a subsidy claim in a signed,
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
use dpikit_credentials::status::{StatusList, StatusPurpose, status_entry};
use dpikit_exchange::Registry;
use dpikit_exchange::envelope::{
    self, ConsentCheck, ConsentExpectation, EnvelopeBuilder, SignedEnvelope, VerifyPolicy, seal,
    sign, verify_consent,
};

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
