import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../src/ductape/errors';
import { SharedLoads } from '../../../src/ductape/sharedLoads';
import { deferred, rejectsWith } from '../helpers';

/** A load that is in flight until the test settles it, and remembers each signal it was given. */
function controlledLoad<T>() {
  const calls: Array<{ signal: AbortSignal; settle: ReturnType<typeof deferred<T>> }> = [];
  const load = (signal: AbortSignal) => {
    const settle = deferred<T>();
    calls.push({ signal, settle });
    return settle.promise;
  };
  return { load, calls };
}

describe('SharedLoads', () => {
  it('gives concurrent callers of one key a single load, and keeps its value', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const first = loads.get('k', load);
    const second = loads.get('k', load, new AbortController().signal);
    calls[0].settle.resolve('value');
    assert.deepEqual(await Promise.all([first, second]), ['value', 'value']);
    assert.equal(await loads.get('k', load), 'value');
    assert.equal(loads.peek('k'), 'value');
    assert.equal(calls.length, 1);
  });

  it('loads different keys separately', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const pending = [loads.get('a', load), loads.get('b', load)];
    calls.forEach((call, index) => call.settle.resolve(`value ${index}`));
    assert.deepEqual(await Promise.all(pending), ['value 0', 'value 1']);
  });

  it('forgets a failed load, so that the next call loads again', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const waiters = [loads.get('k', load), loads.get('k', load)];
    calls[0].settle.reject(new Error('load failed'));
    for (const waiter of waiters) await assert.rejects(waiter, /load failed/);
    assert.equal(loads.peek('k'), undefined);

    const retry = loads.get('k', load);
    assert.equal(calls.length, 2);
    calls[1].settle.resolve('value');
    assert.equal(await retry, 'value');
  });

  it('aborts the load when every waiter cancels, and loads afresh next time', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const controllers = [new AbortController(), new AbortController()];
    const waiters = controllers.map((controller) => loads.get('k', load, controller.signal));
    controllers.forEach((controller) => controller.abort());
    for (const waiter of waiters) await rejectsWith(waiter, CancelledError);
    assert.equal(calls[0].signal.aborted, true);

    void loads.get('k', load);
    assert.equal(calls.length, 2);
  });

  it('keeps the load going for the others when one waiter cancels', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const cancelled = new AbortController();
    const leaving = loads.get('k', load, cancelled.signal);
    const staying = loads.get('k', load, new AbortController().signal);
    cancelled.abort();
    await rejectsWith(leaving, CancelledError);
    assert.equal(calls[0].signal.aborted, false);
    calls[0].settle.resolve('value');
    assert.equal(await staying, 'value');
  });

  it('keeps the load going for a caller without a signal when every cancellable waiter cancels', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    const uncancellable = loads.get('k', load);
    const cancelled = new AbortController();
    const leaving = loads.get('k', load, cancelled.signal);
    cancelled.abort();
    await rejectsWith(leaving, CancelledError);
    assert.equal(calls[0].signal.aborted, false, 'the load was aborted under a caller that cannot cancel');
    calls[0].settle.resolve('value');
    assert.equal(await uncancellable, 'value');
  });

  it('refuses an already aborted signal without starting a load', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    await rejectsWith(loads.get('k', load, AbortSignal.abort()), CancelledError);
    assert.equal(calls.length, 0);
  });

  it('forgets every load, aborting those in flight, so that the next get loads again', async () => {
    const loads = new SharedLoads<string>();
    const { load, calls } = controlledLoad<string>();
    void loads.get('a', load).catch(() => undefined);
    const done = loads.get('b', load);
    calls[1].settle.resolve('value');
    assert.equal(await done, 'value');
    loads.forget();
    assert.equal(calls[0].signal.aborted, true, 'the load in flight is aborted');
    assert.equal(loads.peek('b'), undefined, 'the finished load is forgotten');

    void loads.get('a', load).catch(() => undefined);
    assert.equal(calls.length, 3, 'the forgotten key loads again');
  });
});
