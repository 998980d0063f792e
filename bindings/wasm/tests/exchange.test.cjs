'use strict';
// Exchange in WASM (full build): FIWARE Smart Data Models registered offline from the
// shared vectors; each example checked as PROVENANCE.md predicts (as the Rust suite does).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { load, needs, vectorsDir, vectorJson, throwsCode } = require('./helpers.cjs');

const d = load('full');
const DOMAIN = 'exchange/smart-data-models';
const ENV_RAW = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json';
const ENV_ID = 'https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json';
const sdm = (m) => `https://smart-data-models.github.io/dataModel.${m}/schema.json`;
const MODELS = [
  ['Environment/AirQualityObserved', sdm('Environment/AirQualityObserved'), '0.1.4', ['/dateObserved', '/tsp']],
  ['Weather/WeatherObserved', sdm('Weather/WeatherObserved'), '0.3.4', []],
  ['Parking/ParkingSpot', sdm('Parking/ParkingSpot'), '0.1.0', []],
  ['Streetlighting/Streetlight', sdm('Streetlighting/Streetlight'), '0.2.1', []],
  ['IssueTracking/service_requests', sdm('IssueTracking/service_requests'), '0.1.0', []],
];

function registry() {
  const dir = vectorsDir(DOMAIN);
  const r = new d.SchemaRegistry();
  for (const f of fs.readdirSync(path.join(dir, 'common'))) r.register(fs.readFileSync(path.join(dir, 'common', f), 'utf8'));
  r.addAlias(ENV_RAW, ENV_ID);
  for (const [model, id, version] of MODELS) {
    assert.deepEqual(r.register(fs.readFileSync(path.join(dir, model, 'schema.json'))), { id, version });
  }
  return r;
}

test('every Smart Data Models example validates as PROVENANCE.md predicts', needs(DOMAIN), () => {
  const r = registry();
  for (const [model, id, version, expected] of MODELS) {
    const report = r.validate(id, vectorJson(DOMAIN, `${model}/examples/example.json`), version);
    assert.deepEqual(report.issues.map((i) => i.instance_path ?? i.instancePath).sort(), expected, model);
  }
  throwsCode(() => r.validate('https://city.example/none.json', {}), 'schema_not_found', d);
});

test('a remote $ref is unresolved, never fetched', () => {
  const r = new d.SchemaRegistry();
  r.register({ $id: 'https://city.example/s.json', $ref: 'https://evil.example/remote.json#/x' });
  throwsCode(() => r.validate('https://city.example/s.json', {}), 'unresolved_ref', d);
});

test('NGSI-LD normalized to keyValues', () => {
  const out = d.ngsiToKeyValues({ id: 'urn:ngsi-ld:Streetlight:1', type: 'Streetlight',
    status: { type: 'Property', value: 'ok', observedAt: '2026-01-01T00:00:00Z' } });
  assert.equal(out.entity.status, 'ok');
  assert.ok(Array.isArray(out.dropped));
});
