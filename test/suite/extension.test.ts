import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DuctapeTestSurface } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes';
import { STANDARD_ENVIRONMENTS, stableUuid } from '../sandbox/accounts';
import { EXTENSION_ID, suiteSandbox } from './harness';

const LINK = { product: 'ecommerce-platform', app: 'stripe-payments', event: 'charge.refunded', env: 'stg' };
const expectedUrl = (link: typeof LINK) =>
  `https://webhooks.ductape.app/webhooks/v1/process/${stableUuid(link.product, link.app, link.event, link.env)}`;
/** What a tree row shows of a link: the start of its uuid. */
const shortLink = (url: string) => `…/process/${url.split('/').pop()!.slice(0, 8)}…`;

const labelOf = (node: TreeNode) => {
  const { label } = node.treeItem();
  return typeof label === 'string' ? label : (label?.label ?? '');
};

async function labels(surface: DuctapeTestSurface, node?: TreeNode): Promise<string[]> {
  const children = await surface.tree.getChildren(node);
  return children.map(labelOf);
}

async function childByLabel(surface: DuctapeTestSurface, label: string, node?: TreeNode): Promise<TreeNode> {
  const children = await surface.tree.getChildren(node);
  const found = children.find((child) => labelOf(child) === label);
  assert.ok(found, `no "${label}" among ${children.map(labelOf).join(', ')}`);
  return found;
}

describe('Ductape Webhooks in the editor', () => {
  const suite = suiteSandbox();

  it('declares every command it registers, and registers every command it declares', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
    };
    const declared = manifest.contributes.commands.map((entry) => entry.command).sort();
    // VS Code itself adds `<view id>.focus` and the like for every contributed view.
    const viewPrefixes = Object.values(manifest.contributes.views)
      .flat()
      .map((view) => `${view.id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('ductape.') && !viewPrefixes.some((prefix) => id.startsWith(prefix)))
      .sort();
    assert.deepEqual(registered, declared);
  });

  it('shows nothing but its welcome while signed out', async () => {
    assert.equal(suite.surface.isSignedIn(), false);
    assert.deepEqual(await suite.surface.tree.getChildren(), []);
  });

  it('refuses a key the server refuses, and stays signed out', async () => {
    const result = await vscode.commands.executeCommand('ductape.signIn', 'dk_refused_key_123456');
    assert.equal(result, undefined);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.deepEqual(await suite.surface.tree.getChildren(), []);
  });

  it('signs in with a good key and lists the workspace products', async () => {
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', suite.sandbox.accessKey), true);
    assert.equal(suite.surface.isSignedIn(), true);
    const products = suite.sandbox.account.workspaces[0].products.map((product) => product.name);
    assert.deepEqual(await labels(suite.surface), products);
  });

  it('browses product → app → webhook → environment as the sandbox has them', async () => {
    const product = await childByLabel(suite.surface, 'E-commerce Platform');
    assert.deepEqual(await labels(suite.surface, product), ['Stripe Payments', 'SendGrid Email', 'Paystack']);
    const app = await childByLabel(suite.surface, 'Stripe Payments', product);
    assert.deepEqual(await labels(suite.surface, app), ['payment.succeeded', 'payment.failed', 'charge.refunded', 'customer.created']);
    const event = await childByLabel(suite.surface, 'payment.failed', app);
    const environments = await suite.surface.tree.getChildren(event);
    assert.deepEqual(
      environments.map((node) => node.treeItem().label),
      STANDARD_ENVIRONMENTS.map((env) => env.slug),
    );
    const [dev, stg] = environments.map((node) => node.treeItem());
    const devUrl = expectedUrl({ ...LINK, event: 'payment.failed', env: 'dev' });
    assert.equal(dev.description, '→ POST api.shop.example');
    const tooltip = (await suite.surface.tree.resolveTreeItem(dev, environments[0])).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, new RegExp(devUrl.replace(/[.]/g, '\\.')));
    assert.equal(dev.contextValue, 'environment.linked');
    assert.equal(stg.description, 'no link yet');
    assert.equal(stg.contextValue, 'environment.unlinked');
    const ids = environments.map((node) => node.treeItem().id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  });

  it('shows a failed level as one error item with Retry, and Retry loads it', async () => {
    // More failures than the transport's retries of a read; Refresh loads the products at once.
    suite.sandbox.failNext('status-500', { route: 'products', count: 3 });
    await vscode.commands.executeCommand('ductape.refresh');
    const [error] = await suite.surface.tree.getChildren();
    const item = error.treeItem();
    assert.equal(item.contextValue, 'error');
    // A short label a side bar can show, the reason beside it, the whole message on hover.
    assert.equal(labelOf(error), 'Could not load the products');
    assert.match(String(item.description), /^500 /);
    assert.match(item.tooltip as string, /Ductape answered the product list with an error \(500/);
    assert.equal(item.command?.command, 'ductape.retry');
    await vscode.commands.executeCommand('ductape.retry', error);
    assert.equal((await labels(suite.surface)).length, 3);
  });

  it('generates a link from an argument, copies it and returns it', async () => {
    await vscode.env.clipboard.writeText('');
    const url = await vscode.commands.executeCommand<string>('ductape.generateLink', LINK);
    assert.equal(url, expectedUrl(LINK));
    assert.equal(await vscode.env.clipboard.readText(), url);
  });

  it('shows a generated link in the tree at once', async () => {
    const link = { ...LINK, event: 'customer.created', env: 'stg' };
    const product = await childByLabel(suite.surface, 'E-commerce Platform');
    const app = await childByLabel(suite.surface, 'Stripe Payments', product);
    await childByLabel(suite.surface, 'customer.created', app);
    // The view is told to redraw: without that, what it shows would stay "no link yet".
    const redrawn = new Promise<void>((resolve) => {
      const listener = suite.surface.tree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('ductape.generateLink', link);
    await redrawn;
    const event = await childByLabel(suite.surface, 'customer.created', app);
    const stg = await childByLabel(suite.surface, 'stg', event);
    assert.equal(stg.treeItem().description, shortLink(expectedUrl(link)));
  });

  it('inserts a link at every cursor as one undoable edit', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'first: \nsecond: \n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selections = [new vscode.Selection(0, 7, 0, 7), new vscode.Selection(1, 8, 1, 8)];
    const url = await vscode.commands.executeCommand<string>('ductape.insertLink', LINK);
    assert.equal(document.getText(), `first: ${url}\nsecond: ${url}\n`);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), 'first: \nsecond: \n');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('signs out back to the welcome, forgets the session, and rejects a caller that asks for a link', async () => {
    await vscode.commands.executeCommand('ductape.signOut');
    assert.equal(suite.surface.isSignedIn(), false);
    assert.deepEqual(await suite.surface.tree.getChildren(), []);
    const secrets = suite.surface.context.secrets;
    assert.deepEqual(await Promise.all([secrets.get('ductape.credential'), secrets.get('ductape.session')]), [undefined, undefined]);
    // Another extension tells a failure from a Cancel: the command rejects with the reason.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('ductape.generateLink', LINK)),
      /not signed in/,
    );
  });
});
