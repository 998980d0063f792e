'use strict';
// WASM-in-Node cost over native Rust for the same eddsa-jcs-2022 verification (goal ≤ 2.5x).
//
//   make bench-wasm
//   # or by hand, after `make build-wasm`:
//   cargo build --release -p dpikit-py --example verify_bench
//   node benches/wasm/verify_node.cjs target/release/examples/verify_bench [N]
//
// The Rust example verifies one credential with a reused Verifier and writes that credential
// out; this script verifies the very same bytes in Node with the full WASM build the same way
// (`new Verifier()` reused, bytes in). Rust and Node rounds alternate so that load from other
// processes hits both alike; each side's figure is its fastest round.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { load } = require('../../bindings/wasm/tests/helpers.cjs');

const [rustBin, nArg] = process.argv.slice(2);
if (!rustBin) throw new Error('usage: verify_node.cjs RUST_VERIFY_BENCH [N]');
const n = Number(nArg || 2000);
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dpikit-bench-')), 'credential.json');

function rust() {
  return JSON.parse(execFileSync(rustBin, [String(n), out], { encoding: 'utf8' })).rust_us_per_op;
}

function node(d, verifier, bytes) {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) verifier.verify(bytes);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / n);
  }
  return best;
}

const d = load('full');
let rustBest = rust();
const bytes = new Uint8Array(fs.readFileSync(out));
const verifier = new d.Verifier();
if (!verifier.verify(bytes).verified) throw new Error('the credential does not verify in WASM');
for (let i = 0; i < n / 10; i++) verifier.verify(bytes); // warm-up (JIT, allocator)
let nodeBest = Infinity;
for (let round = 0; round < 3; round++) {
  nodeBest = Math.min(nodeBest, node(d, verifier, bytes));
  rustBest = Math.min(rustBest, rust());
}
// The one-call form: options parsed and a Verifier built on every call.
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) d.verifyCredential(bytes);
const oneCall = Number(process.hrtime.bigint() - start) / 1e3 / n;
console.log(JSON.stringify({
  credential_bytes: bytes.length, n,
  rust_us_per_op: +rustBest.toFixed(2), wasm_node_us_per_op: +nodeBest.toFixed(2),
  ratio: +(nodeBest / rustBest).toFixed(2), wasm_node_one_call_us_per_op: +oneCall.toFixed(2),
  node: process.version,
}));
