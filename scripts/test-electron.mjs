// `npm run test:electron`: the same extension-host suite under @vscode/test-electron, the
// ecosystem's standard runner, on a machine that can download VS Code (not these offline ones).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './vscode-web/install.mjs';

const workspace = path.join(repoRoot, '.test-runs', 'electron-workspace');
mkdirSync(workspace, { recursive: true });
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`test-electron: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
