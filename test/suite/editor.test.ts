import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { stableUuid } from '../sandbox/accounts';
import { suiteSandbox } from './harness';

const PRODUCT = 'ecommerce-platform';
const APP = 'stripe-payments';
const linkOf = (event: string, env: string) =>
  `https://webhooks.ductape.app/webhooks/v1/process/${stableUuid(PRODUCT, APP, event, env)}`;

/** Writes a file into the test workspace and opens it in an editor. */
async function openFile(name: string, content: string): Promise<vscode.TextEditor> {
  const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

describe('Links where they are used', () => {
  const suite = suiteSandbox({}, { signedIn: true });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('inserts NAME=URL into a .env file; another environment gets its own name; an existing value is replaced only when told to', async () => {
    const name = 'STRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL';
    const editor = await openFile('.env', `# webhooks\r\n\r\nOTHER=1\r\n${name}_PRD=old`);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const link = { product: PRODUCT, app: APP, event: 'payment.succeeded', env: 'dev' };
    const url = await vscode.commands.executeCommand<string>('ductape.insertLink', link);
    const inserted = `# webhooks\r\n${name}=${url}\r\nOTHER=1\r\n${name}_PRD=old`;
    assert.equal(editor.document.getText(), inserted);

    // The dev link holds the plain name: the production link takes NAME_PRD, which is set already.
    editor.selection = new vscode.Selection(2, 7, 2, 7);
    await vscode.commands.executeCommand('ductape.insertLink', { ...link, env: 'prd', existing: 'keep' });
    assert.equal(editor.document.getText(), inserted);
    // Asked in a modal question (answered here), then replaced in place: never a second NAME_PRD.
    const asked = suite.surface.messages.length;
    suite.surface.answers.push('Replace Value');
    await vscode.commands.executeCommand('ductape.insertLink', { ...link, env: 'prd' });
    assert.match(suite.surface.messages.slice(asked).join('\n'), new RegExp(`${name}_PRD is already set`));
    assert.equal(editor.document.getText(), `# webhooks\r\n${name}=${url}\r\nOTHER=1\r\n${name}_PRD=${linkOf('payment.succeeded', 'prd')}`);
  });

  it('inserts into the file it was started in after another tab was opened while the pick was open', async () => {
    const editor = await openFile('.env.local', 'OTHER=1\n');
    editor.selection = new vscode.Selection(0, 7, 0, 7);
    const other = await vscode.workspace.openTextDocument({ content: 'elsewhere\n' });
    // The environment is picked: the quick pick stays open while the other tab comes to the front.
    const inserting = vscode.commands.executeCommand<string | undefined>('ductape.insertLink', { product: PRODUCT, app: APP, event: 'payment.succeeded' });
    await vscode.window.showTextDocument(other);
    let outcome: { url?: string; error?: unknown } | undefined;
    inserting.then(
      (url) => (outcome = { url }),
      (error: unknown) => (outcome = { error }),
    );
    // Accepting before the choices have loaded does nothing: accept until the command ends.
    while (!outcome) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(outcome.error, undefined);
    const { url } = outcome;
    assert.ok(url, 'a link was inserted');
    assert.equal(editor.document.getText(), `OTHER=1\nSTRIPE_PAYMENTS_PAYMENT_SUCCEEDED_WEBHOOK_URL=${url}\n`);
    assert.equal(other.getText(), 'elsewhere\n');
    assert.equal(vscode.window.activeTextEditor?.document, other);
  });

  it('inserts a "key": "URL" member into a JSON object with the commas right', async () => {
    const editor = await openFile('config/hooks.json', '{\n  "name": "shop"\n  \n}\n');
    editor.selection = new vscode.Selection(2, 2, 2, 2);
    const url = await vscode.commands.executeCommand<string>('ductape.insertLink', {
      product: PRODUCT,
      app: APP,
      event: 'payment.succeeded',
      env: 'stg',
    });
    assert.deepEqual(JSON.parse(editor.document.getText()), { name: 'shop', paymentSucceededWebhookUrl: url });
  });

  it('tells what a link is for when hovered, with Copy and Reveal', async () => {
    const url = linkOf('payment.succeeded', 'dev');
    const editor = await openFile('notes.md', `Stripe calls ${url} on success.\n`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 20),
    );
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n')
      // As rendered: markdown escapes are not shown.
      .replace(/\\(.)/g, '$1');
    for (const expected of ['E-commerce Platform', 'Stripe Payments', 'payment.succeeded', 'Development', 'ductape.copyLink', 'ductape.revealLink']) {
      assert.ok(text.includes(expected), `the hover lacks ${expected}:\n${text}`);
    }
  });

  it('reveals a link in the Ductape view, selecting its environment', async () => {
    const link = { product: PRODUCT, app: APP, event: 'payment.succeeded', env: 'stg' };
    assert.equal(await vscode.commands.executeCommand('ductape.revealLink', link), true);
    assert.equal(await vscode.commands.executeCommand('ductape.revealLink', { ...link, event: 'no.such.event' }), false);
  });

  it('says so when a link is not one of the workspace', async () => {
    const editor = await openFile('unknown.md', 'https://webhooks.ductape.app/webhooks/v1/process/00000000-0000-4000-a000-000000000000\n');
    const [hover] = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 10),
    );
    assert.match((hover.contents[0] as vscode.MarkdownString).value, /Not a link of your current Ductape workspace/);
  });

  it('warns when a production file holds a dev link, and the quick fix puts in the production link', async () => {
    const devUrl = linkOf('payment.succeeded', 'dev');
    const editor = await openFile('.env.production', `STRIPE_WEBHOOK=${devUrl}\n`);
    const [warning] = await suite.surface.environmentWarnings.check(editor.document);
    assert.equal(warning?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /prd/);
    assert.match(warning.message, /dev link of payment\.succeeded/);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).map((entry) => entry.message), [warning.message]);

    const [fix] = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      warning.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.ok(fix?.command, 'a quick fix is offered');
    assert.equal(await vscode.commands.executeCommand(fix.command.command, ...((fix.command.arguments ?? []) as unknown[])), true);
    assert.equal(editor.document.getText(), `STRIPE_WEBHOOK=${linkOf('payment.succeeded', 'prd')}\n`);
    assert.deepEqual(await suite.surface.environmentWarnings.check(editor.document), []);
  });

  it('completes a .env value with the account links, those of the file environment first', async () => {
    const editor = await openFile('.env.staging', 'STRIPE_WEBHOOK=');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(0, 15),
    );
    const ours = list.items
      .filter((item) => typeof item.insertText === 'string' && item.insertText.includes('/webhooks/v1/process/'))
      .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.ok(ours.some((item) => item.insertText === linkOf('payment.succeeded', 'stg')));
    assert.match(JSON.stringify(ours[0].label), /\(stg\)/);
  });

  it('offers no link after a variable that is not for a webhook (DATABASE_URL=)', async () => {
    const editor = await openFile('.env.test', 'DATABASE_URL=');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(0, 13),
    );
    const ours = list.items.filter((item) => typeof item.insertText === 'string' && item.insertText.includes('/webhooks/v1/process/'));
    assert.deepEqual(ours, []);
  });

  it('copies every environment link of an event as a block in the active file format', async () => {
    await openFile('.env.example', '');
    // None of the three exists yet: one modal question comes before they are created.
    suite.surface.answers.push('Create');
    const text = await vscode.commands.executeCommand<string>('ductape.copyEnvironmentLinks', {
      product: PRODUCT,
      app: APP,
      event: 'charge.refunded',
    });
    assert.equal(await vscode.env.clipboard.readText(), text);
    for (const env of ['dev', 'stg', 'prd']) {
      assert.ok(text.includes(`CHARGE_REFUNDED_WEBHOOK_URL_${env.toUpperCase()}=${linkOf('charge.refunded', env)}`), text);
    }
  });

  it('exports the links of an app in one environment as JSON members to paste into an object', async () => {
    suite.surface.answers.push('Create');
    const text = await vscode.commands.executeCommand<string>('ductape.exportLinks', {
      product: PRODUCT,
      app: APP,
      env: 'prd',
      format: 'json',
      destination: 'clipboard',
    });
    const exported = JSON.parse(`{${text}}`) as Record<string, string>;
    assert.equal(Object.keys(exported).length, 4);
    assert.ok(Object.values(exported).includes(linkOf('customer.created', 'prd')));
  });
});
