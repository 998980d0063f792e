//! Placeholder while the real module is written: RDFC-1.0.
#![allow(missing_docs, clippy::missing_errors_doc)]
use crate::{Result, rdf::Quad};
pub fn canonical_nquads(quads: &[Quad]) -> Result<String> {
    let mut lines: Vec<String> = quads.iter().map(Quad::to_nquads).collect();
    lines.sort();
    lines.dedup();
    Ok(lines.concat())
}
