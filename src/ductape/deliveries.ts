/**
 * Deliveries of a webhook, read from Ductape's log rows. The rows' field names are not published
 * (only the workbench's types hint at them: `_id`, `timestamp`, `start`/`end`, `latency`,
 * `status`, `successful_execution`, `request`, `response`), so each field is looked for under
 * several plausible spellings, a row shows what it has, and a row that is not a record at all is
 * skipped and counted, never a failure of the list.
 */
import { LOG_STATUS } from './contract';

export interface Delivery {
  id?: string;
  /** When it was delivered (ISO time). */
  at?: string;
  outcome: 'delivered' | 'failed' | 'pending' | 'unknown';
  /** The destination's HTTP status. */
  statusCode?: number;
  durationMs?: number;
  /** Where it went: "POST https://…", or the URL alone. */
  destination?: string;
  env?: string;
  request?: unknown;
  response?: unknown;
  /** The log row as received. */
  raw: unknown;
}

export interface DeliveryList {
  deliveries: Delivery[];
  /** Rows that could not be read as a delivery. */
  skipped: number;
}

type Row = Record<string, unknown>;

const ID_FIELDS = ['_id', 'id', 'request_id', 'requestId', 'process_id', 'log_id'];
const TIME_FIELDS = ['created_at', 'createdAt', 'timestamp', 'time', 'start', 'date', 'delivered_at', 'deliveredAt', 'updated_at'];
const STATUS_CODE_FIELDS = ['status_code', 'statusCode', 'http_status', 'httpStatus', 'response_status', 'responseStatus', 'code'];
const DURATION_FIELDS = ['duration', 'duration_ms', 'durationMs', 'execution_time', 'execution_time_ms', 'elapsed', 'elapsed_ms', 'latency', 'response_time'];
const URL_FIELDS = ['url', 'destination', 'endpoint', 'target', 'uri'];
const METHOD_FIELDS = ['method', 'http_method', 'httpMethod'];
const REQUEST_FIELDS = ['request', 'payload', 'body', 'data'];
const RESPONSE_FIELDS = ['response', 'result'];
const ENV_FIELDS = ['env', 'environment', 'env_slug', 'product_env'];

const isRecord = (value: unknown): value is Row => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const first = (row: Row, names: readonly string[]): unknown => names.map((name) => row[name]).find((value) => value !== undefined && value !== null && value !== '');

/** A JSON text inside a row (the workbench's rows carry `data` as a string) is read as JSON. */
function unwrapJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^[[{]/.test(text)) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && value.trim() ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** An ISO time from a date string or epoch milliseconds (or seconds, for a 10-digit number). */
function isoTime(value: unknown): string | undefined {
  const numeric = number(value);
  const date = numeric !== undefined ? new Date(numeric < 1e11 ? numeric * 1000 : numeric) : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function statusCodeOf(row: Row, response: unknown): number | undefined {
  const candidates = [first(row, STATUS_CODE_FIELDS), isRecord(response) ? first(response, ['status', ...STATUS_CODE_FIELDS]) : undefined];
  if (typeof row.status === 'number') candidates.push(row.status);
  return candidates.map(number).find((code) => code !== undefined && Number.isInteger(code) && code >= 100 && code <= 599);
}

function outcomeOf(row: Row, statusCode: number | undefined): Delivery['outcome'] {
  if (row.failed_execution === true || row.success === false) return 'failed';
  if (row.successful_execution === true || row.success === true) return 'delivered';
  const status = row.status;
  if (typeof status === 'boolean') return status ? 'delivered' : 'failed';
  if (typeof status === 'string') {
    const word = status.toLowerCase();
    if (word === LOG_STATUS.success || word === 'successful' || word === 'delivered' || word === 'completed' || word === 'ok') return 'delivered';
    if (word.startsWith(LOG_STATUS.failed) || word === 'error' || word === 'errored') return 'failed';
    if (word === LOG_STATUS.processing || word === 'pending' || word === 'queued' || word === 'running') return 'pending';
  }
  if (statusCode !== undefined) return statusCode < 400 ? 'delivered' : 'failed';
  return 'unknown';
}

function durationOf(row: Row): number | undefined {
  const given = number(first(row, DURATION_FIELDS));
  if (given !== undefined) return given;
  const start = number(row.start);
  const end = number(row.end);
  return start !== undefined && end !== undefined && end >= start ? end - start : undefined;
}

function destinationOf(row: Row, request: unknown): string | undefined {
  const where = isRecord(request) ? { ...request, ...row } : row;
  const url = text(first(where, URL_FIELDS));
  if (!url) return undefined;
  const method = text(first(where, METHOD_FIELDS));
  return method ? `${method.toUpperCase()} ${url}` : url;
}

/** One log row as a delivery; undefined for a row that is not a record or says nothing of one. */
export function deliveryOf(raw: unknown): Delivery | undefined {
  if (!isRecord(raw)) return undefined;
  const request = unwrapJson(first(raw, REQUEST_FIELDS));
  const response = unwrapJson(first(raw, RESPONSE_FIELDS));
  const statusCode = statusCodeOf(raw, response);
  const delivery: Delivery = {
    id: text(first(raw, ID_FIELDS)),
    at: TIME_FIELDS.map((name) => isoTime(raw[name])).find(Boolean),
    outcome: outcomeOf(raw, statusCode),
    statusCode,
    durationMs: durationOf(raw),
    destination: destinationOf(raw, request),
    env: text(first(raw, ENV_FIELDS)),
    request,
    response,
    raw,
  };
  const saysSomething = delivery.id || delivery.at || delivery.outcome !== 'unknown' || request !== undefined || response !== undefined;
  return saysSomething ? delivery : undefined;
}

/**
 * The deliveries of a list of log rows, newest first (rows without a time keep their order,
 * after those with one), failed ones only when asked: the server's status filter is not trusted
 * to have been applied.
 */
export function parseDeliveries(rows: readonly unknown[], { failedOnly = false } = {}): DeliveryList {
  let skipped = 0;
  const deliveries = rows.flatMap((row) => {
    const delivery = deliveryOf(row);
    if (!delivery) skipped++;
    return delivery ? [delivery] : [];
  });
  const time = (delivery: Delivery) => (delivery.at ? Date.parse(delivery.at) : Number.NEGATIVE_INFINITY);
  const ordered = deliveries
    .map((delivery, index) => ({ delivery, index }))
    .sort((a, b) => time(b.delivery) - time(a.delivery) || a.index - b.index)
    .map(({ delivery }) => delivery);
  return { deliveries: failedOnly ? ordered.filter((delivery) => delivery.outcome === 'failed') : ordered, skipped };
}
