'use strict';
// Consent in WASM (full build): records, receipts, format imports from the shared vectors,
// and the in-memory ledger with JSON export/import.
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, needs, vectorText, throwsCode } = require('./helpers.cjs');

const d = load('full');
const CITY = 'did:web:housing.city.example';
const ANA = 'did:example:ana';
const T0 = '2026-03-01T09:00:00Z';
const T1 = '2026-03-02T09:00:00Z';
const record = (id = 'urn:uuid:c-1', extra = {}) => d.newConsentRecord({
  id, principal: ANA, controller: CITY, purpose: 'dpv:ServiceProvision',
  controllerName: 'Housing', purposeText: 'Subsidy', ...extra,
});

test('lifecycle and access checks', () => {
  const r = record('urn:uuid:c-1', { dataCategories: ['pd:Income'] });
  assert.equal(r.state, 'Requested');
  const denied = d.checkAccess(r, CITY, 'dpv:ServiceProvision', { at: T0 });
  assert.equal(denied.allowed, false);
  assert.equal(denied.reasonName, 'consent_not_given');
  const g = d.transitionConsent(r, 'Given', { at: T0 });
  assert.equal(g.state, 'Given');
  assert.equal(d.checkAccess(g, CITY, 'dpv:ServiceProvision', { dataCategory: 'pd:Income', at: T1 }).allowed, true);
  const other = d.checkAccess(g, CITY, 'dpv:Marketing', { at: T1 });
  assert.deepEqual([other.reason, other.reasonName], [3043, 'consent_purpose_mismatch']);
  const w = d.transitionConsent(g, 'Withdrawn', { at: T1, reason: 'moved away' });
  throwsCode(() => d.transitionConsent(w, 'Given', { at: T1 }), 'illegal_transition', d);
  throwsCode(() => d.transitionConsent(w, 'Happy'), 'invalid_argument', d);
  throwsCode(() => d.transitionConsent({ id: 'x' }, 'Given'), 'malformed_consent', d);
  const exp = d.transitionConsent(record('urn:uuid:c-2', { expires: '2026-04-01T00:00:00Z' }), 'Given', { at: T0 });
  assert.equal(d.consentStateAt(exp, '2026-05-01T00:00:00Z'), 'Expired');
});

test('receipts sign and verify', () => {
  const kp = d.KeyPair.generate();
  const g = d.transitionConsent(record(), 'Given', { at: T0 });
  const token = d.signConsentReceipt(g, kp, T1);
  const out = d.verifyConsentReceipt(token, kp.publicJwk());
  assert.deepEqual(out.receipt.record, g);
  assert.equal(d.verifyConsentReceipt(token, kp.did).receipt.id, 'urn:uuid:c-1#receipt');
  throwsCode(() => d.verifyConsentReceipt(token, d.KeyPair.generate().publicJwk()), 'receipt_invalid', d);
});

const IMPORTS = [
  ['kantara', 'consent/kantara', 'kantara-cr-v1.1.0-example.json'],
  ['rebit', 'consent/rebit-aa', 'finvu-aa-v1-consent-artefact-response.json'],
  ['dpv', 'consent/dpv-27560', 'dpv27560-ex45-receipt-multiple-records.jsonld'],
  ['govstack', 'consent/govstack-bb-consent', 'govstack-bb-consent-mock-fixtures.json'],
];
for (const [format, domain, file] of IMPORTS) {
  test(`import ${format} vector with a loss report`, needs(domain), () => {
    const out = d.importConsent(format, vectorText(domain, file));
    assert.ok(out.records.length >= 1);
    assert.deepEqual(Object.keys(out.loss).sort(), ['dropped', 'warnings']);
    assert.ok(Array.isArray(out.findings));
    // Bytes work as well as text.
    assert.equal(d.importConsent(format, new TextEncoder().encode(vectorText(domain, file))).records.length, out.records.length);
  });
}

test('import refusals by code', needs('consent/dpv-27560'), () => {
  throwsCode(() => d.importConsent('dpv', vectorText('consent/dpv-27560', 'dpv27560-ex46-receipt-with-required-record-fields.jsonld')), 'duplicate_key', d);
  throwsCode(() => d.importConsent('kantara', vectorText('consent/kantara', 'kantara-cr-v1.1.0-schema.json')), 'consent_import_failed', d);
  throwsCode(() => d.importConsent('xml', '{}'), 'consent_import_failed', d);
});

test('exports with loss reports; ReBIT round trip', needs('consent/rebit-aa'), () => {
  const g = d.transitionConsent(record(), 'Given', { at: T0 });
  for (const f of ['kantara', 'dpv']) {
    const out = d.exportConsent(f, g);
    assert.equal(typeof out.value, 'object');
    assert.ok(Array.isArray(out.loss.dropped) && Array.isArray(out.loss.warnings));
  }
  throwsCode(() => d.exportConsent('rebit', record()), 'consent_export_invalid', d);
  throwsCode(() => d.exportConsent('govstack', record()), 'invalid_argument', d);
  const imported = d.importConsent('rebit', vectorText('consent/rebit-aa', 'finvu-aa-v1-consent-artefact-response.json')).records[0];
  assert.equal(typeof d.exportConsent('rebit', imported).value, 'object');
});

test('in-memory ledger: append, verify, export, import, tamper', () => {
  const ledger = new d.ConsentLedger();
  const r = record();
  const e0 = ledger.appendRecord('consent.requested', r, T0);
  assert.equal(e0.seq, 0);
  assert.equal(e0.hash.length, 64);
  const g = d.transitionConsent(r, 'Given', { at: T0 });
  ledger.appendRecord('consent.given', g, T0);
  ledger.appendRecord('consent.requested', record('urn:uuid:c-2'), T0);
  assert.equal(ledger.length, 3);
  assert.deepEqual(ledger.currentRecord('urn:uuid:c-1'), g);
  assert.equal(ledger.currentRecord('nope'), null);
  const v = ledger.verify();
  assert.equal(v.entries, 3);
  const json = ledger.exportJson();
  const again = d.ConsentLedger.importJson(json);
  assert.equal(again.length, 3);
  assert.equal(again.verify().head, v.head);
  const entries = JSON.parse(json);
  entries[1].kind = 'consent.forged';
  throwsCode(() => d.ConsentLedger.importJson(entries), 'ledger_tampered', d);
});
