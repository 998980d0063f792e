'use strict';
// The hostile-input corpus (vectors/<block>/cases.json, written by crates/dpikit-hostile)
// through the WASM binding (full build), as the Rust, C and Python runners do: every case whose
// op the package exposes must give the same error code name (or the same ok value) within a
// time bound, and the whole walk within a memory bound. JSON and XML inputs go in as the exact bytes (Uint8Array); cases whose input is
// not valid UTF-8 cannot reach a string parameter and are counted apart, as are ops the
// package does not expose.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, load } = require('./helpers.cjs');

const d = load('full');
const BLOCKS = ['core', 'credentials', 'consent', 'payments', 'exchange'];
const BOUND_MS = 5000;
// WASM linear memory only grows, so the process's peak resident set after the walk bounds the
// memory of every case (inputs of 50 MiB included).
const MAX_RSS_MIB = 1024;

/** The bytes a case's `input.data` describes (text, base64, or repeated text). */
function materialize(data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data.base64 !== undefined) return Buffer.from(data.base64, 'base64');
  return Buffer.concat(data.repeat.map(([text, n]) => Buffer.from(text.repeat(n), 'utf8')));
}

/** The text of `bytes`, or null when they are not valid UTF-8. */
function text(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const bytes = (b) => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** The first error of a verification report as a thrown code name, or `true`. */
function verdict(report) {
  if (report.verified) return true;
  throw Object.assign(new Error('not verified'), { name: report.errors[0].name });
}

function register(schema) {
  const r = new d.SchemaRegistry();
  const key = r.register(schema);
  return { r, key, dataschema: key.version ? `${key.id}?version=${key.version}` : key.id };
}

// op -> [takes text?, (data, input) -> ok value]
const OPS = {
  'json.parse': [false, (b) => JSON.parse(d.canonicalize(bytes(b)))],
  'jcs.canonicalize': [false, (b) => d.canonicalize(bytes(b))],
  'credential.verify': [false, (b, i) => verdict(d.verifyCredential(bytes(b),
    { at: i.now, statusLists: i.status_list ? [i.status_list] : [] }))],
  'qr.decode': [true, (t) => {
    const v = d.decodeQr(t);
    return typeof v === 'string' ? { text: v } : { cbor: v };
  }],
  'consent.import': [false, (b, i) => d.importConsent(i.format, bytes(b)).records.map((r) => r.id)],
  'consent.receipt.verify': [true, (t, i) => d.verifyConsentReceipt(t, i.key).receipt.record.id],
  'iso20022.parse': [false, (b) => d.validateIso20022(bytes(b)).kind],
  'ngsi.to_key_values': [false, (b) => d.ngsiToKeyValues(bytes(b)).entity],
  'schema.register': [false, (b) => register(bytes(b)).dataschema],
  'schema.validate': [false, (b, i) => {
    const { r, key } = register(i.schema);
    if (r.validate(key.id, bytes(b), key.version ?? undefined).issues.length === 0) return true;
    throw Object.assign(new Error('issues'), { name: 'validation_failed' });
  }],
};

// Ok values the package cannot reproduce exactly: the dpv import reports no ids in Rust.
const SKIP_OK = new Set(['consent.import/dpv']);

function run(c) {
  const [takesText, call] = OPS[c.op];
  let data = materialize(c.input.data);
  if (takesText) data = text(data);
  try {
    return { ok: call(data, c.input) };
  } catch (e) {
    if (typeof e.code !== 'number' && e.message !== 'not verified' && e.message !== 'issues') throw e;
    return { error: e.name };
  }
}

test('the hostile corpus through the WASM binding: same codes, no crash, bounded time', () => {
  const counts = { cases: 0, ran: 0, passed: 0, notExposed: 0, notUtf8: 0 };
  const failures = [];
  for (const block of BLOCKS) {
    const cases = JSON.parse(fs.readFileSync(path.join(ROOT, 'vectors', block, 'cases.json'), 'utf8'));
    for (const c of cases) {
      counts.cases += 1;
      if (!(c.op in OPS) || ('ok' in c.expect && SKIP_OK.has(`${c.op}/${c.input.format}`))) {
        counts.notExposed += 1;
        continue;
      }
      if (OPS[c.op][0] && text(materialize(c.input.data)) === null) {
        counts.notUtf8 += 1;
        continue;
      }
      counts.ran += 1;
      const started = performance.now();
      const got = run(c);
      const took = performance.now() - started;
      try {
        assert.deepEqual(got, c.expect);
        assert.ok(took <= BOUND_MS, `took ${took.toFixed(0)} ms`);
        counts.passed += 1;
      } catch (e) {
        failures.push(`${c.id}: expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(got).slice(0, 200)} in ${took.toFixed(0)} ms`);
      }
    }
  }
  const maxRssMib = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`hostile corpus (WASM): ${counts.passed}/${counts.ran} passed; ${counts.notExposed} cases `
    + `of ops the package does not expose, ${counts.notUtf8} with non-UTF-8 input for a string `
    + `parameter, of ${counts.cases}; peak resident set ${maxRssMib} MiB`);
  assert.deepEqual(failures, []);
  assert.ok(maxRssMib <= MAX_RSS_MIB, `peak resident set ${maxRssMib} MiB`);
  assert.ok(counts.ran >= 250, `ran ${counts.ran}`);
});
