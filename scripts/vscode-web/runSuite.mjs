// Run a mocha suite inside the real VS Code 1.100.3 extension host (code-server + headless
// Chromium), the offline stand-in for @vscode/test-electron's runTests.
//
// Module: const { exitCode, output } = await runExtensionHostSuite({ extensionDevelopmentPath, extensionTestsPath, workspace });
// CLI:    node scripts/vscode-web/runSuite.mjs --extension <dir> --tests <abs path to suite index.js> --workspace <dir>
//                [--timeout <ms>] [--run-dir <dir>] [--env KEY=VALUE]...
//
// The suite module exports `run()` (returning a Promise that rejects on failures), exactly as
// under test-electron. Its result comes back through the page's `codeAutomationExit(code)`;
// the extension host's own exit code is always 0 and is not used.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { ensureTestTools, repoRoot } from './install.mjs';

// Harmless offline messages of the workbench (see /work/shared/real-vscode-offline.md).
const KNOWN_NOISE = [/ENOTFOUND open-vsx\.org/];

function log(msg) {
  process.stderr.write(`[vscode-web] ${msg}\n`);
}

/**
 * @param {{
 *   extensionDevelopmentPath: string,   // folder with the extension's package.json
 *   extensionTestsPath: string,         // the suite's index .js (exports run())
 *   workspace: string,                  // folder opened in the editor
 *   env?: Record<string,string>,        // extra environment for the server / extension host
 *   runDir?: string,                    // scratch folder; default .test-runs/<stamp> (removed after a pass)
 *   timeoutMs?: number,                 // whole-run limit, default 300000
 * }} opts
 * @returns {Promise<{ exitCode: number, output: string }>}
 */
export async function runExtensionHostSuite({
  extensionDevelopmentPath,
  extensionTestsPath,
  workspace,
  env = {},
  runDir,
  timeoutMs = 300000,
  workspaceTrust = false,
}) {
  for (const [name, value] of Object.entries({ extensionDevelopmentPath, extensionTestsPath, workspace })) {
    if (!value) throw new Error(`runExtensionHostSuite: ${name} is required`);
    if (!existsSync(value)) throw new Error(`runExtensionHostSuite: ${name} does not exist: ${value}`);
  }
  extensionDevelopmentPath = path.resolve(extensionDevelopmentPath);
  extensionTestsPath = path.resolve(extensionTestsPath);
  workspace = path.resolve(workspace);
  const ownRunDir = !runDir;
  if (ownRunDir) {
    const runsDir = path.join(repoRoot, '.test-runs');
    await fs.mkdir(runsDir, { recursive: true });
    runDir = await fs.mkdtemp(path.join(runsDir, `run-${new Date().toISOString().slice(0, 19).replace(/\D/g, '')}-`));
  } else {
    runDir = path.resolve(runDir);
    await fs.mkdir(runDir, { recursive: true });
  }

  const { chromiumPath } = await ensureTestTools();
  const started = Date.now();
  const lines = [];
  const emit = (text) => {
    lines.push(text);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };

  let server;
  let context;
  let exitCode = 1;
  let timer;
  try {
    server = await startCodeServer({ workspace, env, runDir, workspaceTrust });
    context = await launchBrowser({ runDir, chromiumPath });
    const page = context.pages()[0] ?? (await context.newPage());

    let settle;
    const result = new Promise((resolve) => (settle = resolve));
    // The workbench's log, including the extension host's console output (so mocha's reporter):
    // (level, args) where args are console.log arguments, format string first.
    await page.exposeFunction('codeAutomationLog', (_level, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (KNOWN_NOISE.some((re) => re.test(text))) return;
      emit(text);
    });
    // (code, logs): logs are the workbench's log files [{ relativePath, contents }].
    await page.exposeFunction('codeAutomationExit', async (code, logs) => {
      try {
        for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
          const file = path.join(runDir, 'logs', path.normalize(relativePath).replace(/^(\.\.(\/|$))+/, ''));
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, contents);
        }
      } catch {}
      settle({ code: typeof code === 'number' ? code : Number(code) || 0 });
    });
    page.on('crash', () => settle({ code: 1, reason: 'the browser page crashed' }));
    page.on('close', () => settle({ code: 1, reason: 'the browser page closed before the suite finished' }));
    timer = setTimeout(
      () => settle({ code: 1, reason: `timed out after ${timeoutMs} ms waiting for the suite to finish (no codeAutomationExit); server log: ${server.logFile}` }),
      Math.max(0, timeoutMs - (Date.now() - started)),
    );

    const url = workbenchUrl(server.origin, { folder: workspace, extensionDevelopmentPath, extensionTestsPath });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const { code, reason } = await result;
    if (reason) {
      emit(`[vscode-web] ${reason}`);
    }
    exitCode = code === 0 ? 0 : 1;
  } catch (e) {
    emit(`[vscode-web] run failed: ${e.message}`);
    exitCode = 1;
  } finally {
    clearTimeout(timer);
    await context?.close().catch((e) => log(`closing the browser failed: ${e.message}`));
    await server?.stop().catch((e) => log(`stopping code-server failed: ${e.message}`));
    if (ownRunDir && exitCode === 0) {
      await fs.rm(runDir, { recursive: true, force: true }).catch(() => {});
    } else {
      log(`run folder kept: ${runDir}`);
    }
  }
  log(`suite ${exitCode === 0 ? 'passed' : 'FAILED'} (exit ${exitCode}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { exitCode, output: lines.join('\n') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const usage = 'usage: node scripts/vscode-web/runSuite.mjs --extension <dir> --tests <abs path to suite index.js> --workspace <dir> [--timeout <ms>] [--run-dir <dir>] [--env KEY=VALUE]...';
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        extension: { type: 'string' },
        tests: { type: 'string' },
        workspace: { type: 'string' },
        timeout: { type: 'string' },
        'run-dir': { type: 'string' },
        env: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${e.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help || !values.extension || !values.tests || !values.workspace) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const env = {};
  for (const kv of values.env ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) {
      console.error(`--env expects KEY=VALUE, got ${kv}`);
      process.exit(2);
    }
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  runExtensionHostSuite({
    extensionDevelopmentPath: values.extension,
    extensionTestsPath: values.tests,
    workspace: values.workspace,
    env,
    runDir: values['run-dir'],
    timeoutMs: values.timeout ? Number(values.timeout) : undefined,
  }).then(
    ({ exitCode }) => process.exit(exitCode),
    (e) => {
      console.error(`[vscode-web] ${e.message}`);
      process.exit(1);
    },
  );
}
