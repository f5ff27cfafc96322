/**
 * The sandbox's data: the sample account from Ductape's own documentation examples, and a
 * generated large account for benchmarks. Both use the contract's types.
 */
import { createHash } from 'node:crypto';
import type { App, Environment, WebhookConfig } from '../../src/ductape/contract';

/** A webhook as the proxy's `apps.webhooks.list` answers it. */
export interface SandboxWebhook {
  tag: string;
  name?: string;
  description?: string;
  config?: WebhookConfig[];
}

/** A product as the product list answers it, with the webhooks of each app (by access tag). */
export interface SandboxProduct {
  _id: string;
  tag: string;
  name: string;
  description?: string;
  status?: string;
  envs: Environment[];
  apps: App[];
  webhooks: Record<string, SandboxWebhook[]>;
}

/** A workspace access of the user, as the users service lists them. */
export interface SandboxWorkspace {
  workspace_id: string;
  workspace_name: string;
  default?: boolean;
  /** False for an invitation not accepted yet. */
  accepted?: boolean;
  products: SandboxProduct[];
}

export interface SandboxAccount {
  /** A Mongo ObjectId, as ductape-users validates user ids: 24 hex digits. */
  userId: string;
  email: string;
  firstname: string;
  lastname: string;
  publicKey: string;
  /** The user's private key, one of the three workspace credentials. */
  privateKey: string;
  password: string;
  workspaces: SandboxWorkspace[];
}

export const SAMPLE_ACCESS_KEY = 'dk_sandbox_7Qm2VxR9pL4sT8wZ';
export const SAMPLE_PRIVATE_KEY = 'prv_sandbox_Jf83kQ0zX2mV9tR4';
export const SAMPLE_PASSWORD = 'sandbox-Passw0rd!';

export const STANDARD_ENVIRONMENTS: Environment[] = [
  { env_name: 'Development', slug: 'dev', description: 'Local and preview builds', active: true },
  { env_name: 'Staging', slug: 'stg', description: 'Pre-release checks', active: true },
  { env_name: 'Production', slug: 'prd', description: 'Live traffic', active: true },
];

const APP_EVENTS: Record<string, { name: string; events: string[] }> = {
  'stripe-payments': {
    name: 'Stripe Payments',
    events: ['payment.succeeded', 'payment.failed', 'charge.refunded', 'customer.created'],
  },
  'sendgrid-email': {
    name: 'SendGrid Email',
    events: ['email.delivered', 'email.opened', 'email.bounced', 'email.clicked'],
  },
  'paystack-pay': {
    name: 'Paystack',
    events: ['charge.success', 'transfer.failed'],
  },
};

/** Where the sample's registrations deliver: the developer's own API. */
export const destinationFor = (app: string, event: string) => `https://api.shop.example/hooks/${app}/${event}`;

/** A uuid that is the same for the same (product, app, event, env), in every run. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function eventName(event: string): string {
  return event
    .split(/[._-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function makeApp(accessTag: string, appTag: string, name: string, mapped: Environment[]): App {
  return {
    access_tag: accessTag,
    app_tag: appTag,
    name,
    description: `${name} connected to this product`,
    envs: mapped.map((environment) => ({ app_env_slug: `app-${environment.slug}`, product_env_slug: environment.slug })),
  };
}

function makeWebhook(
  product: string,
  app: string,
  event: string,
  environments: Environment[],
  registered: (env: string) => boolean,
): SandboxWebhook {
  return {
    tag: event,
    name: eventName(event),
    description: `Sent when ${event} happens`,
    config: environments
      .filter((environment) => registered(environment.slug))
      .map((environment) => ({
        productEnv: environment.slug,
        appEnv: `app-${environment.slug}`,
        url: destinationFor(app, event),
        method: 'POST',
        uuid: stableUuid(product, app, event, environment.slug),
        active: true,
      })),
  };
}

function makeProduct(
  tag: string,
  name: string,
  appTags: string[],
  environments: Environment[],
  eventsOf: (app: string) => string[],
  registered: (app: string, event: string, env: string) => boolean,
  mappedTo: (app: string) => Environment[] = () => environments,
): SandboxProduct {
  const apps = appTags.map((app) => makeApp(app, `${app}-app`, APP_EVENTS[app]?.name ?? eventName(app), mappedTo(app)));
  return {
    _id: stableUuid('product', tag),
    tag,
    name,
    description: `${name} (sandbox)`,
    status: 'active',
    envs: environments,
    apps,
    webhooks: Object.fromEntries(
      appTags.map((app) => [
        app,
        eventsOf(app).map((event) =>
          makeWebhook(tag, app, event, mappedTo(app), (env) => registered(app, event, env)),
        ),
      ]),
    ),
  };
}

/**
 * The sample account. Registered links: every environment of the first event of each app, the
 * dev link of the second, and nothing else, so both "has a link" and "no link yet" are there.
 * In the first product, SendGrid is mapped to dev and prd only, Paystack to no environment, and
 * SendGrid's prd registration of its first event is switched off. A third workspace is an
 * invitation not accepted yet, which a client must not show.
 */
export function sampleAccount(): SandboxAccount {
  const sampleEvents = (app: string) => APP_EVENTS[app].events;
  const sampleRegistered = (app: string, event: string, env: string) => {
    const position = APP_EVENTS[app].events.indexOf(event);
    return position === 0 || (position === 1 && env === 'dev');
  };
  const product = (tag: string, name: string, apps: string[], environments = STANDARD_ENVIRONMENTS, mappedTo?: (app: string) => Environment[]) =>
    makeProduct(tag, name, apps, environments, sampleEvents, sampleRegistered, mappedTo);
  const ecommerceMapping = (app: string) =>
    app === 'paystack-pay' ? [] : STANDARD_ENVIRONMENTS.filter((env) => app !== 'sendgrid-email' || env.slug !== 'stg');
  const ecommerce = product('ecommerce-platform', 'E-commerce Platform', ['stripe-payments', 'sendgrid-email', 'paystack-pay'], STANDARD_ENVIRONMENTS, ecommerceMapping);
  const inactive = ecommerce.webhooks['sendgrid-email'][0].config?.find((config) => config.productEnv === 'prd');
  if (inactive) inactive.active = false;
  return {
    userId: '65f1c0de2a9b84e7d3c1a2b4',
    email: 'dev@example.com',
    firstname: 'Ada',
    lastname: 'Okafor',
    publicKey: 'pk_sandbox_b3f1c2d4e5a6978812345678',
    privateKey: SAMPLE_PRIVATE_KEY,
    password: SAMPLE_PASSWORD,
    workspaces: [
      {
        workspace_id: 'ws_acme',
        workspace_name: 'Acme Commerce',
        default: true,
        products: [
          ecommerce,
          product('payment-service', 'Payment Service', ['stripe-payments']),
          product('notification-service', 'Notification Service', ['sendgrid-email']),
        ],
      },
      {
        workspace_id: 'ws_side',
        workspace_name: 'Side Projects',
        default: false,
        products: [
          product('hobby-shop', 'Hobby Shop', ['stripe-payments'], STANDARD_ENVIRONMENTS.filter((env) => env.slug !== 'stg')),
        ],
      },
      {
        workspace_id: 'ws_invited',
        workspace_name: 'Invited Team',
        default: false,
        accepted: false,
        products: [],
      },
    ],
  };
}

export interface LargeAccountShape {
  products: number;
  apps: number;
  events: number;
}

/** A generated account of products × apps × events × 3 environments, about half registered. */
export function largeAccount(shape: LargeAccountShape): SandboxAccount {
  const account = sampleAccount();
  const pad = (n: number) => String(n + 1).padStart(2, '0');
  const products = Array.from({ length: shape.products }, (_, p) =>
    makeProduct(
      `product-${pad(p)}`,
      `Product ${pad(p)}`,
      Array.from({ length: shape.apps }, (_, a) => `app-${pad(a)}`),
      STANDARD_ENVIRONMENTS,
      () => Array.from({ length: shape.events }, (_, e) => `event.${pad(e)}`),
      (app, event, env) => parseInt(stableUuid(app, event, env).slice(0, 2), 16) % 2 === 0,
    ),
  );
  account.workspaces[0] = { ...account.workspaces[0], products };
  return account;
}
