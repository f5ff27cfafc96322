// The extension as a person meets it: the packaged .vsix installed into real VS Code (code-server
// 1.100.3), driven through Debian's Chromium with Playwright, against the local sandbox API.
//
//   npx tsc -p tsconfig.test.json && npm run package && node --test test/ui/
//   UPDATE_SCREENSHOTS=1 node --test test/ui/     # also refreshes docs/images/*.png
//
// Steps run in order and build on each other (sign-in, the tree, the picker, then a link in
// .env.production: its hover, its warning and quick fix; the status bar switch; sign-out from the
// Accounts menu; the two other sign-ins); after the first failure the rest are skipped (except the leak check) and a
// screenshot of the failure lands next to the others in .test-runs/ui/screenshots/. Waits are for
// what a person would see, never fixed sleeps. The credentials are typed into the workbench but never
// printed: error messages are redacted before node:test reports them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../scripts/vscode-web/install.mjs';
import { ROWS_TIMEOUT, S, VIEW_TIMEOUT, WORKBENCH_TIMEOUT, escapeRegExp, openWorkbench, workbenchDriver } from './workbench.mjs';

const require = createRequire(import.meta.url);

const runDir = path.join(repoRoot, '.test-runs', 'ui');
const workspaceDir = path.join(runDir, 'workspace');
const screenshotDir = path.join(runDir, 'screenshots');
const docsImagesDir = path.join(repoRoot, 'docs', 'images');
const vsixPath = path.join(repoRoot, 'ductape-webhooks.vsix');
const sandboxModule = path.join(repoRoot, 'out', 'test', 'sandbox', 'server.js');
const accountsModule = path.join(repoRoot, 'out', 'test', 'sandbox', 'accounts.js');
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

const STEP_TIMEOUT = 90_000;

const WEBHOOK_LINK_PREFIX = 'https://webhooks.ductape.app/webhooks/v1/process/';
const PRODUCTS = ['E-commerce Platform', 'Payment Service', 'Notification Service'];

let sandbox;
let server;
let context;
let page;
let stableUuid;
let failed = false;
const screenshots = [];
const { treeRow, pickRow, quickInputTitled, acceptWhenFocused, toggle, toastWith, runCommand, pickStep: pickLinkStep } = workbenchDriver(() => page);

/**
 * A step of the walk-through: skipped once an earlier one failed (unless `always`), screenshotted
 * when it fails.
 */
function step(name, fn, { always = false } = {}) {
  test(name, { timeout: STEP_TIMEOUT }, async (t) => {
    if (failed && !always) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn(t);
    } catch (error) {
      redact(error);
      failed = true;
      if (page) {
        const file = path.join(screenshotDir, `failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
        await page.screenshot({ path: file }).catch(() => {});
        t.diagnostic(`screenshot of the failure: ${path.relative(repoRoot, file)}`);
      }
      if (server) t.diagnostic(`code-server log: ${path.relative(repoRoot, server.logFile)}`);
      throw error;
    }
  });
}

/** Replaces every credential wherever a failure would print it. */
function redact(error) {
  if (!sandbox || typeof error !== 'object' || error === null) return;
  const secrets = [sandbox.accessKey, sandbox.account.privateKey, sandbox.account.password];
  const clean = (value) => (typeof value === 'string' ? secrets.reduce((text, secret) => text.split(secret).join('<credential>'), value) : value);
  for (const field of ['message', 'stack', 'actual', 'expected']) {
    if (typeof error[field] === 'string') error[field] = clean(error[field]);
  }
}

/** Warns when the .vsix is older than the sources it is built from (the test runs the .vsix). */
function warnIfStale() {
  const built = statSync(vsixPath).mtimeMs;
  const sources = [...filesUnder(path.join(repoRoot, 'src')), path.join(repoRoot, 'package.json')];
  const newer = sources.filter((file) => statSync(file).mtimeMs > built);
  if (newer.length) {
    process.stderr.write(
      `warning: ${path.basename(vsixPath)} is older than ${newer.map((file) => path.relative(repoRoot, file)).join(', ')}; ` +
        'this run tests the old build (npm run package rebuilds it)\n',
    );
  }
}

/**
 * Saves a picture of the window. The pointer is moved off to the empty editor area first (no
 * hover or highlight in the picture) unless `keepPointer`: then what it hovers is the subject.
 */
async function screenshot(name, { keepPointer = false } = {}) {
  await page.locator(S.sidebarBusy).waitFor({ state: 'hidden', timeout: ROWS_TIMEOUT });
  if (!keepPointer) {
    await page.mouse.move(1100, 620);
    await page.locator('.monaco-hover, .workbench-hover, .custom-hover').first().waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT });
  }
  const file = path.join(screenshotDir, name);
  await page.screenshot({ path: file });
  screenshots.push(file);
}

const link = (product, app, event, env) => WEBHOOK_LINK_PREFIX + stableUuid(product, app, event, env);

/** Waits until the fade-in (or any finite) animations in `locator`'s element and below have ended. */
async function settled(locator) {
  await locator.evaluate((element) =>
    Promise.all(
      element
        .getAnimations({ subtree: true })
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

async function textOf(selector) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Expands a collapsed tree row by clicking it, as a person does, and waits until it is open. */
async function expand(label) {
  await treeRow(label).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  assert.equal(await treeRow(label).getAttribute('aria-expanded'), 'false', `${label} should start collapsed`);
  await toggle(label);
}

/** Closes a toast with its own close button (hover shows it). */
async function closeToast(toast) {
  await toast.hover();
  await toast.locator('.codicon-notifications-clear').click();
  // Gone from the toasts (it stays in the Notifications center).
  await toast.waitFor({ state: 'detached', timeout: VIEW_TIMEOUT });
}

/** One step of the link picker: checks its title and step, filters by typing, and accepts. */
async function pickStep({ stepNumber, placeholder, filter, label, beforeFilter }) {
  await pickLinkStep({
    stepNumber,
    filter,
    label,
    beforeFilter: async () => {
      assert.equal((await page.locator(S.quickInputTitle).innerText()).trim(), `Generate Webhook Link (${stepNumber}/4)`);
      assert.equal(await page.locator(S.quickInputBox).getAttribute('placeholder'), placeholder);
      await beforeFilter?.();
    },
  });
}

/** Every regular file under `dir` (symlinks not followed). */
function filesUnder(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

before(async () => {
  if (!existsSync(vsixPath)) {
    throw new Error(`${path.relative(repoRoot, vsixPath)} does not exist: run npm run package first`);
  }
  if (!existsSync(sandboxModule) || !existsSync(accountsModule)) {
    throw new Error(`${path.relative(repoRoot, sandboxModule)} does not exist: run npx tsc -p tsconfig.test.json first`);
  }
  warnIfStale();
  const { startSandbox } = require(sandboxModule);
  ({ stableUuid } = require(accountsModule));

  await fs.rm(runDir, { recursive: true, force: true });
  await fs.mkdir(workspaceDir, { recursive: true });
  await fs.mkdir(screenshotDir, { recursive: true });

  // Like Ductape's app-webhook docs: a new link needs a destination (asked of the person).
  sandbox = await startSandbox({ requireDestination: true });
  ({ server, context, page } = await openWorkbench({ runDir, workspaceDir, vsix: vsixPath, apiUrl: sandbox.url }));
});

after(async () => {
  // Each part closes even when an earlier part (or a step) failed.
  const problems = [];
  for (const [what, close] of [
    ['browser', () => context?.close()],
    ['code-server', () => server?.stop()],
    ['sandbox', () => sandbox?.close()],
  ]) {
    try {
      await close();
    } catch (error) {
      problems.push(`${what}: ${error.message}`);
    }
  }
  if (updateScreenshots && !failed && screenshots.length) {
    await fs.mkdir(docsImagesDir, { recursive: true });
    for (const file of screenshots) await fs.copyFile(file, path.join(docsImagesDir, path.basename(file)));
    process.stderr.write(`updated ${screenshots.length} screenshots in ${path.relative(repoRoot, docsImagesDir)}/\n`);
  }
  if (problems.length) throw new Error(`cleanup failed: ${problems.join('; ')}`);
});

step('the Ductape view welcomes a signed-out person with a sign-in button', async () => {
  await page.locator(S.ductapeButton).click({ timeout: WORKBENCH_TIMEOUT });
  const welcome = page.locator(S.welcome);
  await welcome.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  const text = (await welcome.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /Browse the webhooks of your Ductape products/);
  assert.match(text, /access key/i);
  const button = welcome.getByRole('button', { name: 'Sign In with Access Key' });
  await button.waitFor({ state: 'visible' });
  assert.match(await textOf(S.sidebarTitle), /DUCTAPE/i);
  await screenshot('welcome.png');
});

step('Sign In asks for the key in a password box', async () => {
  await page.locator(S.welcome).getByRole('button', { name: 'Sign In with Access Key' }).click();
  const input = page.locator(`${S.quickInputBox}[type="password"]`);
  await input.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  assert.equal(await textOf(S.quickInputTitle), 'Sign In to Ductape with an Access Key');
  assert.match(await textOf(S.quickInputMessage), /access key/i);
});

step('with the sample key the tree shows the products of the first workspace', async () => {
  const input = page.locator(`${S.quickInputBox}[type="password"]`);
  await input.fill(sandbox.accessKey);
  await input.press('Enter');
  await page.locator(S.quickInput).waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT });
  for (const product of PRODUCTS) await treeRow(product).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  const labels = await page.locator(`${S.treeRow} .label-name`).allInnerTexts();
  assert.deepEqual(labels, PRODUCTS);
  // The welcome content is gone and the person is told who they are signed in as.
  assert.equal(await page.locator(S.welcome).isVisible(), false);
  const signedIn = await toastWith('Signed in to Ductape');
  assert.match(await signedIn.innerText(), /dev@example\.com/);
  await closeToast(signedIn);
});

step('a reloaded window shows the tree at once and reuses the session: no sign-in request', async () => {
  const before = sandbox.requests.length;
  await runCommand('Developer: Reload Window');
  await page.locator(S.workbench).waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT });
  for (const product of PRODUCTS) await treeRow(product).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await page.locator(S.sidebarBusy).waitFor({ state: 'hidden', timeout: ROWS_TIMEOUT });
  const signIns = sandbox.requests.slice(before).filter((request) => request.signIn);
  assert.deepEqual(signIns, [], 'the new window exchanged the credential again');
});

step('expanding product → app → event shows the environments and their links', async () => {
  await expand('E-commerce Platform');
  await expand('Stripe Payments');
  const event = treeRow('payment.succeeded');
  await event.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  assert.match(await event.innerText(), /3 of 3 linked/);
  await expand('payment.succeeded');
  for (const env of ['dev', 'stg', 'prd']) {
    const row = treeRow(env);
    await row.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
    // The row shows where the link delivers (the tooltip has the link).
    const expected = '→ POST api.shop.example';
    assert.equal((await row.locator('.label-description').innerText()).trim(), expected, `${env} row shows where it delivers`);
    // Readable at the side bar's default width: the description is not cut off.
    const clipped = await row
      .locator('.monaco-icon-label-container')
      .evaluate((element) => element.scrollWidth > element.clientWidth + 1);
    assert.equal(clipped, false, `the ${env} link is cut off in the tree`);
  }
  await screenshot('tree.png');
});

step('Generate Webhook Link walks product → app → event → environment, copies the link and inserts it', async () => {
  // A file to insert into, as a person would have open.
  await runCommand('File: New Untitled Text File');
  await page.locator(S.editorLines).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  await runCommand('Ductape: Generate Webhook Link');

  await pickStep({ stepNumber: 1, placeholder: 'Choose a product', filter: 'payment-service', label: 'Payment Service' });
  await pickStep({
    stepNumber: 2,
    placeholder: 'Choose an app of payment-service',
    filter: 'stripe-payments',
    label: 'Stripe Payments',
  });
  await pickStep({
    stepNumber: 3,
    placeholder: 'Choose an event of stripe-payments in payment-service',
    filter: 'charge.refunded',
    label: 'charge.refunded',
  });
  await pickStep({
    stepNumber: 4,
    placeholder: 'Choose the environment of charge.refunded (stripe-payments in payment-service)',
    filter: 'prd',
    label: 'prd',
    beforeFilter: async () => {
      // All three environments, each with its link or a note that one will be generated.
      for (const env of ['dev', 'stg', 'prd']) await pickRow(env).waitFor({ state: 'visible' });
      assert.match(await pickRow('prd').innerText(), /no link yet/);
      await screenshot('picker.png');
    },
  });

  // A new production link is a write to the account: asked first, in a modal dialog.
  const dialog = page.locator(S.dialog);
  await dialog.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /Create the prd link of charge\.refunded\?/);
  await dialog.locator('.monaco-button', { hasText: /^\s*Create Link\s*$/ }).click();
  // The server refuses a link without a destination: where, then how, and the call is made again.
  await quickInputTitled('Ductape needs a destination');
  assert.match(await textOf(S.quickInputMessage), /Where should Ductape deliver charge\.refunded in prd\?/);
  const input = page.locator(S.quickInputBox);
  await input.fill(DESTINATION.url);
  await input.press('Enter');
  await pickRow(DESTINATION.method).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await input.fill(DESTINATION.method);
  await acceptWhenFocused(input, DESTINATION.method);

  const copied = await toastWith('Copied');
  const written = sandbox.requests.filter((request) => request.generateLink).at(-1)?.generateLink;
  assert.deepEqual({ url: written?.url, method: written?.method }, DESTINATION, 'the sandbox holds the destination given');
  const message = (await copied.locator('.notification-list-item-message').innerText()).trim();
  assert.match(message, /clipboard/);
  assert.match(message, /prd/);
  assert.match(message, /charge\.refunded/);
  const insert = copied.getByRole('button', { name: 'Insert at Cursor' });
  await insert.waitFor({ state: 'visible' });
  await screenshot('copied.png');

  const expected = link('payment-service', 'stripe-payments', 'charge.refunded', 'prd');
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clipboard, expected);

  await insert.click();
  await page.locator(S.editorLines).filter({ hasText: expected }).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
});

const DESTINATION = { url: 'https://api.shop.example/hooks/refunds', method: 'PUT' };

// A link recognised in a file named for an environment: `.env.production` holding the dev link.
const ENV_FILE = '.env.production';
const ENV_FILE_LINE = (url) => `STRIPE_WEBHOOK_URL=${url}`;
const WRONG_ENVIRONMENT_MESSAGE =
  'This file is for prd, but this is the dev link of payment.succeeded (ecommerce-platform · stripe-payments).';

/** Opens a file of the workspace with Quick Open (Ctrl+P), as a person does. */
async function quickOpen(fileName) {
  await page.keyboard.press('Control+P');
  const input = page.locator(S.quickInputBox);
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  // The file search answers after typing: accept once the focused result is the file.
  await acceptWhenFocused(input, fileName);
  await page.locator(S.activeTab).filter({ hasText: fileName }).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
}

/** The editor line whose whole text is `text`. */
function editorLine(text) {
  return page.locator(S.editorLine).filter({ hasText: new RegExp(`^${escapeRegExp(text)}$`) });
}

/** Text of the webhook link in the `.env` line (a token span: the link is split over several). */
function linkInEditor() {
  return page
    .locator(S.editorLine)
    .filter({ hasText: 'STRIPE_WEBHOOK_URL=' })
    .locator('span span', { hasText: 'webhooks.ductape.app' })
    .first();
}

/**
 * Rests the pointer on the webhook link of the `.env` line and waits for the editor hover, with
 * its Ductape part complete. Resolves the hover.
 */
async function hoverLink() {
  await linkInEditor().hover();
  const hover = page.locator(S.editorHover).filter({ hasText: 'Ductape webhook link' }).filter({ hasText: 'Reveal in Ductape View' });
  await hover.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await settled(hover);
  return hover;
}

/** Asserts that `locator`'s element is inside the window and its content is not cut off. */
async function assertFullyShown(locator, what) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box, `${what} has no box`);
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height,
    `${what} is not inside the window: ${JSON.stringify(box)}`,
  );
  const clipped = await locator.evaluate((element) => {
    const content = element.querySelector('.monaco-hover-content') ?? element;
    return content.scrollHeight > content.clientHeight + 1 || content.scrollWidth > content.clientWidth + 1;
  });
  assert.equal(clipped, false, `${what} has to be scrolled to be read`);
}

/** Moves the pointer off the editor and waits for the editor hover to go. */
async function dismissHover() {
  await page.mouse.move(1100, 620);
  await page.locator(S.editorHover).filter({ hasText: 'Ductape webhook link' }).waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT });
}

/** The extension's status bar item (the one with the link icon and "workspace · environment"). */
function statusItem() {
  return page.locator(S.statusBarItem).filter({ has: page.locator('.codicon-link'), hasText: ' · ' });
}

/** Waits until the status bar item reads exactly `text`; resolves the item. */
async function statusItemReads(text) {
  const item = statusItem().filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) });
  try {
    await item.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  } catch (error) {
    const shown = await statusItem().allInnerTexts();
    error.message = `the status bar item should read "${text}" but reads ${JSON.stringify(shown)}\n${error.message}`;
    throw error;
  }
  return item;
}

/** The texts of the open context menu (and its open submenus), for a failure message. */
async function menuTexts() {
  return (await page.locator(S.menuItem).allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

step('hovering a link in .env.production shows its product, app, event and environment, with Copy and Reveal', async () => {
  const devLink = link('ecommerce-platform', 'stripe-payments', 'payment.succeeded', 'dev');
  await fs.writeFile(path.join(workspaceDir, ENV_FILE), `${ENV_FILE_LINE(devLink)}\n`);
  await quickOpen(ENV_FILE);
  await editorLine(ENV_FILE_LINE(devLink)).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });

  const hover = await hoverLink();
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  for (const expected of [
    'Product: E-commerce Platform ecommerce-platform',
    'App: Stripe Payments stripe-payments',
    'Event: payment.succeeded',
    'Environment: Development dev',
  ]) {
    assert.ok(text.includes(expected), `the hover should say "${expected}"; it says: ${text}`);
  }
  for (const action of ['Copy', 'Reveal in Ductape View']) {
    await hover.locator('a', { hasText: new RegExp(`^\\s*${escapeRegExp(action)}\\s*$`) }).waitFor({ state: 'visible' });
  }
  await assertFullyShown(hover, 'the hover');
  await screenshot('hover.png', { keepPointer: true });
  await dismissHover();
});

step('the dev link in .env.production is a warning in Problems; the quick fix puts in the prd link', async () => {
  await page.locator(S.warningSquiggle).first().waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator(S.problemRow).filter({ hasText: WRONG_ENVIRONMENT_MESSAGE });
  await problem.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  assert.match(await problem.getAttribute('aria-label'), /^Warning: .* generated by Ductape$/);
  assert.equal(await page.locator(S.problemRow).count(), 2, 'one file with one problem');

  // The squiggle's hover says the same, and offers the fix.
  const hover = await hoverLink();
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(WRONG_ENVIRONMENT_MESSAGE), `the hover should carry the warning; it says: ${text}`);
  await hover.locator('a', { hasText: /Quick Fix/ }).waitFor({ state: 'visible' });
  await assertFullyShown(hover, 'the warning hover');
  await screenshot('warning.png', { keepPointer: true });

  // Ctrl+. with the cursor on the link.
  await linkInEditor().click();
  await dismissHover();
  await page.keyboard.press('Control+.');
  // The preferred fix comes focused: Enter applies it. (A click would land on the menu's
  // pointer block, which VS Code removes only once the pointer moves.)
  const fix = page.locator(`${S.codeAction}.focused`).filter({ hasText: /^\s*Use the prd link of payment\.succeeded\s*$/ });
  await fix.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await page.keyboard.press('Enter');

  const prdLink = link('ecommerce-platform', 'stripe-payments', 'payment.succeeded', 'prd');
  await editorLine(ENV_FILE_LINE(prdLink)).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  // Fixed: the warning goes from the editor and from Problems.
  await page.locator(S.warningSquiggle).first().waitFor({ state: 'detached', timeout: ROWS_TIMEOUT });
  await page.locator(S.problems).filter({ hasText: 'No problems have been detected' }).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
});

step('the status bar item switches the default environment and the workspace', async () => {
  const item = await statusItemReads('Acme Commerce · last used');
  await item.click();
  await quickInputTitled('Ductape');
  await pickRow('Switch Workspace…').waitFor({ state: 'visible' });
  await pickRow('Set Default Environment…').click();

  await quickInputTitled('Default Environment for Ductape Links');
  for (const choice of ['Last used', 'dev', 'stg', 'prd']) await pickRow(choice).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await pickRow('prd').click();
  await statusItemReads('Acme Commerce · prd');

  await statusItem().click();
  await quickInputTitled('Ductape');
  await pickRow('Switch Workspace…').click();
  await quickInputTitled('Switch Ductape Workspace');
  await pickRow('Side Projects').waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await pickRow('Side Projects').click();
  await statusItemReads('Side Projects · prd');

  // The view follows: the other workspace's one product.
  await treeRow('Hobby Shop').waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await treeRow('E-commerce Platform').waitFor({ state: 'detached', timeout: ROWS_TIMEOUT });
  assert.deepEqual(await page.locator(`${S.treeRow} .label-name`).allInnerTexts(), ['Hobby Shop']);

  // The picture: the item's menu open over the switched workspace.
  await statusItem().click();
  await quickInputTitled('Ductape');
  await pickRow('Set Default Environment…').waitFor({ state: 'visible' });
  await screenshot('statusbar.png');
  await page.keyboard.press('Escape');
  await page.locator(S.quickInput).waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT });
});

step('Sign Out from the Accounts menu signs out of Ductape: the welcome is back and the status bar item gone', async () => {
  await page.locator(S.accountsButton).click();
  const menu = page.locator(S.menu).first();
  await menu.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  const account = page.locator(S.menuItem).filter({ hasText: /^\s*dev@example\.com \(Ductape\)\s*$/ });
  try {
    await account.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  } catch (error) {
    error.message = `the Accounts menu does not list the Ductape account; it shows ${JSON.stringify(await menuTexts())}\n${error.message}`;
    throw error;
  }
  await account.click();
  const signOut = page.locator(S.menuItem).filter({ hasText: /^\s*Sign Out\s*$/ });
  await signOut.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  await settled(menu);
  await screenshot('accounts.png', { keepPointer: true });

  await signOut.click();
  // VS Code asks before it signs out.
  const dialog = page.locator(S.dialog);
  await dialog.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /Sign out of 'dev@example\.com'\?/);
  await dialog.locator('.monaco-button', { hasText: /^\s*Sign Out\s*$/ }).click();
  await dialog.waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT });

  await page.locator(S.welcome).getByRole('button', { name: 'Sign In with Access Key' }).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  assert.equal(await page.locator(S.treeRow).count(), 0);
  await statusItem().waitFor({ state: 'detached', timeout: VIEW_TIMEOUT });
});

/** Signs out from the palette and waits for the welcome. */
async function signOutFromPalette() {
  await runCommand('Ductape: Sign Out');
  await page.locator(S.welcome).waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
}

/** Types `text` into the open input box (a password box when `secret`) and accepts. */
async function answerInput(text, { secret = false } = {}) {
  const input = page.locator(secret ? `${S.quickInputBox}[type="password"]` : S.quickInputBox);
  await input.waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
  await input.fill(text);
  await input.press('Enter');
}

step('Sign In with Workspace Credentials asks for user ID, workspace ID and private key, with Back', async () => {
  const { userId, privateKey, workspaces } = sandbox.account;
  await page.locator(S.welcome).locator('a', { hasText: 'workspace credentials' }).click();
  await quickInputTitled('Sign In to Ductape with Workspace Credentials (1/3)');
  await answerInput(userId);
  await quickInputTitled('(2/3)');
  await answerInput(workspaces[0].workspace_id);
  await quickInputTitled('(3/3)');
  // Back keeps what was typed.
  await page.locator('.quick-input-widget .codicon-quick-input-back').click();
  await quickInputTitled('(2/3)');
  assert.equal(await page.locator(S.quickInputBox).inputValue(), workspaces[0].workspace_id);
  await page.locator(S.quickInputBox).press('Enter');
  await quickInputTitled('(3/3)');
  await answerInput(privateKey, { secret: true });
  for (const product of PRODUCTS) await treeRow(product).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await signOutFromPalette();
});

step('Sign In with Email and Password asks for the email, then the password in a password box', async () => {
  const { email, password } = sandbox.account;
  await page.locator(S.welcome).locator('a', { hasText: 'email and password' }).click();
  await quickInputTitled('Sign In to Ductape with Email and Password (1/2)');
  await answerInput(email);
  await quickInputTitled('(2/2)');
  await answerInput(password, { secret: true });
  for (const product of PRODUCTS) await treeRow(product).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
  await signOutFromPalette();
});

step('no credential (access key, private key, password) is in a file of the user data folder, the workspace or the server log', async () => {
  const roots = [path.join(runDir, 'user-data'), workspaceDir];
  const files = [...roots.flatMap(filesUnder), server?.logFile].filter(Boolean);
  assert.ok(files.length > 0);
  const secrets = [sandbox.accessKey, sandbox.account.privateKey, sandbox.account.password];
  const needles = secrets.flatMap((secret) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')]);
  const leaks = [];
  for (const file of files) {
    if (statSync(file).size > 200 * 1024 * 1024) continue;
    const content = await fs.readFile(file);
    if (needles.some((needle) => content.includes(needle))) leaks.push(path.relative(runDir, file));
  }
  assert.deepEqual(leaks, [], `a credential was written to: ${leaks.join(', ')}`);
}, { always: true });
