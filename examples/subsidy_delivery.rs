//! Subsidy delivery, end to end, through the library API: the tutorial of docs/tutorial.md.
//!
//! A city issues a resident two credentials, the resident consents to an eligibility check,
//! the welfare department verifies the resident's presentation and checks the consent, pays
//! the subsidy (pain.001, reconciled against the bank's pacs.002), sends the finance
//! department the claim in a signed, consent-gated envelope; the resident later withdraws
//! consent (the next check and exchange are refused), and the city revokes a credential (its
//! verification then fails). Everything runs offline.
//!
//! Run from the repository root: `cargo run --example subsidy_delivery`.

use dpikit::ErrorCode;
use dpikit::consent::check::{Request, check};
use dpikit::consent::ledger::{Ledger, MemoryStorage};
use dpikit::consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit::consent::receipt::{Receipt, verify_receipt};
use dpikit::credentials::Verifier;
use dpikit::credentials::di::{ProofOptions, add_proof};
use dpikit::credentials::jsonld::ContextStore;
use dpikit::credentials::model::{CredentialBuilder, presentation};
use dpikit::credentials::status::{StatusList, StatusPurpose, status_entry};
use dpikit::did::{DidDocument, did_key, did_key_verification_method};
use dpikit::exchange::Registry;
use dpikit::exchange::envelope::{self, ConsentCheck, EnvelopeBuilder, VerifyPolicy, seal, sign};
use dpikit::jws::WithKeyId;
use dpikit::keys::{KeyPair, KeyType};
use dpikit::payments::bulk::{self, Account, BatchConfig, Beneficiary};
use dpikit::payments::reconcile::reconcile_xml;
use serde_json::json;

type Error = Box<dyn std::error::Error>;

// A tutorial reads top to bottom as one story.
#[allow(clippy::too_many_lines)]
fn main() -> Result<(), Error> {
    let now = chrono::Utc::now();
    let contexts = ContextStore::new();

    // 1. The city: an Ed25519 key published in its did:web document.
    let city_key = KeyPair::generate(KeyType::Ed25519)?;
    let city_did = "did:web:city.example";
    let city_doc = DidDocument::from_json(
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": city_did,
            "verificationMethod": [{"id": "did:web:city.example#key-1", "type": "Multikey",
                "controller": city_did, "publicKeyMultibase": city_key.public_key().to_multikey()}],
            "assertionMethod": ["did:web:city.example#key-1"],
        })
        .to_string()
        .as_bytes(),
    )?;
    let city = WithKeyId { signer: city_key, kid: "did:web:city.example#key-1".to_owned() };
    println!("1. city {city_did}");

    // 2. A resident's wallet key; the city allocates a revocation status entry.
    let wallet = KeyPair::generate(KeyType::Ed25519)?;
    let resident = did_key(&wallet.public_key());
    let mut list = StatusList::with_entries(131_072, 1)?;
    let index = list.allocate(&mut std::collections::BTreeSet::new())?;
    let list_url = "https://city.example/status/1";

    // 3. Two credentials: residency (eddsa-jcs-2022) and income band (eddsa-rdfc-2022). The
    //    city's own claims live under its vocabulary so RDF proofs cover every one of them.
    let vocab = json!({"@vocab": "https://city.example/vocab#"});
    let residency = CredentialBuilder::new(city_did)
        .context(vocab.clone())
        .add_type("ResidencyCredential")
        .valid_from(now)
        .subject(json!({"id": resident, "residentOf": "City of Example"}))
        .build()?;
    let income = CredentialBuilder::new(city_did)
        .context(vocab)
        .add_type("IncomeBandCredential")
        .valid_from(now)
        .subject(json!({"id": resident, "incomeBand": "low"}))
        .status(status_entry(list_url, index, StatusPurpose::Revocation))
        .build()?;
    let residency = add_proof(
        &residency.to_value(),
        &city,
        &ProofOptions::assertion("eddsa-jcs-2022"),
        &contexts,
    )?;
    let income = add_proof(
        &income.to_value(),
        &city,
        &ProofOptions::assertion("eddsa-rdfc-2022"),
        &contexts,
    )?;
    let sign_list = |list: &StatusList| -> Result<serde_json::Value, Error> {
        let unsigned = list.to_credential(list_url, city_did, StatusPurpose::Revocation)?;
        Ok(add_proof(
            &unsigned.to_value(),
            &city,
            &ProofOptions::assertion("eddsa-jcs-2022"),
            &contexts,
        )?)
    };
    let status_list = sign_list(&list)?;
    println!("2. issued residency and income-band credentials to {resident}");

    // 4. The resident consents to the welfare department checking eligibility.
    let welfare = "did:web:welfare.city.example";
    let eligibility = Code::new(Scheme::Dpv, "dpv:ServiceProvision");
    let mut consent = ConsentRecord::request(
        "urn:dpikit:consent:0001",
        resident.clone(),
        Party::new(welfare, "Welfare Department"),
        Purpose::new(eligibility.clone(), "Check eligibility for the energy subsidy"),
    );
    consent.data_categories =
        vec![DataCategory { code: Code::new(Scheme::Dpv, "pd:Income"), sensitive: false }];
    let mut ledger = Ledger::new(MemoryStorage::new())?;
    ledger.append_record("consent.requested", &consent, now)?;
    consent.give(now, &resident)?;
    ledger.append_record("consent.given", &consent, now)?;
    let welfare_key = KeyPair::generate(KeyType::Ed25519)?;
    let receipt = Receipt::new(&consent, "urn:dpikit:receipt:0001", now)?.sign(&welfare_key)?;
    verify_receipt(&receipt, &welfare_key.public_key())?;
    println!("3. consent given, on the ledger, with a signed receipt");

    // 5. The welfare department asks for a presentation bound to its challenge and domain,
    //    verifies it (proofs, issuer's DID document, status list) and checks the consent.
    let challenge = "welfare-2026-0001";
    let holder =
        WithKeyId { kid: did_key_verification_method(&wallet.public_key()), signer: wallet };
    let vp = presentation(&resident, &[residency.clone(), income.clone()]);
    let opts = ProofOptions::authentication(
        "eddsa-jcs-2022",
        Some(challenge.into()),
        Some("welfare.city.example".into()),
    );
    let vp = add_proof(&vp, &holder, &opts, &contexts)?;
    let verifier = Verifier::new()
        .with_did_document(city_doc.clone())
        .with_status_list(status_list)?
        .with_challenge(challenge)
        .with_domain("welfare.city.example");
    let report = verifier.verify_presentation(&vp);
    let allowed = check(&consent, &Request::new(welfare, &eligibility, now))?.allowed;
    println!("4. presentation verified: {}; consent allows the check: {allowed}", report.verified);
    assert!(report.verified && allowed);

    // 6. The welfare department pays the subsidy (a pain.001 batch with deterministic ids) and
    //    reconciles the bank's pacs.002 answer.
    let config = BatchConfig::new(
        "SUBSIDY-2026-12",
        &now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        &now.format("%Y-%m-%d").to_string(),
        "City of Example",
        Account::Iban("DE89370400440532013000".to_owned()),
    );
    let beneficiary = Beneficiary {
        id: "R0001".into(),
        name: "Ana Example".into(),
        account: Account::Msisdn("+31610000001".into()),
        amount: "75.00".parse()?,
        currency: "EUR".into(),
        reference: "Energy subsidy 2026-12".into(),
        execution_date: None,
        provider: None,
    };
    let batch = bulk::build(&config, vec![beneficiary])?.batch;
    let pain001 = batch.to_pain001_xml()?;
    let e2e = &batch.blocks[0].payments[0].end_to_end_id;
    let answer = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\"><FIToFIPmtStsRpt>\
         <GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-12-01T10:00:00Z</CreDtTm></GrpHdr>\
         <OrgnlGrpInfAndSts><OrgnlMsgId>SUBSIDY-2026-12</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>\
         <TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>\
         </FIToFIPmtStsRpt></Document>"
    );
    let reconciliation = reconcile_xml(&batch, &[answer.as_bytes()])?;
    println!(
        "5. paid: pain.001 of {} bytes; {} settled, {} rejected",
        pain001.len(),
        reconciliation.settled.count,
        reconciliation.rejected.count
    );

    // 7. The welfare department sends the finance department the subsidy claim in a signed
    //    CloudEvents envelope that only leaves while the resident's consent allows it.
    let registry = Registry::with_builtin()?;
    let schema = registry.resolve(dpikit::exchange::schemas::SUBSIDY_CLAIM, None)?;
    let mut claim = registry.document(&schema)?["examples"][0].clone();
    claim["consentId"] = json!(consent.id);
    let envelope = EnvelopeBuilder::new(
        welfare,
        "org.city.welfare.subsidy-claim",
        schema.clone(),
        claim.clone(),
    )
    .build(&registry)?;
    let gate = ConsentCheck::new(&consent, welfare, &eligibility, now);
    let signed = sign(&seal(envelope, &gate)?, &welfare_key, false)?;
    let received = envelope::verify(
        &signed.token,
        None,
        &welfare_key.public_key(),
        &registry,
        &VerifyPolicy::at(now),
    )?;
    println!("6. claim envelope {} received and verified", received.envelope.id);

    // 8. The resident withdraws consent: the next check and the next exchange are refused.
    consent.withdraw(now, &resident, Some("no longer wants the subsidy"))?;
    ledger.append_record("consent.withdrawn", &consent, now)?;
    let decision = check(&consent, &Request::new(welfare, &eligibility, now))?;
    println!("7. after withdrawal: allowed = {} ({:?})", decision.allowed, decision.reason);
    assert!(!decision.allowed);
    let envelope = EnvelopeBuilder::new(welfare, "org.city.welfare.subsidy-claim", schema, claim)
        .build(&registry)?;
    let refused = seal(envelope, &ConsentCheck::new(&consent, welfare, &eligibility, now));
    assert!(refused.is_err_and(|e| e.code() == ErrorCode::ConsentDenied));
    assert!(ledger.active_consents(welfare, &eligibility, now)?.is_empty());

    // 9. The city revokes the income credential: its verification now fails.
    list.set(index, 1)?;
    let report = Verifier::new()
        .with_did_document(city_doc)
        .with_status_list(sign_list(&list)?)?
        .verify_credential(&income);
    println!("8. revoked credential verified: {} ({:?})", report.verified, report.error_codes());
    assert!(report.has_error(ErrorCode::Revoked));

    // 10. The ledger's hash chain is intact.
    println!("9. ledger verified: {} entries", ledger.verify(None)?.entries);
    Ok(())
}
