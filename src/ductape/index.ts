/**
 * The data layer's public face. The editor layer loads it on first use (a dynamic import), so
 * activating the extension does not load it or make any request.
 */
export { WebhookCatalog, groupByEvent } from './catalog';
export type { CatalogSnapshot, DeliveryCounts, EventLinks, LinksChange, ProductTree } from './catalog';
export { DuctapeClient } from './client';
export type { DeliveryOptions, DuctapeClientOptions, GenerateOptions, LinkRequest, WebhookLinkRow } from './client';
export type { Delivery, DeliveryList } from './deliveries';
export type { RequestRecord } from './http';
export type { SessionInfo } from './session';
