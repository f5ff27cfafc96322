/**
 * Run as its own process by the benchmark: loads the production bundle with a stand-in for the
 * `vscode` module and runs `activate()`, printing the milliseconds both took. A fresh process
 * each time, so nothing is already loaded.
 */
import Module from 'node:module';
import path from 'node:path';

const bundle = path.resolve(__dirname, '..', '..', 'dist', 'extension.js');
const signedIn = process.argv.includes('--signed-in');

/** Answers every property and call with itself: enough for registration, which it ignores. */
const anything: unknown = new Proxy(function () {}, {
  get: (_target, key) => (key === 'then' ? undefined : anything),
  set: () => true,
  apply: () => anything,
  construct: () => anything as object,
});

/** The `vscode` module: its top-level names, each answering like `anything`. */
const VSCODE_NAMES = [
  'authentication', 'commands', 'env', 'extensions', 'l10n', 'languages', 'window', 'workspace',
  'ConfigurationTarget', 'Disposable', 'EventEmitter', 'ExtensionMode', 'MarkdownString', 'ProgressLocation',
  'QuickInputButtons', 'QuickPickItemKind', 'Range', 'Position', 'Selection', 'StatusBarAlignment', 'ThemeIcon',
  'TreeItem', 'TreeItemCollapsibleState', 'Uri', 'WorkspaceEdit', 'CompletionItem', 'CompletionItemKind',
  'Diagnostic', 'DiagnosticSeverity', 'CodeAction', 'CodeActionKind', 'Hover', 'SnippetString', 'TextEdit',
];
const vscodeModule = new Proxy({}, {
  get: (_target, key) => (key === '__esModule' ? false : anything),
  ownKeys: () => VSCODE_NAMES,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, writable: false, value: anything }),
});

const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = (request, ...rest) => (request === 'vscode' ? 'vscode' : resolve(request, ...rest));
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeModule } as NodeJS.Module;

const context = {
  subscriptions: [] as unknown[],
  extensionMode: 1,
  secrets: {
    get: () => Promise.resolve(signedIn ? 'dk_bench_key_0123456789' : undefined),
    onDidChange: () => ({ dispose() {} }),
  },
  globalState: { get: () => undefined, update: () => Promise.resolve() },
};

async function main(): Promise<void> {
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the bundle is what is measured
  const extension = require(bundle) as { activate(context: unknown): Promise<unknown> };
  await extension.activate(context);
  const milliseconds = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ milliseconds })}\n`);
}

void main();
