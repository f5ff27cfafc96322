import * as assert from 'node:assert/strict';
import { largeAccount } from '../sandbox/accounts';
import { suiteSandbox } from './harness';

const SHAPE = { products: 10, apps: 10, events: 20 };
/** Session, product list, one app list per product, one webhook list per app. */
const WHOLE_ACCOUNT_REQUESTS = 2 + SHAPE.products + SHAPE.products * SHAPE.apps;

describe('A large account', () => {
  const suite = suiteSandbox({ account: largeAccount(SHAPE), latencyMs: 50 }, { signedIn: true });

  it('shows its first level while the rest still loads, and never loads anything twice', async () => {
    const products = await suite.surface.tree.getChildren();
    assert.equal(products.length, SHAPE.products);
    assert.ok(
      suite.sandbox.requests.length < WHOLE_ACCOUNT_REQUESTS,
      `the first level waited for ${suite.sandbox.requests.length} requests`,
    );

    // Expanding everything meanwhile shares the loads already in flight.
    const apps = (await Promise.all(products.map((product) => suite.surface.tree.getChildren(product)))).flat();
    assert.equal(apps.length, SHAPE.products * SHAPE.apps);
    const events = (await Promise.all(apps.map((app) => suite.surface.tree.getChildren(app)))).flat();
    assert.equal(events.length, SHAPE.products * SHAPE.apps * SHAPE.events);
    assert.equal(suite.sandbox.requests.length, WHOLE_ACCOUNT_REQUESTS);
  });
});
