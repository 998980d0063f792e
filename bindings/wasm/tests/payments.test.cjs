'use strict';
// ISO 20022 in WASM (full build): the shared samples and negatives, asserting codes.
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, needs, vectorText, throwsCode } = require('./helpers.cjs');

const d = load('full');
const codes = d.errorCodes();
const DOMAIN = 'payments/iso20022';
const read = (kind, file) => vectorText(DOMAIN, `${kind}/${file}`);
const named = (findings) => findings.map((f) => [codes[f.code], f.location]);

const POSITIVE = [
  ['camt.054.001.08_cbprplus_envelope.xml', 'camt.054.001.08'],
  ['pain.001.001.09_cbprplus_envelope.xml', 'pain.001.001.09'],
  ['pacs.008.001.08_cbprplus_envelope.xml', 'pacs.008.001.08'],
  ['pacs.008.001.08_pm4ml_mobilemoney_RWF.xml', 'pacs.008.001.08'],
  ['pacs.002.001.10_cbprplus_envelope.xml', 'pacs.002.001.10'],
  ['pacs.002.001.10_pm4ml_accepted.xml', 'pacs.002.001.10'],
  ['pacs.002.001.10_pm4ml_rejected.xml', 'pacs.002.001.10'],
  ['pacs.004.001.09_cbprplus_envelope.xml', 'pacs.004.001.09'],
];

test('positive samples parse and validate under CBPR+', needs(DOMAIN), () => {
  for (const [file, kind] of POSITIVE) {
    const out = d.validateIso20022(read('samples', file), true);
    assert.equal(out.kind, kind, file);
    assert.deepEqual(out.findings, [], file);
    assert.deepEqual(out.parseFindings, [], file);
  }
});

test('unsupported versions are refused', needs(DOMAIN), () => {
  for (const file of ['pain.001.001.03_moov_international_USD.xml', 'camt.053.001.02_moov_statement_1.xml', 'camt.053.001.04_moov_postfinance.xml']) {
    throwsCode(() => d.validateIso20022(read('samples', file)), 'unsupported_message', d);
  }
});

test('negatives: unknown element, facets, IBAN, header, scheme rule', needs(DOMAIN), () => {
  const extra = read('negative', 'pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml');
  throwsCode(() => d.validateIso20022(extra), 'unknown_element', d);
  const lenient = d.validateIso20022(extra, false, true);
  assert.deepEqual(named(lenient.parseFindings), [['unknown_element', '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cndtn']]);
  assert.deepEqual(named(d.validateIso20022(read('negative', 'pacs.008.001.08_pm4ml_template_uuid_exceeds_Max35Text.xml')).findings), [
    ['facet_violation', '/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId'],
    ['facet_violation', '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId'],
  ]);
  const iban = named(d.validateIso20022(read('negative', 'pacs.008.001.08_cbprplus_bad_IBAN_BIC_mismatch.xml')).findings);
  assert.ok(iban.some(([n, l]) => n === 'invalid_iban' && l === '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAcct/Id/IBAN'));
  assert.ok(iban.some(([n, l]) => n === 'header_mismatch' && l === '/AppHdr/Fr/FIId/FinInstnId/BICFI'));
  const xau = read('negative', 'pacs.008.001.08_cbprplus_violates_R41_XAU.xml');
  assert.deepEqual(d.validateIso20022(xau).findings, []);
  assert.deepEqual(named(d.validateIso20022(xau, true).findings), [['scheme_rule_violation', '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt']]);
  const many = named(d.validateIso20022(read('negative', 'pain.001.001.09_rustiso_generated_many_rule_violations.xml')).findings);
  assert.ok(many.some(([n]) => n === 'number_of_txs_mismatch'));
  assert.ok(many.some(([n]) => n === 'unknown_currency'));
});

test('hostile XML is refused by code', () => {
  throwsCode(() => d.validateIso20022('<!DOCTYPE x [<!ENTITY a "b">]><Document/>'), 'xml_forbidden', d);
  throwsCode(() => d.validateIso20022('<Document'), 'malformed_message', d);
});
