//! Runs the built `dpikit` binary: every command, its exit codes and the JSON error shape.
// Each test walks one command family through its success and failure paths in order.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir =
            std::env::temp_dir().join(format!("dpikit-cli-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn s(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.path(name), text).unwrap();
        self.s(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dpikit(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dpikit").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    dpikit(dir).args(args).output().unwrap()
}

fn run_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    dpikit(dir).args(args).write_stdin(stdin.to_owned()).output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

fn stdout_text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap().trim().to_owned()
}

/// Asserts the exit code and the `{"code", "name", "message"}` error on stderr.
fn assert_error(out: &Output, exit: i32, name: &str) {
    assert_eq!(code(out), exit, "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let err: Value = serde_json::from_slice(out.stderr.trim_ascii()).unwrap_or_else(|e| {
        panic!("stderr is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr))
    });
    assert_eq!(err["name"], name, "{err}");
    let code = u32::try_from(err["code"].as_u64().unwrap()).unwrap();
    assert_eq!(
        dpikit_core::ErrorCode::from_u32(code).map(dpikit_core::ErrorCode::name),
        Some(name)
    );
    assert!(err["message"].is_string());
}

fn new_key(dir: &Scratch, name: &str, alg: &str) -> String {
    let path = dir.s(name);
    let out = run(&dir.0, &["key", "new", "--alg", alg, "--out", &path]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    path
}

const CREDENTIAL: &str = r#"{
  "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://city.example/vocab#"}],
  "type": ["VerifiableCredential", "ResidencyCredential"],
  "validFrom": "2026-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:resident-1024", "residentOf": "City of Example"}
}"#;

#[test]
fn help_and_version_exit_zero_on_every_level() {
    let dir = Scratch::new("help");
    for args in [
        vec!["--help"],
        vec!["--version"],
        vec!["key", "--help"],
        vec!["did", "resolve", "--help"],
        vec!["jws", "sign", "--help"],
        vec!["vc", "verify", "--help"],
        vec!["vc", "status", "new", "--help"],
        vec!["consent", "--help"],
        vec!["consent", "receipt", "verify", "--help"],
        vec!["consent", "ledger", "verify", "--help"],
        vec!["demo", "--help"],
    ] {
        let out = run(&dir.0, &args);
        assert_eq!(code(&out), 0, "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn usage_errors_exit_two_with_json() {
    let dir = Scratch::new("usage");
    assert_error(&run(&dir.0, &["key", "new", "--alg", "rsa"]), 2, "usage");
    assert_error(&run(&dir.0, &["no-such-command"]), 2, "usage");
    assert_error(&run(&dir.0, &["vc", "issue", "--suite", "eddsa-jcs-2022"]), 2, "usage");
    assert_eq!(code(&run(&dir.0, &["vc"])), 2);
}

#[test]
fn io_errors_exit_three_with_json() {
    let dir = Scratch::new("io");
    assert_error(&run(&dir.0, &["key", "show", "missing.jwk"]), 3, "io");
    let key = new_key(&dir, "k.jwk", "ed25519");
    assert_error(
        &run(&dir.0, &["vc", "issue", "--key", &key, "--suite", "eddsa-jcs-2022", "nope.json"]),
        3,
        "io",
    );
}

#[test]
fn key_new_show_and_did_resolve() {
    let dir = Scratch::new("key");
    for alg in ["ed25519", "p256"] {
        let path = dir.s(&format!("{alg}.jwk"));
        let made = stdout_json(&run(&dir.0, &["key", "new", "--alg", alg, "--out", &path]));
        assert!(made["did"].as_str().unwrap().starts_with("did:key:z"));
        assert!(made.get("privateJwk").is_none() && made["publicJwk"].get("d").is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let shown = stdout_json(&run(&dir.0, &["key", "show", &path]));
        assert_eq!(shown["did"], made["did"]);
        assert!(shown.get("privateJwk").is_none());
        let private = stdout_json(&run(&dir.0, &["key", "show", "--private", &path]));
        assert!(private["privateJwk"]["d"].is_string());
        let doc = stdout_json(&run(&dir.0, &["did", "resolve", made["did"].as_str().unwrap()]));
        assert_eq!(doc["id"], made["did"]);
        let doc = stdout_json(&run(&dir.0, &["did", "resolve", made["didJwk"].as_str().unwrap()]));
        assert_eq!(doc["id"], made["didJwk"]);
    }
    // A public key cannot be shown as private.
    let shown = stdout_json(&run(&dir.0, &["key", "show", &dir.s("ed25519.jwk")]));
    let public = dir.write("pub.jwk", &shown["publicJwk"].to_string());
    assert_error(&run(&dir.0, &["key", "show", "--private", &public]), 1, "missing_private_key");
    // Without --out the private JWK is printed.
    let printed = stdout_json(&run(&dir.0, &["key", "new"]));
    assert_eq!(printed["crv"], "Ed25519");
    assert!(printed["d"].is_string());
    // A did:web document given with --did-doc; an unknown did:web is not found.
    let web = json!({"id": "did:web:city.example", "verificationMethod": [{
        "id": "did:web:city.example#key-1", "type": "JsonWebKey", "controller": "did:web:city.example",
        "publicKeyJwk": shown["publicJwk"]}]});
    let doc_file = dir.write("did.json", &web.to_string());
    let doc = stdout_json(&run(
        &dir.0,
        &["did", "resolve", "did:web:city.example#key-1", "--did-doc", &doc_file],
    ));
    assert_eq!(doc["id"], "did:web:city.example");
    assert_error(&run(&dir.0, &["did", "resolve", "did:web:other.example"]), 1, "did_not_found");
    assert_error(&run(&dir.0, &["did", "resolve", "not-a-did"]), 1, "invalid_did");
}

#[test]
fn jws_sign_and_verify_attached_and_detached() {
    let dir = Scratch::new("jws");
    let key = new_key(&dir, "k.jwk", "p256");
    let other = new_key(&dir, "o.jwk", "p256");
    let payload = dir.write("payload.json", r#"{"resident":"R-1024","service":"bus-pass"}"#);
    let token = stdout_text(&run(&dir.0, &["jws", "sign", "--key", &key, &payload]));
    let verified = stdout_json(&run_stdin(&dir.0, &["jws", "verify", "--jwk", &key, "-"], &token));
    assert_eq!(verified["verified"], true);
    assert_eq!(verified["payload"]["resident"], "R-1024");
    assert_eq!(verified["header"]["alg"], "ES256");
    assert_error(&run(&dir.0, &["jws", "verify", "--jwk", &other, &token]), 1, "invalid_signature");
    // Detached.
    let token =
        stdout_text(&run_stdin(&dir.0, &["jws", "sign", "--key", &key, "--detached"], "hello"));
    assert!(token.contains(".."));
    let file = dir.write("p.txt", "hello");
    let verified =
        stdout_json(&run(&dir.0, &["jws", "verify", "--jwk", &key, "--payload", &file, &token]));
    assert_eq!(verified["payload"], "hello");
    let wrong = dir.write("w.txt", "hellO");
    assert_error(
        &run(&dir.0, &["jws", "verify", "--jwk", &key, "--payload", &wrong, &token]),
        1,
        "invalid_signature",
    );
    assert_error(&run(&dir.0, &["jws", "verify", "--jwk", &key, "garbage"]), 1, "malformed_jws");
}

#[test]
fn vc_issue_verify_every_suite_and_tamper() {
    let dir = Scratch::new("vc");
    let ed = new_key(&dir, "ed.jwk", "ed25519");
    let p256 = new_key(&dir, "p.jwk", "p256");
    let cred = dir.write("cred.json", CREDENTIAL);
    for (suite, key) in [
        ("eddsa-jcs-2022", &ed),
        ("eddsa-rdfc-2022", &ed),
        ("ecdsa-jcs-2019", &p256),
        ("ecdsa-rdfc-2019", &p256),
        ("vc+jwt", &ed),
        ("vc+jwt", &p256),
    ] {
        let out = run(&dir.0, &["vc", "issue", "--key", key, "--suite", suite, &cred]);
        assert_eq!(code(&out), 0, "{suite}: {}", String::from_utf8_lossy(&out.stderr));
        let issued = dir.write("issued", &String::from_utf8_lossy(&out.stdout));
        let report = stdout_json(&run(&dir.0, &["vc", "verify", &issued]));
        assert_eq!(report["verified"], true, "{suite}: {report}");
        assert!(report["checks"].as_array().unwrap().len() >= 2);
        if suite != "vc+jwt" {
            let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["proof"]["cryptosuite"], suite);
            v["credentialSubject"]["residentOf"] = json!("Elsewhere");
            let bad = dir.write("bad.json", &v.to_string());
            let out = run(&dir.0, &["vc", "verify", &bad]);
            assert_eq!(code(&out), 1);
            assert_eq!(stdout_json(&out)["verified"], false);
        }
    }
    // Validity: verifying before validFrom fails with its own code.
    let out = run(&dir.0, &["vc", "issue", "--key", &ed, "--suite", "eddsa-jcs-2022", &cred]);
    let issued = dir.write("issued.json", &String::from_utf8_lossy(&out.stdout));
    let out = run(&dir.0, &["vc", "verify", "--at", "2025-01-01T00:00:00Z", &issued]);
    assert_eq!(code(&out), 1);
    let report = stdout_json(&out);
    assert!(
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "credential_not_yet_valid"),
        "{report}"
    );
    // eddsa-rdfc-2022 refuses a claim no context defines (it would not be signed).
    let mut bare: Value = serde_json::from_str(CREDENTIAL).unwrap();
    bare["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    let bare = dir.write("bare.json", &bare.to_string());
    assert_error(
        &run(&dir.0, &["vc", "issue", "--key", &ed, "--suite", "eddsa-rdfc-2022", &bare]),
        1,
        "undefined_term",
    );
    // The wrong key type for a suite, and a malformed credential.
    assert_error(
        &run(&dir.0, &["vc", "issue", "--key", &p256, "--suite", "eddsa-jcs-2022", &cred]),
        1,
        "alg_key_mismatch",
    );
    let bad = dir.write("notvc.json", r#"{"credentialSubject": 1}"#);
    let out = run(&dir.0, &["vc", "issue", "--key", &ed, "--suite", "eddsa-jcs-2022", &bad]);
    assert_eq!(code(&out), 1);
    let bad = dir.write("notjson.json", "{");
    assert_error(
        &run(&dir.0, &["vc", "issue", "--key", &ed, "--suite", "eddsa-jcs-2022", &bad]),
        1,
        "malformed_json",
    );
    // A --context given as URL=FILE; a malformed spec is a usage error.
    assert_error(&run(&dir.0, &["vc", "verify", "--context", "nofile", &issued]), 2, "usage");
    // Batch: a directory of credentials, one tampered.
    let batch = dir.path("batch");
    std::fs::create_dir_all(&batch).unwrap();
    for i in 0..4 {
        let out = run(&dir.0, &["vc", "issue", "--key", &ed, "--suite", "eddsa-jcs-2022", &cred]);
        std::fs::write(batch.join(format!("{i}.json")), &out.stdout).unwrap();
    }
    let ok = stdout_json(&run(&dir.0, &["vc", "verify", "--batch", batch.to_str().unwrap()]));
    assert_eq!((ok["verified"].clone(), ok["passed"].clone()), (json!(true), json!(4)));
    std::fs::write(batch.join("9.json"), "{}").unwrap();
    let out = run(&dir.0, &["vc", "verify", "--batch", batch.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout_json(&out)["failed"].as_array().unwrap().len(), 1);
}

#[test]
fn vc_present_with_challenge_and_domain() {
    let dir = Scratch::new("vp");
    let issuer = new_key(&dir, "issuer.jwk", "ed25519");
    let holder = new_key(&dir, "holder.jwk", "ed25519");
    let cred = dir.write("cred.json", CREDENTIAL);
    let out = run(&dir.0, &["vc", "issue", "--key", &issuer, "--suite", "eddsa-rdfc-2022", &cred]);
    let signed = dir.write("signed.json", &String::from_utf8_lossy(&out.stdout));
    let out = run(&dir.0, &["vc", "issue", "--key", &issuer, "--suite", "vc+jwt", &cred]);
    let jwt = dir.write("signed.jwt", &String::from_utf8_lossy(&out.stdout));
    let args = ["--challenge", "c-123", "--domain", "welfare.city.example"];
    let out =
        run(&dir.0, &[&["vc", "present", "--key", &holder][..], &args, &[&signed, &jwt]].concat());
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let vp = dir.write("vp.json", &String::from_utf8_lossy(&out.stdout));
    let report = stdout_json(&run(&dir.0, &[&["vc", "verify"][..], &args, &[&vp]].concat()));
    assert_eq!(report["verified"], true, "{report}");
    let out = run(
        &dir.0,
        &["vc", "verify", "--challenge", "other", "--domain", "welfare.city.example", &vp],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stdout_json(&out)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "challenge_mismatch")
    );
    // vp+jwt with nonce and aud.
    let out = run(
        &dir.0,
        &[&["vc", "present", "--jwt", "--key", &holder][..], &args, &[&signed]].concat(),
    );
    let vp = dir.write("vp.jwt", &String::from_utf8_lossy(&out.stdout));
    let report = stdout_json(&run(&dir.0, &[&["vc", "verify"][..], &args, &[&vp]].concat()));
    assert_eq!(report["verified"], true, "{report}");
}

#[test]
fn vc_status_new_set_check_clear() {
    let dir = Scratch::new("status");
    let key = new_key(&dir, "city.jwk", "ed25519");
    let url = "https://city.example/status/1";
    let out = run(&dir.0, &["vc", "status", "new", "--id", url, "--key", &key]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let list = dir.write("list.json", &String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout_json(&run(&dir.0, &["vc", "verify", &list]))["verified"], true);
    let mut cred: Value = serde_json::from_str(CREDENTIAL).unwrap();
    cred["credentialStatus"] = json!({"id": format!("{url}#42"), "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "42", "statusListCredential": url});
    let cred = dir.write("cred.json", &cred.to_string());
    let out = run(&dir.0, &["vc", "issue", "--key", &key, "--suite", "eddsa-jcs-2022", &cred]);
    let signed = dir.write("signed.json", &String::from_utf8_lossy(&out.stdout));
    let checked = stdout_json(&run(&dir.0, &["vc", "status", "check", "--list", &list, &signed]));
    assert_eq!(checked["set"], false);
    assert_eq!(
        stdout_json(&run(&dir.0, &["vc", "verify", "--status-list", &list, &signed]))["verified"],
        true
    );
    // Revoke index 42.
    let out =
        run(&dir.0, &["vc", "status", "set", "--list", &list, "--key", &key, "--index", "42"]);
    let revoked = dir.write("revoked.json", &String::from_utf8_lossy(&out.stdout));
    assert_error(
        &run(&dir.0, &["vc", "status", "check", "--list", &revoked, &signed]),
        1,
        "revoked",
    );
    let out = run(&dir.0, &["vc", "verify", "--status-list", &revoked, &signed]);
    assert_eq!(code(&out), 1);
    assert!(stdout_json(&out)["errors"].as_array().unwrap().iter().any(|e| e["name"] == "revoked"));
    // Clear it again.
    let out =
        run(&dir.0, &["vc", "status", "clear", "--list", &revoked, "--key", &key, "--index", "42"]);
    let cleared = dir.write("cleared.json", &String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        stdout_json(&run(&dir.0, &["vc", "status", "check", "--list", &cleared, &signed]))["set"],
        false
    );
    assert_error(
        &run(
            &dir.0,
            &["vc", "status", "set", "--list", &list, "--key", &key, "--index", "999999999"],
        ),
        1,
        "status_index_out_of_range",
    );
}

#[test]
fn consent_lifecycle_on_sqlite_ledger() {
    let dir = Scratch::new("consent");
    let db = dir.s("ledger.sqlite");
    let c = |args: &[&str]| run(&dir.0, &[&["consent", "--db", &db][..], args].concat());
    let out = c(&[
        "new",
        "--id",
        "urn:c:1",
        "--principal",
        "did:example:ana",
        "--controller",
        "did:web:welfare.city.example",
        "--purpose",
        "dpv:ServiceProvision",
        "--data-category",
        "pd:Income",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["state"], "Requested");
    let check = [
        "check",
        "urn:c:1",
        "--controller",
        "did:web:welfare.city.example",
        "--purpose",
        "dpv:ServiceProvision",
    ];
    let out = c(&check);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout_json(&out)["reasonName"], "consent_not_given");
    assert_eq!(stdout_json(&c(&["give", "urn:c:1"]))["state"], "Given");
    let out = c(&check);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout_json(&out)["allowed"], true);
    let out = c(&[
        "check",
        "urn:c:1",
        "--controller",
        "did:web:other.example",
        "--purpose",
        "dpv:ServiceProvision",
    ]);
    assert_eq!(stdout_json(&out)["reasonName"], "consent_party_mismatch");
    assert_eq!(stdout_json(&c(&["pause", "urn:c:1"]))["state"], "Paused");
    assert_eq!(code(&c(&check)), 1);
    assert_eq!(stdout_json(&c(&["resume", "urn:c:1"]))["state"], "Given");
    // Receipt.
    let key = new_key(&dir, "welfare.jwk", "ed25519");
    let token = stdout_text(&c(&["receipt", "sign", "--key", &key, "urn:c:1"]));
    let verified =
        stdout_json(&run(&dir.0, &["consent", "receipt", "verify", "--jwk", &key, &token]));
    assert_eq!(verified["receipt"]["record"]["id"], "urn:c:1");
    let other = new_key(&dir, "other.jwk", "ed25519");
    assert_error(
        &run(&dir.0, &["consent", "receipt", "verify", "--jwk", &other, &token]),
        1,
        "receipt_invalid",
    );
    // Withdraw, then illegal transition and unknown record.
    assert_eq!(
        stdout_json(&c(&["withdraw", "urn:c:1", "--reason", "moved"]))["state"],
        "Withdrawn"
    );
    assert_error(&c(&["give", "urn:c:1"]), 1, "illegal_transition");
    assert_error(&c(&["give", "urn:c:none"]), 1, "consent_not_found");
    let shown = stdout_json(&c(&["show", "urn:c:1"]));
    assert_eq!(shown["history"].as_array().unwrap().len(), 5);
    // Export to Kantara, import it back.
    let exported = stdout_json(&c(&["export", "--to", "kantara", "urn:c:1"]));
    assert!(exported["lost"].is_object());
    let file = dir.write("kantara.json", &exported["value"].to_string());
    let imported = stdout_json(&c(&["import", "--from", "kantara", &file]));
    assert_eq!(imported["record"]["principal"], "did:example:ana");
    assert!(imported["findings"].as_array().unwrap().is_empty());
    assert!(imported["lost"]["dropped"].is_array());
    let bad = dir.write("bad.json", "[1,2]");
    assert_error(&c(&["import", "--from", "kantara", &bad]), 1, "consent_import_failed");
    // The ledger verifies; tampering with the database is detected.
    let out = c(&["ledger", "verify"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout_json(&out)["entries"], 5);
}

#[test]
fn demo_runs_end_to_end_and_writes_artefacts() {
    let dir = Scratch::new("demo");
    let out_dir = dir.s("out");
    let out = run(&dir.0, &["demo", "--residents", "12", "--out", &out_dir]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(summary["residents"], 12);
    assert!(summary["steps"].as_array().unwrap().len() >= 8);
    for f in [
        "did.json",
        "status-list.json",
        "ledger.sqlite",
        "summary.json",
        "keys/city.jwk",
        "credentials/residency-0001.json",
        "credentials/income-0012.json",
        "presentation-0001.json",
    ] {
        assert!(dir.path("out").join(f).exists(), "{f}");
    }
    // The artefacts check out with the CLI: the batch validates, the credential verifies
    // against the city's DID document.
    let pain = dir.path("out").join("payments/pain.001.xml");
    assert_eq!(
        stdout_json(&run(&dir.0, &["pay", "validate", pain.to_str().unwrap()]))["valid"],
        true
    );
    let cred = dir.path("out").join("credentials/residency-0002.json");
    let did = dir.path("out").join("did.json");
    let report = stdout_json(&run(
        &dir.0,
        &["vc", "verify", "--did-doc", did.to_str().unwrap(), cred.to_str().unwrap()],
    ));
    assert_eq!(report["verified"], true, "{report}");
    // Running again replaces the previous run; a foreign non-empty directory is refused.
    assert_eq!(code(&run(&dir.0, &["demo", "--residents", "2", "--out", &out_dir])), 0);
    let foreign = dir.path("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    assert_error(
        &run(&dir.0, &["demo", "--residents", "2", "--out", foreign.to_str().unwrap()]),
        2,
        "usage",
    );
    assert!(foreign.join("keep.txt").exists());
}

#[test]
fn docs_cli_md_matches_help() {
    let dir = Scratch::new("docs");
    let generated = String::from_utf8(run(&dir.0, &["help-markdown"]).stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
    if std::env::var_os("DPIKIT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/cli.md is stale: run `cargo run -p dpikit-cli -- help-markdown > docs/cli.md`"
    );
}

fn schema_example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../dpikit-exchange/schemas/{name}.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    schema["examples"][0].clone()
}

#[test]
fn exchange_schemas_validate_convert_csv_xroad() {
    let dir = Scratch::new("exchange");
    let list = stdout_json(&run(&dir.0, &["exchange", "schemas"]));
    assert!(list.as_array().unwrap().len() >= 7);
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(stdout_json(&run(&dir.0, &["exchange", "schemas", "show", &id]))["$id"], id);
    assert_error(
        &run(&dir.0, &["exchange", "schemas", "show", "https://nowhere.example/x"]),
        1,
        "schema_not_found",
    );
    let sr = "https://schemas.dpikit.org/exchange/service-request/1.0.0/schema.json";
    let good = dir.write("sr.json", &schema_example("service-request").to_string());
    let out = run(&dir.0, &["exchange", "validate", "--schema", sr, &good]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout_json(&out)["valid"], true);
    let mut bad = schema_example("service-request");
    bad["lat"] = json!("north");
    let bad = dir.write("bad.json", &bad.to_string());
    let out = run(&dir.0, &["exchange", "validate", "--schema", sr, &bad]);
    assert_eq!(code(&out), 1);
    let report = stdout_json(&out);
    assert_eq!(report["valid"], false);
    assert!(
        report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["instance_path"] == "/lat" || i["instancePath"] == "/lat"),
        "{report}"
    );
    // A schema given as a file with a remote $ref is refused, never fetched.
    let remote = dir.write(
        "remote.json",
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://city.example/remote.json", "$ref": "https://elsewhere.example/s.json"}"#,
    );
    assert_error(
        &run(&dir.0, &["exchange", "validate", "--schema", &remote, &good]),
        1,
        "unresolved_ref",
    );
    // A --registry DIR registers every schema under it.
    let reg = dir.path("reg");
    std::fs::create_dir_all(&reg).unwrap();
    std::fs::write(
        reg.join("t.json"),
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://city.example/t.json", "type": "object", "required": ["a"]}"#,
    )
    .unwrap();
    let data = dir.write("t.json", r#"{"a": 1}"#);
    let out = run(
        &dir.0,
        &[
            "exchange",
            "--registry",
            reg.to_str().unwrap(),
            "validate",
            "--schema",
            "https://city.example/t.json",
            &data,
        ],
    );
    assert_eq!(stdout_json(&out)["valid"], true);
    // NGSI-LD: normalized -> keyValues -> normalized.
    let normalized = dir.write(
        "n.json",
        &json!({
            "id": "urn:ngsi-ld:SensorObservation:1", "type": "SensorObservation",
            "temperature": {"type": "Property", "value": 21.5, "observedAt": "2026-01-01T00:00:00Z"}
        })
        .to_string(),
    );
    let kv = stdout_json(&run(&dir.0, &["exchange", "convert", "--to", "keyvalues", &normalized]));
    assert_eq!(kv["entity"]["temperature"], 21.5);
    assert!(!kv["dropped"].as_array().unwrap().is_empty());
    assert_error(
        &run(&dir.0, &["exchange", "convert", "--to", "normalized", &normalized]),
        2,
        "usage",
    );
    // CSV import with a per-row report; an invalid row makes the exit code 1.
    let so = "https://schemas.dpikit.org/exchange/sensor-observation/1.0.0/schema.json";
    let example = schema_example("sensor-observation");
    let csv = dir.write("rows.csv", "id,type,refDevice\nurn:ngsi-ld:SensorObservation:9,SensorObservation,urn:ngsi-ld:Device:1\n");
    let out = run(&dir.0, &["exchange", "import-csv", "--schema", so, &csv]);
    let report = stdout_json(&out);
    assert_eq!(report["rows"].as_array().unwrap().len(), 1, "{report} {example}");
    // X-Road headers.
    let out = stdout_json(&run(
        &dir.0,
        &[
            "exchange",
            "xroad-headers",
            "--client",
            "EE/GOV/70000001/welfare",
            "--service",
            "EE/GOV/70000002/payments/disburse",
            "--id",
            "msg 1",
        ],
    ));
    assert_eq!(out["X-Road-Client"], "EE/GOV/70000001/welfare");
    assert!(out["X-Road-Id"].as_str().unwrap().contains("%20") || out["X-Road-Id"] == "msg 1");
    assert_error(
        &run(&dir.0, &["exchange", "xroad-headers", "--client", "EE", "--service", "x"]),
        1,
        "invalid_xroad_id",
    );
}

#[test]
fn exchange_seal_open_consent_gated_and_encrypted() {
    let dir = Scratch::new("envelope");
    let db = dir.s("ledger.sqlite");
    let sender = new_key(&dir, "sender.jwk", "ed25519");
    let other = new_key(&dir, "other.jwk", "ed25519");
    let welfare = "did:web:welfare.city.example";
    let c = |args: &[&str]| run(&dir.0, &[&["consent", "--db", &db][..], args].concat());
    assert_eq!(
        code(&c(&[
            "new",
            "--id",
            "urn:c:7",
            "--principal",
            "did:example:ana",
            "--controller",
            welfare,
            "--purpose",
            "dpv:ServiceProvision"
        ])),
        0
    );
    assert_eq!(code(&c(&["give", "urn:c:7"])), 0);
    let claim = dir.write("claim.json", &schema_example("subsidy-claim").to_string());
    let sc = "https://schemas.dpikit.org/exchange/subsidy-claim/1.0.0/schema.json";
    let seal_args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "exchange",
            "seal",
            "--key",
            &sender,
            "--source",
            welfare,
            "--type",
            "org.city.subsidy.claim",
            "--schema",
            sc,
            "--db",
            &db,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v.push(claim.clone());
        v
    };
    let run_seal = |extra: &[&str]| {
        let args = seal_args(extra);
        run(&dir.0, &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Personal data without a consent is refused.
    assert_error(&run_seal(&[]), 1, "consent_required");
    let gate =
        ["--consent-id", "urn:c:7", "--controller", welfare, "--purpose", "dpv:ServiceProvision"];
    let out = run_seal(&gate);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let token = stdout_text(&out);
    let opened = stdout_json(&run(&dir.0, &["exchange", "open", "--jwk", &sender, &token]));
    assert_eq!(opened["verified"], true);
    assert_eq!(opened["envelope"]["consentid"], "urn:c:7");
    assert_error(
        &run(&dir.0, &["exchange", "open", "--jwk", &other, &token]),
        1,
        "envelope_signature_invalid",
    );
    assert_error(
        &run(
            &dir.0,
            &["exchange", "open", "--jwk", &sender, "--at", "2099-01-01T00:00:00Z", &token],
        ),
        1,
        "envelope_expired",
    );
    // Encrypted to a recipient key (X25519 JWK made by the library through the CLI test).
    let recipient = dpikit_exchange::jwe::RecipientKeyPair::generate(
        dpikit_exchange::jwe::RecipientCurve::X25519,
    )
    .unwrap();
    let public = dir.write("recipient.pub.jwk", recipient.public_jwk());
    let private = dir.write("recipient.jwk", &recipient.private_jwk());
    let jwe = stdout_text(&run_seal(&[&gate[..], &["--encrypt-to", &public]].concat()));
    assert_eq!(jwe.split('.').count(), 5);
    let opened = stdout_json(&run(
        &dir.0,
        &["exchange", "open", "--jwk", &sender, "--decrypt-key", &private, &jwe],
    ));
    assert_eq!(opened["envelope"]["dataschema"].as_str().unwrap().split('?').next().unwrap(), sc);
    // With a signed receipt attached, the receiver checks the consent it cites.
    let receipt = stdout_text(&c(&["receipt", "sign", "--key", &sender, "urn:c:7"]));
    let receipt = dir.write("receipt.jws", &receipt);
    let token = stdout_text(&run_seal(&[&gate[..], &["--receipt", &receipt]].concat()));
    let opened = stdout_json(&run(
        &dir.0,
        &[
            "exchange",
            "open",
            "--jwk",
            &sender,
            "--receipt-jwk",
            &sender,
            "--purpose",
            "dpv:ServiceProvision",
            &token,
        ],
    ));
    assert_eq!(opened["consent"]["verified"], true, "{opened}");
    // The resident withdraws: the next send is refused.
    assert_eq!(code(&c(&["withdraw", "urn:c:7"])), 0);
    assert_error(&run_seal(&gate), 1, "consent_denied");
}

fn payments_vector(path: &str) -> Option<String> {
    let (dir, file) = path.rsplit_once('/').unwrap();
    dpikit_testkit::vectors_dir(&format!("payments/{dir}"))
        .map(|d| d.join(file).display().to_string())
}

#[test]
fn pay_validate_convert_and_rules() {
    let dir = Scratch::new("pay");
    let Some(good) = payments_vector("iso20022/samples/pacs.008.001.08_cbprplus_envelope.xml")
    else {
        return;
    };
    let out = run(&dir.0, &["pay", "validate", &good]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let report = stdout_json(&out);
    assert_eq!(
        (report["valid"].clone(), report["message_type"].clone()),
        (json!(true), json!("pacs.008.001.08"))
    );
    let xau =
        payments_vector("iso20022/negative/pacs.008.001.08_cbprplus_violates_R41_XAU.xml").unwrap();
    let out = run(&dir.0, &["pay", "validate", "--rules", "cbpr-plus", &xau]);
    assert_eq!(code(&out), 1);
    let code_of = |f: &Value| {
        dpikit_core::ErrorCode::from_u32(u32::try_from(f["code"].as_u64().unwrap()).unwrap())
            .unwrap()
            .name()
    };
    assert!(
        stdout_json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| code_of(f) == "scheme_rule_violation"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let extra =
        payments_vector("iso20022/negative/pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml").unwrap();
    assert_error(&run(&dir.0, &["pay", "validate", &extra]), 1, "unknown_element");
    assert_eq!(code(&run(&dir.0, &["pay", "validate", "--lenient", &extra])), 1);
    let doctype = dir
        .write("doctype.xml", "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]><d>&x;</d>");
    assert_eq!(code(&run(&dir.0, &["pay", "validate", &doctype])), 1);
    // XML -> JSON -> XML is lossless: the round trip validates and converts to the same JSON.
    let json_form = run(&dir.0, &["pay", "convert", "--to", "json", &good]);
    let j = dir.write("m.json", &String::from_utf8_lossy(&json_form.stdout));
    let xml = run(&dir.0, &["pay", "convert", "--to", "xml", &j]);
    assert_eq!(code(&xml), 0, "{}", String::from_utf8_lossy(&xml.stderr));
    let x = dir.write("m.xml", &String::from_utf8_lossy(&xml.stdout));
    assert_eq!(stdout_json(&run(&dir.0, &["pay", "validate", &x]))["valid"], true);
    assert_eq!(
        stdout_json(&run(&dir.0, &["pay", "convert", "--to", "json", &x])),
        stdout_json(&json_form)
    );
}

#[test]
fn pay_bulk_and_reconcile() {
    let dir = Scratch::new("bulk");
    let csv = dir.write(
        "b.csv",
        "id,name,account,amount,currency,reference\n\
        R1,Ana Example,DE89370400440532013000,25.50,EUR,energy subsidy\n\
        R2,Ben Example,+250788000002,1000,RWF,energy subsidy\n\
        R3,Chen Example,DE89370400440532013000,12.345,EUR,energy subsidy\n\
        R2,Ben Example,+250788000002,1000,RWF,energy subsidy\n",
    );
    let base = [
        "pay",
        "bulk",
        &csv,
        "--batch-id",
        "B-2026-11",
        "--debtor-name",
        "City of Example",
        "--debtor-account",
        "DE89370400440532013000",
        "--execution-date",
        "2026-12-01",
    ];
    let pain = dir.s("pain.xml");
    let out = run(&dir.0, &[&base[..], &["--to", "pain.001", "--out", &pain]].concat());
    assert_eq!(code(&out), 1, "rejected rows make the exit code 1");
    let report = stdout_json(&out);
    assert_eq!(report["payments"], 2);
    let rows: Vec<u64> =
        report["errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [4, 5], "{report}");
    assert_eq!(stdout_json(&run(&dir.0, &["pay", "validate", &pain]))["valid"], true);
    // Re-running gives the same end-to-end ids (idempotent).
    let again = dir.s("again.xml");
    run(&dir.0, &[&base[..], &["--to", "pain.001", "--out", &again]].concat());
    let e2e = |p: &str| {
        let text = std::fs::read_to_string(p).unwrap();
        text.split("<EndToEndId>")
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(e2e(&pain), e2e(&again));
    for to in ["govstack", "g2p-connect"] {
        let out = stdout_json(&run(&dir.0, &[&base[..], &["--to", to]].concat()));
        assert!(out["message"].is_object() || out["message"].is_array(), "{to}: {out}");
    }
    assert_error(
        &run(
            &dir.0,
            &[
                "pay",
                "bulk",
                &csv,
                "--to",
                "pain.001",
                "--batch-id",
                "",
                "--debtor-name",
                "x",
                "--debtor-account",
                "DE89370400440532013000",
            ],
        ),
        1,
        "batch_invalid",
    );
    // The bank answers: one settled, one rejected.
    let ids = e2e(&pain);
    let answer = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\"><FIToFIPmtStsRpt>\
        <GrpHdr><MsgId>ANS-1</MsgId><CreDtTm>2026-12-01T10:00:00Z</CreDtTm></GrpHdr>\
        <OrgnlGrpInfAndSts><OrgnlMsgId>B-2026-11</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>\
        <TxInfAndSts><OrgnlEndToEndId>{}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>\
        <TxInfAndSts><OrgnlEndToEndId>{}</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>\
        </FIToFIPmtStsRpt></Document>",
        ids[0], ids[1]
    );
    let answer = dir.write("pacs002.xml", &answer);
    let out = run(&dir.0, &["pay", "reconcile", "--batch", &pain, &answer]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let rec = stdout_json(&out);
    let text = rec.to_string();
    assert!(text.contains("AC04"), "{rec}");
    assert_eq!(rec["payments"].as_array().unwrap().len(), 2, "{rec}");
}

#[test]
fn pay_mojaloop_fulfil_condition_and_mapping() {
    let dir = Scratch::new("mojaloop");
    let f = stdout_json(&run(
        &dir.0,
        &["pay", "mojaloop", "fulfil", "--secret", "c2VjcmV0", "--packet", "AQIDBA"],
    ));
    let fulfilment = f["fulfilment"].as_str().unwrap();
    let c =
        stdout_json(&run(&dir.0, &["pay", "mojaloop", "condition", "--fulfilment", fulfilment]));
    assert_eq!(c["condition"], f["condition"]);
    let out = run(
        &dir.0,
        &[
            "pay", "mojaloop", "fulfil", "--secret", "c2VjcmV0", "--packet", "AQIDBA", "--check",
            "AAAA",
        ],
    );
    assert_eq!(code(&out), 1);
    assert_error(
        &run(&dir.0, &["pay", "mojaloop", "condition", "--fulfilment", "short"]),
        1,
        "ilp_invalid",
    );
    let Some(transfer) =
        payments_vector("mojaloop/fspiop-v1/POST_transfers.sdk-scheme-adapter.json")
    else {
        return;
    };
    let mapped = stdout_json(&run(&dir.0, &["pay", "mojaloop", "to-pacs008", &transfer]));
    assert!(
        mapped["report"]["lost"].as_array().unwrap().iter().any(|l| l["field"] == "/ilpPacket")
    );
    let xml = dir.write("p8.xml", mapped["xml"].as_str().unwrap());
    let t: Value = serde_json::from_str(&std::fs::read_to_string(&transfer).unwrap()).unwrap();
    let back = stdout_json(&run(
        &dir.0,
        &[
            "pay",
            "mojaloop",
            "from-pacs008",
            "--ilp-packet",
            t["ilpPacket"].as_str().unwrap(),
            "--condition",
            t["condition"].as_str().unwrap(),
            "--expiration",
            t["expiration"].as_str().unwrap(),
            &xml,
        ],
    ));
    assert_eq!(back["transfer"]["transferId"], t["transferId"]);
}

#[test]
fn vc_qr_encode_decode_verify_png() {
    let dir = Scratch::new("qr");
    let key = new_key(&dir, "k.jwk", "ed25519");
    let cred = dir.write("cred.json", CREDENTIAL);
    let out = run(&dir.0, &["vc", "issue", "--key", &key, "--suite", "eddsa-jcs-2022", &cred]);
    let signed = dir.write("signed.json", &String::from_utf8_lossy(&out.stdout));
    let png = dir.s("qr.png");
    let svg = dir.s("qr.svg");
    let out = run(&dir.0, &["vc", "qr", "encode", "--png", &png, "--svg", &svg, &signed]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout_text(&out);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let decoded = stdout_json(&run(&dir.0, &["vc", "qr", "decode", &text]));
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&signed).unwrap()).unwrap();
    assert_eq!(decoded, original);
    assert_eq!(stdout_json(&run(&dir.0, &["vc", "qr", "verify", &text]))["verified"], true);
    assert_eq!(stdout_json(&run(&dir.0, &["vc", "qr", "verify", "--png", &png]))["verified"], true);
    let json_text = stdout_text(&run(&dir.0, &["vc", "qr", "encode", "--json", &signed]));
    assert!(json_text.len() > text.len(), "CBOR mode is the more compact");
    assert_error(&run(&dir.0, &["vc", "qr", "decode", "not base45 ~~"]), 1, "qr_decode_failed");
    // A credential too large for one symbol says so.
    let mut big: Value = serde_json::from_str(CREDENTIAL).unwrap();
    // Incompressible text: zlib would shrink a repeated one below the capacity.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: String = (0..6000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'!' + u8::try_from(state % 90).unwrap())
        })
        .collect();
    big["credentialSubject"]["notes"] = json!(noise);
    let big = dir.write("big.json", &big.to_string());
    assert_error(&run(&dir.0, &["vc", "qr", "encode", "--json", &big]), 1, "qr_capacity_exceeded");
}

#[test]
fn sdjwt_issue_present_verify_with_key_binding() {
    let dir = Scratch::new("sdjwt");
    let issuer = new_key(&dir, "issuer.jwk", "p256");
    let holder = new_key(&dir, "holder.jwk", "ed25519");
    let claims = dir.write("claims.json", &json!({
        "iss": "https://city.example", "vct": "https://city.example/vct/resident",
        "given_name": "Ana", "birthdate": "1990-04-01", "address": {"street": "1 Main St", "city": "Example"},
        "entitlements": ["pool", "library", "transit"]
    }).to_string());
    let out = run(
        &dir.0,
        &[
            "sdjwt",
            "issue",
            "--key",
            &issuer,
            "--holder-jwk",
            &holder,
            "--decoys",
            "2",
            "--disclose",
            "/given_name",
            "--disclose",
            "/birthdate",
            "--disclose",
            "/address/street",
            "--disclose",
            "/entitlements/2",
            &claims,
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let issued = dir.write("issued.sdjwt", &stdout_text(&out));
    let full =
        stdout_json(&run(&dir.0, &["sdjwt", "verify", "--vc", "--issuer-jwk", &issuer, &issued]));
    assert_eq!(full["claims"]["given_name"], "Ana");
    let out = run(
        &dir.0,
        &[
            "sdjwt",
            "present",
            "--reveal",
            "/given_name",
            "--holder-key",
            &holder,
            "--nonce",
            "n-42",
            "--aud",
            "https://welfare.city.example",
            &issued,
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let presented = dir.write("presented.sdjwt", &stdout_text(&out));
    let verified = stdout_json(&run(
        &dir.0,
        &[
            "sdjwt",
            "verify",
            "--vc",
            "--issuer-jwk",
            &issuer,
            "--nonce",
            "n-42",
            "--aud",
            "https://welfare.city.example",
            &presented,
        ],
    ));
    assert_eq!(verified["claims"]["given_name"], "Ana");
    assert!(verified["claims"].get("birthdate").is_none());
    assert_eq!(verified["key_binding"]["nonce"], "n-42");
    assert_error(
        &run(
            &dir.0,
            &[
                "sdjwt",
                "verify",
                "--issuer-jwk",
                &issuer,
                "--nonce",
                "other",
                "--aud",
                "https://welfare.city.example",
                &presented,
            ],
        ),
        1,
        "challenge_mismatch",
    );
    let other = new_key(&dir, "other.jwk", "p256");
    assert_error(
        &run(&dir.0, &["sdjwt", "verify", "--issuer-jwk", &other, &issued]),
        1,
        "proof_invalid",
    );
    assert_error(
        &run(&dir.0, &["sdjwt", "verify", "--issuer-jwk", &holder, &issued]),
        1,
        "alg_key_mismatch",
    );
    assert_error(
        &run(
            &dir.0,
            &["sdjwt", "verify", "--issuer-jwk", &issuer, "--nonce", "n", "--aud", "a", &issued],
        ),
        1,
        "key_binding_missing",
    );
    assert_error(&run(&dir.0, &["sdjwt", "present", "--holder-key", &holder, &issued]), 2, "usage");
}
