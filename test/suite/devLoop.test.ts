import * as assert from 'node:assert/strict';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/nodes';
import { destinationFor } from '../sandbox/accounts';
import { settingChange, suiteSandbox } from './harness';

const DEV = { product: 'ecommerce-platform', app: 'stripe-payments', event: 'payment.succeeded', env: 'dev' };
const PRD = { ...DEV, env: 'prd' };

/** A webhook handler on this machine, as a developer runs one: it records what it receives. */
async function localHandler(): Promise<{ port: number; received: Array<{ method: string; path: string; body: string }>; next(): Promise<void>; close(): Promise<void> }> {
  const received: Array<{ method: string; path: string; body: string }> = [];
  const waiting: Array<() => void> = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      waiting.shift()?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const labelOf = (node: TreeNode) => {
  const { label } = node.treeItem();
  return typeof label === 'string' ? label : (label?.label ?? '');
};

async function environmentRow(tree: vscode.TreeDataProvider<TreeNode>, env: string): Promise<TreeNode> {
  let children = (await tree.getChildren()) as TreeNode[];
  for (const label of ['E-commerce Platform', 'Stripe Payments', 'payment.succeeded', env]) {
    const next = children.find((child) => labelOf(child) === label);
    assert.ok(next, `no "${label}" among ${children.map(labelOf).join(', ')}`);
    if (label === env) return next;
    children = (await tree.getChildren(next)) as TreeNode[];
  }
  throw new Error('unreachable');
}

describe('The webhook development loop', () => {
  const suite = suiteSandbox({ linksToSandbox: true }, { signedIn: true });
  let handler: Awaited<ReturnType<typeof localHandler>>;

  before(async () => {
    handler = await localHandler();
    // Links point at the sandbox, which forwards each delivery as Ductape does.
    const changed = settingChange('ductape.webhookHost');
    await vscode.workspace.getConfiguration('ductape').update('webhookHost', suite.sandbox.url, vscode.ConfigurationTarget.Global);
    await changed;
  });

  after(async () => {
    await handler.close();
    await vscode.workspace.getConfiguration('ductape').update('webhookHost', undefined, vscode.ConfigurationTarget.Global);
  });

  it('sets a destination and shows it on the row', async () => {
    const destination = { url: 'https://api.shop.example/hooks/v2/stripe', method: 'PUT' };
    assert.deepEqual(await vscode.commands.executeCommand('ductape.setDestination', { ...DEV, ...destination }), destination);
    const row = await environmentRow(suite.surface.tree, 'dev');
    assert.match(String(row.treeItem().description), /→ PUT api\.shop\.example$/);
  });

  it('receives on this machine: the sample travels through Ductape to the local handler, and shows in Recent Deliveries', async () => {
    const local = `http://127.0.0.1:${handler.port}/webhooks/stripe`;
    await vscode.commands.executeCommand('ductape.receiveLocally', { ...DEV, url: local });
    assert.equal(suite.surface.localStatus.text, `$(radio-tower) dev → 127.0.0.1:${handler.port}`);

    const arrived = handler.next();
    const answer = await vscode.commands.executeCommand<{ status: number }>('ductape.sendSample', DEV);
    await arrived;
    assert.ok(answer.status < 300, `Ductape answered ${answer.status}`);
    const [delivery] = handler.received;
    assert.equal(delivery.path, '/webhooks/stripe');
    const sample = suite.sandbox.account.workspaces[0].products[0];
    assert.ok(sample, 'the sample account has the product');
    assert.match(delivery.body, /payment/, 'the handler got the sample body');

    const row = await environmentRow(suite.surface.tree, 'dev');
    const [deliveriesNode] = await suite.surface.tree.getChildren(row);
    assert.equal(labelOf(deliveriesNode), 'Recent Deliveries');
    const [newest] = await suite.surface.tree.getChildren(deliveriesNode);
    assert.match(String(newest.treeItem().description), /^200/);
    assert.equal((newest.treeItem().iconPath as vscode.ThemeIcon).id, 'pass');
  });

  it('restores the destination it replaced', async () => {
    assert.equal(await vscode.commands.executeCommand('ductape.restoreDestination', DEV), 1);
    assert.equal(suite.surface.localStatus.text, undefined);
    const row = await environmentRow(suite.surface.tree, 'dev');
    assert.match(String(row.treeItem().description), /→ PUT api\.shop\.example$/);
  });

  it('asks before any write in prd, and writes nothing on Cancel', async () => {
    const writes = () => suite.sandbox.requests.filter((request) => request.generateLink).length;
    const before = writes();
    suite.surface.answers.push(undefined);
    assert.equal(await vscode.commands.executeCommand('ductape.receiveLocally', { ...PRD, url: `http://127.0.0.1:${handler.port}/` }), undefined);
    suite.surface.answers.push(undefined);
    assert.equal(await vscode.commands.executeCommand('ductape.setDestination', { ...PRD, url: 'https://elsewhere.example/hook' }), undefined);
    assert.equal(writes(), before);
    const webhook = suite.sandbox.account.workspaces[0].products[0].webhooks['stripe-payments'][0];
    assert.equal(webhook.config?.find((config) => config.productEnv === 'prd')?.url, destinationFor('stripe-payments', 'payment.succeeded'));
  });

  it('opens the sample payload as a read-only document, written nowhere', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('ductape.openSample', DEV);
    assert.equal(document.uri.scheme, 'ductape-view');
    assert.equal(document.languageId, 'json');
    assert.doesNotThrow(() => JSON.parse(document.getText()));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
