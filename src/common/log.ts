import * as vscode from 'vscode';
import { redact } from '../ductape/errors';
import type { RequestRecord } from '../ductape/http';

/** The "Ductape" log. Callers pass only what is safe to show: never a key, token or payload. */
export const log: vscode.LogOutputChannel = vscode.window.createOutputChannel('Ductape', { log: true });

/** Secret values of this window (credentials, tokens), blanked out of any text not ours before it is logged. */
const hidden = new Set<string>();

export function hideFromLog(...values: (string | undefined)[]): void {
  for (const value of values) if (value) hidden.add(value);
}

/** A text that is not ours (an unexpected error's message), with every known secret blanked out. */
export function safeForLog(text: string): string {
  return redact(text, [...hidden]).slice(0, 500);
}

/** Under test: every request since activation, so that a test can tell what activation sent. */
let requestRecords: RequestRecord[] | undefined;

export function recordRequests(): RequestRecord[] {
  requestRecords ??= [];
  return requestRecords;
}

/** One line per request: never a query string, header or body. */
export function logRequest(record: RequestRecord): void {
  requestRecords?.push(record);
  log.info(`${record.method} ${record.path} → ${record.status ?? record.error} (${record.durationMs} ms)${record.retry ? ` retry ${record.retry}` : ''}`);
}
