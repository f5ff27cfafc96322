import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DuctapeTestSurface } from '../../src/extension';
import { largeAccount } from '../sandbox/accounts';
import type { Sandbox } from '../sandbox/server';
import { extension, sandboxForSuite } from './harness';

const SHAPE = { products: 10, apps: 10, events: 20 };
/** Session, product list, one app list per product, one webhook list per app. */
const WHOLE_ACCOUNT_REQUESTS = 2 + SHAPE.products + SHAPE.products * SHAPE.apps;

describe('A large account', () => {
  let sandbox: Sandbox;
  let surface: DuctapeTestSurface;

  before(async () => {
    sandbox = await sandboxForSuite({ account: largeAccount(SHAPE), latencyMs: 50 });
    surface = await extension();
    await vscode.commands.executeCommand('ductape.signOut');
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', sandbox.accessKey), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('ductape.signOut');
    await sandbox.close();
  });

  it('shows its first level while the rest still loads, and never loads anything twice', async () => {
    const products = await surface.tree.getChildren();
    assert.equal(products.length, SHAPE.products);
    assert.ok(
      sandbox.requests.length < WHOLE_ACCOUNT_REQUESTS,
      `the first level waited for ${sandbox.requests.length} requests`,
    );

    // Expanding everything meanwhile shares the loads already in flight.
    const apps = (await Promise.all(products.map((product) => surface.tree.getChildren(product)))).flat();
    assert.equal(apps.length, SHAPE.products * SHAPE.apps);
    const events = (await Promise.all(apps.map((app) => surface.tree.getChildren(app)))).flat();
    assert.equal(events.length, SHAPE.products * SHAPE.apps * SHAPE.events);
    assert.equal(sandbox.requests.length, WHOLE_ACCOUNT_REQUESTS);
  });
});
