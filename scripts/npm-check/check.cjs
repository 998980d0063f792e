'use strict';
// Run by `make test-npm` in a scratch Node project that installed the packed dpikit tarball:
// both builds issue and verify a credential through the package's CommonJS entry points,
// and a changed claim fails with proof_invalid.
const assert = require('node:assert/strict');

for (const entry of ['dpikit', 'dpikit/credentials']) {
  const d = require(entry);
  const key = d.KeyPair.generate();
  const vc = d.issueCredential({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:resident-1024' },
  }, key);
  assert.equal(d.verifyCredential(vc).verified, true, entry);
  vc.credentialSubject.id = 'did:example:mallory';
  assert.deepEqual(d.verifyCredential(vc).errors.map((e) => e.name), ['proof_invalid'], entry);
  console.log(`${entry} ${d.version()} (${d.features().join(', ')}): issued and verified a credential`);
}
