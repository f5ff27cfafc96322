import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'ductape-view';

/**
 * Read-only JSON documents that live only in memory (a sample payload, a delivery's request and
 * response): nothing is written to disk. Opening the same name again shows the new content.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Shows `value` as pretty JSON under `name` (a path such as `/samples/stripe-payments/payment.succeeded.json`). */
  async show(name: string, value: unknown): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: name });
    this.contents.set(uri.path, `${JSON.stringify(value, null, 2)}\n`);
    this.changed.fire(uri);
    // The `.json` name gives it the JSON language.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
