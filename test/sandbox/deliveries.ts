/**
 * The sandbox's webhook intake and delivery logs. A delivery posted to a link is forwarded with
 * the registration's method to its destination, but only when that destination is on this
 * machine (127.0.0.0/8, localhost, ::1): the sandbox never sends traffic elsewhere. A delivery to
 * any other destination is recorded as `processing` (Ductape took it and would deliver it), one
 * to a registration without a destination or switched off as `fail`. Records are served as log
 * rows shaped like the workbench's types (`_id`, `timestamp`, `start`/`end`, `latency`, `status`,
 * `successful_execution`, `request`, `response`), and as the analytics route's counts and series.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOG_STATUS, LOG_TYPE_WEBHOOK, type WebhookConfig, destinationOf } from '../../src/ductape/contract';
import { isLoopbackDestination } from '../../src/ductape/localDestinations';

/** A registration found by its link's uuid. */
export interface FoundRegistration {
  workspaceId: string;
  product: string;
  /** The app's access tag. */
  app: string;
  event: string;
  config: WebhookConfig;
}

/** One delivery, as the logs route serves it. */
export interface DeliveryRecord {
  _id: string;
  workspace_id: string;
  type: typeof LOG_TYPE_WEBHOOK;
  product_tag: string;
  child_tag: string;
  parent_tag: string;
  env: string;
  status: (typeof LOG_STATUS)[keyof typeof LOG_STATUS];
  successful_execution: boolean;
  failed_execution: boolean;
  timestamp: string;
  start: number;
  end: number;
  latency: number;
  message?: string;
  request: { method: string; url?: string; headers: Record<string, string>; body: unknown };
  response?: { status: number; headers: Record<string, string>; body: unknown };
}

/** How long a forward may take, and how much of the destination's answer is kept. */
const FORWARD_DEADLINE_MS = 10_000;
const KEPT_RESPONSE_BYTES = 64 * 1024;
/** Request headers not worth recording (connection details, not the delivery's). */
const UNRECORDED_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

const asJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export class Deliveries {
  readonly records: DeliveryRecord[] = [];
  private readonly closing = new AbortController();

  constructor(private readonly log?: (line: string) => void) {}

  /** Takes a delivery posted to a registration's link: forwards it where allowed, and records it. */
  async deliver(registration: FoundRegistration, request: IncomingMessage, body: string): Promise<DeliveryRecord> {
    const start = Date.now();
    const started = performance.now();
    const destination = registration.config.active === false ? undefined : destinationOf(registration.config);
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([name, value]) => (UNRECORDED_HEADERS.has(name) || value === undefined ? [] : [[name, String(value)]])),
    );
    const record: DeliveryRecord = {
      _id: `log_${randomBytes(8).toString('hex')}`,
      workspace_id: registration.workspaceId,
      type: LOG_TYPE_WEBHOOK,
      product_tag: registration.product,
      child_tag: registration.app,
      parent_tag: registration.event,
      env: registration.config.productEnv,
      status: LOG_STATUS.failed,
      successful_execution: false,
      failed_execution: true,
      timestamp: new Date(start).toISOString(),
      start,
      end: start,
      latency: 0,
      request: { method: destination?.method ?? 'POST', url: destination?.url, headers, body: asJson(body) },
    };
    if (!destination) {
      record.message = registration.config.active === false ? 'the registration is inactive' : 'the registration has no destination';
    } else if (!isLoopbackDestination(destination)) {
      record.status = LOG_STATUS.processing;
      record.failed_execution = false;
      record.message = 'not forwarded: the sandbox delivers only to this machine';
    } else {
      await this.forward(record, destination, request.headers['content-type'], body);
    }
    record.latency = performance.now() - started;
    record.end = start + Math.round(record.latency);
    this.records.push(record);
    this.log?.(
      `delivery ${registration.product}/${registration.app}/${registration.event} in ${record.env} → ${destination ? `${destination.method} ${destination.url}` : 'nowhere'}: ` +
        `${record.response ? record.response.status : record.status} in ${Math.round(record.latency)} ms`,
    );
    return record;
  }

  /** The records of one workspace a logs query asks for (type, webhook, product, env, dates), oldest first. */
  matching(workspaceId: string, query: URLSearchParams): DeliveryRecord[] {
    const wanted = (name: string, value: string) => !query.get(name) || query.get(name) === value;
    const from = Date.parse(query.get('start_date') ?? '');
    const to = Date.parse(query.get('end_date') ?? '');
    return this.records.filter(
      (record) =>
        record.workspace_id === workspaceId &&
        wanted('type', record.type) &&
        wanted('parent_tag', record.parent_tag) &&
        wanted('product_tag', record.product_tag) &&
        wanted('env', record.env) &&
        (Number.isNaN(from) || record.start >= from) &&
        (Number.isNaN(to) || record.start <= to),
    );
  }

  /** Ends the forwards in flight. */
  close(): void {
    this.closing.abort();
  }

  private async forward(record: DeliveryRecord, destination: { url: string; method: string }, contentType: string | undefined, body: string): Promise<void> {
    try {
      const response = await fetch(destination.url, {
        method: destination.method,
        headers: { 'content-type': contentType ?? 'application/json', 'user-agent': 'Ductape-Sandbox' },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(FORWARD_DEADLINE_MS), this.closing.signal]),
      });
      const text = Buffer.from(await response.arrayBuffer()).subarray(0, KEPT_RESPONSE_BYTES).toString('utf8');
      record.response = { status: response.status, headers: Object.fromEntries(response.headers), body: asJson(text) };
      const delivered = response.status < 300;
      record.status = delivered ? LOG_STATUS.success : LOG_STATUS.failed;
      record.successful_execution = delivered;
      record.failed_execution = !delivered;
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      record.message = `the destination could not be reached${typeof code === 'string' ? ` (${code})` : ''}`;
    }
  }
}

/**
 * Rows no client can read as a delivery, and two rows spelled differently from the sandbox's own
 * (one failed, one delivered: a server's status filter is not trusted to hold for them).
 */
function oddRows(now: number): unknown[] {
  return [
    null,
    'an unreadable row',
    42,
    {},
    {
      id: 'odd-failed',
      createdAt: new Date(now - 60 * 60 * 1000).toISOString(),
      status: 'failed',
      statusCode: 502,
      duration_ms: 120,
      endpoint: 'http://127.0.0.1:9/elsewhere',
      payload: { note: 'an odd row, spelled differently' },
    },
    {
      request_id: 'odd-delivered',
      timestamp: Math.floor((now - 2 * 60 * 60 * 1000) / 1000),
      status: true,
      response: { http_status: 200, body: 'ok' },
      elapsed: 7,
      url: 'http://127.0.0.1:9/elsewhere',
      method: 'put',
    },
  ];
}

const pageOf = (query: URLSearchParams) => ({
  page: Math.max(1, Number(query.get('page')) || 1),
  limit: Math.min(100, Math.max(1, Number(query.get('limit')) || 20)),
});

const countsOf = (records: readonly DeliveryRecord[]) => ({
  total: records.length,
  success: records.filter((record) => record.status === LOG_STATUS.success).length,
  fail: records.filter((record) => record.status === LOG_STATUS.failed).length,
  processing: records.filter((record) => record.status === LOG_STATUS.processing).length,
});

/** The logs route's `data`: `{ logs: { metadata, data } }`, newest first, as the workbench reads it. */
export function logsOf(records: readonly DeliveryRecord[], query: URLSearchParams, odd: boolean): unknown {
  const status = query.get('status');
  const chosen = records.filter((record) => !status || record.status === status).reverse();
  const { page, limit } = pageOf(query);
  const rows: unknown[] = chosen.slice((page - 1) * limit, page * limit);
  if (odd && page === 1) rows.push(...oddRows(Date.now()));
  return {
    logs: {
      metadata: {
        total: chosen.length,
        page,
        limit,
        totalPages: Math.max(1, Math.ceil(chosen.length / limit)),
        ...(query.get('include_counts') === 'true' && { counts: countsOf(records) }),
      },
      data: rows,
    },
  };
}

/** The analytics route's `data`: totals, daily series of successes and failures, and the first page of logs. */
export function analyticsOf(records: readonly DeliveryRecord[], query: URLSearchParams): unknown {
  const days = [...new Set(records.map((record) => record.timestamp.slice(0, 10)))];
  const series = (status: string) =>
    days.map((period) => ({ period, requestsIn: records.filter((record) => record.status === status && record.timestamp.startsWith(period)).length, requestsOut: 0 }));
  return {
    metrics: { totalWebhookEvents: records.length },
    usageData: {
      successOverTime: series(LOG_STATUS.success),
      failuresOverTime: series(LOG_STATUS.failed),
      requestsOverTime: days.map((period) => ({ period, requestsIn: records.filter((record) => record.timestamp.startsWith(period)).length, requestsOut: 0 })),
    },
    ...(logsOf(records, query, false) as object),
  };
}

/** An example payload for an event, built from its name: `payment.succeeded` is a payment that succeeded. */
export function samplePayload(event: string): unknown {
  const [subject, ...rest] = event.split(/[._-]/);
  const id = createHash('sha256').update(event).digest('hex').slice(0, 14);
  return {
    id: `evt_${id}`,
    type: event,
    created: 1_767_225_600,
    livemode: false,
    data: {
      object: {
        id: `${subject}_${id}`,
        object: subject,
        status: rest.join('_') || 'created',
        amount: 2000,
        currency: 'usd',
        description: `A sample ${subject} ${rest.join(' ') || 'event'} from the Ductape sandbox`,
      },
    },
  };
}

/** The events list of `webhooks.events.list`: each with a selector, and a sample unless Ductape keeps none. */
export function sampleEvents(events: readonly string[], withoutSample: readonly string[]): unknown[] {
  return events.map((tag) => ({
    tag,
    selector: `$Body{type}=${tag}`,
    ...(!withoutSample.includes(tag) && { sample: samplePayload(tag) }),
  }));
}
