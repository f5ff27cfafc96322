import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, settingChange, suiteSandbox } from './harness';

async function setSetting(name: string, value: unknown): Promise<void> {
  const changed = settingChange(`ductape.${name}`);
  await vscode.workspace.getConfiguration('ductape').update(name, value, vscode.ConfigurationTarget.Global);
  await changed;
}

/** `ctrl+shift+alt+g` and `ctrl+alt+shift+g` are the same key. */
const normalizeKey = (key: string) => key.toLowerCase().split('+').sort().join('+');

describe('Accounts menu, status bar and keybindings', () => {
  const suite = suiteSandbox();

  after(async () => {
    await vscode.workspace.getConfiguration('ductape').update('defaultEnvironment', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows no account and no status while signed out', async () => {
    assert.deepEqual(await suite.surface.accounts.getSessions(), []);
    assert.equal(suite.surface.statusBar.text, undefined);
  });

  it('lists the signed-in account for the Accounts menu, without handing out a credential', async () => {
    assert.equal(await vscode.commands.executeCommand('ductape.signIn', suite.sandbox.accessKey), true);
    const [session] = await suite.surface.accounts.getSessions();
    assert.equal(session?.account.label, suite.sandbox.account.email);
    assert.equal(session?.accessToken, '');
  });

  it('shows the workspace and the default environment in the status bar, and follows the setting', async () => {
    await suite.surface.tree.getChildren();
    assert.match(suite.surface.statusBar.text ?? '', /Acme Commerce · last used/);
    await setSetting('defaultEnvironment', 'prd');
    assert.match(suite.surface.statusBar.text ?? '', /Acme Commerce · prd/);
    await setSetting('statusBar.enabled', false);
    assert.equal(suite.surface.statusBar.text, undefined);
    await setSetting('statusBar.enabled', undefined);
    assert.match(suite.surface.statusBar.text ?? '', /Acme Commerce · prd/);
  });

  it('signs out from the Accounts menu like from the view', async () => {
    const removed = new Promise<void>((resolve) => {
      const listener = suite.surface.accounts.onDidChangeSessions((event) => {
        if (!event.removed?.length) return;
        listener.dispose();
        resolve();
      });
    });
    const [session] = await suite.surface.accounts.getSessions();
    await suite.surface.accounts.removeSession(session.id);
    await removed;
    assert.deepEqual(await suite.surface.accounts.getSessions(), []);
    assert.equal(suite.surface.isSignedIn(), false);
    assert.equal(suite.surface.statusBar.text, undefined);
  });

  it('has a walkthrough whose steps show their pages and link to commands that exist', async () => {
    const extensionInfo = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extensionInfo.packageJSON as {
      contributes: { walkthroughs: { steps: { description: string; media: { markdown: string } }[] }[] };
    };
    const commands = new Set(await vscode.commands.getCommands(true));
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 4);
    const nls = JSON.parse(fs.readFileSync(path.join(extensionInfo.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    for (const step of walkthrough.steps) {
      assert.ok(fs.existsSync(path.join(extensionInfo.extensionPath, step.media.markdown)), step.media.markdown);
      const description = nls[step.description.replace(/%/g, '')] ?? step.description;
      for (const [, command] of description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(command), `the walkthrough links to ${command}, which is not registered`);
      }
    }
  });

  it('suggests keybindings that no default keybinding of VS Code uses', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { keybindings: { command: string; key: string }[] };
    };
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const defaults = JSON.parse(
      vscode.window.activeTextEditor!.document.getText().replace(/^\s*\/\/.*$/gm, ''),
    ) as { key: string; command: string }[];
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(defaults.length > 100, 'the default keybindings were read');
    for (const ours of manifest.contributes.keybindings) {
      const taken = defaults.filter(
        (entry) => normalizeKey(entry.key) === normalizeKey(ours.key) && !entry.command.startsWith('ductape.'),
      );
      assert.deepEqual(taken, [], `${ours.key} is already bound`);
    }
  });
});
