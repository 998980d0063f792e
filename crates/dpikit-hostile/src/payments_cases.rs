//! payments.

use serde_json::Value;

use crate::{Case, Outcome};

pub(crate) fn run(_op: &str, _input: &Value) -> Option<Outcome> {
    None
}

pub(crate) fn cases() -> Vec<Case> {
    Vec::new()
}
