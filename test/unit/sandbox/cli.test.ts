/**
 * The sandbox's command line (`npm run sandbox`), as a person or the editor tests start it: its
 * switches reach the server, and every write it takes is printed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { WebhookCatalog } from '../../../src/ductape/catalog';
import { DuctapeClient } from '../../../src/ductape/client';
import { DestinationRequiredError } from '../../../src/ductape/errors';
import { LINK_FORM, UNREGISTERED_EVENT, WORKSPACE, linkRequest, rejectsWith } from '../helpers';

const CLI = path.join(__dirname, '../../sandbox/cli.js');

/** Starts the command line on a free port; resolves with what it printed on stdout, and its stderr lines as they come. */
async function startCli(t: TestContext, ...args: string[]) {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  const stderr: string[] = [];
  const lineWritten = new EventTarget();
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    lineWritten.dispatchEvent(new Event('line'));
  });
  const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { url, accessKey } = JSON.parse(first) as { url: string; accessKey: string };
  /** Resolves once stderr has `count` lines. */
  const stderrLines = async (count: number) => {
    while (stderr.length < count) await once(lineWritten, 'line');
    return stderr;
  };
  return { url, accessKey, stderrLines };
}

describe('sandbox: the command line', () => {
  it('--require-destination refuses generateLink without a url; each write taken is printed with its destination', async (t) => {
    const { url, accessKey, stderrLines } = await startCli(t, '--require-destination');
    const client = new DuctapeClient({ apiUrl: url, accessKey });
    t.after(() => client.close());
    const catalog = new WebhookCatalog(client, WORKSPACE);
    const request = linkRequest(UNREGISTERED_EVENT, 'dev');
    await rejectsWith(catalog.generateLink(request), DestinationRequiredError);
    const link = await catalog.generateLink(request, { destination: { url: 'https://api.shop.example/refunds', method: 'POST' } });
    assert.match(link, LINK_FORM);
    const [line] = await stderrLines(1);
    assert.equal(line, `generateLink ecommerce-platform/stripe-payments/${UNREGISTERED_EVENT} in dev → ${link} (destination: POST https://api.shop.example/refunds)`);
  });

  it('takes generateLink without a url when not started with --require-destination', async (t) => {
    const { url, accessKey, stderrLines } = await startCli(t);
    const client = new DuctapeClient({ apiUrl: url, accessKey });
    t.after(() => client.close());
    const link = await new WebhookCatalog(client, WORKSPACE).generateLink(linkRequest(UNREGISTERED_EVENT, 'dev'));
    assert.match(link, LINK_FORM);
    assert.match((await stderrLines(1))[0], /\(destination: none\)$/);
  });
});
