//! The consent ledger: append and verify on both backends, every kind of tampering named at
//! the first bad entry with its code, signed checkpoints, reopening, and a crash test that
//! kills a writer process mid-batch.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dpikit_consent::ConsentError;
use dpikit_consent::ledger::{
    Checkpoint, Entry, GENESIS_HASH, Ledger, MemoryStorage, NewEntry, SqliteStorage, Storage,
};
use dpikit_core::ErrorCode;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::{Timestamp, parse_rfc3339};
use serde_json::json;

/// Environment variable that turns `crash_child` into the writer process of the crash test.
const CHILD_ENV: &str = "DPIKIT_LEDGER_CHILD";
/// Entries per batch in the crash test.
const CRASH_BATCH: u64 = 250;

fn at() -> Timestamp {
    parse_rfc3339("2026-03-01T09:00:00Z").unwrap()
}

fn nanos() -> u64 {
    u64::from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos())
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "dpikit-ledger-{name}-{}-{}",
            std::process::id(),
            nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("ledger.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Event `i`: three principals, five records, a small body.
fn event(i: u64) -> NewEntry {
    NewEntry::new(
        if i % 4 == 3 { "consent.withdrawn" } else { "consent.given" },
        format!("urn:uuid:c-{}", i % 5),
        format!("did:example:p{}", i % 3),
        json!({"purpose": "dpv:ServiceProvision", "n": i, "note": "résident \"A\"\n"}),
        at(),
    )
}

fn fill<S: Storage>(ledger: &mut Ledger<S>, from: u64, n: u64) {
    for i in from..from + n {
        let e = event(i);
        ledger.append(&e.kind, &e.record_id, &e.principal, e.body, e.at).unwrap();
    }
}

fn memory_ledger(n: u64) -> Ledger<MemoryStorage> {
    let mut ledger = Ledger::new(MemoryStorage::new()).unwrap();
    fill(&mut ledger, 0, n);
    ledger
}

fn every(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).unwrap()
}

/// The code and the seq an error names.
fn named(err: &ConsentError) -> (ErrorCode, Option<u64>) {
    let seq = match err {
        ConsentError::LedgerTampered { seq, .. }
        | ConsentError::LedgerEntryMissing(seq)
        | ConsentError::LedgerCheckpointInvalid(seq) => Some(*seq),
        _ => None,
    };
    (err.code(), seq)
}

fn verify_err<S: Storage>(storage: S) -> (ErrorCode, Option<u64>) {
    named(&Ledger::new(storage).unwrap().verify(None).unwrap_err())
}

fn check_chain_contents<S: Storage>(ledger: &Ledger<S>, n: u64) {
    let report = ledger.verify(None).unwrap();
    assert_eq!((report.entries, report.checkpoints), (n, 0));
    assert_eq!(ledger.len(), n);
    let first = ledger.get(0).unwrap().unwrap();
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(first.hash, first.compute_hash().unwrap());
    assert!(ledger.get(n).unwrap().is_none());
    let history = ledger.history("urn:uuid:c-1").unwrap();
    assert_eq!(history.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 6, 11, 16]);
    let principal = ledger.by_principal("did:example:p2").unwrap();
    assert_eq!(principal.len() as u64, (0..n).filter(|i| i % 3 == 2).count() as u64);
    assert!(principal.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(ledger.history("urn:uuid:none").unwrap().is_empty());
    let range = ledger.storage().range(3, 7).unwrap();
    assert_eq!(range.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 4, 5, 6]);
    assert_eq!(ledger.storage().head().unwrap().unwrap().seq, n - 1);
}

#[test]
fn memory_append_and_verify() {
    let ledger = memory_ledger(20);
    check_chain_contents(&ledger, 20);
    let empty = Ledger::new(MemoryStorage::new()).unwrap();
    assert_eq!(empty.verify(None).unwrap().entries, 0);
    assert_eq!(empty.head_hash(), GENESIS_HASH);
}

#[test]
fn sqlite_append_verify_and_reopen() {
    let dir = TempDir::new("reopen");
    {
        let mut ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
        fill(&mut ledger, 0, 12);
        assert_eq!(ledger.verify(None).unwrap().entries, 12);
    }
    // Reopening continues the chain: the next entry links to the stored head.
    let mut ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    assert_eq!(ledger.len(), 12);
    let head = ledger.head_hash();
    let entries = ledger.append_batch((12..20).map(event)).unwrap();
    assert_eq!(entries[0].seq, 12);
    assert_eq!(entries[0].prev_hash, head);
    check_chain_contents(&ledger, 20);
    drop(ledger);
    let ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    check_chain_contents(&ledger, 20);
    // What is read back equals what was appended.
    assert_eq!(ledger.get(7).unwrap().unwrap(), memory_ledger(20).get(7).unwrap().unwrap());
}

#[test]
fn batches_match_single_appends() {
    let mut batched = Ledger::new(MemoryStorage::new()).unwrap();
    batched.append_batch((0..5).map(event)).unwrap();
    batched.append_batch((5..20).map(event)).unwrap();
    assert!(batched.append_batch(Vec::new()).unwrap().is_empty());
    assert_eq!(batched.head_hash(), memory_ledger(20).head_hash());
    let mut sqlite = Ledger::new(SqliteStorage::open_in_memory().unwrap()).unwrap();
    sqlite.append_batch((0..20).map(event)).unwrap();
    assert_eq!(sqlite.head_hash(), batched.head_hash());
}

#[test]
fn unrepresentable_body_is_refused_and_nothing_is_appended() {
    let mut ledger = memory_ledger(3);
    let err = ledger.append("consent.given", "r", "p", json!({"n": u64::MAX}), at()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NumberOutOfRange);
    let mut batch: Vec<NewEntry> = (3..6).map(event).collect();
    batch[1].body = json!([9_007_199_254_740_993u64]);
    assert_eq!(ledger.append_batch(batch).unwrap_err().code(), ErrorCode::NumberOutOfRange);
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger.verify(None).unwrap().entries, 3);
}

fn tamper_memory(n: u64, edit: impl FnOnce(&mut Vec<Entry>)) -> (ErrorCode, Option<u64>) {
    let mut storage = memory_ledger(n).into_storage();
    storage.edit_raw(edit);
    verify_err(storage)
}

#[test]
fn memory_tampering_names_the_first_bad_entry() {
    use ErrorCode::{LedgerEntryMissing as Missing, LedgerTampered as Tampered};
    // Body changed.
    assert_eq!(
        tamper_memory(10, |e| e[4].body = json!({"purpose": "marketing"})),
        (Tampered, Some(4))
    );
    // Any other content member changed.
    assert_eq!(tamper_memory(10, |e| e[2].principal.push('x')), (Tampered, Some(2)));
    assert_eq!(tamper_memory(10, |e| e[0].at = "2027-01-01T00:00:00Z".into()), (Tampered, Some(0)));
    // Stored hash changed.
    assert_eq!(tamper_memory(10, |e| e[6].hash[0] ^= 1), (Tampered, Some(6)));
    // prev_hash changed.
    assert_eq!(tamper_memory(10, |e| e[3].prev_hash[31] ^= 1), (Tampered, Some(3)));
    // The last entry changed.
    assert_eq!(tamper_memory(10, |e| e[9].kind = "consent.revoked".into()), (Tampered, Some(9)));
    // An entry removed from the middle, and the first one.
    assert_eq!(tamper_memory(10, |e| drop(e.remove(5))), (Missing, Some(5)));
    assert_eq!(tamper_memory(10, |e| drop(e.remove(0))), (Missing, Some(0)));
    // Two entries swapped.
    assert_eq!(tamper_memory(10, |e| e.swap(3, 7)), (Tampered, Some(3)));
    assert_eq!(tamper_memory(10, |e| e.swap(8, 9)), (Tampered, Some(8)));
    // An entry duplicated.
    assert_eq!(
        tamper_memory(10, |e| {
            let dup = e[4].clone();
            e.insert(5, dup);
        }),
        (Tampered, Some(5))
    );
    // A modified entry re-hashed: the next entry's link breaks.
    assert_eq!(
        tamper_memory(10, |e| {
            e[4].body = json!({});
            e[4].hash = e[4].compute_hash().unwrap();
        }),
        (Tampered, Some(5))
    );
    // Two bad entries: the first is named.
    assert_eq!(
        tamper_memory(10, |e| {
            e[7].hash[0] ^= 1;
            e[2].body = json!(null);
        }),
        (Tampered, Some(2))
    );
}

/// Builds a 10-entry SQLite ledger, runs `sql` on the file, and verifies.
fn tamper_sqlite(sql: &str) -> (ErrorCode, Option<u64>) {
    let dir = TempDir::new("tamper");
    let mut ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    ledger.append_batch((0..10).map(event)).unwrap();
    drop(ledger);
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    verify_err(SqliteStorage::open(dir.db()).unwrap())
}

#[test]
fn sqlite_tampering_names_the_first_bad_entry() {
    use ErrorCode::{LedgerEntryMissing as Missing, LedgerTampered as Tampered};
    let t = tamper_sqlite;
    assert_eq!(
        t(r#"UPDATE ledger_entries SET body = '{"purpose":"marketing"}' WHERE seq = 4"#),
        (Tampered, Some(4))
    );
    assert_eq!(t("UPDATE ledger_entries SET body = 'not json' WHERE seq = 3"), (Tampered, Some(3)));
    assert_eq!(
        t("UPDATE ledger_entries SET principal = 'did:example:mallory' WHERE seq = 1"),
        (Tampered, Some(1))
    );
    assert_eq!(
        t("UPDATE ledger_entries SET hash = randomblob(32) WHERE seq = 6"),
        (Tampered, Some(6))
    );
    assert_eq!(t("UPDATE ledger_entries SET hash = x'00' WHERE seq = 2"), (Tampered, Some(2)));
    assert_eq!(
        t("UPDATE ledger_entries SET prev_hash = zeroblob(32) WHERE seq = 5"),
        (Tampered, Some(5))
    );
    assert_eq!(t("DELETE FROM ledger_entries WHERE seq = 5"), (Missing, Some(5)));
    assert_eq!(t("DELETE FROM ledger_entries WHERE seq IN (0, 1)"), (Missing, Some(0)));
    // Reordering: entries 3 and 7 trade places.
    assert_eq!(
        t("UPDATE ledger_entries SET seq = -1 WHERE seq = 3;
           UPDATE ledger_entries SET seq = 3 WHERE seq = 7;
           UPDATE ledger_entries SET seq = 7 WHERE seq = -1;"),
        (Tampered, Some(3))
    );
    // An entry inserted past the end that does not link.
    assert_eq!(
        t("INSERT INTO ledger_entries SELECT 10, at, kind, record_id, principal, body, prev_hash, hash
           FROM ledger_entries WHERE seq = 9"),
        (Tampered, Some(10))
    );
}

#[test]
fn checkpoints_verify_on_both_backends() {
    for key_type in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(key_type).unwrap();
        let public = key.public_key();
        let mut mem =
            Ledger::with_checkpoints(MemoryStorage::new(), Box::new(key.clone()), every(4))
                .unwrap();
        fill(&mut mem, 0, 10);
        mem.append_batch((10..21).map(event)).unwrap();
        let report = mem.verify(Some(&public)).unwrap();
        assert_eq!((report.entries, report.checkpoints), (21, 5));
        assert_eq!(
            mem.checkpoints().unwrap().iter().map(|c| c.seq).collect::<Vec<_>>(),
            [3, 7, 11, 15, 19]
        );
        assert_eq!(mem.verify(None).unwrap().checkpoints, 0);

        let dir = TempDir::new("checkpoints");
        let storage = SqliteStorage::open(dir.db()).unwrap();
        let mut sql = Ledger::with_checkpoints(storage, Box::new(key.clone()), every(4)).unwrap();
        sql.append_batch((0..21).map(event)).unwrap();
        drop(sql);
        let sql = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
        let report = sql.verify(Some(&public)).unwrap();
        assert_eq!((report.entries, report.checkpoints), (21, 5));
        assert_eq!(sql.storage().checkpoint(11).unwrap().unwrap().seq, 11);
        assert!(sql.storage().checkpoint(12).unwrap().is_none());
    }
}

#[test]
fn forged_checkpoints_fail() {
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let mallory = KeyPair::generate(KeyType::Ed25519).unwrap();
    let build = || {
        let mut l = Ledger::with_checkpoints(MemoryStorage::new(), Box::new(key.clone()), every(5))
            .unwrap();
        l.append_batch((0..10).map(event)).unwrap();
        l.into_storage()
    };
    let verify = |storage: MemoryStorage| {
        named(&Ledger::new(storage).unwrap().verify(Some(&key.public_key())).unwrap_err())
    };
    let invalid = |seq| (ErrorCode::LedgerCheckpointInvalid, Some(seq));

    // Signed by another key.
    let mut s = build();
    let head = s.get(4).unwrap().unwrap();
    s.put_checkpoint(&Checkpoint::sign(4, head.hash, &mallory).unwrap()).unwrap();
    assert_eq!(verify(s), invalid(4));

    // Genuinely signed, but for another hash.
    let mut s = build();
    s.put_checkpoint(&Checkpoint::sign(9, [7; 32], &key).unwrap()).unwrap();
    assert_eq!(verify(s), invalid(9));

    // A genuine JWS moved to another seq.
    let mut s = build();
    let mut moved = s.checkpoint(4).unwrap().unwrap();
    moved.seq = 9;
    moved.hash = s.get(9).unwrap().unwrap().hash;
    s.put_checkpoint(&moved).unwrap();
    assert_eq!(verify(s), invalid(9));

    // A corrupted signature.
    let mut s = build();
    let mut cp = s.checkpoint(4).unwrap().unwrap();
    // Flip one character in the middle of the signature segment.
    let i = cp.jws.len() - 20;
    let flipped = if &cp.jws[i..=i] == "A" { "B" } else { "A" };
    cp.jws.replace_range(i..=i, flipped);
    s.put_checkpoint(&cp).unwrap();
    assert_eq!(verify(s), invalid(4));
    let mut s = build();
    let mut cp = s.checkpoint(9).unwrap().unwrap();
    cp.jws = "not a jws".to_owned();
    s.put_checkpoint(&cp).unwrap();
    assert_eq!(verify(s), invalid(9));

    // A checkpoint in the SQLite file edited with SQL.
    let dir = TempDir::new("forged");
    let mut l = Ledger::with_checkpoints(
        SqliteStorage::open(dir.db()).unwrap(),
        Box::new(key.clone()),
        every(5),
    )
    .unwrap();
    l.append_batch((0..10).map(event)).unwrap();
    drop(l);
    let forged = Checkpoint::sign(4, [1; 32], &mallory).unwrap();
    rusqlite::Connection::open(dir.db())
        .unwrap()
        .execute(
            "UPDATE ledger_checkpoints SET hash = ?1, jws = ?2 WHERE seq = 4",
            rusqlite::params![&forged.hash[..], forged.jws],
        )
        .unwrap();
    let l = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    assert_eq!(named(&l.verify(Some(&key.public_key())).unwrap_err()), invalid(4));
    // Without a verifier checkpoints are not read.
    assert_eq!(l.verify(None).unwrap().entries, 10);
}

#[test]
fn checkpoints_catch_a_rewritten_or_truncated_chain() {
    let key = KeyPair::generate(KeyType::P256).unwrap();
    let mut ledger =
        Ledger::with_checkpoints(MemoryStorage::new(), Box::new(key.clone()), every(5)).unwrap();
    fill(&mut ledger, 0, 12);
    let storage = ledger.into_storage();

    // Entry 6 changed and every hash after it recomputed: the chain alone is consistent.
    let mut rewritten = storage.clone();
    rewritten.edit_raw(|entries| {
        entries[6].body = json!({"purpose": "marketing"});
        let mut prev = entries[5].hash;
        for e in &mut entries[6..] {
            e.prev_hash = prev;
            e.hash = e.compute_hash().unwrap();
            prev = e.hash;
        }
    });
    let ledger = Ledger::new(rewritten).unwrap();
    assert_eq!(ledger.verify(None).unwrap().entries, 12);
    let err = ledger.verify(Some(&key.public_key())).unwrap_err();
    assert_eq!(named(&err), (ErrorCode::LedgerCheckpointInvalid, Some(9)));

    // The tail cut off below the checkpoint at 9.
    let mut truncated = storage.clone();
    truncated.edit_raw(|entries| entries.truncate(8));
    let ledger = Ledger::new(truncated).unwrap();
    assert_eq!(ledger.verify(None).unwrap().entries, 8);
    let err = ledger.verify(Some(&key.public_key())).unwrap_err();
    assert_eq!(named(&err), (ErrorCode::LedgerEntryMissing, Some(8)));

    // Verifying with the wrong key.
    let other = KeyPair::generate(KeyType::P256).unwrap();
    let err = Ledger::new(storage).unwrap().verify(Some(&other.public_key())).unwrap_err();
    assert_eq!(named(&err), (ErrorCode::LedgerCheckpointInvalid, Some(4)));
}

#[test]
fn a_second_writer_cannot_fork_the_chain() {
    let dir = TempDir::new("fork");
    let mut a = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    let mut b = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    a.append_batch((0..3).map(event)).unwrap();
    // `b` still thinks the ledger is empty: its append is refused, then it catches up.
    let e = event(3);
    let err = b.append(&e.kind, &e.record_id, &e.principal, e.body.clone(), e.at).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LedgerStorage);
    assert_eq!(b.append(&e.kind, &e.record_id, &e.principal, e.body, e.at).unwrap().seq, 3);
    assert_eq!(a.verify(None).unwrap().entries, 4);
    // The storage refuses entries that do not link.
    let mut storage = MemoryStorage::new();
    let mut bad = memory_ledger(2).get(1).unwrap().unwrap();
    assert_eq!(
        storage.append_batch(std::slice::from_ref(&bad)).unwrap_err().code(),
        ErrorCode::LedgerStorage
    );
    bad.seq = 0;
    assert_eq!(storage.append_batch(&[bad]).unwrap_err().code(), ErrorCode::LedgerStorage);
    assert!(storage.is_empty().unwrap());
}

#[test]
fn opening_a_non_ledger_file_fails_with_storage_error() {
    let dir = TempDir::new("garbage");
    std::fs::write(dir.db(), vec![0x42u8; 4096]).unwrap();
    assert_eq!(SqliteStorage::open(dir.db()).unwrap_err().code(), ErrorCode::LedgerStorage);
    assert_eq!(
        SqliteStorage::open(dir.0.join("missing/dir/ledger.db")).unwrap_err().code(),
        ErrorCode::LedgerStorage
    );
}

/// The writer process of the crash test: does nothing unless `DPIKIT_LEDGER_CHILD` names a
/// database, then appends batches to it until it is killed.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else { return };
    let mut ledger = Ledger::new(SqliteStorage::open(&path).unwrap()).unwrap();
    loop {
        let from = ledger.len();
        ledger.append_batch((from..from + CRASH_BATCH).map(event)).unwrap();
    }
}

/// Counts committed entries through a read-only connection (0 before the table exists).
fn committed(path: &Path) -> u64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    rusqlite::Connection::open_with_flags(path, flags)
        .and_then(|c| {
            c.query_row("SELECT COUNT(*) FROM ledger_entries", [], |r| r.get::<_, i64>(0))
        })
        .map_or(0, |n| u64::try_from(n).unwrap())
}

#[test]
fn killed_writer_leaves_whole_batches() {
    let started = Instant::now();
    let dir = TempDir::new("crash");
    let path = dir.db();
    let exe = std::env::current_exe().unwrap();
    let mut rng = nanos() | 1;
    for round in 0..4 {
        let before = committed(&path);
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Let it commit at least one batch, then kill it after a random 0–30 ms.
        let deadline = Instant::now() + Duration::from_secs(3);
        while committed(&path) <= before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(rng % 31));
        child.kill().unwrap();
        child.wait().unwrap();

        let storage = SqliteStorage::open(&path).unwrap();
        let n = storage.len().unwrap();
        assert!(n > before, "round {round}: the child committed nothing");
        assert_eq!(n % CRASH_BATCH, 0, "round {round}: {n} entries is not whole batches");
        let report = Ledger::new(storage).unwrap().verify(None).unwrap();
        assert_eq!(report.entries, n);
    }
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

/// Per-principal queries over record snapshots on SQLite: all consents of a person, the
/// active consents for a controller and purpose (expiry, withdrawal and other controllers
/// excluded), and the history of one record, after reopening the database.
#[test]
fn snapshot_queries_on_sqlite() {
    use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
    let dir = TempDir::new("queries");
    let welfare = "did:web:welfare.city.example";
    let eligibility = Code::new(Scheme::Dpv, "dpv:ServiceProvision");
    let t = at();
    {
        let mut ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
        for (i, who) in
            ["did:example:ana", "did:example:ben", "did:example:chen"].iter().enumerate()
        {
            let controller = if i == 2 { "did:web:parks.city.example" } else { welfare };
            let mut r = ConsentRecord::request(
                format!("urn:uuid:c-{i}"),
                *who,
                Party::new(controller, "Dept"),
                Purpose::new(eligibility.clone(), "Check eligibility"),
            );
            ledger.append_record("consent.requested", &r, t).unwrap();
            r.give(t, who).unwrap();
            ledger.append_record("consent.given", &r, t).unwrap();
            if i == 1 {
                r.withdraw(t, who, Some("moved away")).unwrap();
                ledger.append_record("consent.withdrawn", &r, t).unwrap();
            }
        }
    }
    let ledger = Ledger::new(SqliteStorage::open(dir.db()).unwrap()).unwrap();
    let active = ledger.active_consents(welfare, &eligibility, t).unwrap();
    assert_eq!(active.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["urn:uuid:c-0"]);
    assert_eq!(ledger.current_records(Some("did:example:ben")).unwrap().len(), 1);
    assert_eq!(ledger.current_records(None).unwrap().len(), 3);
    assert_eq!(ledger.history("urn:uuid:c-1").unwrap().len(), 3);
    let ben = ledger.current_record("urn:uuid:c-1").unwrap().unwrap();
    assert_eq!(ben.state, dpikit_consent::lifecycle::State::Withdrawn);
    assert!(ledger.current_record("urn:uuid:none").unwrap().is_none());
    assert_eq!(ledger.verify(None).unwrap().entries, 7);
}
