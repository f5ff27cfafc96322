/**
 * The sandbox's data: the sample account from Ductape's own documentation examples, and a
 * generated large account for benchmarks. Both use the contract's types.
 */
import { createHash } from 'node:crypto';
import type { App, Environment, Product, Webhook, Workspace } from '../../src/ductape/contract';

export interface SandboxProduct extends Product {
  envs: Environment[];
  apps: App[];
  /** The webhooks of each app, by access tag. */
  webhooks: Record<string, Webhook[]>;
}

export interface SandboxWorkspace extends Workspace {
  products: SandboxProduct[];
}

export interface SandboxAccount {
  userId: string;
  email: string;
  firstname: string;
  lastname: string;
  publicKey: string;
  workspaces: SandboxWorkspace[];
}

export const SAMPLE_ACCESS_KEY = 'dk_sandbox_7Qm2VxR9pL4sT8wZ';

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
};

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

function makeApp(accessTag: string, appTag: string, name: string, environments: Environment[]): App {
  return {
    access_tag: accessTag,
    app_tag: appTag,
    name,
    description: `${name} connected to this product`,
    envs: environments.map((environment) => ({ app_env_slug: environment.slug, product_env_slug: environment.slug })),
  };
}

function makeWebhook(
  product: string,
  app: string,
  event: string,
  environments: Environment[],
  registered: (env: string) => boolean,
): Webhook {
  return {
    tag: event,
    name: eventName(event),
    description: `Sent when ${event} happens`,
    config: environments
      .filter((environment) => registered(environment.slug))
      .map((environment) => ({
        productEnv: environment.slug,
        appEnv: environment.slug,
        url: '',
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
): SandboxProduct {
  const apps = appTags.map((app) => makeApp(app, `${app}-app`, APP_EVENTS[app]?.name ?? eventName(app), environments));
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
          makeWebhook(tag, app, event, environments, (env) => registered(app, event, env)),
        ),
      ]),
    ),
  };
}

/**
 * The sample account. Registered links: every environment of the first event of each app, the
 * dev link of the second, and nothing else, so both "has a link" and "no link yet" are there.
 */
export function sampleAccount(): SandboxAccount {
  const sampleEvents = (app: string) => APP_EVENTS[app].events;
  const sampleRegistered = (app: string, event: string, env: string) => {
    const position = APP_EVENTS[app].events.indexOf(event);
    return position === 0 || (position === 1 && env === 'dev');
  };
  const product = (tag: string, name: string, apps: string[], environments = STANDARD_ENVIRONMENTS) =>
    makeProduct(tag, name, apps, environments, sampleEvents, sampleRegistered);
  return {
    userId: 'usr_5f1c0de2a9b84e7d',
    email: 'dev@example.com',
    firstname: 'Ada',
    lastname: 'Okafor',
    publicKey: 'pk_sandbox_b3f1c2d4e5a6978812345678',
    workspaces: [
      {
        workspace_id: 'ws_acme',
        workspace_name: 'Acme Commerce',
        default: true,
        products: [
          product('ecommerce-platform', 'E-commerce Platform', ['stripe-payments', 'sendgrid-email']),
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
