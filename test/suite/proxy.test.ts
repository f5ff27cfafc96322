import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/nodes';
import { type TestProxy, startTestProxy } from '../proxy/server';
import { suiteSandbox } from './harness';

/** Sets the editor's `http.proxy` (undefined: removes it). */
function setProxy(value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration('http').update('proxy', value, vscode.ConfigurationTarget.Global);
}

describe('Requests through the editor’s proxy (http.proxy)', () => {
  // VS Code sends requests to localhost and 127.0.0.1 directly, whatever http.proxy says: the
  // sandbox listens on another loopback address, so that its requests can go through the proxy.
  const suite = suiteSandbox({ host: '127.0.0.2' });
  let proxy: TestProxy;
  let saved: unknown;

  before(async () => {
    proxy = await startTestProxy({ user: 'ductape-proxy-user', password: 'pr0xy pass:@/' });
    saved = vscode.workspace.getConfiguration('http').inspect('proxy')?.globalValue;
  });

  after(async () => {
    await setProxy(saved);
    await proxy.close();
  });

  beforeEach(() => vscode.commands.executeCommand('ductape.signOut'));

  /** Signs in and opens the tree down to the webhooks of the first app: sign-in, products, apps and webhooks are all requests. */
  async function signInAndBrowse(): Promise<string[]> {
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', suite.sandbox.accessKey), true, suite.surface.messages.at(-1));
    const [product] = await suite.surface.tree.getChildren();
    const [app] = await suite.surface.tree.getChildren(product);
    const webhooks = await suite.surface.tree.getChildren(app);
    return webhooks.map((node: TreeNode) => {
      const { label } = node.treeItem();
      return typeof label === 'string' ? label : (label?.label ?? '');
    });
  }

  /**
   * The sandbox's own count of requests served, and the proxy's count of those it carried there,
   * once none is on its way (the tree goes on loading in the background).
   */
  async function counts(): Promise<{ served: number; proxied: number }> {
    await proxy.idle();
    return { served: suite.sandbox.requests.length, proxied: proxy.requests.get(new URL(suite.sandbox.url).host) ?? 0 };
  }

  it('signs in and loads the tree through a proxy whose credentials are in http.proxy, every request through it', async () => {
    await setProxy(proxy.urlWithCredentials);
    const before = await counts();
    const webhooks = await signInAndBrowse();
    assert.deepEqual(webhooks, ['payment.succeeded', 'payment.failed', 'charge.refunded', 'customer.created']);
    const after = await counts();
    assert.ok(after.served - before.served >= 4, 'sign-in, products, apps and webhooks were served');
    assert.equal(after.proxied - before.proxied, after.served - before.served, 'every request the sandbox served came through the proxy');
  });

  it('says that the proxy refused the sign-in when it has no credentials, and sends nothing past it', async () => {
    await setProxy(proxy.url);
    const before = { ...(await counts()), refused: proxy.refused, messages: suite.surface.messages.length };
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', suite.sandbox.accessKey), undefined);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.ok(proxy.refused > before.refused, 'the proxy refused the request');
    assert.equal((await counts()).served, before.served, 'nothing reached the server');
    const told = suite.surface.messages.slice(before.messages).join('\n');
    assert.match(told, /through the proxy/);
    assert.ok(!told.includes(proxy.authorization) && !told.includes('pr0xy'), 'no credential in the message');
  });
});
