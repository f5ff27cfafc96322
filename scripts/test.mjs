// `npm test`: builds and lints, then runs the unit tests (plain Node, against the sandbox), the
// extension-host suite (inside real VS Code: code-server 1.100.3) and the UI test (Playwright
// driving the workbench in Debian's Chromium). Installs the editor and the browser on first use.
// Ends with one line "N passed, N failed" and exits non-zero on any failure.
//
// `npm test -- unit` (or `lint`, `host`, `ui`, several) runs only those parts.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './vscode-web/install.mjs';

const PARTS = ['lint', 'unit', 'host', 'ui'];
const chosen = process.argv.slice(2).filter((arg) => PARTS.includes(arg));
const parts = chosen.length ? chosen : PARTS;
const runRoot = path.join(repoRoot, '.test-runs');
const totals = { passed: 0, failed: 0 };
const results = [];

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function count(part, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  results.push(`${part}: ${passed} passed, ${failed} failed`);
}

/** Runs node's test runner on a folder, reading its counts from a TAP copy of the report. */
async function nodeTests(part, folder) {
  const tap = path.join(runRoot, `${part}.tap`);
  const code = await run(process.execPath, [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    folder,
  ]);
  const report = readFileSync(tap, 'utf8');
  const number = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
  const failed = number('fail') + number('cancelled');
  count(part, number('pass'), code !== 0 && failed === 0 ? 1 : failed);
}

/**
 * The extension-host suite, in a trusted folder; then its untrusted-workspace part again, with
 * the folder opened in restricted mode.
 */
async function hostTests() {
  const { ensureTestTools } = await import('./vscode-web/install.mjs');
  const { runExtensionHostSuite } = await import('./vscode-web/runSuite.mjs');
  await ensureTestTools();
  for (const [part, untrusted] of [['extension host', false], ['untrusted workspace', true]]) {
    const runDir = path.join(runRoot, untrusted ? 'host-untrusted' : 'host');
    const workspace = path.join(runDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const { exitCode, output } = await runExtensionHostSuite({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
      workspace,
      runDir,
      workspaceTrust: untrusted,
      env: untrusted ? { DUCTAPE_UNTRUSTED: '1', DUCTAPE_SUITE_GREP: 'untrusted workspace' } : {},
    });
    const summary = /extension host: (\d+) passed, (\d+) failed/.exec(output);
    const passed = Number(summary?.[1] ?? 0);
    const failed = Number(summary?.[2] ?? 0);
    count(part, passed, exitCode !== 0 && failed === 0 ? 1 : failed);
  }
}

rmSync(runRoot, { recursive: true, force: true });
// Compiled tests of sources that are gone must not run: the tests are compiled afresh.
rmSync(path.join(repoRoot, 'out'), { recursive: true, force: true });
mkdirSync(runRoot, { recursive: true });

const built = (await run('node', ['esbuild.mjs'])) === 0 && (await run('npx', ['tsc', '-p', 'tsconfig.test.json'])) === 0;
if (!built) {
  count('build', 0, 1);
} else {
  if (parts.includes('lint')) {
    const clean = (await run('npx', ['eslint', '--max-warnings=0', '.'])) === 0;
    count('lint', clean ? 1 : 0, clean ? 0 : 1);
  }
  if (parts.includes('unit')) await nodeTests('unit', 'out/test/unit/');
  if (parts.includes('host')) await hostTests();
  if (parts.includes('ui')) {
    // The package test checks the .vsix a user would install, and the UI test installs it.
    if ((await run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] })) !== 0) {
      count('package', 0, 1);
    } else {
      await nodeTests('package', 'test/package/');
      await nodeTests('ui', 'test/ui/');
    }
  }
}

console.log(`\n${results.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
