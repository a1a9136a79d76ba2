// linksim's npm packages as a user without Go gets them: the tarballs
// (LINKSIM_NPM_DIR, written by make npmpack) installed with npm into a
// fresh temporary project whose PATH has no go; npx linksim serves the
// Plaid API with the WebAssembly built in, and says which package is
// missing when it is; the project's own Playwright tests (project/) go
// through linksim/playwright and linksim/dist; tsc checks the types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const tarballs = process.env.LINKSIM_NPM_DIR;
const here = path.dirname(new URL(import.meta.url).pathname);

// pathWithoutGo is PATH less every directory holding a go command.
function pathWithoutGo() {
  const has = (dir, name) => { try { accessSync(path.join(dir, name), constants.X_OK); return true; } catch { return false; } };
  const dirs = process.env.PATH.split(path.delimiter).filter((d) => d && !has(d, 'go'));
  for (const need of ['node', 'npm', 'npx']) {
    assert.ok(dirs.some((d) => has(d, need)), `${need} is on PATH once go's directories are left out`);
  }
  return dirs.join(path.delimiter);
}

let project;
let env;

// run runs a command in the project with the Go-less PATH; it fails with
// the command's output.
function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { cwd: project, env, encoding: 'utf8', stdio: 'pipe', timeout: 120_000, ...options });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

before(() => {
  assert.ok(tarballs, 'LINKSIM_NPM_DIR names the folder of tarballs (make npmtest sets it)');
  project = mkdtempSync(path.join(tmpdir(), 'linksim-npm-'));
  env = { ...process.env, PATH: pathWithoutGo(), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', npm_config_audit: 'false', npm_config_fund: 'false' };
  delete env.GOROOT;
  delete env.NODE_TEST_CONTEXT; // the project's node --test reports to its own output, not to this runner
  assert.throws(() => execFileSync('sh', ['-c', 'command -v go'], { env, stdio: 'pipe' }), 'no go on the project\'s PATH');
  cpSync(path.join(here, 'project'), project, { recursive: true });
  const tgz = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => path.resolve(tarballs, f));
  assert.ok(tgz.some((f) => /\/linksim-\d[^/]*\.tgz$/.test(f)), `linksim's tarball is in ${tarballs}`);
  assert.ok(tgz.some((f) => /\/linksim-(linux|darwin|win32)-/.test(f)), `a platform package's tarball is in ${tarballs}`);
  run('npm', ['ci']); // the project's pinned playwright-core, typescript and @types/node, from npm
  run('npm', ['install', ...tgz]); // as the README says: npm i ./dist/npm/linksim-….tgz
});

after(() => { if (project) rmSync(project, { recursive: true, force: true }); });

// startNpx runs `npx linksim args…` in its own process group and resolves
// with its URL once it listens, and a stop function.
function startNpx(args) {
  const child = spawn('npx', ['linksim', ...args], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  const url = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'linksim listening') resolve(entry);
        } catch { /* not a whole JSON line yet */ }
      }
    });
    exited.then((code) => reject(new Error(`npx linksim exited (${code}) before it listened:\n${out}`)));
  });
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    await exited;
  };
  return { url, stop };
}

test('npx linksim serves the Plaid API and the WebAssembly, from the platform package', async () => {
  const server = startNpx(['-addr', '127.0.0.1:0', '-log-format', 'json', '-seed', '7']);
  try {
    const listening = await server.url;
    assert.equal(listening.wasm, undefined, 'the release binary does not warn of a missing WebAssembly');
    const resp = await fetch(listening.url + '/link/token/create', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'a', secret: 'b', client_name: 'Npx', language: 'en', country_codes: ['US'],
        user: { client_user_id: 'u' }, products: ['auth'] }),
    });
    const body = await resp.json();
    assert.equal(resp.status, 200, JSON.stringify(body));
    assert.match(body.link_token, /^link-sandbox-/);
    const wasm = await fetch(listening.url + '/linksim.wasm');
    assert.equal(wasm.status, 200, 'the served mode offers the in-page mode too');
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  } finally {
    await server.stop();
  }
  const version = run('npx', ['linksim', '-version']);
  assert.match(version, /^linksim \d+\.\d+\.\d+ \S+ go\S+, WebAssembly built in\n$/);
});

test('npx linksim names the platform package when it is missing', () => {
  const pkg = `@linksim/${process.platform}-${process.arch}`;
  const dir = path.join(project, 'node_modules', pkg);
  renameSync(dir, dir + '.away');
  try {
    const r = spawnResult('npx', ['linksim', '-version']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`the package ${pkg}, which holds linksim's server`));
  } finally {
    renameSync(dir + '.away', dir);
  }
});

function spawnResult(cmd, args) {
  try {
    return { status: 0, stdout: run(cmd, args), stderr: '' };
  } catch (e) {
    return { status: 1, stderr: e.message };
  }
}

test('the project\'s Playwright tests pass through linksim/playwright and linksim/dist, with Debian\'s chromium', () => {
  const out = run('node', ['--test', '--test-reporter=spec', 'linksim.test.mjs'], { timeout: 150_000 });
  assert.match(out, /ℹ pass 4\n/, out);
  assert.match(out, /ℹ fail 0\n/, out);
});

test('tsc checks linksim\'s types, and a user\'s code against them and playwright-core\'s', () => {
  const tsc = path.join('node_modules', 'typescript', 'bin', 'tsc');
  run('node', [tsc, '-p', 'tsconfig.dts.json']); // linksim's own .d.ts files, strictly
  run('node', [tsc, '-p', '.']); // types.ts: Page and BrowserContext fit the helper (other libraries' .d.ts skipped)
});

// codeLines are a block's lines without indentation, trailing comments and
// blank or comment-only lines.
const codeLines = (src) => src.split('\n').map((l) => l.replace(/\s+\/\/ .*$/, '').trim()).filter((l) => l && !l.startsWith('//'));

test('the README\'s npm section is what these tests run', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const version = readFileSync(new URL('../../VERSION', import.meta.url), 'utf8').trim();
  const block = readme.match(/```js\n(\/\/ linksim\/playwright\n[\s\S]*?)```/);
  assert.ok(block, 'the README has a `// linksim/playwright` block');
  const testLines = codeLines(readFileSync(path.join(here, 'project', 'linksim.test.mjs'), 'utf8'));
  let at = 0;
  for (const line of codeLines(block[1])) {
    const found = testLines.indexOf(line, at);
    assert.ok(found >= 0, `project/linksim.test.mjs runs the README's line, in order: ${line}`);
    at = found + 1;
  }
  assert.ok(readme.includes(`npm i -D ./dist/npm/linksim-${version}.tgz ./dist/npm/linksim-linux-x64-${version}.tgz`),
    `the README installs version ${version}'s tarballs (VERSION)`);
});
