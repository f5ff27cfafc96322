import * as vscode from 'vscode';
import type { Delivery } from '../ductape';

/** "12:04:31 · 200 · 85 ms": a delivery in a few words. */
export function describeDelivery(delivery: Delivery): { label: string; description: string; failed: boolean } {
  const failed = delivery.outcome === 'failed';
  const at = delivery.at ? new Date(delivery.at) : undefined;
  // Today's deliveries by their time alone: the status beside it must fit the side bar.
  const today = at?.toDateString() === new Date().toDateString();
  const label = at && !Number.isNaN(at.getTime()) ? (today ? at.toLocaleTimeString() : at.toLocaleString()) : vscode.l10n.t('time not given');
  const status = delivery.statusCode ?? (failed ? vscode.l10n.t('failed') : delivery.outcome === 'delivered' ? vscode.l10n.t('delivered') : '?');
  const duration = delivery.durationMs === undefined ? undefined : `${Math.round(delivery.durationMs)} ms`;
  return { label, description: [failed ? `$(error) ${vscode.l10n.t('failed')}` : undefined, status, duration].filter(Boolean).join(' · '), failed };
}
