// Run by `make test-npm`: the same package through ES module imports in Node.
import assert from 'node:assert/strict';
import * as full from 'dpikit';
import * as credentials from 'dpikit/credentials';

for (const [entry, d] of [['dpikit', full], ['dpikit/credentials', credentials]]) {
  const key = d.KeyPair.generate('p256');
  const jwt = d.issueCredential({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    credentialSubject: { id: 'did:example:resident-1024' },
  }, key, { suite: 'vc+jwt' });
  assert.equal(d.verifyCredential(jwt).verified, true, entry);
  console.log(`${entry} (import): issued and verified a vc+jwt credential`);
}
