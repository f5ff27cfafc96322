// `npm run dev`: the extension running in VS Code in the browser (code-server 1.100.3) against
// the local Ductape sandbox with sample data. Prints the URL to open and the sample access key;
// Ctrl+C stops everything. `--port N` fixes the editor's port (default: 8080, or a free one).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, workbenchUrl } from './vscode-web/codeServer.mjs';
import { ensureTestTools, repoRoot } from './vscode-web/install.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
const { startSandbox } = createRequire(import.meta.url)('../out/test/sandbox/server.js');

await ensureTestTools();
const runDir = path.join(repoRoot, '.test-runs', 'dev');
const workspace = path.join(runDir, 'workspace');
mkdirSync(workspace, { recursive: true });
writeFileSync(path.join(workspace, '.env'), '# Paste webhook links here: Ductape: Insert Webhook Link…\nSTRIPE_WEBHOOK_URL=\n');

const sandbox = await startSandbox();
let server;
try {
  server = await startCodeServer({
    workspace,
    runDir,
    port: Number(values.port),
    userSettings: { 'ductape.apiUrl': sandbox.url, 'workbench.startupEditor': 'none' },
  });
} catch (error) {
  console.error(`Could not start code-server on port ${values.port} (${error.message.split('\n')[0]}); trying a free port.`);
  server = await startCodeServer({ workspace, runDir, userSettings: { 'ductape.apiUrl': sandbox.url } });
}
const url = workbenchUrl(server.origin, { folder: workspace, extensionDevelopmentPath: repoRoot });

console.log(`
Ductape Webhooks is running in VS Code (code-server) against the local sandbox.

  Open:              ${url}
  Sample access key: ${sandbox.accessKey}
  Sandbox API:       ${sandbox.url}

In the Ductape view (activity bar), choose "Sign In with Access Key" and paste the key.
Rebuild with "npm run build" and reload the browser tab to see changes. Ctrl+C stops.`);

const stop = async () => {
  await server.stop();
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
