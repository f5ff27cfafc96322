// Runs first (see index.ts). VS Code activated the extension at start-up (onStartupFinished),
// before any test: what activation did is read from what the extension recorded then.
import * as assert from 'node:assert/strict';
import { extension } from './harness';

describe('Activation', () => {
  it('sent no request when it activated, and reports how long activate() took', async () => {
    const surface = await extension();
    // Reported, not asserted: wall-clock numbers on a shared machine are for the benchmark.
    console.log(`      activate() in the real editor: ${surface.activationMs.toFixed(1)} ms`);
    assert.equal(surface.isSignedIn(), false);
    assert.deepEqual(surface.requests, [], 'requests were sent before any test asked for data');
  });
});
