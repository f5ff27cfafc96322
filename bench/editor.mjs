// `npm run bench -- --editor [--latency MS] [--runs N] [--json]`: what a person waits for in the
// real editor. The packaged extension runs in code-server 1.100.3, driven through Debian's
// Chromium with Playwright, against the sandbox with `--latency` ms per request (100 unless given)
// and an account of 10 products × 10 apps × 20 events × 3 environments. Each row is the median of
// `--runs` runs (at least 3), timed inside the page from the person's action (the Enter key or
// the mouse press, as the browser got it) to the rows in the DOM or the link on the clipboard.
// Requests are counted from the sandbox's own log; the extension's activation comes from its log.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
/* global window, addEventListener, MutationObserver */
import { repoRoot } from '../scripts/vscode-web/install.mjs';
import { ROWS_TIMEOUT, S, VIEW_TIMEOUT, WORKBENCH_TIMEOUT, openWorkbench, workbenchDriver } from '../test/ui/workbench.mjs';

const require = createRequire(import.meta.url);
const SHAPE = { products: 10, apps: 10, events: 20 };
const pad = (n) => String(n).padStart(2, '0');
const PRODUCTS = Array.from({ length: SHAPE.products }, (_, index) => `Product ${pad(index + 1)}`);
const EXTENSION_ID = 'ductape.ductape-webhooks';
/** The extension's log line for each request it made (src/common/log.ts). */
const REQUEST_LINE = /^\[info\] (GET|POST) \S+ → /;

const { values } = parseArgs({
  options: {
    editor: { type: 'boolean' },
    latency: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const latencyMs = Number(values.latency);
const runs = Math.max(3, Number(values.runs));
/** The proxy's method names, from the compiled contract. */
let PROXY_METHODS;
const progress = (text) => process.stderr.write(`${text}\n`);

const runDir = path.join(repoRoot, '.test-runs', 'bench-editor');
const workspaceDir = path.join(runDir, 'workspace');
const vsixPath = path.join(repoRoot, 'ductape-webhooks.vsix');
const logsDir = path.join(runDir, 'user-data', 'logs');
const treeCacheDir = path.join(runDir, 'user-data', 'User', 'globalStorage', EXTENSION_ID);

/**
 * Runs in every page before the workbench: notes the person's actions (Enter, pointer presses)
 * and the workbench's clipboard writes with their times, and waits for what shows in the DOM.
 * Only times and links are noted, never what is typed.
 */
function instrument({ products, rowLabels }) {
  const watchers = new Set();
  let observer;
  const check = () => {
    for (const watcher of watchers) {
      if (!watcher.test()) continue;
      watchers.delete(watcher);
      watcher.resolve(performance.now());
    }
    if (!watchers.size && observer) {
      observer.disconnect();
      observer = undefined;
    }
  };
  const bench = {
    actions: [],
    clipboard: [],
    /** Resolves the page time at which `test()` first holds, checked on every DOM change. */
    when(test) {
      return new Promise((resolve) => {
        if (test()) return resolve(performance.now());
        watchers.add({ test, resolve });
        if (!observer) {
          observer = new MutationObserver(check);
          observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
        }
      });
    },
    /** When the Ductape view shows a row labelled with each of `labels`. */
    whenRows(labels) {
      return bench.when(() => {
        const shown = new Set(Array.from(document.querySelectorAll(rowLabels), (label) => label.textContent.trim()));
        return labels.every((label) => shown.has(label));
      });
    },
    /** When the clipboard write after the first `count` is made: its page time. */
    whenClipboard(count) {
      return bench.when(() => bench.clipboard.length > count).then(() => bench.clipboard[count].at);
    },
    /** `promise`, or a rejection after `timeout` ms: the page would wait for ever. */
    within(promise, timeout) {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error(`not shown within ${timeout} ms`)), timeout));
      return Promise.race([promise, late]);
    },
    lastAction(kind) {
      return bench.actions.filter((action) => action.kind === kind).at(-1)?.at;
    },
  };
  addEventListener('keydown', (event) => event.key === 'Enter' && bench.actions.push({ kind: 'enter', at: event.timeStamp }), true);
  addEventListener('pointerdown', (event) => bench.actions.push({ kind: 'press', at: event.timeStamp }), true);
  const clipboard = navigator.clipboard;
  const writeText = clipboard.writeText.bind(clipboard);
  clipboard.writeText = (text) => {
    bench.clipboard.push({ at: performance.now(), text });
    check();
    return writeText(text);
  };
  // A new window: when the workbench shows, and when the products do.
  bench.startup = { workbench: bench.when(() => document.querySelector('.monaco-workbench') !== null), products: bench.whenRows(products) };
  window.__bench = bench;
}

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
const round = (value) => Math.round(value);

/** Local-time log stamps ("2026-12-07 01:04:53.991") as epoch milliseconds. */
const logTime = (stamp) => new Date(stamp.replace(' ', 'T')).getTime();

/** Every file named `name` under the code-server logs, newest window last. */
function logFiles(name) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === name) found.push(full);
    }
  };
  if (existsSync(logsDir)) walk(logsDir);
  return found;
}

/** The log lines at or after `since` (epoch ms) matching `pattern`, in files named `name`: their times and matches, in order. */
function logLines(name, pattern, since) {
  return logFiles(name)
    .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
    .map((line) => {
      const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (.*)$/.exec(line);
      const found = match && pattern.exec(match[2]);
      return found ? { at: logTime(match[1]), match: found } : undefined;
    })
    .filter((hit) => hit && hit.at >= since)
    .sort((a, b) => a.at - b.at);
}

/** Polls `done()` every 100 ms until it holds; fails with `what` after `timeoutMs`. */
async function until(done, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the extension has kept its tree (for the next window) since `since`. */
function treeKeptSince(since) {
  const kept = () =>
    existsSync(treeCacheDir) &&
    readdirSync(treeCacheDir).some((name) => name.startsWith('tree-') && statSync(path.join(treeCacheDir, name)).mtimeMs >= since);
  return until(kept, 'the extension did not keep its tree');
}

/** Waits until a log line appears (logs are written a moment after the fact). */
async function awaitLogLine(name, pattern, since) {
  let hit;
  await until(() => ([hit] = logLines(name, pattern, since)).length, `no line matching ${pattern} in ${name}`, VIEW_TIMEOUT);
  return hit;
}

function versions(chromiumPath) {
  const codeServer = path.join(repoRoot, '.test-tools', 'code-server', 'node_modules', 'code-server');
  const version = (file) => JSON.parse(readFileSync(file, 'utf8')).version;
  const chromium = spawnSync(chromiumPath, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  return {
    codeServer: version(path.join(codeServer, 'package.json')),
    vscode: version(path.join(codeServer, 'lib', 'vscode', 'package.json')),
    chromium,
    cpus: os.cpus().length,
  };
}

async function main() {
  progress('Building the .vsix…');
  const built = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run package failed');
  const { startSandbox } = require(path.join(repoRoot, 'out', 'test', 'sandbox', 'server.js'));
  const { largeAccount } = require(path.join(repoRoot, 'out', 'test', 'sandbox', 'accounts.js'));
  ({ PROXY_METHODS } = require(path.join(repoRoot, 'out', 'src', 'ductape', 'contract.js')));

  progress(`Starting the sandbox (${latencyMs} ms per request, ${SHAPE.products}×${SHAPE.apps}×${SHAPE.events}×3) and code-server…`);
  /** When each request reached the sandbox (epoch ms), in order. */
  const arrivals = [];
  const sandbox = await startSandbox({
    latencyMs,
    account: largeAccount(SHAPE),
    onRequest: (served) => arrivals.push({ served, at: Date.now() }),
  });
  await fs.rm(runDir, { recursive: true, force: true });
  await fs.mkdir(workspaceDir, { recursive: true });
  const rowLabels = `${S.treeRow} .label-name`;
  let workbench;
  const close = async () => {
    await workbench?.context.close().catch(() => {});
    await workbench?.server.stop();
    await sandbox.close();
  };
  // Interrupted: the editor and the browser are stopped too (code-server would linger for hours).
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void close().finally(() => process.exit(130)));
  try {
    workbench = await openWorkbench({
      runDir,
      workspaceDir,
      vsix: vsixPath,
      apiUrl: sandbox.url,
      initScript: { content: `(${instrument})(${JSON.stringify({ products: PRODUCTS, rowLabels })})` },
    });
    const loadAverage = os.loadavg()[0];
    const measured = await measure(workbench.page, sandbox, arrivals);
    const report = {
      latencyMs,
      shape: SHAPE,
      runs,
      environment: { ...versions(workbench.chromiumPath), loadAverage: Math.round(loadAverage * 10) / 10 },
      ...measured,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printTable(report);
  } finally {
    await close();
  }
}

async function measure(page, sandbox, arrivals) {
  const ui = workbenchDriver(() => page);
  const bench = (fn, arg) => page.evaluate(fn, arg);
  /** Starts a wait in the page (for rows, or the clipboard) without waiting for it here. */
  const arm = (what, arg) =>
    bench(([name, value]) => {
      window.__bench.pending = window.__bench[name](value);
    }, [what, arg]);
  /** The page time at which the armed wait was met. */
  const settled = () => bench((timeout) => window.__bench.within(window.__bench.pending, timeout), ROWS_TIMEOUT);
  /** What each request was for: its route, or the proxy method it called. */
  const kindsOf = (requests) => requests.map(({ served }) => served.proxyMethod ?? served.route);
  /** The requests that reached the sandbox from `from` up to `to` (epoch ms). */
  const requestsBetween = (from, to) => arrivals.filter(({ at }) => at >= from && at <= to);
  /**
   * Waits until the background load started after `since` has ended: the sandbox has answered
   * the webhooks of every app, and the extension has logged every answer (a line per request).
   */
  const backgroundLoaded = (since) =>
    until(() => {
      const served = requestsBetween(since, Infinity).map(({ served: request }) => request);
      const webhookLists = served.filter((request) => request.proxyMethod === PROXY_METHODS.listWebhooks);
      return (
        webhookLists.length >= SHAPE.products * SHAPE.apps &&
        served.every((request) => request.status !== 0) &&
        logLines('Ductape.log', REQUEST_LINE, since).length >= served.length
      );
    }, 'the background load did not end');
  const epochOf = async (pageTime) => (await bench(() => performance.timeOrigin)) + pageTime;
  const signInButton = () => page.locator(S.welcome).getByRole('button', { name: 'Sign In with Access Key' });

  await page.locator(S.ductapeButton).click();
  await signInButton().waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });

  progress('1. Sign In, key entered → products shown');
  const signIn = [];
  for (let run = 0; run < runs; run++) {
    if (run > 0) {
      await ui.runCommand('Ductape: Sign Out');
      await signInButton().waitFor({ state: 'visible', timeout: VIEW_TIMEOUT });
      await page.locator(S.treeRow).first().waitFor({ state: 'detached', timeout: VIEW_TIMEOUT });
    }
    await signInButton().click();
    const input = page.locator(`${S.quickInputBox}[type="password"]`);
    await input.fill(sandbox.accessKey);
    await arm('whenRows', PRODUCTS);
    await input.press('Enter');
    const shownAt = await settled();
    const enterAt = await bench(() => window.__bench.lastAction('enter'));
    await ui.treeRow(PRODUCTS[0]).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
    const [enterEpoch, shownEpoch] = [await epochOf(enterAt), await epochOf(shownAt)];
    const requests = requestsBetween(enterEpoch, shownEpoch);
    const login = requests.find(({ served }) => served.route === 'session');
    const products = requests.find(({ served }) => served.route === 'products');
    signIn.push({
      ms: shownAt - enterAt,
      // Up to the product list: the background load that follows it is not waited for.
      requests: requests.indexOf(products) + 1,
      loginLeftAfterMs: login && login.at - enterEpoch,
      productsLeftAfterLoginMs: login && products && products.at - (login.at + latencyMs),
    });
    await backgroundLoaded(enterEpoch);
    await treeKeptSince(enterEpoch);
  }

  progress('2. Open a new window, signed in → products shown');
  const newWindow = [];
  for (let run = 0; run < runs; run++) {
    const loaded = page.waitForEvent('load', { timeout: VIEW_TIMEOUT });
    await ui.runCommand('Developer: Reload Window');
    await loaded;
    const { origin, workbenchAt, productsAt } = await bench(
      async (timeout) => ({
        origin: performance.timeOrigin,
        workbenchAt: await window.__bench.within(window.__bench.startup.workbench, timeout),
        productsAt: await window.__bench.within(window.__bench.startup.products, timeout),
      }),
      WORKBENCH_TIMEOUT,
    );
    await ui.treeRow(PRODUCTS[0]).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
    const asked = await awaitLogLine('remoteexthost.log', new RegExp(`_doActivateExtension ${EXTENSION_ID.replace('.', '\\.')}`), origin);
    const activated = await awaitLogLine('Ductape.log', /\[info\] Activated in ([\d.]+) ms/, origin);
    const shownEpoch = origin + productsAt;
    const before = requestsBetween(origin, shownEpoch);
    await backgroundLoaded(origin);
    const first = requestsBetween(origin, Infinity)[0];
    newWindow.push({
      fromWorkbenchMs: productsAt - workbenchAt,
      fromActivationMs: shownEpoch - activated.at,
      requests: before.length,
      workbenchMs: workbenchAt,
      activationAskedAfterWorkbenchMs: asked.at - (origin + workbenchAt),
      activateMs: Number(activated.match[1]),
      loadedAfterAskedMs: activated.at - asked.at,
      firstRequestAfterActivationMs: first && first.at - activated.at,
    });
    await treeKeptSince(origin);
  }

  progress('3. Expand product → app → event, after the background load');
  const expand = { product: [], app: [], event: [] };
  for (let run = 0; run < runs; run++) {
    const product = PRODUCTS[run];
    for (const [level, label, shows] of [
      ['product', product, ['App 01']],
      ['app', 'App 01', ['event.01']],
      ['event', 'event.01', ['dev', 'stg', 'prd']],
    ]) {
      await arm('whenRows', shows);
      await ui.toggle(label);
      const shownAt = await settled();
      const pressAt = await bench(() => window.__bench.lastAction('press'));
      const requests = requestsBetween(await epochOf(pressAt), await epochOf(shownAt));
      expand[level].push({ ms: shownAt - pressAt, requests: requests.length, requestKinds: kindsOf(requests) });
    }
    await ui.toggle(product, { expanded: false });
    // Off the tree: no tooltip is asked for between runs.
    await page.mouse.move(1100, 620);
  }

  progress('4. and 5. Generate a link that does not exist, and a registered one');
  const newLink = [];
  const registeredLink = [];
  const appTag = 'app-01';
  for (let run = 0; run < runs; run++) {
    const product = sandbox.account.workspaces[0].products[run];
    const webhooks = product.webhooks[appTag];
    const linked = (webhook) => webhook.config?.some((config) => config.productEnv === 'dev');
    for (const [results, webhook] of [
      [newLink, webhooks.find((webhook) => !linked(webhook))],
      [registeredLink, webhooks.find(linked)],
    ]) {
      await ui.runCommand('Ductape: Generate Webhook Link');
      await ui.pickStep({ stepNumber: 1, filter: product.name, label: product.name });
      await ui.pickStep({ stepNumber: 2, filter: 'App 01', label: 'App 01' });
      await ui.pickStep({ stepNumber: 3, filter: webhook.tag, label: webhook.tag });
      const copies = await bench(() => window.__bench.clipboard.length);
      await arm('whenClipboard', copies);
      await ui.pickStep({ stepNumber: 4, filter: 'dev', label: 'dev' });
      const copiedAt = await settled();
      const enterAt = await bench(() => window.__bench.lastAction('enter'));
      const copied = await bench((count) => window.__bench.clipboard[count].text, copies);
      if (!/^https:\/\/\S+\/process\/[0-9a-f-]{36}$/.test(copied)) throw new Error(`the clipboard holds no webhook link: ${copied}`);
      const requests = requestsBetween(await epochOf(enterAt), await epochOf(copiedAt));
      results.push({ ms: copiedAt - enterAt, requests: requests.length, requestKinds: kindsOf(requests) });
      await ui.toastWith('Copied');
      await ui.runCommand('Notifications: Clear All Notifications');
    }
  }

  return { rows: summarize({ signIn, newWindow, expand, newLink, registeredLink }), samples: { signIn, newWindow, expand, newLink, registeredLink } };
}

/** The rows of the table: median, min and max of each, the requests made, and the floor. */
function summarize({ signIn, newWindow, expand, newLink, registeredLink }) {
  const row = (what, samples, key, floor) => {
    const times = samples.map((sample) => sample[key]);
    return {
      what,
      medianMs: round(median(times)),
      minMs: round(Math.min(...times)),
      maxMs: round(Math.max(...times)),
      requests: [...new Set(samples.map((sample) => sample.requests))],
      ...floor,
    };
  };
  const trips = (count) => ({ floorMs: count * latencyMs, floorRequests: count, floor: `${count * latencyMs} ms (${count} round trip${count > 1 ? 's' : ''})` });
  const noRequest = { floorMs: 0, floorRequests: 0, floor: '0 requests' };
  return {
    signIn: row('Sign In, key entered → products shown', signIn, 'ms', trips(2)),
    newWindowFromWorkbench: row('New window, signed in → products shown, from the workbench showing', newWindow, 'fromWorkbenchMs', noRequest),
    newWindowFromActivation: row('New window, signed in → products shown, from the extension activated', newWindow, 'fromActivationMs', noRequest),
    expandProduct: row('Expand product → apps shown (after the background load)', expand.product, 'ms', noRequest),
    expandApp: row('Expand app → events shown', expand.app, 'ms', noRequest),
    expandEvent: row('Expand event → environments shown', expand.event, 'ms', noRequest),
    newLink: row('Generate a link that does not exist: last pick → clipboard', newLink, 'ms', trips(1)),
    registeredLink: row('Generate a registered link: last pick → clipboard', registeredLink, 'ms', noRequest),
  };
}

function printTable(report) {
  const ms = (value) => `${value} ms`;
  const lines = [
    ['what the person does', 'median', 'min – max', 'requests', 'floor'],
    ['---', '---', '---', '---', '---'],
    ...Object.values(report.rows).map((row) => [row.what, ms(row.medianMs), `${row.minMs} – ${row.maxMs} ms`, row.requests.join(', '), row.floor]),
  ].map((cells) => `| ${cells.join(' | ')} |`);
  const { samples, environment: env } = report;
  const mid = (list, key) => round(median(list.map((entry) => entry[key]).filter((value) => value !== undefined)));
  process.stdout.write(
    `\ncode-server ${env.codeServer} (VS Code ${env.vscode}), ${env.chromium} headless; ${env.cpus} cores, load average ${env.loadAverage} at the start.\n` +
      `Latency ${report.latencyMs} ms per request; account ${report.shape.products} × ${report.shape.apps} × ${report.shape.events} × 3; medians of ${report.runs} runs.\n\n` +
      `${lines.join('\n')}\n\n` +
      `Sign-in: the login request left ${ms(mid(samples.signIn, 'loginLeftAfterMs'))} after Enter, ` +
      `the product request ${ms(mid(samples.signIn, 'productsLeftAfterLoginMs'))} after the login was answered (medians).\n` +
      `New window: the workbench showed ${ms(mid(samples.newWindow, 'workbenchMs'))} after the page started; the extension was asked to ` +
      `activate ${ms(mid(samples.newWindow, 'activationAskedAfterWorkbenchMs'))} after that and was active ${ms(mid(samples.newWindow, 'loadedAfterAskedMs'))} ` +
      `later (activate() itself: ${median(samples.newWindow.map((entry) => entry.activateMs))} ms); its first request left ${ms(mid(samples.newWindow, 'firstRequestAfterActivationMs'))} after activation (medians).\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`bench --editor: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
