/** What the extension-host tests share: the extension's test surface and a sandbox of their own. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DuctapeTestSurface } from '../../src/extension';
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server';

export const EXTENSION_ID = 'ductape.ductape-webhooks';

/**
 * A suite's own sandbox, with the extension pointed at it and signed out (or, with `signedIn`,
 * signed in) before the suite's tests, and signed out and closed after them.
 */
export function suiteSandbox(options: SandboxOptions = {}, { signedIn = false } = {}): { sandbox: Sandbox; surface: DuctapeTestSurface } {
  const suite = {} as { sandbox: Sandbox; surface: DuctapeTestSurface };
  before(async () => {
    suite.sandbox = await sandboxForSuite(options);
    suite.surface = await extension();
    await vscode.commands.executeCommand('ductape.signOut');
    if (signedIn) {
      const result = await vscode.commands.executeCommand('ductape.signIn', suite.sandbox.accessKey);
      assert.equal(result, true, `signing in failed: ${suite.surface.messages.at(-1)}`);
    }
  });
  after(async () => {
    await vscode.commands.executeCommand('ductape.signOut');
    await suite.sandbox.close();
  });
  return suite;
}

export async function extension(): Promise<DuctapeTestSurface> {
  const found = vscode.extensions.getExtension<DuctapeTestSurface>(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
  const surface = await found.activate();
  await surface.ready;
  return surface;
}

/** Starts a sandbox inside the extension host and points the extension's setting at it. */
export async function sandboxForSuite(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  await vscode.workspace.getConfiguration('ductape').update('apiUrl', sandbox.url, vscode.ConfigurationTarget.Global);
  return sandbox;
}

/** Resolves when a setting under `section` has changed: an event to await, not a pause. */
export function settingChange(section: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(section)) return;
      listener.dispose();
      resolve();
    });
  });
}
