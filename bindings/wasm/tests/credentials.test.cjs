'use strict';
// Credentials in WASM: the same cases as the Rust and Python suites, asserting codes.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { load, needs, vectorsDir, vectorText, vectorJson, throwsCode, errorNames } = require('./helpers.cjs');

const AT = { at: '2099-01-01T00:00:00Z' };
const unsigned = (subject = 'did:example:resident-1024') => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: subject },
});

for (const variant of (process.env.DPIKIT_WASM_VARIANTS || 'full,credentials').split(',')) {
  const d = load(variant);

  test(`${variant}: features`, () => {
    assert.deepEqual(d.features(), variant === 'full'
      ? ['credentials', 'rdfc', 'consent', 'payments', 'exchange'] : ['credentials']);
    assert.equal(typeof d.version(), 'string');
  });

  const rdfc = d.features().includes('rdfc');
  for (const suite of ['eddsa-jcs-2022', 'eddsa-rdfc-2022', 'ecdsa-jcs-2019', 'vc+jwt']) {
    if (!rdfc && suite.includes('rdfc')) {
      test(`${variant}: ${suite} is not available`, () => {
        throwsCode(() => d.issueCredential(unsigned(), d.KeyPair.generate(), { suite }), 'unsupported_cryptosuite', d);
      });
      continue;
    }
    test(`${variant}: issue and verify with ${suite}`, () => {
      const kp = d.KeyPair.generate(suite.startsWith('ecdsa') ? 'p256' : 'ed25519');
      const secured = d.issueCredential(unsigned(), kp, { suite });
      if (suite === 'vc+jwt') {
        assert.equal(typeof secured, 'string');
        assert.equal(secured.split('.').length, 3);
      } else {
        assert.equal(secured.issuer, kp.did);
        assert.equal(secured.proof.cryptosuite, suite);
      }
      const report = d.verifyCredential(secured, AT);
      assert.equal(report.verified, true, JSON.stringify(report.errors));
      assert.ok(report.checks.some((c) => c.check === 'proof[0]' && c.ok));
      assert.deepEqual(report.errors, []);
      const text = typeof secured === 'string' ? secured : JSON.stringify(secured);
      assert.equal(d.verifyCredential(text, AT).verified, true);
      assert.equal(d.verifyCredential(new TextEncoder().encode(text), AT).verified, true);
    });
  }

  test(`${variant}: tampering, validity, refusals report codes`, () => {
    const kp = d.KeyPair.generate();
    const vc = d.issueCredential(unsigned(), kp);
    const bad = structuredClone(vc);
    bad.credentialSubject.id = 'did:example:mallory';
    const report = d.verifyCredential(bad, AT);
    assert.equal(report.verified, false);
    assert.deepEqual(errorNames(report), ['proof_invalid']);
    assert.deepEqual(report.errors.map((e) => e.code), [2021]);
    const early = d.verifyCredential(vc, { at: '2025-01-01T00:00:00Z' });
    assert.ok(errorNames(early).includes('credential_not_yet_valid'));
    throwsCode(() => d.issueCredential(unsigned(), kp, { suite: 'bbs-2023' }), 'unsupported_cryptosuite', d);
    throwsCode(() => d.verifyCredential(vc, { at: '2025-01-01T00:00:00' }), 'invalid_timestamp', d);
    throwsCode(() => d.verifyCredential(vc, { issuerBinding: 'yes' }), 'invalid_argument', d);
    assert.deepEqual(errorNames(d.verifyCredential('{not json')), ['malformed_json']);
    const p256 = d.KeyPair.generate('p256');
    assert.equal(d.verifyCredential(d.issueCredential(unsigned(), p256, { suite: 'vc+jwt' }), AT).verified, true);
    throwsCode(() => d.issueCredential(unsigned(), p256), 'alg_key_mismatch', d);
    throwsCode(() => d.KeyPair.generate('rsa'), 'unsupported_key_type', d);
  });

  test(`${variant}: issuer binding and DID documents`, () => {
    const kp = d.KeyPair.generate();
    const web = 'did:web:housing.city.example';
    const vm = { id: `${web}#key-1`, type: 'Multikey', controller: web, publicKeyMultibase: kp.publicMultikey() };
    const doc = { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: web, verificationMethod: [vm], assertionMethod: [vm.id] };
    const vc = d.issueCredential({ ...unsigned(), issuer: web }, kp, { kid: vm.id });
    assert.equal(d.verifyCredential(vc, AT).verified, false);
    assert.equal(d.verifyCredential(vc, { ...AT, didDocuments: [doc] }).verified, true);
    const other = d.issueCredential({ ...unsigned(), issuer: web }, kp);
    assert.ok(errorNames(d.verifyCredential(other, { ...AT, didDocuments: [doc] })).includes('verification_method_mismatch'));
    assert.equal(d.verifyCredential(other, { ...AT, issuerBinding: false }).verified, true);
  });

  test(`${variant}: presentations with challenge and domain`, () => {
    const issuer = d.KeyPair.generate();
    const holder = d.KeyPair.generate();
    const vcDi = d.issueCredential(unsigned(holder.did), issuer);
    const vcJwt = d.issueCredential(unsigned(holder.did), issuer, { suite: 'vc+jwt' });
    for (const jwt of [false, true]) {
      const vp = d.presentCredentials([vcDi, vcJwt], holder, { challenge: 'n-1', domain: 'city.example', jwt });
      const ok = d.verifyCredential(vp, { ...AT, challenge: 'n-1', domain: 'city.example' });
      assert.equal(ok.verified, true, JSON.stringify(ok.errors));
      const wrong = d.verifyCredential(vp, { ...AT, challenge: 'n-2', domain: 'city.example' });
      assert.ok(['challenge_mismatch', 'jwt_claims_mismatch'].some((n) => errorNames(wrong).includes(n)));
    }
  });

  test(`${variant}: Verifier.verifyMany keeps input order`, () => {
    const kp = d.KeyPair.generate();
    const good = Array.from({ length: 6 }, (_, i) => d.issueCredential(unsigned(`did:example:${i}`), kp));
    const bad = structuredClone(good[2]);
    bad.credentialSubject.id = 'did:example:x';
    const v = new d.Verifier(AT);
    const reports = v.verifyMany([...good, bad, JSON.stringify(good[0]), d.issueCredential(unsigned(), kp, { suite: 'vc+jwt' })]);
    assert.deepEqual(reports.map((r) => r.verified), [true, true, true, true, true, true, false, true, true]);
    assert.deepEqual(errorNames(reports[6]), ['proof_invalid']);
  });

  test(`${variant}: W3C eddsa-rdfc-2022 signed vector`, needs('vc/eddsa-rdfc-2022'), () => {
    const signed = vectorJson('vc/eddsa-rdfc-2022', 'signedDataInt.json');
    const contexts = {
      'https://www.w3.org/ns/credentials/v2': vectorText('vc/eddsa/contexts', 'credentials-v2.jsonld'),
      'https://www.w3.org/ns/credentials/examples/v2': vectorJson('vc/eddsa/contexts', 'credentials-examples-v2.jsonld'),
    };
    // Its issuer is an HTTPS URL: issuer binding off, as in the Rust test.
    const opts = { contexts, at: '2024-01-01T00:00:00Z', issuerBinding: false };
    if (!rdfc) {
      // The credentials-only build has no JSON-LD: the proof's suite is not supported.
      assert.deepEqual(errorNames(d.verifyCredential(signed, opts)), ['unsupported_cryptosuite']);
      return;
    }
    const report = d.verifyCredential(signed, opts);
    assert.equal(report.verified, true, JSON.stringify(report.errors));
    const tampered = structuredClone(signed);
    tampered.credentialSubject.alumniOf = 'The School of Forgery';
    assert.deepEqual(errorNames(d.verifyCredential(tampered, opts)), ['proof_invalid']);
    const unknown = structuredClone(signed);
    unknown['@context'][1] = 'https://unknown.example/context';
    assert.ok(errorNames(d.verifyCredential(unknown, opts)).includes('unknown_context'));
  });

  test(`${variant}: W3C eddsa-jcs-2022 canonical forms and key`, needs('vc/eddsa-jcs-2022'), () => {
    const doc = vectorJson('vc/eddsa', 'unsigned.json');
    assert.equal(d.canonicalize(doc), vectorText('vc/eddsa-jcs-2022', 'canonDocJCS.txt').trim());
    const config = vectorJson('vc/eddsa-jcs-2022', 'proofConfigJCS.json');
    assert.equal(d.canonicalize(config), vectorText('vc/eddsa-jcs-2022', 'proofCanonJCS.txt').trim());
    const keys = vectorJson('vc/eddsa', 'keyPair.json');
    const kp = d.KeyPair.fromMultikey(keys.privateKeyMultibase);
    assert.equal(kp.publicMultikey(), keys.publicKeyMultibase);
    assert.equal(kp.kid, config.verificationMethod);
    const signed = d.issueCredential(doc, kp, { suite: 'eddsa-jcs-2022' });
    assert.equal(d.verifyCredential(signed, { at: '2030-01-01T00:00:00Z', issuerBinding: false }).verified, true);
  });

  test(`${variant}: RFC 8037 Ed25519 JWK and thumbprint`, needs('vc/rfc8037'), () => {
    const kp = d.KeyPair.fromJwk(vectorText('vc/rfc8037', 'A.1-private-jwk.json'));
    const pub = kp.publicJwk();
    const want = vectorJson('vc/rfc8037', 'A.2-public-jwk.json');
    for (const k of Object.keys(want)) assert.equal(pub[k], want[k]);
    assert.equal(kp.thumbprint(), vectorJson('vc/rfc8037', 'A.3-jwk-thumbprint.json').thumbprint_b64url);
    assert.throws(() => d.KeyPair.fromJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AA', d: 'AA' }),
      (e) => e instanceof Error && Math.floor(e.code / 1000) === 1 && d.errorCodes()[e.code] === e.name);
  });

  test(`${variant}: RFC 8785 JCS vectors`, needs('vc/jcs-rfc8785'), () => {
    const dir = path.join(vectorsDir('vc/jcs-rfc8785'), 'input');
    for (const f of fs.readdirSync(dir)) {
      const input = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.equal(d.canonicalize(input), vectorText('vc/jcs-rfc8785', `output/${f}`), f);
    }
    throwsCode(() => d.canonicalize('{"a":1,"a":2}'), 'duplicate_key', d);
  });

  test(`${variant}: did:key vector`, needs('vc/did-key'), () => {
    const [did, entry] = Object.entries(vectorJson('vc/did-key', 'ed25519-x25519.json'))[0];
    // The Ed25519 secret is the seed.
    const kp = d.KeyPair.fromSecretBytes('ed25519', Buffer.from(entry.seed, 'hex'));
    assert.equal(kp.did, did);
    assert.equal(kp.kid, `${did}${entry.verificationKeyPair.id}`);
  });

  test(`${variant}: PixelPass QR vectors`, needs('vc/pixelpass'), () => {
    for (const v of vectorJson('vc/pixelpass', 'pixelpass-vectors.json').vectors) {
      if (v.input_text !== undefined) assert.equal(d.decodeQr(v.qr_data), v.input_text);
      if (v.input_json !== undefined) {
        assert.deepEqual(d.decodeQr(v.qr_data), JSON.parse(v.input_json));
        assert.equal(d.encodeQr(v.input_json), v.qr_data);
      }
      if (v.decoded_text !== undefined) assert.equal(d.decodeQr(v.qr_data), v.decoded_text);
    }
    throwsCode(() => d.decodeQr('not base45 ~~~'), 'qr_decode_failed', d);
  });

  test(`${variant}: a credential through a QR code`, () => {
    const kp = d.KeyPair.generate();
    const vc = d.issueCredential(unsigned(), kp);
    const text = d.encodeQr(vc);
    assert.equal(d.verifyQr(text, AT).verified, true);
    assert.ok(d.renderQrSvg(text).startsWith('<?xml') || d.renderQrSvg(text).includes('<svg'));
    const bad = d.verifyQr('NCFKVPV0QSIP600GP5L0', AT);
    assert.equal(bad.verified, false);
  });

  test(`${variant}: Bitstring Status List vector`, needs('vc/bitstring-status-list'), () => {
    const list = vectorJson('vc/bitstring-status-list', 'status-list-credential.json');
    const vc = vectorJson('vc/bitstring-status-list', 'revocable-credential.json');
    const report = d.verifyCredential(vc, { statusLists: [list], at: '2030-01-01T00:00:00Z', issuerBinding: false });
    assert.ok(report.checks.some((c) => c.check.startsWith('status')), JSON.stringify(report.checks));
  });
}
