/**
 * `npm run bench [-- --latency MS] [--runs N] [--json]`: the data layer against a naive client
 * and against the round-trip floor, on a sandbox with injected latency and a generated account
 * of 10 products × 10 apps × 20 events × 3 environments. Also the heap for the whole account, the
 * bundle and .vsix sizes, and the activation cost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENT_REQUESTS } from '../src/ductape/contract';
import { DuctapeClient, WebhookCatalog } from '../src/ductape';
import { NaiveClient } from './naiveClient';

const SHAPE = { products: 10, apps: 10, events: 20 };
const WORKSPACE = 'ws_acme';
const root = path.resolve(__dirname, '..', '..');

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '40' },
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const latencyMs = Number(values.latency);
const runs = Math.max(5, Number(values.runs));
const progress = (text: string) => process.stderr.write(`${text}\n`);

interface Measured {
  requests: number;
  ms: number;
}

interface TaskResult {
  requests: number;
  ms: number;
  naiveRequests: number;
  naiveMs: number;
  floorMs: number;
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timed(work: () => Promise<number>): Promise<Measured> {
  const started = performance.now();
  const requests = await work();
  return { requests, ms: performance.now() - started };
}

/** Runs a measurement `runs` times; the median time, and the request count of the last run. */
async function repeat(measure: (run: number) => Promise<Measured>): Promise<Measured> {
  const results: Measured[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(run));
  return { requests: results[results.length - 1].requests, ms: median(results.map((result) => result.ms)) };
}

async function startSandboxProcess(): Promise<{ url: string; accessKey: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'test', 'sandbox', 'cli.js'), '--json', '--latency', String(latencyMs), '--large',
      `${SHAPE.products}x${SHAPE.apps}x${SHAPE.events}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  const { url, accessKey } = JSON.parse(line) as { url: string; accessKey: string };
  return { url, accessKey, stop: () => child.kill() };
}

function ourClient(url: string, accessKey: string): { catalog: WebhookCatalog; requests: () => number; close(): Promise<void> } {
  let requests = 0;
  const client = new DuctapeClient({ apiUrl: url, accessKey, onRequest: () => requests++ });
  return { catalog: new WebhookCatalog(client, WORKSPACE), requests: () => requests, close: () => client.close() };
}

function activationMs(signedIn: boolean): number {
  const samples = Array.from({ length: runs }, () => {
    const output = execFileSync(
      process.execPath,
      [path.join(__dirname, 'activation.js'), ...(signedIn ? ['--signed-in'] : [])],
      { encoding: 'utf8' },
    );
    return (JSON.parse(output) as { milliseconds: number }).milliseconds;
  });
  return median(samples);
}

async function main(): Promise<void> {
  progress('Building the production bundle and the .vsix…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const bundleBytes = statSync(path.join(root, 'dist', 'extension.js')).size;
  const vsixBytes = statSync(path.join(root, 'ductape-webhooks.vsix')).size;

  progress(`Starting the sandbox (${latencyMs} ms per request, ${SHAPE.products}×${SHAPE.apps}×${SHAPE.events}×3)…`);
  const sandbox = await startSandboxProcess();
  const { url, accessKey } = sandbox;
  const roundTrips = (count: number) => count * latencyMs;
  const wide = (requests: number) => Math.ceil(requests / DEFAULT_CONCURRENT_REQUESTS);
  const tasks: Record<string, TaskResult> = {};
  let heapMB = 0;

  try {
    progress('1. first level');
    const firstLevel = await repeat(async () => {
      const ours = ourClient(url, accessKey);
      const result = await timed(async () => (await ours.catalog.products(), ours.requests()));
      await ours.close();
      return result;
    });
    const naiveFirst = await repeat(() =>
      timed(async () => {
        const naive = new NaiveClient(url, accessKey);
        await naive.login();
        await naive.products(WORKSPACE);
        return naive.requests;
      }),
    );
    tasks.firstLevel = { ...pair(firstLevel, naiveFirst), floorMs: roundTrips(2) };

    progress('2. whole tree');
    let held: ReturnType<typeof ourClient> | undefined;
    const wholeTree = await repeat(async () => {
      await held?.close();
      held = ourClient(url, accessKey);
      const ours = held;
      return timed(async () => (await ours.catalog.loadAll(), ours.requests()));
    });
    const naiveTree = await repeat(() =>
      timed(async () => {
        const naive = new NaiveClient(url, accessKey);
        await naive.wholeTree(WORKSPACE);
        return naive.requests;
      }),
    );
    // Session, product list, then the app lists and every app's webhooks together (the product
    // list names the apps; environments come with it), as wide as the transport allows.
    const wholeTreeTrips = 2 + wide(SHAPE.products + SHAPE.products * SHAPE.apps);
    tasks.wholeTree = { ...pair(wholeTree, naiveTree), floorMs: roundTrips(wholeTreeTrips) };

    global.gc?.();
    heapMB = process.memoryUsage().heapUsed / 1024 / 1024;

    progress('3. all environments of one event');
    const allEnvs = await repeat(async (run) => {
      const ours = ourClient(url, accessKey);
      await ours.catalog.products();
      const before = ours.requests();
      const result = await timed(async () => {
        // Links that exist are read; the missing ones are created one after the other (writes
        // are never fanned out, and the person is asked first, which is not timed here).
        const request = { product: 'product-01', app: 'app-01', event: `event.${String(run + 1).padStart(2, '0')}` };
        const rows = (await ours.catalog.webhookLinks(request.product, request.app)).filter((row) => row.event === request.event);
        for (const row of rows.filter((entry) => !entry.url)) await ours.catalog.generateLink({ ...request, env: row.env });
        return ours.requests() - before;
      });
      await ours.close();
      return result;
    });
    const naiveEnvs = await repeat(async (run) => {
      const naive = new NaiveClient(url, accessKey);
      await naive.login();
      const before = naive.requests;
      return timed(async () => {
        await naive.allEnvironments(WORKSPACE, 'product-02', 'app-01', `event.${String(run + 1).padStart(2, '0')}`);
        return naive.requests - before;
      });
    });
    // Every request of ours is on the critical path: the rows, then each missing link in turn.
    tasks.allEnvs = { ...pair(allEnvs, naiveEnvs), floorMs: roundTrips(allEnvs.requests) };

    progress('4. a registered link, with the tree loaded');
    const ours = held!;
    const registered = (await ours.catalog.webhookLinks('product-03', 'app-03')).filter((row) => row.url);
    const knownLink = await repeat(async (run) => {
      const row = registered[run % registered.length];
      const before = ours.requests();
      return timed(async () => {
        await ours.catalog.generateLink({ product: 'product-03', app: 'app-03', event: row.event, env: row.env });
        return ours.requests() - before;
      });
    });
    const naiveKnown = await repeat(async (run) => {
      const naive = new NaiveClient(url, accessKey);
      await naive.login();
      const row = registered[run % registered.length];
      const before = naive.requests;
      return timed(async () => {
        await naive.generateLink(WORKSPACE, 'product-03', 'app-03', row.event, row.env);
        return naive.requests - before;
      });
    });
    tasks.knownLink = { ...pair(knownLink, naiveKnown), floorMs: 0 };
    await ours.close();
  } finally {
    sandbox.stop();
  }

  progress('Activation (fresh process each run)…');
  const activation = { signedOut: activationMs(false), signedIn: activationMs(true) };

  const report = {
    latencyMs,
    tasks,
    heapMB: round(heapMB),
    bundleBytes,
    vsixBytes,
    activationMs: round(Math.max(activation.signedOut, activation.signedIn)),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    printTable(report, activation);
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

function pair(ours: Measured, naive: Measured): Omit<TaskResult, 'floorMs'> {
  return { requests: ours.requests, ms: round(ours.ms), naiveRequests: naive.requests, naiveMs: round(naive.ms) };
}

interface Report {
  latencyMs: number;
  tasks: Record<string, TaskResult>;
  heapMB: number;
  bundleBytes: number;
  vsixBytes: number;
  activationMs: number;
}

const TASK_NAMES: Record<string, string> = {
  firstLevel: 'first level (sign-in + products)',
  wholeTree: 'whole tree (6,000 links)',
  allEnvs: 'all environments of one event',
  knownLink: 'a registered link, tree loaded',
};

function printTable(report: Report, activation: { signedOut: number; signedIn: number }): void {
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '–');
  const rows = Object.entries(report.tasks).map(([name, task]) => [
    TASK_NAMES[name],
    String(task.requests),
    task.ms.toFixed(1),
    String(task.naiveRequests),
    task.naiveMs.toFixed(1),
    ratio(task.naiveMs, task.ms),
    task.floorMs.toFixed(0),
    task.floorMs > 0 ? ratio(task.ms, task.floorMs) : '–',
  ]);
  const header = ['task', 'requests', 'ms', 'naive requests', 'naive ms', 'naive/ours', 'floor ms', 'ours/floor'];
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const tree = report.tasks.wholeTree;
  const checks = [
    [`whole tree ≥ 10× faster than naive (${ratio(tree.naiveMs, tree.ms)})`, tree.naiveMs / tree.ms >= 10],
    [`whole tree within 1.5× of the floor (${ratio(tree.ms, tree.floorMs)})`, tree.ms / tree.floorMs <= 1.5],
    [`registered link in 0 requests (${report.tasks.knownLink.requests})`, report.tasks.knownLink.requests === 0],
    // Missing links are writes to the account: created one after another, never fanned out.
    [`all environments within 1.5× of the floor of writes one after another (${ratio(report.tasks.allEnvs.ms, report.tasks.allEnvs.floorMs)})`,
      report.tasks.allEnvs.ms / report.tasks.allEnvs.floorMs <= 1.5],
    [`heap with the whole account ≤ 30 MB (${report.heapMB.toFixed(1)} MB)`, report.heapMB <= 30],
    [`activation ≤ 15 ms (signed out ${activation.signedOut.toFixed(1)} ms, signed in ${activation.signedIn.toFixed(1)} ms)`,
      report.activationMs <= 15],
    [`.vsix ≤ 250 KB (${(report.vsixBytes / 1024).toFixed(1)} KB)`, report.vsixBytes <= 250 * 1024],
  ] as const;
  process.stdout.write(
    `\nLatency ${report.latencyMs} ms per request; times are medians of ${runs} runs.\n\n${lines.join('\n')}\n\n` +
      `dist/extension.js: ${(report.bundleBytes / 1024).toFixed(1)} KB; .vsix: ${(report.vsixBytes / 1024).toFixed(1)} KB; ` +
      `heap with the whole tree held: ${report.heapMB.toFixed(1)} MB\n\n` +
      checks.map(([text, met]) => `${met ? 'met' : 'MISSED'}: ${text}`).join('\n') +
      '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
