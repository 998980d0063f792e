//! The SQLite storage backend.
//!
//! One table of entries keyed by `seq`, indexed by principal and by record, and one table of
//! checkpoints. The database runs in WAL mode: readers never block the writer, and a commit
//! is one append to the log. Each [`Storage::append_batch`] is one `BEGIN IMMEDIATE`
//! transaction, so a crash leaves whole batches only.

use core::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value;

use super::{Checkpoint, Entry, Storage, check_follows, tampered};
use crate::{ConsentError, Result};

/// The schema version written to `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// Creates the schema; every statement is idempotent.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ledger_entries (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    principal TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS ledger_entries_principal ON ledger_entries (principal, seq);
CREATE INDEX IF NOT EXISTS ledger_entries_record ON ledger_entries (record_id, seq);
CREATE TABLE IF NOT EXISTS ledger_checkpoints (
    seq  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL,
    jws  TEXT NOT NULL
) STRICT;
";

/// The entry columns, in the order [`row_to_entry`] reads them.
const COLUMNS: &str = "seq, at, kind, record_id, principal, body, prev_hash, hash";

/// How hard SQLite pushes a commit to disk (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Synchronous {
    /// `FULL`, the default: the log is synced at every commit, so a committed batch
    /// survives a power cut or an OS crash. A consent ledger is evidence: an event reported
    /// as recorded must stay recorded. In batches the cost is one sync per batch.
    #[default]
    Full,
    /// `NORMAL`: the log is synced at checkpoints only. Committed batches survive a crash of
    /// the process but the last ones may be lost on power loss; the database never
    /// corrupts and the chain stays whole.
    Normal,
}

/// Keeps the ledger in a SQLite database file.
#[derive(Debug)]
pub struct SqliteStorage {
    conn: Connection,
}

/// Maps a SQLite error to [`ConsentError::LedgerStorage`].
#[allow(clippy::needless_pass_by_value)] // used as `map_err(storage_err)`
fn storage_err(e: rusqlite::Error) -> ConsentError {
    ConsentError::LedgerStorage(e.to_string())
}

/// Converts a sequence number to SQLite's integer.
fn to_sql_seq(seq: u64) -> Result<i64> {
    i64::try_from(seq)
        .map_err(|_| ConsentError::LedgerStorage(format!("sequence number {seq} is too large")))
}

impl SqliteStorage {
    /// Opens (or creates) the ledger database at `path`, with [`Synchronous::Full`].
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when the file cannot be opened, is not a ledger
    /// database of a known schema version, or WAL mode cannot be set.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, Synchronous::Full)
    }

    /// Opens (or creates) the ledger database at `path` with the given durability.
    ///
    /// # Errors
    ///
    /// As [`SqliteStorage::open`].
    pub fn open_with(path: impl AsRef<Path>, synchronous: Synchronous) -> Result<Self> {
        let conn = Connection::open(path).map_err(storage_err)?;
        Self::setup(conn, synchronous, true)
    }

    /// Opens a private in-memory database (no WAL, nothing on disk), for tests.
    ///
    /// # Errors
    ///
    /// [`ConsentError::LedgerStorage`] when SQLite fails.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(storage_err)?;
        Self::setup(conn, Synchronous::Full, false)
    }

    fn setup(conn: Connection, synchronous: Synchronous, wal: bool) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5)).map_err(storage_err)?;
        if wal {
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
                .map_err(storage_err)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(ConsentError::LedgerStorage(format!(
                    "cannot use WAL mode (journal_mode is {mode})"
                )));
            }
        }
        let sync = match synchronous {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync).map_err(storage_err)?;
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(storage_err)?;
        if version > SCHEMA_VERSION {
            return Err(ConsentError::LedgerStorage(format!(
                "ledger schema version {version} is newer than this library's {SCHEMA_VERSION}"
            )));
        }
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))
        .map_err(storage_err)?;
        Ok(SqliteStorage { conn })
    }

    /// Returns the SQLite connection (for backups and inspection; writing through it
    /// bypasses the chain).
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn query_entries(&self, sql: &str, key: &str) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(storage_err)?;
        let mut rows = stmt.query([key]).map_err(storage_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(storage_err)? {
            out.push(row_to_entry(row)?);
        }
        Ok(out)
    }

    fn head_link(conn: &Connection) -> Result<Option<(u64, [u8; 32])>> {
        conn.query_row(
            "SELECT seq, hash FROM ledger_entries ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?)),
        )
        .optional()
        .map_err(storage_err)?
        .map(|(seq, hash)| {
            let seq = u64::try_from(seq).map_err(|_| tampered(0, "negative sequence number"))?;
            let hash = <[u8; 32]>::try_from(hash.as_slice())
                .map_err(|_| tampered(seq, "hash is not 32 bytes"))?;
            Ok((seq, hash))
        })
        .transpose()
    }
}

/// Reads an entry row; a row that is not a well-formed entry is tampering.
fn row_to_entry(row: &Row<'_>) -> Result<Entry> {
    let get = |i: usize| row.get_ref(i).map_err(storage_err);
    let raw_seq = get(0)?.as_i64().map_err(|_| tampered(0, "sequence number is not an integer"))?;
    let seq = u64::try_from(raw_seq).map_err(|_| tampered(0, "negative sequence number"))?;
    let text = |i: usize, name: &str| -> Result<String> {
        match get(i)? {
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(str::to_owned)
                .map_err(|_| tampered(seq, format!("{name} is not UTF-8"))),
            _ => Err(tampered(seq, format!("{name} is not text"))),
        }
    };
    let hash = |i: usize, name: &str| -> Result<[u8; 32]> {
        match get(i)? {
            ValueRef::Blob(b) => <[u8; 32]>::try_from(b)
                .map_err(|_| tampered(seq, format!("{name} is not 32 bytes"))),
            _ => Err(tampered(seq, format!("{name} is not a blob"))),
        }
    };
    let body: Value = serde_json::from_str(&text(5, "body")?)
        .map_err(|e| tampered(seq, format!("body is not JSON: {e}")))?;
    Ok(Entry {
        seq,
        at: text(1, "at")?,
        kind: text(2, "kind")?,
        record_id: text(3, "record_id")?,
        principal: text(4, "principal")?,
        body,
        prev_hash: hash(6, "prev_hash")?,
        hash: hash(7, "hash")?,
    })
}

fn row_to_checkpoint(row: &Row<'_>) -> Result<Checkpoint> {
    let seq: i64 = row.get(0).map_err(storage_err)?;
    let seq = u64::try_from(seq)
        .map_err(|_| ConsentError::LedgerStorage("negative checkpoint seq".to_owned()))?;
    let hash: Vec<u8> = row.get(1).map_err(storage_err)?;
    let hash = <[u8; 32]>::try_from(hash.as_slice())
        .map_err(|_| ConsentError::LedgerCheckpointInvalid(seq))?;
    let jws: String = row.get(2).map_err(storage_err)?;
    Ok(Checkpoint { seq, hash, jws })
}

impl Storage for SqliteStorage {
    fn append_batch(&mut self, entries: &[Entry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_err)?;
        // Checked inside the write transaction, so two writers cannot fork the chain.
        check_follows(Self::head_link(&tx)?, entries)?;
        {
            let mut insert = tx
                .prepare_cached(&format!(
                    "INSERT INTO ledger_entries ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ))
                .map_err(storage_err)?;
            for e in entries {
                // Stored canonical: what is read back hashes exactly as written.
                let body = dpikit_core::jcs::canonicalize_to_string(&e.body)?;
                insert
                    .execute(params![
                        to_sql_seq(e.seq)?,
                        e.at,
                        e.kind,
                        e.record_id,
                        e.principal,
                        body,
                        &e.prev_hash[..],
                        &e.hash[..],
                    ])
                    .map_err(storage_err)?;
            }
        }
        tx.commit().map_err(storage_err)
    }

    fn get(&self, seq: u64) -> Result<Option<Entry>> {
        let Ok(key) = i64::try_from(seq) else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM ledger_entries WHERE seq = ?1"))
            .map_err(storage_err)?;
        let mut rows = stmt.query([key]).map_err(storage_err)?;
        rows.next().map_err(storage_err)?.map(row_to_entry).transpose()
    }

    fn len(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM ledger_entries", [], |row| row.get(0))
            .map_err(storage_err)?;
        u64::try_from(n).map_err(|e| ConsentError::LedgerStorage(e.to_string()))
    }

    fn head(&self) -> Result<Option<Entry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ledger_entries ORDER BY seq DESC LIMIT 1"
            ))
            .map_err(storage_err)?;
        let mut rows = stmt.query([]).map_err(storage_err)?;
        rows.next().map_err(storage_err)?.map(row_to_entry).transpose()
    }

    fn scan(
        &self,
        from: u64,
        visit: &mut dyn FnMut(&Entry) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let Ok(from) = i64::try_from(from) else { return Ok(()) };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ledger_entries WHERE seq >= ?1 ORDER BY seq"
            ))
            .map_err(storage_err)?;
        let mut rows = stmt.query([from]).map_err(storage_err)?;
        while let Some(row) = rows.next().map_err(storage_err)? {
            if visit(&row_to_entry(row)?)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    fn by_principal(&self, principal: &str) -> Result<Vec<Entry>> {
        self.query_entries(
            &format!("SELECT {COLUMNS} FROM ledger_entries WHERE principal = ?1 ORDER BY seq"),
            principal,
        )
    }

    fn by_record(&self, record_id: &str) -> Result<Vec<Entry>> {
        self.query_entries(
            &format!("SELECT {COLUMNS} FROM ledger_entries WHERE record_id = ?1 ORDER BY seq"),
            record_id,
        )
    }

    fn put_checkpoint(&mut self, checkpoint: &Checkpoint) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO ledger_checkpoints (seq, hash, jws) VALUES (?1, ?2, ?3)",
                params![to_sql_seq(checkpoint.seq)?, &checkpoint.hash[..], checkpoint.jws],
            )
            .map_err(storage_err)?;
        Ok(())
    }

    fn checkpoint(&self, seq: u64) -> Result<Option<Checkpoint>> {
        let Ok(key) = i64::try_from(seq) else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, hash, jws FROM ledger_checkpoints WHERE seq = ?1")
            .map_err(storage_err)?;
        let mut rows = stmt.query([key]).map_err(storage_err)?;
        rows.next().map_err(storage_err)?.map(row_to_checkpoint).transpose()
    }

    fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, hash, jws FROM ledger_checkpoints ORDER BY seq")
            .map_err(storage_err)?;
        let mut rows = stmt.query([]).map_err(storage_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(storage_err)? {
            out.push(row_to_checkpoint(row)?);
        }
        Ok(out)
    }
}
