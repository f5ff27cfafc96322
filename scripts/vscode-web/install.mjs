// Idempotent installer for the tools the real-editor tests need:
//   - Debian packages: chromium (browser client), libkrb5-dev (code-server's native `kerberos`
//     module), ripgrep (offline stand-in for @vscode/ripgrep's GitHub download);
//   - code-server@4.100.3 (= VS Code 1.100.3, last line on Node 20) in <repo>/.test-tools/code-server/.
//
// Module:  import { ensureTestTools } from './install.mjs'; const { codeServerBin, chromiumPath } = await ensureTestTools();
// CLI:     node scripts/vscode-web/install.mjs
//
// See /work/shared/real-vscode-offline.md (copied knowledge): the install has four traps, all handled here.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
// @vscode/ripgrep version that code-server 4.100.3 depends on, and the ripgrep-prebuilt release
// its postinstall downloads. The postinstall looks for
//   $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<release>-<target>.tar.gz
// and untars it (`tar xvf`) into its bin/ folder, expecting `rg` at the top level of the tarball.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

const REQUIRED_DEBS = ['chromium', 'libkrb5-dev', 'ripgrep'];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = path.join(repoRoot, '.test-tools');
const installDir = path.join(toolsDir, 'code-server');
const markerFile = path.join(installDir, '.install-complete');
const lockDir = path.join(toolsDir, 'code-server.lock');
const logFile = path.join(toolsDir, 'code-server-install.log');

export const codeServerBin = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// code-server's postinstall runs `npm install` in lib/vscode, which is where @vscode/ripgrep lands.
const ripgrepBin = path.join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');

function log(msg) {
  process.stderr.write(`[vscode-web install] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function debInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  if (r.error) {
    throw new Error(`dpkg-query not available (${r.error.message}); this installer expects Debian/Ubuntu with apt.`);
  }
  return r.status === 0 && /\binstall ok installed\b/.test(r.stdout);
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new Error(`${cmd} failed to start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

export function ensureDebianPackages() {
  const missing = REQUIRED_DEBS.filter((p) => !debInstalled(p));
  // node-pty and kerberos are native modules built by node-gyp during the code-server install;
  // a bare machine may lack the compiler toolchain. Only asked for when code-server must be installed.
  if (!isCodeServerInstalled()) {
    if (!onPath('make') || !onPath('g++')) missing.push('make', 'g++');
    if (!onPath('python3')) missing.push('python3');
  }
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Installing them needs root; run\n` +
        `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
        `or re-run this installer as root.`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get update (missing: ${missing.join(' ')})`);
  run('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`apt-get install -y ${missing.join(' ')}`);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const still = REQUIRED_DEBS.filter((p) => !debInstalled(p));
  if (still.length) throw new Error(`apt-get install finished but still missing: ${still.join(' ')}`);
}

export function findChromium() {
  // Debian's /usr/bin/chromium is a shell wrapper that execs /usr/lib/chromium/chromium; use the
  // real binary when present (the wrapper works as well).
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
    if (existsSync(p)) return p;
  }
  throw new Error('Chromium not found (expected the Debian package "chromium": /usr/lib/chromium/chromium).');
}

// ---------------------------------------------------------------------------------------------
// code-server

export function isCodeServerInstalled() {
  if (!existsSync(markerFile)) return false;
  try {
    const pkg = JSON.parse(readFileSync(path.join(installDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    return pkg.version === CODE_SERVER_VERSION && existsSync(codeServerBin) && existsSync(ripgrepBin);
  } catch {
    return false;
  }
}

function ripgrepTarget() {
  const arch = process.env.npm_config_arch || os.arch();
  if (arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (arch === 'arm64') return 'aarch64-unknown-linux-musl';
  throw new Error(`Unsupported architecture for the offline ripgrep cache: ${arch}`);
}

/** Where node-gyp should find Node's headers without downloading them (nodejs.org is unreachable). */
function nodeHeadersDir() {
  if (process.env.npm_config_nodedir) return null; // caller already decided
  const r = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' });
  const configured = (r.stdout || '').trim();
  if (r.status === 0 && configured && configured !== 'undefined' && configured !== 'null') return null;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (existsSync(path.join(prefix, 'include', 'node', 'node.h'))) return prefix;
  return null; // node-gyp will try to download headers; may fail offline
}

async function acquireLock() {
  await fs.mkdir(toolsDir, { recursive: true });
  for (let waitedMs = 0; ; ) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return async () => fs.rm(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(await fs.readFile(path.join(lockDir, 'pid'), 'utf8'));
    } catch {}
    let alive = false;
    if (Number.isInteger(holder) && holder > 0) {
      try {
        process.kill(holder, 0);
        alive = true;
      } catch (e) {
        alive = e.code === 'EPERM';
      }
    } else {
      alive = waitedMs < 5000; // pid file not written yet: give its owner a moment
    }
    if (!alive) {
      log(`removing stale lock ${lockDir}`);
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (waitedMs === 0) log(`another install (pid ${holder}) is running; waiting for it`);
    await new Promise((r) => setTimeout(r, 1000));
    waitedMs += 1000;
  }
}

async function installCodeServer() {
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, installDir)}/ (about 1 minute, ~300 MB)`);
  // Anything there without the marker is a leftover of an interrupted install: start over.
  await fs.rm(installDir, { recursive: true, force: true });
  await fs.mkdir(installDir, { recursive: true });
  await fs.writeFile(
    path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'ductape-test-tools-code-server', private: true, description: 'Installed by scripts/vscode-web/install.mjs' }, null, 2) + '\n',
  );

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ductape-code-server-install-'));
  try {
    // Trap 3: @vscode/ripgrep's postinstall downloads rg from GitHub; give it a cached tarball
    // built from Debian's rg.
    const rgCache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
    await fs.mkdir(path.join(tmp, 'rgstage'), { recursive: true });
    await fs.mkdir(rgCache, { recursive: true });
    await fs.copyFile('/usr/bin/rg', path.join(tmp, 'rgstage', 'rg'));
    await fs.chmod(path.join(tmp, 'rgstage', 'rg'), 0o755);
    run('tar', ['czf', path.join(rgCache, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`), '-C', path.join(tmp, 'rgstage'), 'rg']);

    const env = {
      ...process.env,
      TMPDIR: tmp,
      npm_config_unsafe_perm: 'true', // trap 1: code-server's postinstall refuses as root otherwise
      npm_config_yes: 'true', // trap 4: node-pty runs `npx node-gyp`
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    const nodedir = nodeHeadersDir();
    if (nodedir) env.npm_config_nodedir = nodedir;

    const logHandle = await fs.open(logFile, 'w');
    const started = Date.now();
    const code = await new Promise((resolve, reject) => {
      const child = spawn('npm', ['install', '--no-save', '--prefix', installDir, `code-server@${CODE_SERVER_VERSION}`], {
        cwd: installDir,
        env,
        detached: true, // own process group, so an interrupt can stop npm and its install scripts
        stdio: ['ignore', logHandle.fd, logHandle.fd],
      });
      currentInstall = child;
      const tick = setInterval(() => log(`  … still installing (${Math.round((Date.now() - started) / 1000)} s)`), 20000);
      child.on('error', (e) => {
        clearInterval(tick);
        currentInstall = null;
        reject(e);
      });
      child.on('exit', (c, sig) => {
        clearInterval(tick);
        currentInstall = null;
        resolve(c ?? sig);
      });
    });
    if (interruptedBy) throw new Error(`interrupted by ${interruptedBy}`);
    await logHandle.close();
    if (code !== 0) {
      const tail = (await fs.readFile(logFile, 'utf8')).split('\n').slice(-40).join('\n');
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${code}); full log: ${logFile}\n${tail}`);
    }
    const pkgVersion = JSON.parse(await fs.readFile(path.join(installDir, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
    if (pkgVersion !== CODE_SERVER_VERSION) throw new Error(`installed code-server is ${pkgVersion}, expected ${CODE_SERVER_VERSION}`);
    if (!existsSync(codeServerBin)) throw new Error(`code-server entry point missing: ${codeServerBin}`);
    if (!existsSync(ripgrepBin)) throw new Error(`@vscode/ripgrep has no bin/rg after install; see ${logFile}`);
    // Written last: its presence is what makes a later run skip.
    await fs.writeFile(markerFile, `code-server@${CODE_SERVER_VERSION} installed ${new Date().toISOString()}\n`);
    log(`code-server@${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s (log: ${path.relative(repoRoot, logFile)})`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

let currentInstall = null; // the running `npm install` child, if any
let interruptedBy = null;

function onInterrupt(signal) {
  if (interruptedBy) return;
  interruptedBy = signal;
  log(`${signal}: stopping the install`);
  if (currentInstall?.pid) {
    try {
      process.kill(-currentInstall.pid, 'SIGTERM');
    } catch {}
  }
}

export async function ensureTestTools() {
  ensureDebianPackages();
  const chromiumPath = findChromium();
  if (!isCodeServerInstalled()) {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    interruptedBy = null;
    for (const sig of signals) process.on(sig, onInterrupt);
    let release;
    try {
      release = await acquireLock();
      // Someone else may have finished it while we waited for the lock.
      if (!interruptedBy && !isCodeServerInstalled()) await installCodeServer();
    } finally {
      await release?.();
      for (const sig of signals) process.off(sig, onInterrupt);
      // Cleaned up (temp folder, lock; no marker was written): now die of the signal as usual.
      if (interruptedBy) process.kill(process.pid, interruptedBy);
    }
  }
  return { codeServerBin, chromiumPath };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  ensureTestTools().then(
    (r) => {
      log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: code-server ${path.relative(repoRoot, r.codeServerBin)}, chromium ${r.chromiumPath}`);
    },
    (e) => {
      log(`FAILED: ${e.message}`);
      process.exit(1);
    },
  );
}
