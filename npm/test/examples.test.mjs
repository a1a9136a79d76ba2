// examples/playwright as a user runs it: copied into a fresh temporary
// folder, its pinned @playwright/test installed from npm and linksim from
// its tarballs (LINKSIM_NPM_DIR), with no Go on PATH, then
// `npx playwright test`, whose webServer entries start linksim (npx linksim)
// and the app, on free ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const tarballs = process.env.LINKSIM_NPM_DIR;
const example = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'examples', 'playwright');

function pathWithoutGo() {
  const has = (dir, name) => { try { accessSync(path.join(dir, name), constants.X_OK); return true; } catch { return false; } };
  return process.env.PATH.split(path.delimiter).filter((d) => d && !has(d, 'go')).join(path.delimiter);
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(String(port))); });
  });
}

test('examples/playwright passes with linksim from npm and no Go', async () => {
  assert.ok(tarballs, 'LINKSIM_NPM_DIR names the folder of tarballs (make npmtest sets it)');
  const project = mkdtempSync(path.join(tmpdir(), 'linksim-example-'));
  try {
    cpSync(example, project, { recursive: true, filter: (src) => !/node_modules|test-results|playwright-report/.test(src) });
    const env = { ...process.env, PATH: pathWithoutGo(), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', npm_config_audit: 'false',
      npm_config_fund: 'false', LINKSIM_PORT: await freePort(), APP_PORT: await freePort(), CI: '1' };
    delete env.NODE_TEST_CONTEXT;
    const run = (cmd, args) => {
      try {
        return execFileSync(cmd, args, { cwd: project, env, encoding: 'utf8', stdio: 'pipe', timeout: 180_000 });
      } catch (e) {
        throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    };
    const tgz = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => path.resolve(tarballs, f));
    run('npm', ['ci']);
    run('npm', ['install', '--no-save', ...tgz]);
    const out = run('npx', ['playwright', 'test']);
    assert.match(out, /2 passed/, out);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
