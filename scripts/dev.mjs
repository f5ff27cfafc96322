// `npm run dev`: the extension running in VS Code in the browser (code-server 1.100.3) against
// the local Ductape sandbox with sample data, whose links point at the sandbox itself so that a
// sample event travels to a tiny local receiver that prints it (the development loop). Prints the
// URL to open, the sample access key and the receiver's port; Ctrl+C stops everything.
// `--port N` fixes the editor's port (default: 8080, or a free one); `--receiver-port N` the
// receiver's (default: 3000, or a free one).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, workbenchUrl } from './vscode-web/codeServer.mjs';
import { ensureTestTools, repoRoot } from './vscode-web/install.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8080' }, 'receiver-port': { type: 'string', default: '3000' } },
});
const require = createRequire(import.meta.url);
const { startSandbox } = require('../out/test/sandbox/server.js');
const { startReceiver } = require('../out/test/sandbox/receiver.js');

await ensureTestTools();
const runDir = path.join(repoRoot, '.test-runs', 'dev');
const workspace = path.join(runDir, 'workspace');
mkdirSync(workspace, { recursive: true });
writeFileSync(path.join(workspace, '.env'), '# Paste webhook links here: Ductape: Insert Webhook Link…\nSTRIPE_WEBHOOK_URL=\n');

const sandbox = await startSandbox({ linksToSandbox: true, log: (line) => console.log(`[sandbox] ${line}`) });
const receiver = await startReceiver({ port: Number(values['receiver-port']) }).catch((error) => {
  console.error(`Could not start the receiver on port ${values['receiver-port']} (${error.code ?? error.message}); using a free port.`);
  return startReceiver();
});
// User settings: the extension reads apiUrl and webhookHost from the user's own settings only.
const userSettings = { 'ductape.apiUrl': sandbox.url, 'ductape.webhookHost': sandbox.url, 'workbench.startupEditor': 'none' };
let server;
try {
  server = await startCodeServer({ workspace, runDir, port: Number(values.port), userSettings });
} catch (error) {
  console.error(`Could not start code-server on port ${values.port} (${error.message.split('\n')[0]}); trying a free port.`);
  server = await startCodeServer({ workspace, runDir, userSettings });
}
const url = workbenchUrl(server.origin, { folder: workspace, extensionDevelopmentPath: repoRoot });

console.log(`
Ductape Webhooks is running in VS Code (code-server) against the local sandbox.

  Open:              ${url}
  Sample access key: ${sandbox.accessKey}
  Sandbox API:       ${sandbox.url} (webhook links point here too)
  Local receiver:    ${receiver.url} (prints every request it gets)

In the Ductape view (activity bar), choose "Sign In with Access Key" and paste the key.
The loop: on a dev environment row, "Receive on This Machine…" with port ${receiver.port}, then
"Send Sample Event": the sample travels through the sandbox to the receiver, which prints it here,
and the delivery shows under "Recent Deliveries". "Restore Destination" puts the old one back.
Rebuild with "npm run build" and reload the browser tab to see changes. Ctrl+C stops.`);

const stop = async () => {
  await server.stop();
  await receiver.close();
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
