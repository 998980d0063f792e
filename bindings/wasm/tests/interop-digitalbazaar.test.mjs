// Interop with Digital Bazaar's JavaScript Data Integrity stack (jsonld-signatures,
// @digitalbazaar/data-integrity, eddsa-rdfc-2022-cryptosuite, eddsa-jcs-2022-cryptosuite), both ways: credentials
// dpikit issues in WASM verify there, and theirs verify in dpikit. Their document loader
// serves only local contexts and did:key documents computed offline; anything else throws.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import jsigs from 'jsonld-signatures';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';

const require = createRequire(import.meta.url);
const { load } = require('./helpers.cjs');
const dataIntegrityContext = require('@digitalbazaar/data-integrity-context');
const multikeyContext = require('@digitalbazaar/multikey-context');

const { AssertionProofPurpose } = jsigs.purposes;
const AT = { at: '2099-01-01T00:00:00Z' };

const didKeyDriver = didKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

const localContexts = new Map([
  ...credentialsContexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
]);
const refused = [];

/** A document loader with no network: local contexts and offline did:key only. */
async function documentLoader(url) {
  if (localContexts.has(url)) {
    return { contextUrl: null, documentUrl: url, document: localContexts.get(url) };
  }
  if (url.startsWith('did:key:')) {
    return { contextUrl: null, documentUrl: url, document: await didKeyDriver.get({ url }) };
  }
  refused.push(url);
  throw new Error(`document loader is offline; refused ${url}`);
}

const unsigned = (issuer) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer,
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:resident-1024', name: 'Ana' },
});

// The JCS package has one cryptosuite object for signing and another for verifying.
const theirSuites = {
  'eddsa-rdfc-2022': { sign: eddsaRdfc2022, verify: eddsaRdfc2022 },
  'eddsa-jcs-2022': { sign: createSignCryptosuite(), verify: createVerifyCryptosuite() },
};

const theirVerify = (doc, name) => jsigs.verify(doc, {
  suite: new DataIntegrityProof({ cryptosuite: theirSuites[name].verify }),
  purpose: new AssertionProofPurpose(),
  documentLoader,
});

for (const variant of (process.env.DPIKIT_WASM_VARIANTS || 'full,credentials').split(',')) {
  const d = load(variant);
  // The credentials-only build has no JSON-LD, so no eddsa-rdfc-2022 (credentials.test.cjs
  // checks that it refuses it with unsupported_cryptosuite).
  const suites = d.features().includes('rdfc') ? ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] : ['eddsa-jcs-2022'];
  for (const name of suites) {
    test(`${variant}: dpikit-issued ${name} verifies in Digital Bazaar's stack`, async () => {
      const kp = d.KeyPair.generate();
      const vc = d.issueCredential(unsigned(kp.did), kp, { suite: name });
      const result = await theirVerify(vc, name);
      assert.equal(result.verified, true, String(result.error));
      const tampered = structuredClone(vc);
      tampered.credentialSubject.name = 'Eve';
      assert.equal((await theirVerify(tampered, name)).verified, false);
    });

    test(`${variant}: Digital Bazaar-issued ${name} verifies in dpikit`, async () => {
      const keyPair = await Ed25519Multikey.generate();
      const did = `did:key:${keyPair.publicKeyMultibase}`;
      keyPair.controller = did;
      keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
      const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: theirSuites[name].sign });
      const vc = await jsigs.sign(unsigned(did), { suite, purpose: new AssertionProofPurpose(), documentLoader });
      assert.equal(vc.proof.cryptosuite, name);
      const report = d.verifyCredential(vc, AT);
      assert.equal(report.verified, true, JSON.stringify(report.errors));
      const tampered = structuredClone(vc);
      tampered.credentialSubject.name = 'Eve';
      assert.deepEqual(d.verifyCredential(tampered, AT).errors.map((e) => e.name), ['proof_invalid']);
    });
  }
}

test('the document loader never went to the network', () => {
  assert.deepEqual(refused, []);
});
