import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Sandbox } from '../sandbox/server';
import { extension, sandboxForSuite } from './harness';

/** Runs only in the pass that opens the folder untrusted (DUCTAPE_UNTRUSTED, see scripts/test.mjs). */
const untrusted = process.env.DUCTAPE_UNTRUSTED === '1';

(untrusted ? describe : describe.skip)('In an untrusted workspace', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await sandboxForSuite();
  });

  after(async () => {
    await vscode.commands.executeCommand('ductape.signOut');
    await sandbox.close();
  });

  it('runs in restricted mode: signs in, lists the products and generates a link', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is open in restricted mode');
    const surface = await extension();
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', sandbox.accessKey), true);
    assert.equal((await surface.tree.getChildren()).length, 3);
    const url = await vscode.commands.executeCommand<string>('ductape.generateLink', {
      product: 'payment-service',
      app: 'stripe-payments',
      event: 'payment.failed',
      env: 'stg',
    });
    assert.match(url, /^https:\/\/webhooks\.ductape\.app\/webhooks\/v1\/process\//);
  });
});
