// Every platform's package, as make npm writes them into LINKSIM_NPM_DIR
// (make test-slow): each holds a binary built for its os and cpu (read
// from the binary's own header: ELF, Mach-O or PE), this machine's runs
// (--version, -h, dist), and linksim names them all as optional
// dependencies at its exact version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = process.env.LINKSIM_NPM_DIR;
const platforms = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const version = readFileSync(new URL('../../VERSION', import.meta.url), 'utf8').trim();

// fromTarball returns one file of a tarball.
const fromTarball = (tgz, file) => execFileSync('tar', ['-xzOf', path.join(dir, tgz), file], { maxBuffer: 64 << 20 });

// binaryTarget reads the os and cpu a binary was built for from its header.
function binaryTarget(b) {
  if (b.subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'))) {
    return { os: 'linux', cpu: { 62: 'x64', 183: 'arm64' }[b.readUInt16LE(18)] };
  }
  if (b.readUInt32LE(0) === 0xfeedfacf) {
    return { os: 'darwin', cpu: { 0x01000007: 'x64', 0x0100000c: 'arm64' }[b.readUInt32LE(4)] };
  }
  if (b.subarray(0, 2).toString('latin1') === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    assert.equal(b.subarray(pe, pe + 4).toString('latin1'), 'PE\0\0');
    return { os: 'win32', cpu: { 0x8664: 'x64', 0xaa64: 'arm64' }[b.readUInt16LE(pe + 4)] };
  }
  return { os: 'unknown' };
}

test('linksim names every platform package at its exact version', () => {
  assert.ok(dir, 'LINKSIM_NPM_DIR names the folder of tarballs (make test-slow sets it)');
  const manifest = JSON.parse(fromTarball(`linksim-${version}.tgz`, 'package/package.json'));
  assert.equal(manifest.version, version);
  assert.deepEqual(manifest.optionalDependencies, Object.fromEntries(platforms.map((p) => [`@linksim/${p}`, version])));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort(),
    [`linksim-${version}.tgz`, ...platforms.map((p) => `linksim-${p}-${version}.tgz`)].sort());
});

for (const p of platforms) {
  test(`@linksim/${p} holds a server built for ${p}`, () => {
    const [os, cpu] = p.split('-');
    const tgz = `linksim-${p}-${version}.tgz`;
    const manifest = JSON.parse(fromTarball(tgz, 'package/package.json'));
    assert.equal(manifest.name, `@linksim/${p}`);
    assert.equal(manifest.version, version);
    assert.deepEqual([manifest.os, manifest.cpu], [[os], [cpu]]);
    const exe = `package/bin/linksim${os === 'win32' ? '.exe' : ''}`;
    const bin = fromTarball(tgz, exe);
    assert.deepEqual(binaryTarget(bin), { os, cpu });
    assert.ok(bin.includes(Buffer.from('\0asm\x01\0\0\0', 'latin1')), 'the WebAssembly is built in');
    if (p !== `${process.platform}-${process.arch}`) return;
    // This machine's: it runs.
    const tmp = mkdtempSync(path.join(tmpdir(), 'linksim-bin-'));
    try {
      execFileSync('tar', ['-xzf', path.join(dir, tgz), '-C', tmp, exe]);
      const run = path.join(tmp, exe);
      assert.match(execFileSync(run, ['--version'], { encoding: 'utf8' }), new RegExp(`^linksim ${version} \\S+ go\\S+, WebAssembly built in\\n$`));
      const help = spawnSync(run, ['-h'], { encoding: 'utf8' });
      assert.equal(help.status, 0);
      assert.match(help.stderr, /usage: linksim \[flags\][\s\S]*linksim dist \[flags\] DIR[\s\S]*-addr/);
      const listing = execFileSync(run, ['dist', path.join(tmp, 'site')], { encoding: 'utf8' });
      assert.match(listing, /linksim\.[0-9a-f]{12}\.wasm/);
      assert.match(listing, /link-initialize\.js/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
