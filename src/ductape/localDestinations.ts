/**
 * Which registrations were pointed at this machine (Receive on This Machine), and what each
 * pointed at before, so that it can be put back. Kept in a store the caller gives (the editor's
 * global state: nothing secret), so that a reload or another window still knows what to restore.
 */
import type { LinkRequest } from './client';
import type { Destination } from './contract';

export interface LocalDestination {
  request: LinkRequest;
  /** Where Ductape delivers now: this machine, or a forwarding address to it. */
  local: Destination;
  /** What it delivered to before; undefined when it had no destination. */
  previous?: Destination;
  /** When it was pointed here (ISO time). */
  since: string;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const STORE_KEY = 'ductape.localDestinations';

const keyOf = (request: LinkRequest) => [request.product, request.app, request.event, request.env].join('\u0000');

export class LocalDestinations {
  constructor(private readonly store: KeyValueStore) {}

  /** Every registration pointed here, oldest first. */
  all(): LocalDestination[] {
    return Object.values(this.read()).sort((a, b) => a.since.localeCompare(b.since));
  }

  find(request: LinkRequest): LocalDestination | undefined {
    return this.read()[keyOf(request)];
  }

  /**
   * Records that a registration now delivers here. Pointing it here again keeps what it
   * delivered to before the first time: restoring never puts back a local address.
   */
  async pointedHere(request: LinkRequest, local: Destination, previous: Destination | undefined, now = new Date()): Promise<LocalDestination> {
    const entries = this.read();
    const earlier = entries[keyOf(request)];
    const entry: LocalDestination = {
      request: { product: request.product, app: request.app, event: request.event, env: request.env },
      local,
      previous: earlier ? earlier.previous : previous,
      since: earlier?.since ?? now.toISOString(),
    };
    await this.store.update(STORE_KEY, { ...entries, [keyOf(request)]: entry });
    return entry;
  }

  /** Forgets a registration once its destination was put back (or set to something else). */
  async restored(request: LinkRequest): Promise<void> {
    const { [keyOf(request)]: _gone, ...rest } = this.read();
    await this.store.update(STORE_KEY, rest);
  }

  private read(): Record<string, LocalDestination> {
    const value = this.store.get<Record<string, LocalDestination>>(STORE_KEY);
    return value && typeof value === 'object' ? value : {};
  }
}

/** `localhost:3000` for `http://localhost:3000/webhooks`: what a status bar has room for. */
export function hostOf(destination: Destination): string {
  try {
    return new URL(destination.url).host;
  } catch {
    return destination.url;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackDestination(destination: Destination): boolean {
  try {
    const { hostname } = new URL(destination.url);
    return LOOPBACK_HOSTS.has(hostname) || /^127\./.test(hostname);
  } catch {
    return false;
  }
}

/**
 * What a person typed for "Receive on This Machine": a port (`3000`, then the path) or a whole
 * URL (a local one, or a forwarding address such as a tunnel's). Undefined when it is neither.
 */
export function localUrlOf(typed: string, path: string): string | undefined {
  const text = typed.trim();
  if (/^\d{1,5}$/.test(text)) {
    const port = Number(text);
    if (port < 1 || port > 65535) return undefined;
    const cleanPath = `/${path.trim().replace(/^\/+/, '')}`;
    return `http://localhost:${port}${cleanPath === '/' ? '/' : cleanPath}`;
  }
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
