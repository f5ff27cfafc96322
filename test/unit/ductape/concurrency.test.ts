import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from '../../../src/ductape/concurrency';
import { CancelledError } from '../../../src/ductape/errors';
import { deferred, rejectsWith } from '../helpers';

/** A semaphore and work for it that runs until the test ends it, recording what has started. */
function semaphoreWithWork(limit: number) {
  const semaphore = new Semaphore(limit);
  const started: string[] = [];
  const work = (name: string, signal?: AbortSignal) => {
    const end = deferred<string>();
    const result = semaphore.run(signal, () => {
      started.push(name);
      return end.promise;
    });
    return {
      result,
      /** Ends the work and resolves with its result. */
      finish: () => (end.resolve(name), result),
      fail: () => end.reject(new Error(`${name} failed`)),
    };
  };
  /** What has started once every promise chain that can move on has (one event-loop turn). */
  const startedSoFar = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return [...started];
  };
  return { work, startedSoFar };
}

describe('Semaphore', () => {
  it('runs at most `limit` at once and starts the others in the order they came', async () => {
    const { work, startedSoFar } = semaphoreWithWork(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => work(name));
    assert.deepEqual(await startedSoFar(), ['a', 'b']);
    await b.finish();
    assert.deepEqual(await startedSoFar(), ['a', 'b', 'c']);
    assert.deepEqual(await Promise.all([a.finish(), c.finish(), d.finish()]), ['a', 'c', 'd']);
  });

  it('frees the slot of work that fails', async () => {
    const { work, startedSoFar } = semaphoreWithWork(1);
    const failing = work('a');
    const next = work('b');
    failing.fail();
    await assert.rejects(failing.result, /a failed/);
    assert.deepEqual(await startedSoFar(), ['a', 'b']);
    assert.equal(await next.finish(), 'b');
  });

  it('lets a waiter whose signal aborts leave the queue without ever running', async () => {
    const { work, startedSoFar } = semaphoreWithWork(1);
    const holder = work('a');
    const controller = new AbortController();
    const leaving = work('b', controller.signal);
    const staying = work('c');
    controller.abort();
    await rejectsWith(leaving.result, CancelledError);
    await holder.finish();
    assert.deepEqual(await startedSoFar(), ['a', 'c']);
    assert.equal(await staying.finish(), 'c');
  });

  it('refuses an already aborted signal without running the work', async () => {
    const { work, startedSoFar } = semaphoreWithWork(1);
    await rejectsWith(work('a', AbortSignal.abort()).result, CancelledError);
    assert.deepEqual(await startedSoFar(), []);
  });
});
