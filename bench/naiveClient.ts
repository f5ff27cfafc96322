/**
 * The straightforward client a developer writes against the SDK's contract: sequential awaits,
 * a new connection per request, no cache, one request per link. The benchmark's baseline.
 */
import { request } from 'node:http';
import {
  HEADERS,
  PATHS,
  PROXY_METHODS,
  PROXY_MODULE,
  type ProxyMethod,
  type SessionData,
  bearer,
} from '../src/ductape/contract';
import { encryptPayload } from '../src/ductape/crypto';

interface Envelope {
  status: boolean;
  data?: unknown;
  errors?: unknown;
  message?: unknown;
}

export class NaiveClient {
  requests = 0;
  private session: (SessionData & { auth_token: string; public_key: string }) | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly accessKey: string,
  ) {}

  async login(): Promise<SessionData> {
    this.session = (await this.send('POST', PATHS.session, {}, { accessKey: this.accessKey })) as SessionData & { auth_token: string; public_key: string };
    return this.session;
  }

  async products(workspaceId: string): Promise<Array<{ tag: string }>> {
    const session = this.session!;
    const query = `?user_id=${session._id}&public_key=${encodeURIComponent(session.public_key)}`;
    return (await this.send('GET', PATHS.products(workspaceId) + query, {
      [HEADERS.authorization]: bearer(session.auth_token),
    })) as Array<{ tag: string }>;
  }

  async proxy(workspaceId: string, method: ProxyMethod, params: unknown[]): Promise<unknown> {
    const session = this.session!;
    const payload = { module: PROXY_MODULE, method, params, user_id: session._id };
    const result = (await this.send(
      'POST',
      PATHS.proxy,
      { [HEADERS.accessToken]: session.auth_token },
      {
        encrypted_payload: encryptPayload(payload, session.public_key),
        workspace_id: workspaceId,
        user_id: session._id,
        public_key: session.public_key,
      },
    )) as { data: unknown };
    return result.data;
  }

  /** Every product, app and webhook, one request after another. */
  async wholeTree(workspaceId: string): Promise<number> {
    await this.login();
    let rows = 0;
    for (const product of await this.products(workspaceId)) {
      const apps = (await this.proxy(workspaceId, PROXY_METHODS.listApps, [product.tag])) as Array<{ access_tag: string }>;
      const envs = (await this.proxy(workspaceId, PROXY_METHODS.listEnvironments, [product.tag])) as unknown[];
      for (const app of apps) {
        const webhooks = (await this.proxy(workspaceId, PROXY_METHODS.listWebhooks, [product.tag, app.access_tag])) as unknown[];
        rows += webhooks.length * envs.length;
      }
    }
    return rows;
  }

  generateLink(workspaceId: string, product: string, app: string, event: string, env: string): Promise<unknown> {
    return this.proxy(workspaceId, PROXY_METHODS.generateLink, [
      { product, access_tag: app, webhook_tag: event, env },
    ]);
  }

  /** Each environment's link of one event, one after another. */
  async allEnvironments(workspaceId: string, product: string, app: string, event: string): Promise<unknown[]> {
    const envs = (await this.proxy(workspaceId, PROXY_METHODS.listEnvironments, [product])) as Array<{ slug: string }>;
    const links = [];
    for (const env of envs) links.push(await this.generateLink(workspaceId, product, app, event, env.slug));
    return links;
  }

  private send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
    this.requests++;
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: false,
          headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
            if (!envelope.status) reject(new Error(String(envelope.errors ?? envelope.message)));
            else resolve(envelope.data);
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(text);
    });
  }
}
