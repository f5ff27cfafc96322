/**
 * Ductape's wire contract: every host, path, header, envelope and proxy method the extension
 * speaks, and the schemas of what comes back. The data layer and the test sandbox both import
 * this module, so the client and the sandbox cannot drift. A correction to the contract is a
 * change to this file alone.
 *
 * Source: ../shared/ductape-api.md (rebuilt from Ductape's public code). Where that document is
 * silent, the choice made here is marked "Choice:".
 */
import * as v from 'valibot';
import { ContractError } from './errors';

// ---------------------------------------------------------------------------------------------
// Hosts

export const API_HOSTS = {
  cloud: 'https://api.ductape.app',
  staging: 'https://staging-api.ductape.app',
  local: 'http://localhost:4311/api',
} as const;

export const DEFAULT_API_URL = API_HOSTS.cloud;

/** Generated links point at the webhook intake host, not at the API host. */
export const WEBHOOK_HOST = 'https://webhooks.ductape.app';
export const WEBHOOK_LINK_PATH = '/webhooks/v1/process/';

export function webhookLinkFor(uuid: string, host: string = WEBHOOK_HOST): string {
  return `${host}${WEBHOOK_LINK_PATH}${encodeURIComponent(uuid)}`;
}

/** The uuid of a link of the contract's form, or undefined for any other URL. */
export function webhookUuidOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.pathname.startsWith(WEBHOOK_LINK_PATH)) return undefined;
  const uuid = parsed.pathname.slice(WEBHOOK_LINK_PATH.length);
  if (!uuid || uuid.includes('/')) return undefined;
  try {
    return decodeURIComponent(uuid);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Paths and headers. Paths are relative to the API base URL, which may itself have a path
// (the local platform's `/api`).

export const PATHS = {
  /** The access key (INFERRED route and body) and workspace credentials (CONFIRMED) both post here. */
  session: '/users/v1/login/authKey',
  /** Email and password: the workbench's LoginPage. */
  passwordLogin: '/users/v1/login',
  /** The one-time code of an account with two-step verification (ductape-users `/login/otp`). */
  codeLogin: '/users/v1/login/otp',
  /** A user's workspaces, when the session does not carry them (the workbench's workspaceServices). */
  workspaces: (userId: string) => `/workspaces/v1/fetch/${encodeURIComponent(userId)}`,
  products: (workspaceId: string) => `/integrations/v1/workspace/${encodeURIComponent(workspaceId)}/all`,
  proxy: '/proxy/v1/sdk-proxy/execute',
  /** The log list of a workspace, filtered by query (the workbench's logsServices `fetchWorkspaceLogs`). */
  workspaceLogs: (workspaceId: string) => `/log/v1/workspace-logs/${encodeURIComponent(workspaceId)}`,
  /** The same logs with counts and series over time (the workbench's `fetchLogs`). */
  logAnalytics: (workspaceId: string) => `/log/v1/analytics/${encodeURIComponent(workspaceId)}`,
} as const;

export const HEADERS = {
  /** REST calls carry the token as a bearer credential… */
  authorization: 'authorization',
  /** …the SDK proxy in its own header (and as a bearer too, as the workbench sends it). */
  accessToken: 'x-access-token',
  retryAfter: 'retry-after',
  /** Choice: a request id is read from this header when the body does not carry one. */
  requestId: 'x-request-id',
} as const;

export const bearer = (token: string) => `Bearer ${token}`;

// ---------------------------------------------------------------------------------------------
// Credentials: what a person signs in with, and the body each is exchanged with.

/**
 * - `accessKey`: the current SDK's `new Ductape({ accessKey })`; its exchange is INFERRED.
 * - `workspace`: `user_id`, `workspace_id`, `private_key` (ductape-users
 *   `users.validator.authkeylogin.ts`: all three required, the user id 24 alphanumerics).
 * - `password`: email and password (ductape-users `users.validator.login.ts`), exchanged once:
 *   only the session it gives is kept, so it cannot be exchanged again.
 * - `code`: the one-time code of an account with two-step verification, after a password login
 *   that answered a user without a token.
 */
export type Credential =
  | { kind: 'accessKey'; accessKey: string }
  | { kind: 'workspace'; userId: string; workspaceId: string; privateKey: string }
  | { kind: 'password'; email: string; password: string }
  | { kind: 'code'; userId: string; code: string };

export type CredentialKind = Credential['kind'];

export function exchangeRequestOf(credential: Credential): { path: string; body: Record<string, string> } {
  switch (credential.kind) {
    case 'accessKey':
      return { path: PATHS.session, body: { accessKey: credential.accessKey } };
    case 'workspace':
      return {
        path: PATHS.session,
        body: { user_id: credential.userId, workspace_id: credential.workspaceId, private_key: credential.privateKey },
      };
    case 'password':
      return { path: PATHS.passwordLogin, body: { email: credential.email, password: credential.password } };
    case 'code':
      return { path: PATHS.codeLogin, body: { user_id: credential.userId, token: credential.code } };
  }
}

/** The secret values of a credential, to blank out of anything the server says back. */
export function secretsOf(credential: Credential): string[] {
  switch (credential.kind) {
    case 'accessKey':
      return [credential.accessKey];
    case 'workspace':
      return [credential.privateKey];
    case 'password':
      return [credential.password];
    case 'code':
      return [credential.code];
  }
}

/** ductape-users validates user ids as 24 alphanumerics (a Mongo ObjectId) and codes as 6. */
export const USER_ID_FORM = /^[A-Za-z0-9]{24}$/;
export const LOGIN_CODE_FORM = /^[A-Za-z0-9]{6}$/;

// ---------------------------------------------------------------------------------------------
// The SDK proxy: its module and method names, and how its payload is sealed.

/** The module of the product methods; the app's own methods are in `app` (see PROXY_MODULE_OF). */
export const PROXY_MODULE = 'product';
export const APP_MODULE = 'app';
export type ProxyModule = typeof PROXY_MODULE | typeof APP_MODULE;

export const PROXY_METHODS = {
  listApps: 'apps.list',
  listEnvironments: 'environments.list',
  listWebhooks: 'apps.webhooks.list',
  generateLink: 'apps.webhooks.generateLink',
  /** `[appTag, webhookTag]`: the app's events of that webhook, each with its sample payload. */
  listEvents: 'webhooks.events.list',
} as const;
export type ProxyMethod = (typeof PROXY_METHODS)[keyof typeof PROXY_METHODS];

/** The proxy module each method belongs to. */
export const PROXY_MODULE_OF: Record<ProxyMethod, ProxyModule> = {
  [PROXY_METHODS.listApps]: PROXY_MODULE,
  [PROXY_METHODS.listEnvironments]: PROXY_MODULE,
  [PROXY_METHODS.listWebhooks]: PROXY_MODULE,
  [PROXY_METHODS.generateLink]: PROXY_MODULE,
  [PROXY_METHODS.listEvents]: APP_MODULE,
};

/** What is encrypted into `encrypted_payload`. */
export interface ProxyPayload {
  module: ProxyModule;
  method: ProxyMethod;
  params: unknown[];
  user_id: string;
}

/** The JSON body of a proxy request. */
export interface ProxyRequestBody {
  encrypted_payload: string;
  workspace_id: string;
  user_id: string;
  public_key: string;
}

export const PAYLOAD_CIPHER = 'aes-256-cbc';
export const PAYLOAD_IV_BYTES = 16;
/** `hex(iv) + ":" + base64(ciphertext)` */
export const PAYLOAD_SEPARATOR = ':';

/** Where Ductape forwards each delivery of a registration. */
export const DESTINATION_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export type DestinationMethod = (typeof DESTINATION_METHODS)[number];

export interface Destination {
  url: string;
  method: DestinationMethod;
}

/**
 * generateLink's one parameter. It is a write: it creates the registration or updates it (the
 * uuid stays). `url` and `method` are the destination; a call on an existing registration must
 * carry them, or it may blank the destination (section 4 of the contract).
 */
export interface GenerateLinkParams {
  product: string;
  access_tag: string;
  webhook_tag: string;
  env: string;
  url?: string;
  method?: DestinationMethod;
}

// ---------------------------------------------------------------------------------------------
// Envelopes. Choice: objects are parsed loosely (unknown fields are kept and ignored) so that a
// server adding a field never breaks the client; only the fields the extension uses are required.

export const SuccessEnvelope = v.looseObject({
  status: v.literal(true),
  data: v.unknown(),
});

/** Axios' own text ("Request failed with status code 500") says nothing a person can use. */
const GENERIC_HTTP_TEXT = /^Request failed with status code \d+$/;

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() && !GENERIC_HTTP_TEXT.test(value.trim()) ? value.trim() : undefined;
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((part): part is string => Boolean(part));
    return parts.length ? parts.join('; ') : undefined;
  }
  if (value && typeof value === 'object') {
    // An object says it in `errors`, `message` or `error`, as the workbench's messageFromPayload reads it.
    const { errors, message, error } = value as Record<string, unknown>;
    return textOf(errors) ?? textOf(message) ?? textOf(error);
  }
  return undefined;
}

/**
 * The message of a failure body, whichever of its shapes it uses (the workbench's
 * sdkProxyError.ts and the users service): an upstream provider's error first (`upstream_error`,
 * at the top or under `data`), then `errors` (a string, a list, or `{ message }`), `error`, and
 * `message`. Works on bodies with or without `status`.
 */
export function failureMessageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const data = record.data && typeof record.data === 'object' ? (record.data as Record<string, unknown>) : {};
  for (const value of [record.upstream_error, data.upstream_error, record.errors, record.error, record.message]) {
    const text = textOf(value);
    if (text) return text;
  }
  return undefined;
}

/** A body that says it failed: `status: false`, or no status at all but an error and no data. */
export function isFailureBody(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const record = body as Record<string, unknown>;
  if (record.status === false) return true;
  return record.status === undefined && record.data === undefined && (record.error !== undefined || record.errors !== undefined);
}

export const ProxyResult = v.looseObject({
  data: v.unknown(),
  execution_time_ms: v.optional(v.number()),
  request_id: v.optional(v.string()),
});

/**
 * Choice: how a refusal of generateLink for want of a destination looks. The contract's sources
 * say `url` is required (the app-webhook docs, the workbench) but not how the server words the
 * refusal; a validation answer (400 or 422, or `status: false`) naming the url or destination as
 * required or missing is taken as one.
 */
export function asksForDestination(status: number, message: string | undefined): boolean {
  if (!message || !(status === 400 || status === 422 || status < 300)) return false;
  return /\b(url|destination)\b/i.test(message) && /\b(required|missing|empty|must|provide)/i.test(message);
}

// ---------------------------------------------------------------------------------------------
// Payloads. Lists are read leniently: one odd item is skipped (and reported), never a failure
// of the whole list; see `parseList`.

const Tag = v.pipe(v.string(), v.minLength(1));

/** A workspace the user may open. Pending invitations (`accepted: false`) are never shown. */
export const Workspace = v.pipe(
  v.looseObject({
    workspace_id: Tag,
    workspace_name: v.optional(v.string()),
    name: v.optional(v.string()),
    default: v.optional(v.boolean()),
    accepted: v.optional(v.boolean()),
  }),
  v.transform((entry) => ({
    workspace_id: entry.workspace_id,
    workspace_name: entry.workspace_name || entry.name || entry.workspace_id,
    default: entry.default,
    accepted: entry.accepted,
  })),
);
export type Workspace = v.InferOutput<typeof Workspace>;

export const isAccepted = (workspace: Workspace): boolean => workspace.accepted !== false;

/**
 * The user a sign-in answers, in `data` or in `data.result` (the workbench reads the latter).
 * `auth_token` is absent when the account asks for a one-time code first.
 */
export const SessionData = v.looseObject({
  _id: Tag,
  email: v.optional(v.string()),
  firstname: v.optional(v.string()),
  lastname: v.optional(v.string()),
  auth_token: v.optional(v.string()),
  public_key: v.optional(v.string()),
  workspaces: v.optional(v.array(v.unknown())),
});
export type SessionData = v.InferOutput<typeof SessionData>;

export function sessionUserOf(data: unknown): unknown {
  const result = (data as { result?: unknown } | null)?.result;
  return result && typeof result === 'object' ? result : data;
}

/** The workspaces route answers the list in `data`, or wrapped once more. */
export function workspaceListOf(data: unknown): unknown {
  if (Array.isArray(data)) return data;
  const inner = data as { result?: unknown; data?: unknown; workspaces?: unknown } | null;
  return inner?.result ?? inner?.data ?? inner?.workspaces ?? data;
}

export const Environment = v.looseObject({
  env_name: v.optional(v.string()),
  slug: Tag,
  description: v.optional(v.string()),
  active: v.optional(v.boolean()),
});
export type Environment = v.InferOutput<typeof Environment>;

export const AppEnvironment = v.looseObject({
  app_env_slug: v.optional(v.string()),
  product_env_slug: v.optional(v.string()),
});

/** An app of a product; older answers name its app tag `tag` (mapped to `app_tag`). */
export const App = v.pipe(
  v.looseObject({
    access_tag: Tag,
    app_tag: v.optional(v.string()),
    tag: v.optional(v.string()),
    name: v.optional(v.string()),
    description: v.optional(v.string()),
    envs: v.optional(v.array(AppEnvironment)),
  }),
  v.transform(({ tag, ...app }) => ({ ...app, app_tag: app.app_tag || tag || undefined })),
);
export type App = v.InferOutput<typeof App>;

export const Product = v.looseObject({
  _id: v.optional(v.string()),
  tag: Tag,
  name: v.optional(v.string()),
  description: v.optional(v.string()),
  status: v.optional(v.string()),
  /** Read item by item (see `productItems`): one odd environment or app is skipped. */
  envs: v.optional(v.array(v.unknown())),
  apps: v.optional(v.array(v.unknown())),
});

/** A product with its environments and apps read leniently. */
export interface ProductInfo {
  _id?: string;
  tag: string;
  name?: string;
  description?: string;
  status?: string;
  envs?: Environment[];
  apps?: App[];
}

/**
 * A registration of a webhook in one product environment: the uuid of its link and the
 * destination Ductape forwards to. Rows without `productEnv` cannot be placed and are skipped.
 */
export const WebhookConfig = v.looseObject({
  productEnv: Tag,
  appEnv: v.optional(v.string()),
  url: v.optional(v.string()),
  method: v.optional(v.string()),
  uuid: v.optional(v.string()),
  active: v.optional(v.boolean()),
});
export type WebhookConfig = v.InferOutput<typeof WebhookConfig>;

export const Webhook = v.looseObject({
  tag: Tag,
  name: v.optional(v.string()),
  description: v.optional(v.string()),
  setup: v.optional(v.unknown()),
  /** Read item by item as well. */
  config: v.optional(v.array(v.unknown())),
});
export interface WebhookInfo {
  tag: string;
  name?: string;
  description?: string;
  config: WebhookConfig[];
}

/** Counted as registered when it has a uuid or a destination (the workbench's `isEnvRegistered`). */
export const isRegistered = (config: WebhookConfig | undefined): boolean => Boolean(config?.uuid || config?.url);

/** The config row's destination, when it has a URL; an unknown method reads as POST. */
export function destinationOf(config: WebhookConfig | undefined): Destination | undefined {
  if (!config?.url) return undefined;
  const method = config.method?.toUpperCase();
  return { url: config.url, method: DESTINATION_METHODS.find((known) => known === method) ?? 'POST' };
}

/**
 * The product environments an app is registered in: those its mappings name
 * (`product.apps[].envs[].product_env_slug`, matched by access tag, or app tag as the
 * workbench's `findProductAppEnvMappings` does). An app with no mapping has none.
 */
export function mappedEnvironments(
  environments: readonly Environment[],
  productApps: readonly App[] | undefined,
  app: { access_tag: string; app_tag?: string },
): Environment[] {
  const entry =
    productApps?.find((candidate) => candidate.access_tag === app.access_tag) ??
    (app.app_tag
      ? productApps?.find((candidate) => candidate.app_tag === app.app_tag || candidate.access_tag.startsWith(`${app.app_tag}:`))
      : undefined);
  const mapped = new Set(entry?.envs?.map((mapping) => mapping.product_env_slug).filter(Boolean));
  return environments.filter((environment) => mapped.has(environment.slug));
}

/** generateLink answers the link as a string; older servers wrap it. */
export const GeneratedLink = v.union([
  v.pipe(v.string(), v.minLength(1)),
  v.pipe(v.looseObject({ link: Tag }), v.transform((body) => body.link)),
  v.pipe(
    v.looseObject({ data: v.looseObject({ link: Tag }) }),
    v.transform((body) => body.data.link),
  ),
]);

/**
 * An event of an app's webhook (`app` module, `webhooks.events.list`): its tag, the selector that
 * recognises it in a provider's payload, and an example payload.
 */
export const WebhookEvent = v.looseObject({
  tag: Tag,
  selector: v.optional(v.unknown()),
  sample: v.optional(v.unknown()),
});

// ---------------------------------------------------------------------------------------------
// Delivery logs (section 5). The query follows the workbench's logsServices; the answer is read
// leniently, because only the workbench's types describe it: `data.logs.data` holds the rows and
// `data.logs.metadata` the page, while the analytics route adds `usageData` series.

export const LOG_TYPE_WEBHOOK = 'webhook';
/** The status filter of the logs routes (the workbench's `'success' | 'processing' | 'fail'`). */
export const LOG_STATUS = { success: 'success', processing: 'processing', failed: 'fail' } as const;

/** The query of the log routes for one webhook: every value a string, absent ones left out. */
export function logQuery(fields: {
  userId: string;
  publicKey: string;
  webhook: string;
  product: string;
  env?: string;
  status?: string;
  page?: number;
  limit?: number;
  includeCounts?: boolean;
  startDate?: string;
  endDate?: string;
}): Record<string, string> {
  const query: Record<string, string | number | boolean | undefined> = {
    user_id: fields.userId,
    public_key: fields.publicKey,
    type: LOG_TYPE_WEBHOOK,
    parent_tag: fields.webhook,
    product_tag: fields.product,
    env: fields.env,
    status: fields.status,
    page: fields.page,
    limit: fields.limit,
    include_counts: fields.includeCounts,
    start_date: fields.startDate,
    end_date: fields.endDate,
  };
  return Object.fromEntries(Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
}

const LIST_FIELDS = ['logs', 'data', 'items', 'rows', 'results'] as const;

/**
 * The rows of a logs answer, wherever they are: `data` itself, or under `logs`, `data`, `items`,
 * `rows` or `results`, one or two levels down (the workbench reads `data.logs.data`). Undefined
 * when there is no list at all.
 */
export function logRowsOf(data: unknown, depth = 0): unknown[] | undefined {
  if (Array.isArray(data)) return data as unknown[];
  if (!data || typeof data !== 'object' || depth > 2) return undefined;
  for (const field of LIST_FIELDS) {
    const rows = logRowsOf((data as Record<string, unknown>)[field], depth + 1);
    if (rows) return rows;
  }
  return undefined;
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);
const firstCount = (record: Record<string, unknown>, names: readonly string[]) => names.map((name) => count(record[name])).find((value) => value !== undefined);
const SUCCESS_COUNTS = ['success', 'successful', 'delivered', 'successCount', 'success_count', 'succeeded', 'completed'] as const;
const FAILURE_COUNTS = ['fail', 'failed', 'failure', 'failures', 'failureCount', 'failure_count', 'errors'] as const;
/** The series of the analytics route: `{ period, requestsIn, requestsOut }` per period. */
const SERIES = { delivered: 'successOverTime', failed: 'failuresOverTime' } as const;

function seriesTotal(series: unknown): number | undefined {
  if (!Array.isArray(series)) return undefined;
  return series.reduce<number>((sum, point) => {
    const record = (point && typeof point === 'object' ? point : {}) as Record<string, unknown>;
    return sum + (count(record.requestsIn) ?? 0) + (count(record.requestsOut) ?? 0) + (count(record.value) ?? count(record.count) ?? 0);
  }, 0);
}

/**
 * Delivered and failed counts from a logs or analytics answer, whichever of its shapes it has:
 * flat counts (`success`/`fail` and their spellings, at the top or under `counts`, `totals`,
 * `metadata` or `logs.metadata`), the analytics series (`usageData.successOverTime` and
 * `failuresOverTime`), or a list of per-environment or per-status rows, summed. Undefined when
 * none of them is there.
 */
export function deliveryCountsOf(data: unknown): { delivered: number; failed: number } | undefined {
  if (Array.isArray(data)) {
    const parts = data.map(countsOfRow).filter((part): part is { delivered: number; failed: number } => part !== undefined);
    if (!parts.length) return undefined;
    return parts.reduce((sum, part) => ({ delivered: sum.delivered + part.delivered, failed: sum.failed + part.failed }));
  }
  if (!data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  const flat = countsOfRow(record);
  if (flat) return flat;
  const usage = record.usageData as Record<string, unknown> | undefined;
  if (usage && typeof usage === 'object') {
    const delivered = seriesTotal(usage[SERIES.delivered]);
    const failed = seriesTotal(usage[SERIES.failed]);
    if (delivered !== undefined || failed !== undefined) return { delivered: delivered ?? 0, failed: failed ?? 0 };
  }
  for (const field of ['counts', 'totals', 'metadata', 'logs', 'data', 'byEnv', 'by_env', 'envs']) {
    const inner = record[field];
    if (inner && typeof inner === 'object' && inner !== data) {
      const found = deliveryCountsOf(inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** `{ success, fail }` (any spelling), or `{ status, count }` as a grouped row. */
function countsOfRow(row: unknown): { delivered: number; failed: number } | undefined {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return undefined;
  const record = row as Record<string, unknown>;
  const delivered = firstCount(record, SUCCESS_COUNTS);
  const failed = firstCount(record, FAILURE_COUNTS);
  if (delivered !== undefined || failed !== undefined) return { delivered: delivered ?? 0, failed: failed ?? 0 };
  const grouped = count(record.count);
  const label = record.status ?? record._id;
  const status = typeof label === 'string' ? label.toLowerCase() : '';
  if (grouped === undefined || !status) return undefined;
  if (status === LOG_STATUS.success) return { delivered: grouped, failed: 0 };
  if (status.startsWith(LOG_STATUS.failed)) return { delivered: 0, failed: grouped };
  return { delivered: 0, failed: 0 };
}

// ---------------------------------------------------------------------------------------------
// Choices where the contract is silent

/**
 * Choice: every request has a deadline, and it covers the whole request: connect, headers and
 * body of every attempt, and every wait before a retry. It starts when the request is first sent
 * (not while it waits for a slot, see below). A retry whose wait would not end before the deadline
 * is not made: the request ends at once with the error in hand. So every request ends within its
 * deadline, retries included, and an operation of the client ends within the deadlines of the few
 * requests it makes in sequence (the key exchange, the call, and after a 401 the same again). A
 * caller may override the deadline per request.
 */
export const DEFAULT_DEADLINE_MS = 15_000;

/**
 * Which requests may be sent again after a failure:
 * - `idempotent`: reads, and the key exchange. Sent again after a 5xx, a 429, a reset or refused
 *   connection, or a timeout that left time before the deadline.
 * - `unprocessed`: a request that changes something on the server (generateLink). Sent again only
 *   when the server said it did not process it: 429 or 503.
 * - `none`: never sent again.
 * A 401 is never retried here: the session exchanges the key again and repeats the call once.
 */
export type RetryMode = 'idempotent' | 'unprocessed' | 'none';

/** Choice: how each proxy method may be retried (generateLink makes a link if there is none). */
export const PROXY_RETRY: Record<ProxyMethod, RetryMode> = {
  [PROXY_METHODS.listApps]: 'idempotent',
  [PROXY_METHODS.listEnvironments]: 'idempotent',
  [PROXY_METHODS.listWebhooks]: 'idempotent',
  [PROXY_METHODS.generateLink]: 'unprocessed',
  [PROXY_METHODS.listEvents]: 'idempotent',
};

/**
 * Choice: how retries are paced.
 * - at most `maxRetries` retries after the first attempt, so nothing retries forever;
 * - before retry n (0-based), a wait drawn uniformly from [0, min(maxDelayMs, baseDelayMs × 2^n)]
 *   (exponential backoff with full jitter), so that clients failing together do not retry together;
 * - after a 429 or 503 with Retry-After, exactly the wait the server asked for, if it is at most
 *   `maxRetryAfterMs`; a longer one is not waited out: the call ends with the server's error, which
 *   carries the wait (`retryAfterMs`) for the person to see. Retrying sooner than asked would not
 *   honour it, and waiting longer than this would hold a view or a command for too long.
 */
export interface RetryPacing {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_PACING: RetryPacing = {
  maxRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
};
/**
 * Choice: at most this many requests in flight per client (and as many keep-alive connections);
 * a whole-tree load fans out this wide and no wider. No rate limit is published. A request keeps
 * its slot through its retries and the waits before them: a server that asks for less traffic gets
 * less, and a retry never queues behind newer work (which would eat its deadline).
 */
export const DEFAULT_CONCURRENT_REQUESTS = 16;
/** Choice: a body larger than this is refused unread rather than buffered. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Choice: limits on what a user may type as an identifier, checked before any request. */
export const MAX_IDENTIFIER_LENGTH = 256;

/** Validates untrusted JSON against a schema, naming the call and the first field that is wrong. */
export function parseContract<const Schema extends v.GenericSchema>(
  schema: Schema,
  data: unknown,
  call: string,
): v.InferOutput<Schema> {
  const result = v.safeParse(schema, data);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = v.getDotPath(issue);
  throw new ContractError(call, `${where ? `field "${where}": ` : ''}${issue.message}`);
}

/** An item of a list that did not fit the contract and was left out. */
export interface SkippedItem {
  call: string;
  index: number;
  problem: string;
}

/**
 * Reads a list item by item: the items that fit, while each that does not is left out and
 * reported to `skipped`. Only an answer that is not a list at all fails (a ContractError).
 */
export function parseList<const Schema extends v.GenericSchema>(
  schema: Schema,
  data: unknown,
  call: string,
  skipped: (item: SkippedItem) => void,
): v.InferOutput<Schema>[] {
  if (!Array.isArray(data)) throw new ContractError(call, 'the answer is not a list');
  return data.flatMap((item, index) => {
    const result = v.safeParse(schema, item);
    if (result.success) return [result.output];
    const issue = result.issues[0];
    const where = v.getDotPath(issue);
    skipped({ call, index, problem: `${where ? `field "${where}": ` : ''}${issue.message}` });
    return [];
  });
}
