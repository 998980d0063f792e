'use strict';
// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) loads a page
// served on 127.0.0.1 that imports the credentials-only web build, verifies a credential
// and a QR credential issued here, and reports; the screenshot goes to
// target/wasm/browser.png. Exits non-zero when anything on the page failed.
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const { ROOT, PKG, load } = require('../helpers.cjs');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

function fixtures() {
  const d = load('credentials');
  const kp = d.KeyPair.generate();
  const unsigned = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:resident-1024' },
  };
  const credential = d.issueCredential(unsigned, kp);
  return { unsigned, credential, qr: d.encodeQr(credential) };
}

function serve(fixtureJson) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = null;
    if (url.pathname === '/') file = path.join(__dirname, 'index.html');
    else if (url.pathname === '/fixtures.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(fixtureJson);
    } else if (url.pathname.startsWith('/pkg/')) {
      file = path.join(PKG, path.normalize(url.pathname.slice(5)).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(PKG)) file = null;
    }
    if (!file || !fs.existsSync(file)) { res.writeHead(404); return res.end('not found'); }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const server = await serve(JSON.stringify(fixtures()));
  const { port } = server.address();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpikit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 900, height: 560 },
  });
  try {
    const page = await context.newPage();
    const logs = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.getElementById('result').dataset.state !== 'pending', null, { timeout: 30000 });
    const shot = path.join(ROOT, 'target', 'wasm', 'browser.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    const state = await page.$eval('#result', (e) => e.dataset.state);
    const text = await page.$eval('#result', (e) => e.textContent);
    assert.equal(state, 'done', `${text}\n${logs.join('\n')}`);
    const result = JSON.parse(text);
    assert.equal(result.credential, true);
    assert.equal(result.qr, true);
    assert.deepEqual(result.tampered, ['proof_invalid']);
    assert.equal(result.browserIssued, true);
    assert.match(result.error, /^unsupported_cryptosuite \(\d+\) instanceof Error: true$/);
    console.log(`browser: 5 passed, 0 failed (headless Chromium; screenshot ${path.relative(ROOT, shot)})`);
  } finally {
    await context.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
