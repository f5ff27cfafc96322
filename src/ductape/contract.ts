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
  session: '/users/v1/login/authKey',
  products: (workspaceId: string) => `/integrations/v1/workspace/${encodeURIComponent(workspaceId)}/all`,
  proxy: '/proxy/v1/sdk-proxy/execute',
} as const;

export const HEADERS = {
  /** REST calls carry the token as a bearer credential… */
  authorization: 'authorization',
  /** …the SDK proxy carries it in its own header. */
  accessToken: 'x-access-token',
  retryAfter: 'retry-after',
  /** Choice: a request id is read from this header when the body does not carry one. */
  requestId: 'x-request-id',
} as const;

export const bearer = (token: string) => `Bearer ${token}`;

// ---------------------------------------------------------------------------------------------
// The SDK proxy: its module and method names, and how its payload is sealed.

export const PROXY_MODULE = 'product';

export const PROXY_METHODS = {
  listApps: 'apps.list',
  listEnvironments: 'environments.list',
  listWebhooks: 'apps.webhooks.list',
  generateLink: 'apps.webhooks.generateLink',
} as const;
export type ProxyMethod = (typeof PROXY_METHODS)[keyof typeof PROXY_METHODS];

/** What is encrypted into `encrypted_payload`. */
export interface ProxyPayload {
  module: typeof PROXY_MODULE;
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

export interface GenerateLinkParams {
  product: string;
  access_tag: string;
  webhook_tag: string;
  env: string;
  url?: string;
  method?: string;
}

// ---------------------------------------------------------------------------------------------
// Envelopes. Choice: objects are parsed loosely (unknown fields are kept and ignored) so that a
// server adding a field never breaks the client; only the fields the extension uses are required.

export const FailureEnvelope = v.looseObject({
  status: v.literal(false),
  errors: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
  code: v.optional(v.unknown()),
});
export type FailureEnvelope = v.InferOutput<typeof FailureEnvelope>;

export const SuccessEnvelope = v.looseObject({
  status: v.literal(true),
  data: v.unknown(),
});

/** The text a failure envelope carries, whichever of its shapes it uses. */
export function failureMessage(envelope: FailureEnvelope): string | undefined {
  const { errors, message } = envelope;
  if (typeof errors === 'string' && errors) return errors;
  if (Array.isArray(errors) && errors.length) return errors.map(String).join('; ');
  if (typeof message === 'string' && message) return message;
  return undefined;
}

export const ProxyResult = v.looseObject({
  data: v.unknown(),
  execution_time_ms: v.optional(v.number()),
  request_id: v.optional(v.string()),
});

// ---------------------------------------------------------------------------------------------
// Payloads

const Tag = v.pipe(v.string(), v.minLength(1));

export const Workspace = v.looseObject({
  workspace_id: Tag,
  workspace_name: v.string(),
  default: v.optional(v.boolean()),
});
export type Workspace = v.InferOutput<typeof Workspace>;

export const SessionData = v.looseObject({
  _id: Tag,
  email: v.optional(v.string()),
  firstname: v.optional(v.string()),
  lastname: v.optional(v.string()),
  auth_token: Tag,
  public_key: Tag,
  workspaces: v.array(Workspace),
});
export type SessionData = v.InferOutput<typeof SessionData>;

export const Environment = v.looseObject({
  env_name: v.string(),
  slug: Tag,
  description: v.optional(v.string()),
  active: v.optional(v.boolean()),
});
export type Environment = v.InferOutput<typeof Environment>;

export const AppEnvironment = v.looseObject({
  app_env_slug: v.string(),
  product_env_slug: v.string(),
});

export const App = v.looseObject({
  access_tag: Tag,
  app_tag: v.string(),
  name: v.optional(v.string()),
  description: v.optional(v.string()),
  envs: v.optional(v.array(AppEnvironment)),
});
export type App = v.InferOutput<typeof App>;

export const Product = v.looseObject({
  _id: v.string(),
  tag: Tag,
  name: v.string(),
  description: v.optional(v.string()),
  status: v.optional(v.string()),
  envs: v.optional(v.array(Environment)),
  apps: v.optional(v.array(App)),
});
export type Product = v.InferOutput<typeof Product>;

export const WebhookConfig = v.looseObject({
  productEnv: v.string(),
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
  config: v.optional(v.array(WebhookConfig)),
});
export type Webhook = v.InferOutput<typeof Webhook>;

export const ProductList = v.array(Product);
export const AppList = v.array(App);
export const EnvironmentList = v.array(Environment);
export const WebhookList = v.array(Webhook);

/** generateLink answers the link as a string; older servers wrap it. */
export const GeneratedLink = v.union([
  v.pipe(v.string(), v.minLength(1)),
  v.pipe(v.looseObject({ link: Tag }), v.transform((body) => body.link)),
  v.pipe(
    v.looseObject({ data: v.looseObject({ link: Tag }) }),
    v.transform((body) => body.data.link),
  ),
]);

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
