import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KeyValueStore, LocalDestinations, hostOf, isLoopbackDestination, localUrlOf } from '../../../src/ductape/localDestinations';
import { REGISTERED_EVENT, linkRequest } from '../helpers';

/** The editor's global state, as a map that survives "reloads" (new LocalDestinations over it). */
function memoryStore(): KeyValueStore & { writes: number } {
  const values = new Map<string, unknown>();
  return {
    writes: 0,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update(key: string, value: unknown) {
      this.writes++;
      values.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  };
}

const dev = linkRequest(REGISTERED_EVENT, 'dev');
const stg = linkRequest(REGISTERED_EVENT, 'stg');
const local = { url: 'http://localhost:3000/webhooks', method: 'POST' as const };
const original = { url: 'https://api.shop.example/hooks', method: 'PUT' as const };

describe('LocalDestinations: what to restore', () => {
  it('remembers what a registration delivered to before it pointed here, across reloads', async () => {
    const store = memoryStore();
    await new LocalDestinations(store).pointedHere(dev, local, original, new Date('2026-03-01T10:00:00Z'));
    const reloaded = new LocalDestinations(store);
    assert.deepEqual(reloaded.find(dev), { request: dev, local, previous: original, since: '2026-03-01T10:00:00.000Z' });
    assert.equal(reloaded.find(stg), undefined);
  });

  it('keeps the first destination when pointed here again, so that restoring never puts back a local address', async () => {
    const locals = new LocalDestinations(memoryStore());
    await locals.pointedHere(dev, local, original, new Date('2026-03-01T10:00:00Z'));
    const again = { url: 'http://127.0.0.1:4000/other', method: 'POST' as const };
    const entry = await locals.pointedHere(dev, again, local, new Date('2026-03-01T11:00:00Z'));
    assert.deepEqual(entry.previous, original);
    assert.deepEqual(entry.local, again);
    assert.equal(entry.since, '2026-03-01T10:00:00.000Z');
  });

  it('lists every registration pointed here, oldest first, and forgets one once restored', async () => {
    const locals = new LocalDestinations(memoryStore());
    await locals.pointedHere(stg, local, undefined, new Date('2026-03-01T12:00:00Z'));
    await locals.pointedHere(dev, local, original, new Date('2026-03-01T10:00:00Z'));
    assert.deepEqual(
      locals.all().map((entry) => entry.request.env),
      ['dev', 'stg'],
    );
    assert.equal(locals.find(stg)?.previous, undefined, 'no destination before is remembered as none');
    await locals.restored(dev);
    assert.deepEqual(
      locals.all().map((entry) => entry.request.env),
      ['stg'],
    );
  });

  it('reads a store holding something else as empty', () => {
    const store = memoryStore();
    void store.update('ductape.localDestinations', 'garbage');
    assert.deepEqual(new LocalDestinations(store).all(), []);
  });
});

describe('Local addresses', () => {
  it('makes a URL of a port and a path, or takes an http(s) URL as typed', () => {
    assert.equal(localUrlOf('3000', '/webhooks/stripe'), 'http://localhost:3000/webhooks/stripe');
    assert.equal(localUrlOf(' 8080 ', 'hooks'), 'http://localhost:8080/hooks');
    assert.equal(localUrlOf('3000', ''), 'http://localhost:3000/');
    assert.equal(localUrlOf('https://abc.tunnel.example/hook', '/ignored'), 'https://abc.tunnel.example/hook');
    for (const typed of ['0', '70000', 'ftp://host/x', 'localhost', '']) assert.equal(localUrlOf(typed, '/'), undefined, typed);
  });

  it('tells a loopback destination from any other', () => {
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1/', 'http://127.8.9.10:1/', 'http://[::1]:3000/x']) {
      assert.equal(isLoopbackDestination({ url, method: 'POST' }), true, url);
    }
    for (const url of ['http://10.0.0.1/', 'https://api.shop.example/', 'http://localhost.example.com/', 'nonsense']) {
      assert.equal(isLoopbackDestination({ url, method: 'POST' }), false, url);
    }
  });

  it('shows the host of a destination, or the text when it is no URL', () => {
    assert.equal(hostOf(local), 'localhost:3000');
    assert.equal(hostOf({ url: 'odd', method: 'POST' }), 'odd');
  });
});
