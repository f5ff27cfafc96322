import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/nodes';
import { destinationFor, stableUuid } from '../sandbox/accounts';
import type { Sandbox } from '../sandbox/server';
import { suiteSandbox } from './harness';

const PRODUCT = 'ecommerce-platform';
const linkOf = (app: string, event: string, env: string) =>
  `https://webhooks.ductape.app/webhooks/v1/process/${stableUuid(PRODUCT, app, event, env)}`;
const labelOf = (node: TreeNode) => {
  const { label } = node.treeItem();
  return typeof label === 'string' ? label : (label?.label ?? '');
};
const generateCalls = (sandbox: Sandbox) => sandbox.requests.filter((request) => request.generateLink);

async function childrenAt(tree: vscode.TreeDataProvider<TreeNode>, ...path: string[]): Promise<TreeNode[]> {
  let children = (await tree.getChildren()) as TreeNode[];
  for (const label of path) {
    const next = children.find((child) => labelOf(child) === label);
    assert.ok(next, `no "${label}" among ${children.map(labelOf).join(', ')}`);
    children = (await tree.getChildren(next)) as TreeNode[];
  }
  return children;
}

describe('Every way to sign in', () => {
  const suite = suiteSandbox({ twoFactorCode: 'A1B2C3' });
  afterEach(() => vscode.commands.executeCommand('ductape.signOut'));

  it('signs in with workspace credentials, listing the workspaces from their route, without the pending invitation', async () => {
    const { userId, privateKey, workspaces } = suite.sandbox.account;
    assert.equal(
      await vscode.commands.executeCommand('ductape.signInWithCredentials', { userId, workspaceId: workspaces[1].workspace_id, privateKey }),
      true,
    );
    assert.ok(suite.sandbox.requests.some((request) => request.route === 'workspaces'), 'the workspaces were listed from their route');
    // The credential's own workspace is the one opened.
    assert.deepEqual((await suite.surface.tree.getChildren()).map(labelOf), ['Hobby Shop']);
    const stored = JSON.parse((await suite.surface.context.secrets.get('ductape.credential'))!) as { kind: string };
    assert.equal(stored.kind, 'workspace');
    // The workspace opened is remembered as this window's choice: later tests start from none.
    await Promise.all([
      suite.surface.context.workspaceState.update('ductape.workspace', undefined),
      suite.surface.context.globalState.update('ductape.workspace', undefined),
    ]);
  });

  it('refuses a user ID of the wrong form before sending anything', async () => {
    const served = suite.sandbox.requests.length;
    const result = await vscode.commands.executeCommand('ductape.signInWithCredentials', { userId: 'usr_1', workspaceId: 'ws_acme', privateKey: 'k' });
    assert.equal(result, undefined);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.match(suite.surface.messages.at(-1) ?? '', /user ID: a Ductape user ID is 24 letters and digits/);
    assert.equal(suite.sandbox.requests.length, served);
  });

  it('signs in with email, password and the one-time code, and keeps only the session', async () => {
    const { email, password } = suite.sandbox.account;
    assert.equal(await vscode.commands.executeCommand('ductape.signInWithEmail', { email, password, code: 'A1B2C3' }), true);
    assert.deepEqual(suite.sandbox.requests.filter((request) => request.signIn).map((request) => request.signIn).slice(-2), ['password', 'code']);
    const [credential, session] = await Promise.all([
      suite.surface.context.secrets.get('ductape.credential'),
      suite.surface.context.secrets.get('ductape.session'),
    ]);
    assert.equal((JSON.parse(credential!) as { kind: string }).kind, 'session');
    assert.ok(!credential!.includes(password) && !session!.includes(password), 'the password was kept');
    assert.equal((await suite.surface.tree.getChildren()).length, 3);
  });

  it('asks to sign in again when a password session is refused, since it cannot be exchanged again', async () => {
    const { email, password } = suite.sandbox.account;
    assert.equal(await vscode.commands.executeCommand('ductape.signInWithEmail', { email, password, code: 'A1B2C3' }), true);
    await suite.surface.tree.getChildren();
    suite.sandbox.expireTokens();
    const before = suite.sandbox.requests.filter((request) => request.signIn).length;
    await vscode.commands.executeCommand('ductape.refresh');
    assert.deepEqual(await suite.surface.tree.getChildren(), []);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.equal(suite.sandbox.requests.filter((request) => request.signIn).length, before, 'the password was sent again');
    assert.match(suite.surface.messages.at(-1) ?? '', /signed out/);
  });
});

describe('Mapped environments, destinations and registrations', () => {
  const suite = suiteSandbox({}, { signedIn: true });

  it('shows only the environments an app is mapped to, and says so for an app mapped to none', async () => {
    assert.deepEqual((await childrenAt(suite.surface.tree, 'E-commerce Platform', 'SendGrid Email', 'email.opened')).map(labelOf), ['dev', 'prd']);
    const [notice] = await childrenAt(suite.surface.tree, 'E-commerce Platform', 'Paystack');
    assert.equal(labelOf(notice), 'No environments of this product are mapped to this app in Ductape');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('ductape.generateLink', { product: PRODUCT, app: 'sendgrid-email', event: 'email.opened', env: 'stg' })),
      /not mapped to "stg" \(it is mapped to: dev, prd\)/,
    );
  });

  it('shows where each registration delivers, and an inactive one as inactive', async () => {
    const [dev, prd] = await childrenAt(suite.surface.tree, 'E-commerce Platform', 'SendGrid Email', 'email.delivered');
    assert.match(String(dev.treeItem().description), /→ POST api\.shop\.example$/);
    assert.equal(prd.treeItem().contextValue, 'environment.linked.inactive');
    assert.match(String(prd.treeItem().description), /^inactive /);
    const tooltip = await suite.surface.tree.resolveTreeItem(prd.treeItem(), prd);
    assert.match((tooltip.tooltip as vscode.MarkdownString).value, /inactive: Ductape does not deliver/);
  });

  it('reads a link that exists, and never generates it again', async () => {
    const before = generateCalls(suite.sandbox).length;
    const url = await vscode.commands.executeCommand('ductape.generateLink', { product: PRODUCT, app: 'stripe-payments', event: 'payment.succeeded', env: 'prd' });
    assert.equal(url, linkOf('stripe-payments', 'payment.succeeded', 'prd'));
    assert.equal(generateCalls(suite.sandbox).length, before);
  });

  it('asks before creating a production link, and writes nothing on Cancel', async () => {
    const before = generateCalls(suite.sandbox).length;
    suite.surface.answers.push(undefined);
    const url = await vscode.commands.executeCommand('ductape.generateLink', { product: PRODUCT, app: 'stripe-payments', event: 'charge.refunded', env: 'prd' });
    assert.equal(url, undefined);
    assert.equal(generateCalls(suite.sandbox).length, before);
    assert.match(suite.surface.messages.at(-1) ?? '', /Create the prd link of charge\.refunded\?/);
  });

  it('copies every environment of an event after one question, and creates nothing on Cancel', async () => {
    const link = { product: PRODUCT, app: 'stripe-payments', event: 'customer.created' };
    const before = generateCalls(suite.sandbox).length;
    suite.surface.answers.push(undefined);
    assert.equal(await vscode.commands.executeCommand('ductape.copyEnvironmentLinks', link), undefined);
    assert.equal(generateCalls(suite.sandbox).length, before);
    assert.match(suite.surface.messages.at(-1) ?? '', /Create 3 missing links in dev, stg and prd\?/);

    suite.surface.answers.push('Create');
    const text = await vscode.commands.executeCommand<string>('ductape.copyEnvironmentLinks', link);
    assert.equal(generateCalls(suite.sandbox).length, before + 3);
    for (const env of ['dev', 'stg', 'prd']) assert.ok(text.includes(linkOf('stripe-payments', 'customer.created', env)), text);
  });
});

describe('A server that requires a destination', () => {
  const suite = suiteSandbox({ requireDestination: true }, { signedIn: true });

  it('registers the destination given with the command, asking nothing', async () => {
    const request = { product: PRODUCT, app: 'stripe-payments', event: 'charge.refunded', env: 'dev' };
    const destination = { url: 'https://api.shop.example/hooks/refunds', method: 'PUT' };
    const url = await vscode.commands.executeCommand('ductape.generateLink', { ...request, ...destination });
    assert.equal(url, linkOf('stripe-payments', 'charge.refunded', 'dev'));
    const [call] = generateCalls(suite.sandbox).slice(-1);
    assert.deepEqual({ url: call.generateLink?.url, method: call.generateLink?.method }, destination);
    const webhook = suite.sandbox.account.workspaces[0].products[0].webhooks['stripe-payments'].find((entry) => entry.tag === 'charge.refunded');
    assert.equal(webhook?.config?.find((config) => config.productEnv === 'dev')?.url, destination.url);
  });

  it('keeps the destination of a registration when its link is made again', async () => {
    // A registration with a destination but no uuid (the workbench counts it as registered).
    const config = suite.sandbox.account.workspaces[0].products[0].webhooks['stripe-payments'][3].config!;
    config.push({ productEnv: 'stg', appEnv: 'app-stg', url: destinationFor('stripe-payments', 'customer.created'), method: 'PATCH' });
    await vscode.commands.executeCommand('ductape.refresh');
    await vscode.commands.executeCommand('ductape.generateLink', { product: PRODUCT, app: 'stripe-payments', event: 'customer.created', env: 'stg' });
    const [call] = generateCalls(suite.sandbox).slice(-1);
    assert.deepEqual(
      { url: call.generateLink?.url, method: call.generateLink?.method },
      { url: destinationFor('stripe-payments', 'customer.created'), method: 'PATCH' },
    );
  });
});
