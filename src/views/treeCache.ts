/**
 * What the Webhooks view last showed, kept in the extension's global storage (one file per
 * server, account and workspace; nothing secret: products, apps, events, links, destinations),
 * so that a new window shows it at once, before the secret store is read or a request is made.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { log } from '../common/log';
import type { CatalogSnapshot } from '../ductape';

const FILE_PREFIX = 'tree-';
/** Writes wait this long for more changes, so that a burst of loads writes once. */
const WRITE_DELAY_MS = 1_000;

export interface CacheScope {
  apiUrl: string;
  userId: string;
  workspaceId: string;
}

export class TreeCache implements vscode.Disposable {
  private readonly reads = new Map<string, Promise<CatalogSnapshot | undefined>>();
  private readonly pendingWrites = new Map<string, { timer: ReturnType<typeof setTimeout>; snapshot: () => CatalogSnapshot }>();

  constructor(private readonly folder: vscode.Uri) {}

  /** The snapshot kept for a scope, read once per window. */
  read(scope: CacheScope): Promise<CatalogSnapshot | undefined> {
    const file = this.fileOf(scope);
    let read = this.reads.get(file.path);
    if (!read) {
      read = readBytes(file).then(
        (bytes) => parseSnapshot(Buffer.from(bytes).toString('utf8')),
        () => undefined,
      );
      this.reads.set(file.path, read);
    }
    return read;
  }

  /** Keeps the scope's snapshot soon (the latest one given wins). */
  write(scope: CacheScope, snapshot: () => CatalogSnapshot): void {
    const file = this.fileOf(scope);
    const pending = this.pendingWrites.get(file.path);
    if (pending) {
      pending.snapshot = snapshot;
      return;
    }
    const entry = {
      snapshot,
      timer: setTimeout(() => {
        this.pendingWrites.delete(file.path);
        void this.writeNow(file, entry.snapshot());
      }, WRITE_DELAY_MS),
    };
    this.pendingWrites.set(file.path, entry);
  }

  /** Deletes every kept tree (sign-out, a refused credential). */
  async clear(): Promise<void> {
    for (const { timer } of this.pendingWrites.values()) clearTimeout(timer);
    this.pendingWrites.clear();
    this.reads.clear();
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(this.folder);
    } catch {
      return;
    }
    await Promise.all(
      entries
        .filter(([name]) => name.startsWith(FILE_PREFIX))
        .map(([name]) => Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(this.folder, name))).catch(() => undefined)),
    );
  }

  dispose(): void {
    for (const { timer } of this.pendingWrites.values()) clearTimeout(timer);
  }

  private async writeNow(file: vscode.Uri, snapshot: CatalogSnapshot): Promise<void> {
    try {
      await vscode.workspace.fs.createDirectory(this.folder);
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(snapshot), 'utf8'));
      this.reads.set(file.path, Promise.resolve(snapshot));
    } catch (error) {
      log.warn(`Keeping the tree for the next window failed: ${error instanceof Error ? error.name : typeof error}`);
    }
  }

  private fileOf(scope: CacheScope): vscode.Uri {
    const digest = createHash('sha256').update([scope.apiUrl, scope.userId, scope.workspaceId].join('\u0000')).digest('hex');
    return vscode.Uri.joinPath(this.folder, `${FILE_PREFIX}${digest.slice(0, 24)}.json`);
  }
}

/**
 * A file on this machine is read directly: `workspace.fs` goes through the window, which is
 * busy starting up just when a new window wants the kept tree (0.3 to 1.1 s per read, measured
 * by the editor benchmark in code-server).
 */
function readBytes(file: vscode.Uri): Promise<Uint8Array> {
  return file.scheme === 'file' ? readFile(file.fsPath) : Promise.resolve(vscode.workspace.fs.readFile(file));
}

function parseSnapshot(text: string): CatalogSnapshot | undefined {
  try {
    const value = JSON.parse(text) as CatalogSnapshot;
    return value?.version === 1 && Array.isArray(value.products) ? value : undefined;
  } catch {
    return undefined;
  }
}
