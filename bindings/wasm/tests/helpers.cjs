'use strict';
// Shared helpers: the module under test and the public test vectors
// (DPIKIT_VECTORS or ../shared/vectors beside the repository; under CI=true, missing
// vectors fail instead of skipping).
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PKG = process.env.DPIKIT_WASM_PKG || path.join(ROOT, 'bindings', 'wasm', 'pkg');

/** The full build (default) or, with `credentials`, the credentials-only build. */
function load(variant = 'full') {
  return require(variant === 'credentials'
    ? path.join(PKG, 'credentials', 'node', 'dpikit_wasm.js')
    : path.join(PKG, 'node', 'dpikit_wasm.js'));
}

const VECTORS = process.env.DPIKIT_VECTORS || path.join(ROOT, '..', 'shared', 'vectors');
const CI = ['true', '1'].includes(process.env.CI);

/** The vectors of `domain`, or null (tests skip) outside CI when absent. */
function vectorsDir(domain) {
  const dir = path.join(VECTORS, domain);
  if (fs.existsSync(dir)) return dir;
  if (CI) throw new Error(`test vectors missing: ${dir} (set DPIKIT_VECTORS); CI must not skip`);
  return null;
}

/** Options for `test()` that skip it when the vectors of `domain` are absent. */
function needs(domain) {
  return vectorsDir(domain) ? {} : { skip: `vectors ${domain} absent (set DPIKIT_VECTORS)` };
}

function vectorText(domain, name) {
  return fs.readFileSync(path.join(vectorsDir(domain), name), 'utf8');
}

function vectorJson(domain, name) {
  return JSON.parse(vectorText(domain, name));
}

/** Asserts that `fn` throws a real Error with the code named `name` (and its number). */
function throwsCode(fn, name, dpikit) {
  const codes = dpikit.errorCodes();
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'a real Error');
    assert.equal(e.name, name, e.message);
    assert.equal(typeof e.code, 'number');
    assert.equal(codes[e.code], name);
    return true;
  });
}

/** The names of a report's errors, in order. */
const errorNames = (report) => report.errors.map((e) => e.name);

module.exports = { ROOT, PKG, load, vectorsDir, needs, vectorText, vectorJson, throwsCode, errorNames };
