// The webhook development loop as a person runs it in real VS Code (code-server 1.100.3, driven by
// Playwright in Debian's Chromium): a handler listens on this machine, "Receive on This Machine…"
// points dev at it from the row's context menu, the sample event travels through the sandbox
// (which forwards deliveries as Ductape does) to the handler, and the delivery shows under
// Recent Deliveries. Then Restore Destination puts the old destination back.
//
//   npx tsc -p tsconfig.test.json && npm run package && node --test test/ui/devLoop.test.mjs
//   UPDATE_SCREENSHOTS=1 …   also refreshes docs/images/devloop.png
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../scripts/vscode-web/install.mjs';
import { ROWS_TIMEOUT, S, VIEW_TIMEOUT, WORKBENCH_TIMEOUT, openWorkbench, workbenchDriver } from './workbench.mjs';

const require = createRequire(import.meta.url);
const runDir = path.join(repoRoot, '.test-runs', 'ui-devloop');
const workspaceDir = path.join(runDir, 'workspace');
const vsixPath = path.join(repoRoot, 'ductape-webhooks.vsix');
const sandboxModule = path.join(repoRoot, 'out', 'test', 'sandbox', 'server.js');
const screenshotFile = path.join(runDir, 'devloop.png');

let sandbox;
let server;
let context;
let page;
let handler;
const received = [];
let nextDelivery;
const { treeRow, pickRow, quickInputTitled, toggle, toastWith } = workbenchDriver(() => page);

/** A webhook handler on this machine: it records what it receives and answers 200. */
function startHandler() {
  const listener = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      nextDelivery?.();
    });
  });
  // Every interface, so that `localhost` reaches it whether it resolves to ::1 or 127.0.0.1.
  return new Promise((resolve) => listener.listen(0, () => resolve(listener)));
}

/** Types into the open input box and accepts. */
async function answer(text) {
  const input = page.locator(S.quickInputBox);
  await input.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  await input.fill(text);
  await input.press('Enter');
}

before(async () => {
  for (const file of [vsixPath, sandboxModule]) {
    if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} does not exist: run npm run package and npx tsc -p tsconfig.test.json first`);
  }
  await fs.rm(runDir, { recursive: true, force: true });
  await fs.mkdir(workspaceDir, { recursive: true });
  const { startSandbox } = require(sandboxModule);
  sandbox = await startSandbox({ linksToSandbox: true });
  handler = await startHandler();
  ({ server, context, page } = await openWorkbench({
    runDir,
    workspaceDir,
    vsix: vsixPath,
    apiUrl: sandbox.url,
    settings: { 'ductape.webhookHost': sandbox.url },
  }));
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop();
  await sandbox?.close();
  await new Promise((resolve) => (handler ? handler.close(resolve) : resolve()));
});

test('receive on this machine, send the sample, see the delivery, restore', { timeout: 180_000 }, async (t) => {
  try {
    await receiveSendRestore();
  } catch (error) {
    const file = path.join(runDir, 'failure.png');
    await page?.screenshot({ path: file }).catch(() => {});
    t.diagnostic(`screenshot of the failure: ${path.relative(repoRoot, file)}`);
    throw error;
  }
});

async function receiveSendRestore() {
  const port = handler.address().port;
  await page.locator(S.ductapeButton).click({ timeout: WORKBENCH_TIMEOUT });
  await page.locator(S.welcome).getByRole('button', { name: 'Sign In with Access Key' }).click({ timeout: VIEW_TIMEOUT });
  await answer(sandbox.accessKey);
  for (const label of ['E-commerce Platform', 'Stripe Payments', 'payment.succeeded']) await toggle(label);
  const dev = treeRow('dev');
  await dev.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  assert.match(await dev.locator('.label-description').innerText(), /→ POST api\.shop\.example/);

  // From the row's context menu, as a person does (once the background load no longer redraws the
  // tree, which would close the menu): a port, then the handler's path.
  await page.locator(S.sidebarBusy).waitFor({ state: 'hidden', timeout: ROWS_TIMEOUT });
  await dev.click({ button: 'right' });
  // The menu ignores a click while it fades in: the item is pointed at, then chosen with Enter.
  const item = page.locator(S.menuItem).filter({ hasText: /^\s*Receive on This Machine…\s*$/ });
  await item.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  await page.locator(S.menu).first().evaluate((menu) => Promise.all(menu.getAnimations({ subtree: true }).map((animation) => animation.finished)));
  await item.hover();
  await page.keyboard.press('Enter');
  await quickInputTitled('Receive on This Machine');
  await answer(String(port));
  await answer('/webhooks/stripe');
  // In a browser window VS Code offers its forwarded address too; the handler is on this machine.
  const asTyped = pickRow(`http://localhost:${port}/webhooks/stripe`);
  await asTyped.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await asTyped.click();
  const status = page.locator(S.statusBarItem).filter({ hasText: `dev → localhost:${port}` });
  await status.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await dev.locator('.label-description', { hasText: `→ POST localhost:${port}` }).waitFor({ timeout: ROWS_TIMEOUT });

  // The notice offers the next step: the sample goes to the link, through the sandbox, to the handler.
  const pointed = await toastWith('now delivers to');
  const arrived = new Promise((resolve) => (nextDelivery = resolve));
  await pointed.getByRole('button', { name: 'Send Sample Event' }).click();
  await arrived;
  assert.equal(received.at(-1).path, '/webhooks/stripe');
  assert.match(received.at(-1).body, /payment/);
  const sent = await toastWith('Sent the sample payment.succeeded event');
  assert.match(await sent.innerText(), /answered 200/);

  // The delivery under the row, newest first, with its status.
  await toggle('dev');
  await toggle('Recent Deliveries');
  const delivery = page.locator(S.treeRow).filter({ has: page.locator('.label-description', { hasText: /200/ }) }).first();
  await delivery.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await page.mouse.move(1100, 620);
  await page.screenshot({ path: screenshotFile });
  if (process.env.UPDATE_SCREENSHOTS === '1') await fs.copyFile(screenshotFile, path.join(repoRoot, 'docs', 'images', 'devloop.png'));

  // Restore from the status bar item's menu: the old destination is back, the item gone.
  await status.click();
  await pickRow('Restore Destination…').click({ timeout: ROWS_TIMEOUT });
  await status.waitFor({ state: 'detached', timeout: ROWS_TIMEOUT });
  await dev.locator('.label-description', { hasText: '→ POST api.shop.example' }).waitFor({ timeout: ROWS_TIMEOUT });
}
