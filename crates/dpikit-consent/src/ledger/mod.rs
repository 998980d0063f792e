//! A tamper-evident, append-only ledger of consent events.
//!
//! Every [`Entry`] carries the SHA-256 of its own content chained to the hash of the entry
//! before it:
//!
//! ```text
//! hash = SHA-256( JCS({at, body, kind, prev_hash, principal, record_id, seq}) ‖ prev_hash )
//! ```
//!
//! where `prev_hash` is written in the JCS object as lowercase hex and appended as its 32 raw
//! bytes; the first entry's `prev_hash` is 32 zero bytes. Changing, removing, inserting or
//! reordering a stored entry breaks the chain at that entry, and [`Ledger::verify`] names the
//! first entry that does not fit.
//!
//! A hash chain alone cannot tell a rewrite of the whole chain from its end onwards, nor a
//! truncation of its tail. Signed checkpoints close that gap: a ledger built with
//! [`Ledger::with_checkpoints`] signs the head hash every N entries (a compact JWS, EdDSA or
//! ES256, over the JCS object `{"hash", "seq"}`), and [`Ledger::verify`] checks them when it
//! is given the public key.
//!
//! Storage is pluggable through [`Storage`]; [`MemoryStorage`] and, with the default-on
//! `sqlite` feature, `SqliteStorage` are provided.

use core::fmt;
use core::num::NonZeroU64;
use core::ops::ControlFlow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use dpikit_core::encoding::hex_encode;
use dpikit_core::jcs;
use dpikit_core::json::{Limits, parse_json};
use dpikit_core::jws::{self, SignOptions, Signer, Verifier, VerifyOptions};
use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::check::{Request, check};
use crate::model::{Code, ConsentRecord};
use crate::{ConsentError, Result};

mod memory;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use memory::MemoryStorage;
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteStorage, Synchronous};

/// The `prev_hash` of the first entry: 32 zero bytes.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// The JWS `typ` of a signed checkpoint.
pub const CHECKPOINT_TYP: &str = "dpikit-ledger-checkpoint+jws";

/// The largest sequence number: 2^53, the largest integer JCS writes exactly.
const MAX_SEQ: u64 = 1 << 53;

/// Limits for a checkpoint's JWS payload (a two-member object).
const CHECKPOINT_LIMITS: Limits = Limits { max_bytes: 1024, max_depth: 2 };

/// One event in the ledger, with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the ledger, from 0, without gaps.
    pub seq: u64,
    /// When the event happened (RFC 3339, UTC).
    pub at: String,
    /// What happened, e.g. `consent.given` or `consent.withdrawn`.
    pub kind: String,
    /// The consent record the event is about.
    pub record_id: String,
    /// The data principal the record belongs to.
    pub principal: String,
    /// Event detail (any JSON whose numbers JCS can represent).
    pub body: Value,
    /// The hash of the entry before (32 zero bytes for the first).
    #[serde(with = "hex32")]
    pub prev_hash: [u8; 32],
    /// SHA-256 over the JCS bytes of every other member, then `prev_hash`.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
}

impl Entry {
    /// Computes the hash this entry should carry from its content and `prev_hash`.
    ///
    /// # Errors
    ///
    /// [`ConsentError::Core`] with `number_out_of_range` when `body` holds an integer JCS
    /// cannot represent; [`ConsentError::LedgerStorage`] when `seq` is above 2^53.
    pub fn compute_hash(&self) -> Result<[u8; 32]> {
        let body = jcs::canonicalize(&self.body)?;
        let mut scratch = Vec::with_capacity(256 + body.len());
        chain_hash(self, &body, &mut scratch)
    }

    /// Returns the entry's hash as lowercase hex.
    #[must_use]
    pub fn hash_hex(&self) -> String {
        hex_encode(&self.hash)
    }
}

/// Writes the JCS bytes of `entry` without `hash` into `scratch` (cleared first), given the
/// JCS bytes of its body, and returns SHA-256 of them followed by the raw `prev_hash`.
///
/// The envelope's member names are ASCII and fixed, so they are written in their RFC 8785
/// order directly; the body is canonicalised by [`jcs::canonicalize`] and strings are escaped
/// as RFC 8785 requires. A unit test pins the result to `jcs::canonicalize` of the same
/// object built as a `Value`.
fn chain_hash(entry: &Entry, body_jcs: &[u8], scratch: &mut Vec<u8>) -> Result<[u8; 32]> {
    if entry.seq > MAX_SEQ {
        return Err(ConsentError::LedgerStorage(format!(
            "sequence number {} is beyond 2^53",
            entry.seq
        )));
    }
    scratch.clear();
    scratch.extend_from_slice(b"{\"at\":");
    write_jcs_string(&entry.at, scratch);
    scratch.extend_from_slice(b",\"body\":");
    scratch.extend_from_slice(body_jcs);
    scratch.extend_from_slice(b",\"kind\":");
    write_jcs_string(&entry.kind, scratch);
    scratch.extend_from_slice(b",\"prev_hash\":\"");
    write_hex(&entry.prev_hash, scratch);
    scratch.extend_from_slice(b"\",\"principal\":");
    write_jcs_string(&entry.principal, scratch);
    scratch.extend_from_slice(b",\"record_id\":");
    write_jcs_string(&entry.record_id, scratch);
    scratch.extend_from_slice(b",\"seq\":");
    scratch.extend_from_slice(entry.seq.to_string().as_bytes());
    scratch.push(b'}');
    let mut hasher = Sha256::new();
    hasher.update(&scratch[..]);
    hasher.update(entry.prev_hash);
    Ok(hasher.finalize().into())
}

/// Writes lowercase hex.
fn write_hex(bytes: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0f)]);
    }
}

/// Writes a string literal as RFC 8785 §3.2.2.2 (ECMAScript `JSON.stringify`) does.
fn write_jcs_string(s: &str, out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
        run = i + 1;
        if short == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(DIGITS[usize::from(b >> 4)]);
            out.push(DIGITS[usize::from(b & 0x0f)]);
        } else {
            out.push(b'\\');
            out.push(short);
        }
    }
    out.extend_from_slice(bytes.get(run..).unwrap_or_default());
    out.push(b'"');
}

/// A signed statement that the ledger's entry `seq` had hash `hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The entry the checkpoint covers (the head when it was made).
    pub seq: u64,
    /// That entry's hash.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
    /// Compact JWS, `typ` [`CHECKPOINT_TYP`], over the JCS bytes of `{"hash": hex, "seq": n}`.
    pub jws: String,
}

/// The signed payload of a checkpoint.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointPayload {
    hash: String,
    seq: u64,
}

impl Checkpoint {
    /// Signs a checkpoint for entry `seq` with hash `hash`.
    ///
    /// # Errors
    ///
    /// Errors of the signer, as [`ConsentError::Core`].
    pub fn sign(seq: u64, hash: [u8; 32], signer: &dyn Signer) -> Result<Self> {
        let payload =
            jcs::canonicalize_serialize(&CheckpointPayload { hash: hex_encode(&hash), seq })?;
        let opts = SignOptions { typ: Some(CHECKPOINT_TYP.to_owned()), ..SignOptions::default() };
        let jws = jws::sign(&payload, signer, &opts)?;
        Ok(Checkpoint { seq, hash, jws })
    }

    /// Verifies the signature with `verifier` and checks that the signed payload names this
    /// checkpoint's `seq` and `hash`.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerCheckpointInvalid`] for a bad signature, a wrong `typ`, a
    /// malformed payload or a payload that does not match.
    pub fn verify(&self, verifier: &dyn Verifier) -> Result<()> {
        let invalid = || ConsentError::LedgerCheckpointInvalid(self.seq);
        let verified =
            jws::verify(&self.jws, verifier, &VerifyOptions::default()).map_err(|_| invalid())?;
        if verified.header.typ.as_deref() != Some(CHECKPOINT_TYP) {
            return Err(invalid());
        }
        let value = parse_json(&verified.payload, &CHECKPOINT_LIMITS).map_err(|_| invalid())?;
        let payload: CheckpointPayload = serde_json::from_value(value).map_err(|_| invalid())?;
        if payload.seq != self.seq || payload.hash != hex_encode(&self.hash) {
            return Err(invalid());
        }
        Ok(())
    }
}

/// What a storage backend keeps: entries in `seq` order and checkpoints.
///
/// Backends store and return what they are given; the chain's integrity is checked by
/// [`Ledger::verify`], not trusted to the backend. Failures of the backend itself are
/// [`ConsentError::LedgerStorage`]; a stored row that cannot be read back as an entry is
/// [`ConsentError::LedgerTampered`].
pub trait Storage: Send {
    /// Appends entries atomically: all of them or none.
    ///
    /// The first entry must follow the stored head (`seq` one more, `prev_hash` its hash)
    /// and each entry must follow the one before it in the slice.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the entries do not follow the head (another
    /// writer appended first) or the backend fails; nothing is stored then.
    fn append_batch(&mut self, entries: &[Entry]) -> Result<()>;

    /// Returns the entry with sequence number `seq`, if stored.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the backend fails; [`ConsentError::LedgerTampered`]
    /// when the stored row is malformed.
    fn get(&self, seq: u64) -> Result<Option<Entry>>;

    /// Returns the number of stored entries.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the backend fails.
    fn len(&self) -> Result<u64>;

    /// Returns whether no entry is stored.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the backend fails.
    fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Returns the entry with the highest sequence number, if any.
    ///
    /// # Errors
    ///
    /// As [`Storage::get`].
    fn head(&self) -> Result<Option<Entry>>;

    /// Calls `visit` on every stored entry from sequence number `from` on, in storage order
    /// (ascending `seq` unless the storage was tampered with), until it returns
    /// `ControlFlow::Break` or an error.
    ///
    /// # Errors
    ///
    /// The first error of `visit`, or as [`Storage::get`].
    fn scan(
        &self,
        from: u64,
        visit: &mut dyn FnMut(&Entry) -> Result<ControlFlow<()>>,
    ) -> Result<()>;

    /// Returns the entries with `from <= seq < to`, in order.
    ///
    /// # Errors
    ///
    /// As [`Storage::scan`].
    fn range(&self, from: u64, to: u64) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        self.scan(from, &mut |e| {
            if e.seq >= to {
                return Ok(ControlFlow::Break(()));
            }
            out.push(e.clone());
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(out)
    }

    /// Returns every entry about data principal `principal`, in order.
    ///
    /// # Errors
    ///
    /// As [`Storage::get`].
    fn by_principal(&self, principal: &str) -> Result<Vec<Entry>>;

    /// Returns every entry about consent record `record_id`, in order.
    ///
    /// # Errors
    ///
    /// As [`Storage::get`].
    fn by_record(&self, record_id: &str) -> Result<Vec<Entry>>;

    /// Stores a checkpoint, replacing any stored for the same `seq`.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the backend fails.
    fn put_checkpoint(&mut self, checkpoint: &Checkpoint) -> Result<()>;

    /// Returns the checkpoint stored for `seq`, if any.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the backend fails or the row is malformed.
    fn checkpoint(&self, seq: u64) -> Result<Option<Checkpoint>>;

    /// Returns every stored checkpoint, by ascending `seq`.
    ///
    /// # Errors
    ///
    /// As [`Storage::checkpoint`].
    fn checkpoints(&self) -> Result<Vec<Checkpoint>>;
}

/// Checks that `entries` can be appended after `head` (by `seq` and hash).
pub(crate) fn check_follows(head: Option<(u64, [u8; 32])>, entries: &[Entry]) -> Result<()> {
    let mut expected = head.map_or((0, GENESIS_HASH), |(seq, hash)| (seq + 1, hash));
    for e in entries {
        if e.seq != expected.0 || e.prev_hash != expected.1 {
            return Err(ConsentError::LedgerStorage(format!(
                "entry {} does not follow entry {} (another writer may have appended)",
                e.seq,
                expected.0.wrapping_sub(1)
            )));
        }
        expected = (e.seq + 1, e.hash);
    }
    Ok(())
}

/// An event to append: everything but the chain fields.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    /// What happened, e.g. `consent.given`.
    pub kind: String,
    /// The consent record the event is about.
    pub record_id: String,
    /// The data principal.
    pub principal: String,
    /// Event detail.
    pub body: Value,
    /// When it happened.
    pub at: Timestamp,
}

impl NewEntry {
    /// Creates an event carrying a snapshot of `record` (body `{"record": …}`), which the
    /// ledger's record queries read back; see [`Ledger::append_record`].
    #[must_use]
    pub fn snapshot(kind: impl Into<String>, record: &ConsentRecord, at: Timestamp) -> Self {
        NewEntry::new(kind, record.id.clone(), record.principal.clone(), snapshot_body(record), at)
    }

    /// Creates an event to append.
    pub fn new(
        kind: impl Into<String>,
        record_id: impl Into<String>,
        principal: impl Into<String>,
        body: Value,
        at: Timestamp,
    ) -> Self {
        NewEntry {
            kind: kind.into(),
            record_id: record_id.into(),
            principal: principal.into(),
            body,
            at,
        }
    }
}

/// The result of a successful [`Ledger::verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyReport {
    /// How many entries were checked (the whole chain).
    pub entries: u64,
    /// How many signed checkpoints verified (0 without a verifier).
    pub checkpoints: u64,
}

/// Signs a checkpoint every `every` entries.
struct CheckpointPolicy {
    signer: Box<dyn Signer + Send>,
    every: NonZeroU64,
}

/// A tamper-evident consent ledger over a [`Storage`].
///
/// Appends chain each entry to the one before it; [`Ledger::verify`] walks the whole chain.
/// A ledger opened on storage that already holds entries continues its chain.
///
/// # Examples
///
/// ```
/// use dpikit_consent::ledger::{Ledger, MemoryStorage};
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_core::time::parse_rfc3339;
/// use serde_json::json;
///
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let every = std::num::NonZeroU64::new(2).unwrap();
/// let mut ledger = Ledger::with_checkpoints(MemoryStorage::new(), Box::new(key.clone()), every)?;
/// let at = parse_rfc3339("2026-03-01T09:00:00Z")?;
/// ledger.append("consent.given", "urn:uuid:c-1", "did:example:ana", json!({"purpose": "housing"}), at)?;
/// let entry = ledger.append("consent.withdrawn", "urn:uuid:c-1", "did:example:ana", json!({}), at)?;
/// assert_eq!(entry.seq, 1);
///
/// let report = ledger.verify(Some(&key.public_key()))?;
/// assert_eq!((report.entries, report.checkpoints), (2, 1));
/// assert_eq!(ledger.history("urn:uuid:c-1")?.len(), 2);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub struct Ledger<S: Storage> {
    storage: S,
    /// The stored head's `seq` and hash.
    head: Option<(u64, [u8; 32])>,
    checkpoints: Option<CheckpointPolicy>,
}

impl<S: Storage> fmt::Debug for Ledger<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ledger")
            .field("head_seq", &self.head.map(|(seq, _)| seq))
            .field("checkpoint_every", &self.checkpoints.as_ref().map(|c| c.every))
            .finish_non_exhaustive()
    }
}

impl<S: Storage> Ledger<S> {
    /// Opens a ledger on `storage`, continuing the chain it holds, without checkpoints.
    ///
    /// Opening reads only the head; call [`Ledger::verify`] to check what is stored.
    ///
    /// # Errors
    ///
    /// As [`Storage::head`].
    pub fn new(storage: S) -> Result<Self> {
        let head = storage.head()?.map(|e| (e.seq, e.hash));
        Ok(Ledger { storage, head, checkpoints: None })
    }

    /// Opens a ledger on `storage` that signs a checkpoint of the head with `signer` each
    /// time the number of entries reaches a multiple of `every`.
    ///
    /// # Errors
    ///
    /// As [`Storage::head`].
    pub fn with_checkpoints(
        storage: S,
        signer: Box<dyn Signer + Send>,
        every: NonZeroU64,
    ) -> Result<Self> {
        let mut ledger = Self::new(storage)?;
        ledger.checkpoints = Some(CheckpointPolicy { signer, every });
        Ok(ledger)
    }

    /// Returns the storage.
    #[must_use]
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Returns the storage, closing the ledger.
    #[must_use]
    pub fn into_storage(self) -> S {
        self.storage
    }

    /// Returns the number of entries (the head's `seq` + 1), as cached by this ledger.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.head.map_or(0, |(seq, _)| seq + 1)
    }

    /// Returns whether the ledger has no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Returns the head's hash (32 zero bytes for an empty ledger).
    #[must_use]
    pub fn head_hash(&self) -> [u8; 32] {
        self.head.map_or(GENESIS_HASH, |(_, hash)| hash)
    }

    /// Appends one event and returns its entry.
    ///
    /// # Errors
    ///
    /// [`ConsentError::Core`] (`number_out_of_range`) for a body JCS cannot represent;
    /// [`ConsentError::LedgerStorage`] when the storage fails or another writer appended
    /// first; errors of the checkpoint signer.
    pub fn append(
        &mut self,
        kind: &str,
        record_id: &str,
        principal: &str,
        body: Value,
        at: Timestamp,
    ) -> Result<Entry> {
        let mut entries =
            self.append_batch(vec![NewEntry::new(kind, record_id, principal, body, at)])?;
        entries.pop().ok_or_else(|| ConsentError::LedgerStorage("empty append".to_owned()))
    }

    /// Appends events atomically, in order, and returns their entries.
    ///
    /// The storage writes the batch in one transaction: after a crash it holds all of the
    /// batch or none of it.
    ///
    /// # Errors
    ///
    /// As [`Ledger::append`]; nothing is appended on error.
    pub fn append_batch(
        &mut self,
        items: impl IntoIterator<Item = NewEntry>,
    ) -> Result<Vec<Entry>> {
        let items = items.into_iter();
        let mut entries = Vec::with_capacity(items.size_hint().0);
        let (mut seq, mut prev_hash) = match self.head {
            Some((seq, hash)) => (seq + 1, hash),
            None => (0, GENESIS_HASH),
        };
        let mut scratch = Vec::with_capacity(512);
        for item in items {
            let body_jcs = jcs::canonicalize(&item.body)?;
            let mut entry = Entry {
                seq,
                at: format_rfc3339(&item.at),
                kind: item.kind,
                record_id: item.record_id,
                principal: item.principal,
                body: item.body,
                prev_hash,
                hash: GENESIS_HASH,
            };
            entry.hash = chain_hash(&entry, &body_jcs, &mut scratch)?;
            prev_hash = entry.hash;
            seq += 1;
            entries.push(entry);
        }
        let Some(last) = entries.last() else {
            return Ok(entries);
        };
        let new_head = (last.seq, last.hash);
        if let Err(e) = self.storage.append_batch(&entries) {
            // Another writer may have moved the head: pick it up for the next append.
            if let Ok(head) = self.storage.head() {
                self.head = head.map(|e| (e.seq, e.hash));
            }
            return Err(e);
        }
        self.head = Some(new_head);
        if let Some(policy) = &self.checkpoints {
            let every = policy.every.get();
            for e in entries.iter().filter(|e| (e.seq + 1) % every == 0) {
                let cp = Checkpoint::sign(e.seq, e.hash, policy.signer.as_ref())?;
                self.storage.put_checkpoint(&cp)?;
            }
        }
        Ok(entries)
    }

    /// Returns the entry with sequence number `seq`, if stored.
    ///
    /// # Errors
    ///
    /// As [`Storage::get`].
    pub fn get(&self, seq: u64) -> Result<Option<Entry>> {
        self.storage.get(seq)
    }

    /// Returns every event about consent record `record_id`, in order.
    ///
    /// The entries are returned as stored; run [`Ledger::verify`] to trust them.
    ///
    /// # Errors
    ///
    /// As [`Storage::by_record`].
    pub fn history(&self, record_id: &str) -> Result<Vec<Entry>> {
        self.storage.by_record(record_id)
    }

    /// Returns every event about data principal `principal`, in order.
    ///
    /// # Errors
    ///
    /// As [`Storage::by_principal`].
    pub fn by_principal(&self, principal: &str) -> Result<Vec<Entry>> {
        self.storage.by_principal(principal)
    }

    /// Appends a snapshot of `record` as event `kind` (e.g. `consent.given`) and returns
    /// its entry.
    ///
    /// The body is `{"record": <the record as JSON>}`; [`Ledger::current_records`],
    /// [`Ledger::current_record`] and [`Ledger::active_consents`] read these snapshots back.
    ///
    /// # Errors
    ///
    /// As [`Ledger::append`].
    pub fn append_record(
        &mut self,
        kind: &str,
        record: &ConsentRecord,
        at: Timestamp,
    ) -> Result<Entry> {
        let mut entries = self.append_batch([NewEntry::snapshot(kind, record, at)])?;
        entries.pop().ok_or_else(|| ConsentError::LedgerStorage("empty append".to_owned()))
    }

    /// Returns the latest snapshot of consent record `record_id`, if the ledger holds one.
    ///
    /// # Errors
    ///
    /// As [`Storage::by_record`]; [`ConsentError::MalformedConsent`] for a snapshot that
    /// does not parse as a record.
    pub fn current_record(&self, record_id: &str) -> Result<Option<ConsentRecord>> {
        let mut latest = None;
        for entry in self.storage.by_record(record_id)? {
            if let Some(record) = snapshot_of(&entry)? {
                latest = Some(record);
            }
        }
        Ok(latest)
    }

    /// Returns the latest snapshot of every consent record of `principal` (all of them
    /// when `principal` is `None`), ordered by record id.
    ///
    /// # Errors
    ///
    /// As [`Ledger::current_record`].
    pub fn current_records(&self, principal: Option<&str>) -> Result<Vec<ConsentRecord>> {
        let mut latest: BTreeMap<String, ConsentRecord> = BTreeMap::new();
        let mut keep = |entry: &Entry| -> Result<()> {
            if let Some(record) = snapshot_of(entry)? {
                latest.insert(record.id.clone(), record);
            }
            Ok(())
        };
        match principal {
            Some(p) => {
                for entry in self.storage.by_principal(p)? {
                    keep(&entry)?;
                }
            }
            None => self
                .storage
                .scan(0, &mut |entry| keep(entry).map(|()| ControlFlow::Continue(())))?,
        }
        Ok(latest.into_values().collect())
    }

    /// Returns the current records under which `controller` may use data for `purpose` at
    /// `at` (see [`crate::check::check`]), ordered by record id.
    ///
    /// # Errors
    ///
    /// As [`Ledger::current_records`], and [`ConsentError::MalformedConsent`] for a record
    /// whose own timestamps are invalid.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::ledger::{Ledger, MemoryStorage};
    /// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
    /// use dpikit_core::time::parse_rfc3339;
    ///
    /// let purpose = Code::new(Scheme::Dpv, "dpv:ServiceProvision");
    /// let city = "did:web:city.example";
    /// let mut r = ConsentRecord::request("c-1", "did:example:ana", Party::new(city, "City"),
    ///     Purpose::new(purpose.clone(), "Housing subsidy"));
    /// let t = parse_rfc3339("2026-03-01T09:00:00Z")?;
    /// let mut ledger = Ledger::new(MemoryStorage::new())?;
    /// r.give(t, "did:example:ana")?;
    /// ledger.append_record("consent.given", &r, t)?;
    /// assert_eq!(ledger.active_consents(city, &purpose, t)?.len(), 1);
    /// r.withdraw(t, "did:example:ana", None)?;
    /// ledger.append_record("consent.withdrawn", &r, t)?;
    /// assert!(ledger.active_consents(city, &purpose, t)?.is_empty());
    /// assert_eq!(ledger.current_records(Some("did:example:ana"))?.len(), 1);
    /// # Ok::<(), dpikit_consent::ConsentError>(())
    /// ```
    pub fn active_consents(
        &self,
        controller: &str,
        purpose: &Code,
        at: Timestamp,
    ) -> Result<Vec<ConsentRecord>> {
        let request = Request::new(controller, purpose, at);
        let mut out = Vec::new();
        for record in self.current_records(None)? {
            if check(&record, &request)?.allowed {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// Returns every stored checkpoint.
    ///
    /// # Errors
    ///
    /// As [`Storage::checkpoints`].
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        self.storage.checkpoints()
    }

    /// Walks the whole chain and, given a `verifier`, checks every stored checkpoint.
    ///
    /// Each entry must have the next `seq`, carry the previous entry's hash as `prev_hash`
    /// and carry the hash of its own content. Without a verifier checkpoints are not read.
    /// With one, each must verify and match the chain, and a checkpoint beyond the last
    /// entry means entries were cut off the end.
    ///
    /// # Errors
    ///
    /// For the first entry that does not fit: [`ConsentError::LedgerEntryMissing`] for a gap
    /// in the sequence (or a tail cut off below a signed checkpoint),
    /// [`ConsentError::LedgerTampered`] for any other mismatch (content, hash, `prev_hash`,
    /// order, a malformed stored row). [`ConsentError::LedgerCheckpointInvalid`] for a
    /// checkpoint that does not verify or does not match the chain;
    /// [`ConsentError::LedgerStorage`] when the storage fails.
    pub fn verify(&self, verifier: Option<&dyn Verifier>) -> Result<VerifyReport> {
        let mut pending: BTreeMap<u64, Checkpoint> = match verifier {
            Some(_) => self.storage.checkpoints()?.into_iter().map(|c| (c.seq, c)).collect(),
            None => BTreeMap::new(),
        };
        let mut expected = 0u64;
        let mut prev = GENESIS_HASH;
        let mut checked = 0u64;
        let mut scratch = Vec::with_capacity(512);
        let storage = &self.storage;
        storage.scan(0, &mut |e| {
            let seq = expected;
            if e.seq != seq {
                // An entry out of place is tampering if the expected one is stored elsewhere.
                if e.seq > seq && storage.get(seq)?.is_none() {
                    return Err(ConsentError::LedgerEntryMissing(seq));
                }
                return Err(tampered(
                    seq,
                    format!("entry {} is stored where {seq} belongs", e.seq),
                ));
            }
            if e.prev_hash != prev {
                return Err(tampered(seq, "prev_hash is not the hash of the entry before"));
            }
            let body = jcs::canonicalize(&e.body)
                .map_err(|err| tampered(seq, format!("body cannot be canonicalised: {err}")))?;
            let hash = chain_hash(e, &body, &mut scratch)?;
            if hash != e.hash {
                return Err(tampered(seq, "hash does not match the entry's content"));
            }
            if let (Some(cp), Some(verifier)) = (pending.remove(&seq), verifier) {
                if cp.hash != hash {
                    return Err(ConsentError::LedgerCheckpointInvalid(seq));
                }
                cp.verify(verifier)?;
                checked += 1;
            }
            prev = hash;
            expected += 1;
            Ok(ControlFlow::Continue(()))
        })?;
        if let (Some((_, cp)), Some(verifier)) = (pending.pop_first(), verifier) {
            // A genuine checkpoint beyond the end: the tail was cut off.
            cp.verify(verifier)?;
            return Err(ConsentError::LedgerEntryMissing(expected));
        }
        Ok(VerifyReport { entries: expected, checkpoints: checked })
    }
}

/// Builds a [`ConsentError::LedgerTampered`].
pub(crate) fn tampered(seq: u64, reason: impl Into<String>) -> ConsentError {
    ConsentError::LedgerTampered { seq, reason: reason.into() }
}

/// Serde for `[u8; 32]` as lowercase hex.
mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&dpikit_core::encoding::hex_encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        if text.len() != 64 || text.bytes().any(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(D::Error::custom("expected 64 lowercase hex digits"));
        }
        let bytes = dpikit_core::encoding::hex_decode(&text).map_err(D::Error::custom)?;
        <[u8; 32]>::try_from(bytes.as_slice()).map_err(D::Error::custom)
    }
}

/// The ledger body of a record snapshot: `{"record": …}`.
fn snapshot_body(record: &ConsentRecord) -> Value {
    let mut body = serde_json::Map::with_capacity(1);
    body.insert("record".to_owned(), record.to_value());
    Value::Object(body)
}

/// Reads the record snapshot an entry carries, if it carries one.
fn snapshot_of(entry: &Entry) -> Result<Option<ConsentRecord>> {
    let Some(record) = entry.body.get("record") else {
        return Ok(None);
    };
    let record: ConsentRecord = serde_json::from_value(record.clone())
        .map_err(|e| ConsentError::MalformedConsent(format!("ledger entry {}: {e}", entry.seq)))?;
    Ok(Some(record))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use serde_json::json;

    fn entry(strings: &str, body: Value) -> Entry {
        Entry {
            seq: 9_007_199_254_740_992,
            at: format!("2026-03-01T09:00:00Z{strings}"),
            kind: format!("consent.given{strings}"),
            record_id: strings.to_owned(),
            principal: format!("did:example:{strings}"),
            body,
            prev_hash: [0xa5; 32],
            hash: GENESIS_HASH,
        }
    }

    /// The hand-written envelope equals `jcs::canonicalize` of the same object.
    #[test]
    fn envelope_matches_reference_jcs() {
        let tricky = [
            "",
            "plain",
            "quote\" backslash\\ slash/",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}",
            "é € \u{2028}\u{2029} 😂 \u{fb33}",
        ];
        let bodies = [
            json!(null),
            json!({"b": [1.0, 1e21, -0.0], "a": "\u{20ac}\n", "\u{1F602}": 1, "\u{FB33}": 2}),
            json!([{"z": {"y": true}}, 0.5, "x"]),
        ];
        for s in tricky {
            for body in &bodies {
                let e = entry(s, body.clone());
                let reference = json!({
                    "seq": e.seq, "at": e.at, "kind": e.kind, "record_id": e.record_id,
                    "principal": e.principal, "body": e.body, "prev_hash": hex_encode(&e.prev_hash),
                });
                let mut expected = jcs::canonicalize(&reference).unwrap();
                let mut scratch = Vec::new();
                let hash = chain_hash(&e, &jcs::canonicalize(body).unwrap(), &mut scratch).unwrap();
                assert_eq!(String::from_utf8_lossy(&scratch), String::from_utf8_lossy(&expected));
                expected.extend_from_slice(&e.prev_hash);
                assert_eq!(hash, <[u8; 32]>::from(Sha256::digest(&expected)));
            }
        }
    }

    #[test]
    fn seq_beyond_2_53_is_refused() {
        let mut e = entry("x", json!(1));
        e.seq += 1;
        assert!(e.compute_hash().is_err());
    }

    #[test]
    fn entry_json_roundtrip() {
        let mut e = entry("x", json!({"a": 1}));
        e.hash = e.compute_hash().unwrap();
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(&e.hash_hex()));
        assert_eq!(serde_json::from_str::<Entry>(&text).unwrap(), e);
        let bad = text.replace(&e.hash_hex(), &"A".repeat(64));
        assert!(serde_json::from_str::<Entry>(&bad).is_err());
    }
}
