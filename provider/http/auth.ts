import { AuthStrategy, HttpClient, HttpClientOptions, RetryOptions } from "./client";
import type { RunListings } from "./listings";
import { SessionCache } from "./sessions";

/**
 * How one product logs in and presents its session: the only part of authentication that differs
 * between products (provider/zerto/auth.ts, provider/vcda/auth.ts). Sharing a session between
 * clients, dropping a refused one and keeping tokens out of errors are `sessionAuth`'s, for both.
 */
export interface LoginScheme<S> {
  /** Endpoint and identity: every client of the process with the same key shares one session. */
  readonly sessionKey: string;
  /** Values of the connection never to show in an error (passwords, client secrets, tokens). */
  readonly credentials: Array<string | undefined>;
  /** Opens a session with unauthenticated requests through `http`. */
  login(http: HttpClient): Promise<S>;
  /** The headers that present the session on a request. */
  headers(session: S): Record<string, string>;
  /** Every token the session holds (header values and others, such as a refresh token), to be redacted. */
  tokens(session: S): string[];
  /** Whether the session should be replaced before its next use (an access token about to expire). */
  expiring?(session: S): boolean;
  /** A cheaper replacement for a stale or refused session than a login (a refresh token); undefined when it has none. */
  renewal?(stale: S, http: HttpClient): (() => Promise<S>) | undefined;
}

/**
 * The client's AuthStrategy for a login scheme: one login per session key in the process (single
 * flight, through `cache`), renewal of an expiring session, and a 401 that drops only the session
 * it refused, synchronously, so that no request started afterwards is handed it.
 */
export function sessionAuth<S>(scheme: LoginScheme<S>, cache: SessionCache<S>): AuthStrategy {
  const key = scheme.sessionKey;
  return {
    headers: async (http) => {
      let session = await cache.get(key, () => scheme.login(http));
      if (scheme.expiring?.(session)) {
        const stale = session;
        cache.invalidate(key, stale);
        session = await cache.get(key, scheme.renewal?.(stale, http) ?? (() => scheme.login(http)));
      }
      // the session may come from another client of this process: redact it here too
      http.addSecrets(scheme.tokens(session));
      return scheme.headers(session);
    },
    invalidate: (used, http) => {
      const current = cache.peek(key);
      if (current === undefined || !sameHeaders(scheme.headers(current), used)) return;
      cache.invalidate(key, current);
      // a renewable session starts its renewal now: the one login every waiting request shares
      const renew = scheme.renewal?.(current, http);
      if (renew) cache.get(key, renew).catch(() => undefined);
    },
  };
}

/** What both products' clients take besides their connection: HTTP timeouts and retries. */
export interface ProductHttpOptions {
  /** Per HTTP attempt. */
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  /** Listings shared by the run's reads (listings.ts): the provider process's own for resources; none by default. */
  listings?: RunListings;
}

/** The HttpClient of one product's connection, authenticated by its login scheme. */
export function authenticatedHttp<S>(
  connection: { url: string; insecure: boolean; caCertificate?: string; maxConcurrentRequests?: number },
  product: Pick<HttpClientOptions, "product" | "describeError" | "defaultHeaders" | "mediaType">,
  scheme: LoginScheme<S>,
  cache: SessionCache<S>,
  options: ProductHttpOptions,
): HttpClient {
  return new HttpClient({
    ...product,
    baseUrl: connection.url,
    insecure: connection.insecure,
    caCertificate: connection.caCertificate,
    timeoutMs: options.requestTimeoutMs,
    maxInFlight: connection.maxConcurrentRequests,
    retry: options.retry,
    listings: options.listings,
    auth: sessionAuth(scheme, cache),
    secrets: scheme.credentials,
  });
}

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
