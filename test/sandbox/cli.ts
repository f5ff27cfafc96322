/**
 * `npm run sandbox [-- --port N] [--latency MS] [--large PxAxE] [--require-destination]
 * [--two-factor CODE] [--links-to-sandbox] [--json]`: serves the sample account (or a generated
 * large one) until interrupted, printing a line for every write (generateLink call) it takes and,
 * with `--links-to-sandbox` (links point at the sandbox, which forwards deliveries to this
 * machine), for every delivery.
 */
import { parseArgs } from 'node:util';
import { largeAccount } from './accounts';
import { startSandbox } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      latency: { type: 'string', default: '0' },
      large: { type: 'string' },
      json: { type: 'boolean', default: false },
      'require-destination': { type: 'boolean', default: false },
      'two-factor': { type: 'string' },
      'links-to-sandbox': { type: 'boolean', default: false },
    },
  });
  const number = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, not "${text}"`);
    return value;
  };
  let account;
  if (values.large) {
    const shape = /^(\d+)x(\d+)x(\d+)$/.exec(values.large);
    if (!shape) throw new Error(`--large takes PRODUCTSxAPPSxEVENTS, for example 10x10x20, not "${values.large}"`);
    account = largeAccount({ products: Number(shape[1]), apps: Number(shape[2]), events: Number(shape[3]) });
  }
  const sandbox = await startSandbox({
    port: number('port', values.port),
    latencyMs: number('latency', values.latency),
    account,
    requireDestination: values['require-destination'],
    twoFactorCode: values['two-factor'],
    linksToSandbox: values['links-to-sandbox'],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: sandbox.url, accessKey: sandbox.accessKey })}\n`);
  } else {
    process.stdout.write(
      `Ductape sandbox listening on ${sandbox.url}\n` +
        `Sample access key: ${sandbox.accessKey}\n` +
        `Workspace credentials: user ID ${sandbox.account.userId}, workspace ID ${sandbox.account.workspaces[0].workspace_id}, private key ${sandbox.account.privateKey}\n` +
        `Email and password: ${sandbox.account.email} / ${sandbox.account.password}\n` +
        `Set "ductape.apiUrl" to ${sandbox.url}${values['links-to-sandbox'] ? ` and "ductape.webhookHost" to ${sandbox.url}` : ''} and sign in with that key. Ctrl+C stops it.\n`,
    );
  }
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
