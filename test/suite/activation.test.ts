// Runs first (see index.ts): the extension host activates the extension once, here.
import * as assert from 'node:assert/strict';
import type { Sandbox } from '../sandbox/server';
import * as vscode from 'vscode';
import type { DuctapeTestSurface } from '../../src/extension';
import { EXTENSION_ID, sandboxForSuite } from './harness';

describe('Activation', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await sandboxForSuite();
  });

  after(() => sandbox.close());

  it('activates without any request, and reports how long it took', async () => {
    const started = performance.now();
    const surface = await vscode.extensions.getExtension<DuctapeTestSurface>(EXTENSION_ID)!.activate();
    const milliseconds = performance.now() - started;
    await surface.ready;
    // Reported, not asserted: wall-clock numbers on a shared machine are for the benchmark.
    console.log(`      activation in the real editor: ${milliseconds.toFixed(1)} ms`);
    assert.equal(surface.isSignedIn(), false);
    assert.deepEqual(sandbox.requests, []);
  });
});
