//! The in-memory storage backend.

use core::ops::ControlFlow;
use std::collections::{BTreeMap, HashMap};

use super::{Checkpoint, Entry, Storage, check_follows};
use crate::Result;

/// Keeps the ledger in memory: for tests, tools and short-lived ledgers.
///
/// Lookups by principal and record go through hash indexes.
#[derive(Debug, Clone, Default)]
pub struct MemoryStorage {
    entries: Vec<Entry>,
    by_principal: HashMap<String, Vec<usize>>,
    by_record: HashMap<String, Vec<usize>>,
    checkpoints: BTreeMap<u64, Checkpoint>,
}

impl MemoryStorage {
    /// Creates an empty storage.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `edit` the stored entries to change at will, bypassing the chain, then rebuilds
    /// the indexes.
    ///
    /// It exists for tests and repair tools; [`super::Ledger::verify`] reports whatever the
    /// edit broke. Open a new [`super::Ledger`] on the storage afterwards.
    pub fn edit_raw(&mut self, edit: impl FnOnce(&mut Vec<Entry>)) {
        edit(&mut self.entries);
        self.by_principal.clear();
        self.by_record.clear();
        for i in 0..self.entries.len() {
            self.index(i);
        }
    }

    fn index(&mut self, i: usize) {
        if let Some(e) = self.entries.get(i) {
            self.by_principal.entry(e.principal.clone()).or_default().push(i);
            self.by_record.entry(e.record_id.clone()).or_default().push(i);
        }
    }

    fn lookup(&self, positions: Option<&Vec<usize>>) -> Vec<Entry> {
        positions
            .map(|p| p.iter().filter_map(|&i| self.entries.get(i)).cloned().collect())
            .unwrap_or_default()
    }

    fn head_link(&self) -> Option<(u64, [u8; 32])> {
        self.entries.last().map(|e| (e.seq, e.hash))
    }
}

impl Storage for MemoryStorage {
    fn append_batch(&mut self, entries: &[Entry]) -> Result<()> {
        check_follows(self.head_link(), entries)?;
        self.entries.reserve(entries.len());
        for e in entries {
            self.entries.push(e.clone());
            self.index(self.entries.len() - 1);
        }
        Ok(())
    }

    fn get(&self, seq: u64) -> Result<Option<Entry>> {
        // Position `seq` holds entry `seq` unless entries were removed or moved.
        let direct = usize::try_from(seq).ok().and_then(|i| self.entries.get(i));
        if let Some(e) = direct.filter(|e| e.seq == seq) {
            return Ok(Some(e.clone()));
        }
        if let Ok(i) = self.entries.binary_search_by_key(&seq, |e| e.seq) {
            return Ok(self.entries.get(i).cloned());
        }
        Ok(self.entries.iter().find(|e| e.seq == seq).cloned())
    }

    fn len(&self) -> Result<u64> {
        Ok(self.entries.len() as u64)
    }

    fn head(&self) -> Result<Option<Entry>> {
        Ok(self.entries.last().cloned())
    }

    fn scan(
        &self,
        from: u64,
        visit: &mut dyn FnMut(&Entry) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let start = if from == 0 { 0 } else { self.entries.partition_point(|e| e.seq < from) };
        for e in self.entries.get(start..).unwrap_or_default() {
            if visit(e)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    fn by_principal(&self, principal: &str) -> Result<Vec<Entry>> {
        Ok(self.lookup(self.by_principal.get(principal)))
    }

    fn by_record(&self, record_id: &str) -> Result<Vec<Entry>> {
        Ok(self.lookup(self.by_record.get(record_id)))
    }

    fn put_checkpoint(&mut self, checkpoint: &Checkpoint) -> Result<()> {
        self.checkpoints.insert(checkpoint.seq, checkpoint.clone());
        Ok(())
    }

    fn checkpoint(&self, seq: u64) -> Result<Option<Checkpoint>> {
        Ok(self.checkpoints.get(&seq).cloned())
    }

    fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        Ok(self.checkpoints.values().cloned().collect())
    }
}
