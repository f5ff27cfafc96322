import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, settingChange, suiteSandbox } from './harness';

/** A key no other text could contain by chance. */
const DISTINCTIVE_KEY = 'dk_hygiene_Zq7XkP3mW9vR2tL8';
const LINK = { product: 'ecommerce-platform', app: 'sendgrid-email', event: 'email.bounced', env: 'prd' };

function* filesUnder(folder: string): Generator<string> {
  if (!fs.existsSync(folder)) return;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

describe('Security and failures', () => {
  const suite = suiteSandbox({ accessKeys: [DISTINCTIVE_KEY] });

  it('signs out once, offering to sign in again, when the server refuses the stored key', async () => {
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', DISTINCTIVE_KEY), true);
    const before = suite.surface.messages.length;
    // Refresh exchanges the stored key again, and Ductape now refuses it; the view and a command
    // wait on that exchange.
    suite.sandbox.failNext('status-403', { route: 'session' });
    const [, children, generated] = await Promise.allSettled([
      vscode.commands.executeCommand('ductape.refresh'),
      suite.surface.tree.getChildren(),
      vscode.commands.executeCommand('ductape.generateLink', LINK),
    ]);
    // The view may have shown the last tree meanwhile; it never fails, and empties on sign-out.
    assert.equal(children.status, 'fulfilled');
    // The calling code learns why; the person is told once (below).
    assert.equal(generated.status, 'rejected');
    assert.match(String(generated.reason), /refused the sign-in \(403/);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.deepEqual(await suite.surface.tree.getChildren(), []);
    const told = suite.surface.messages.slice(before);
    assert.equal(told.length, 1, `one notice, not one per failure:\n${told.join('\n')}`);
    assert.match(told[0], /refused .*signed out/);
  });

  it('ignores a workspace that tries to send the key to another server', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settings = path.join(folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    const changed = settingChange('ductape.apiUrl');
    fs.writeFileSync(settings, JSON.stringify({ 'ductape.apiUrl': 'http://127.0.0.1:9/stolen' }));
    await changed;
    try {
      const served = suite.sandbox.requests.length;
      assert.equal(await vscode.commands.executeCommand('ductape.signIn', DISTINCTIVE_KEY), true);
      assert.ok(suite.sandbox.requests.length > served, 'the sign-in went to the configured user-level server');
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        capabilities: { untrustedWorkspaces: { supported: boolean | string } };
      };
      assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    } finally {
      const restored = settingChange('ductape.apiUrl');
      fs.rmSync(path.dirname(settings), { recursive: true, force: true });
      await restored;
    }
  });

  it('never writes the key or the token into its log, notifications, settings, state or the workspace', async () => {
    // A whole session: sign in, browse, generate, failures of several kinds, a refused key, sign out.
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', DISTINCTIVE_KEY), true);
    await vscode.commands.executeCommand('ductape.refresh');
    for (const product of await suite.surface.tree.getChildren()) {
      for (const app of await suite.surface.tree.getChildren(product)) await suite.surface.tree.getChildren(app);
    }
    // A new production link is created only after the modal question, answered here.
    suite.surface.answers.push('Create Link');
    assert.ok(await vscode.commands.executeCommand('ductape.generateLink', LINK));
    for (const fault of ['status-500', 'malformed-json', 'wrong-shape', 'status-false'] as const) {
      suite.sandbox.failNext(fault, { route: 'proxy' });
      suite.surface.answers.push('Create Link');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ductape.generateLink', { ...LINK, event: 'email.clicked' })));
    }
    await vscode.commands.executeCommand('ductape.signIn', `${DISTINCTIVE_KEY}x`);
    await vscode.commands.executeCommand('ductape.signOut');

    const secrets = [DISTINCTIVE_KEY, ...suite.sandbox.issuedTokens()];
    assert.ok(secrets.length > 1, 'the session had tokens to look for');
    const leaks = (text: string) => secrets.filter((secret) => text.includes(secret)).length;
    assert.equal(leaks(suite.surface.messages.join('\n')), 0, 'a notification carried a secret');

    const userData = path.resolve(suite.surface.context.globalStorageUri.fsPath, '..', '..', '..');
    const places = [userData, path.resolve(suite.surface.context.logUri.fsPath, '..', '..'), vscode.workspace.workspaceFolders![0].uri.fsPath];
    let logFound = false;
    for (const file of places.flatMap((place) => [...filesUnder(place)])) {
      const text = fs.readFileSync(file).toString('latin1');
      if (/Ductape\.log$/.test(file) && text.includes('/users/v1/login/authKey')) logFound = true;
      assert.equal(leaks(text), 0, `${path.basename(file)} holds a secret`);
    }
    assert.ok(logFound, 'the Ductape log was found among the files searched');
  });
});
