// pack.mjs lays out linksim's npm packages and packs each with npm pack:
// one per platform with its prebuilt server (@linksim/<platform>-<arch>,
// with os and cpu fields, as esbuild ships its binaries) and linksim itself
// (the static site under dist/, the linksim command, the Playwright
// helper), which names them as optional dependencies at its exact version.
//
//	node npm/pack.mjs -version 0.1.0 -bin DIR -site DIR -out DIR linux-x64 …
//
// -bin holds linksim-<platform>-<arch>[.exe] (make npm builds them), -site
// the static site (linksim dist); the tarballs land in -out.
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// platforms are the prebuilt servers: Node's process.platform and arch.
const platforms = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

function parseArgs(argv) {
  const opts = { targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (['-version', '-bin', '-site', '-out'].includes(a)) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      opts[a.slice(1)] = argv[++i];
    } else if (platforms.includes(a)) {
      opts.targets.push(a);
    } else {
      throw new Error(`unknown argument ${a} (platforms: ${platforms.join(', ')})`);
    }
  }
  for (const k of ['version', 'bin', 'site', 'out']) if (!opts[k]) throw new Error(`-${k} is required`);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(opts.version)) throw new Error(`-version ${opts.version} is not a semver version`);
  if (!opts.targets.length) throw new Error(`name at least one platform (${platforms.join(', ')})`);
  return opts;
}

// pack runs npm pack in dir and returns the tarball's path in out.
function pack(dir, out) {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  return path.join(out, JSON.parse(json)[0].filename);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { version, targets } = args;
  const [bin, site, out] = [args.bin, args.site, args.out].map((p) => path.resolve(p));
  const here = path.dirname(new URL(import.meta.url).pathname);
  const stage = path.join(out, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  statSync(path.join(site, 'link-initialize.js')); // the site is there

  const packed = [];
  for (const target of targets) {
    const [os, cpu] = target.split('-');
    const exe = os === 'win32' ? '.exe' : '';
    const dir = path.join(stage, target);
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    cpSync(path.join(bin, `linksim-${target}${exe}`), path.join(dir, 'bin', `linksim${exe}`));
    chmodSync(path.join(dir, 'bin', `linksim${exe}`), 0o755);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: `@linksim/${target}`,
      version,
      description: `linksim's prebuilt server for ${os} ${cpu} (installed by the linksim package).`,
      homepage: 'https://github.com/linksim/linksim',
      repository: { type: 'git', url: 'git+https://github.com/linksim/linksim.git' },
      os: [os],
      cpu: [cpu],
      files: ['bin/'],
      preferUnplugged: true,
    }, null, 2) + '\n');
    writeFileSync(path.join(dir, 'README.md'), `# @linksim/${target}\n\nThe prebuilt linksim server for ${os} ${cpu}. ` +
      'Install [linksim](https://www.npmjs.com/package/linksim), which pulls in the right one of these packages.\n');
    packed.push(pack(dir, out));
  }

  const dir = path.join(stage, 'linksim');
  const src = path.join(here, 'linksim');
  cpSync(src, dir, { recursive: true });
  cpSync(site, path.join(dir, 'dist'), { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8'));
  manifest.version = version;
  // Every platform's package, at this exact version, whichever were built
  // now: npm installs the one whose os and cpu match and skips the rest.
  manifest.optionalDependencies = Object.fromEntries(platforms.map((p) => [`@linksim/${p}`, version]));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  packed.push(pack(dir, out));

  rmSync(stage, { recursive: true, force: true });
  for (const file of packed) console.log(`${path.basename(file).padEnd(36)} ${statSync(file).size.toString().padStart(10)} bytes`);
}

try {
  main();
} catch (e) {
  console.error(`npm/pack.mjs: ${e.message}`);
  process.exit(1);
}
