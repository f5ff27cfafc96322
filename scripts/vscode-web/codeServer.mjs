// Start/stop code-server (VS Code 1.100.3 server + web workbench) and a Chromium client for it.
// See /work/shared/real-vscode-offline.md. Install the tools first: scripts/vscode-web/install.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codeServerBin as installedCodeServerBin, findChromium } from './install.mjs';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function freshDir(dir) {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** Live (non-zombie) processes of process group `pgid`; falls back to kill(-pgid, 0) without /proc. */
function groupAlive(pgid) {
  if (existsSync('/proc/self/stat')) {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp ...; comm may contain spaces/parens, so split after the last ')'
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start code-server on a free 127.0.0.1 port with fresh folders under `runDir`.
 * `env` is merged into the server's environment, which the extension host inherits.
 * `userSettings` is written as the user's settings.json; `vsix` is installed before the start;
 * `port` fixes the port (a free one when not given); with `workspaceTrust`, the folder opens in
 * restricted mode until trusted, as a person's untrusted clone would.
 * @param {{ workspace: string, env?: Record<string,string>, runDir: string, userSettings?: object, vsix?: string, codeServerBin?: string, startTimeoutMs?: number }} opts
 * @returns {Promise<{ origin: string, port: number, pid: number, logFile: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({
  workspace,
  env = {},
  runDir,
  userSettings,
  vsix,
  port: requestedPort,
  workspaceTrust = false,
  codeServerBin = installedCodeServerBin,
  startTimeoutMs = 30000,
}) {
  if (!workspace) throw new Error('startCodeServer: workspace is required');
  if (!runDir) throw new Error('startCodeServer: runDir is required');
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed (${codeServerBin}); run: node scripts/vscode-web/install.mjs`);
  }
  runDir = path.resolve(runDir);
  workspace = path.resolve(workspace);
  await fs.mkdir(runDir, { recursive: true });
  const dirs = {
    userData: await freshDir(path.join(runDir, 'user-data')),
    extensions: await freshDir(path.join(runDir, 'extensions')),
    xdgConfig: await freshDir(path.join(runDir, 'xdg-config')),
    xdgData: await freshDir(path.join(runDir, 'xdg-data')),
    xdgCache: await freshDir(path.join(runDir, 'xdg-cache')),
  };
  // Unix sockets are limited to 107 characters and VS Code puts vscode-ipc-<uuid>.sock (52 chars)
  // into TMPDIR; if the run folder is too deep, use a short temp folder instead (removed by stop()).
  let ownTmp = null;
  if (path.join(runDir, 'tmp').length + 53 < 107) {
    dirs.tmp = await freshDir(path.join(runDir, 'tmp'));
  } else {
    dirs.tmp = ownTmp = await fs.mkdtemp(path.join(os.tmpdir(), 'cs-'));
  }
  if (userSettings) {
    await fs.mkdir(path.join(dirs.userData, 'User'), { recursive: true });
    await fs.writeFile(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  }
  if (vsix) {
    const installed = spawnSync(
      process.execPath,
      [codeServerBin, '--install-extension', path.resolve(vsix), '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData],
      { env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData }, encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`installing ${vsix} into code-server failed:\n${installed.stderr}${installed.stdout}`);
  }
  const port = requestedPort || (await freePort());
  const configFile = path.join(runDir, 'code-server.yaml');
  await fs.writeFile(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const logStream = createWriteStream(logFile);
  await new Promise((r) => logStream.once('open', r));

  // Inherit the caller's environment minus anything that would tie the server to another
  // VS Code instance (e.g. when run from a VS Code terminal).
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'),
  );
  const childEnv = {
    ...baseEnv,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    ...env,
  };
  const args = [
    codeServerBin,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    cwd: workspace, // the extension host inherits it as process.cwd()
    env: childEnv,
    detached: true, // own process group: stop() kills the server and the extension hosts it forked
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ error }));
  });
  const pid = child.pid;

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (pid && groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {}
        // Wait for the main process and every member of its group; SIGKILL stragglers.
        const deadline = Date.now() + 5000;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
        if (groupAlive(pid)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {}
          const killDeadline = Date.now() + 5000;
          while (groupAlive(pid) && Date.now() < killDeadline) await sleep(50);
        }
      }
      await exited;
      await new Promise((r) => logStream.end(r));
      if (ownTmp) await fs.rm(ownTmp, { recursive: true, force: true }).catch(() => {});
    })());

  const origin = `http://127.0.0.1:${port}`;
  try {
    if (!pid) throw (await exited).error ?? new Error('spawn failed');
    const deadline = Date.now() + startTimeoutMs;
    let early;
    exited.then((r) => (early = r));
    for (;;) {
      if (early) throw new Error(`code-server exited before it was ready (${JSON.stringify(early)})`);
      try {
        const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`code-server did not answer ${origin}/healthz within ${startTimeoutMs} ms`);
      await sleep(100);
    }
  } catch (e) {
    await stop();
    const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
    e.message += `\n--- ${logFile} (tail) ---\n${tail}`;
    throw e;
  }
  return { origin, port, pid, logFile, stop };
}

/**
 * A headless Chromium (Debian's) with a fresh persistent profile under `runDir`.
 * Optionally grants clipboard permissions for `grantClipboardFor` (an origin): outside the
 * extension-test mode the workbench uses navigator.clipboard, and a read hangs without them.
 * @param {{ runDir: string, headless?: boolean, grantClipboardFor?: string, chromiumPath?: string }} opts
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
export async function launchBrowser({ runDir, headless = true, grantClipboardFor, chromiumPath = findChromium() }) {
  if (!runDir) throw new Error('launchBrowser: runDir is required');
  const { chromium } = await import('playwright-core');
  const profile = await freshDir(path.join(path.resolve(runDir), 'browser-profile'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  if (grantClipboardFor) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: grantClipboardFor });
  }
  return context;
}

function remoteUri(origin, absPath) {
  const { host } = new URL(origin);
  const p = path.resolve(absPath).split('/').map(encodeURIComponent).join('/');
  return `vscode-remote://${host}${p}`;
}

/**
 * URL of the web workbench. With extensionDevelopmentPath / extensionTestsPath it loads the
 * extension under development and runs the test suite (the server refuses those as CLI flags).
 * @param {string} origin  e.g. http://127.0.0.1:12345
 * @param {{ folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} [opts]
 */
export function workbenchUrl(origin, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(origin, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(origin, extensionTestsPath)]);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return new URL('/', origin).toString() + (query.length ? `?${query.join('&')}` : '');
}
