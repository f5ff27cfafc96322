/**
 * The data layer's public face. The editor layer loads it on first use (a dynamic import), so
 * activating the extension does not load undici or make any request.
 */
export { WebhookCatalog, groupByEvent } from './catalog';
export type { EventLinks, LinksChange, ProductTree } from './catalog';
export { DuctapeClient } from './client';
export type { DuctapeClientOptions, LinkRequest, WebhookLinkRow } from './client';
export type { ProxyOptions, RequestRecord } from './http';
export type { SessionInfo } from './session';
