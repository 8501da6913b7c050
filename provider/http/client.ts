import fetch, { Response } from "node-fetch";
import { ApiError, redact } from "./errors";
import { agentFor, isPlainHttpAnswer, isTlsError, speaksTls, TlsOptions } from "./tls";
import { sleep } from "./poll";
import { ApplianceLimiter, applianceLimiter } from "./limiter";
import type { RunListings } from "./listings";
import { MEDIA_TYPE_REFUSED, VersionedMediaType } from "./mediaType";

/**
 * What the client asks of authentication: headers for a request, and what to do when they are
 * refused. Products implement it through `sessionAuth` (auth.ts) with their own LoginScheme.
 */
export interface AuthStrategy {
  /** `http` is the client asking, for the login requests themselves. */
  headers(http: HttpClient): Promise<Record<string, string>>;
  /**
   * The server answered 401 to `used`: drop that session so the next `headers()` logs in again.
   * Called as soon as the status is known (before the body is read), so that no request started
   * meanwhile is handed the refused session.
   */
  invalidate(used: Record<string, string>, http: HttpClient): void | Promise<void>;
}

export interface RetryOptions {
  /** Total attempts for a request that is safe to repeat (default 5). */
  attempts?: number;
  /**
   * Total attempts for a request the server refused with 429 (throttled: not acted on, so any
   * request may be sent again), default 12 — at least `attempts`.
   */
  throttledAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured (default 30 s). */
  maxRetryAfterMs?: number;
}

export interface HttpClientOptions extends TlsOptions {
  /** Product name used in messages ("Zerto", "VCDA"). */
  product: string;
  baseUrl: string;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Requests in flight at once to this appliance, shared by every client of it in the process (default 8). */
  maxInFlight?: number;
  /** Listings shared by the run (listings.ts); every listing is read anew when absent. */
  listings?: RunListings;
  retry?: RetryOptions;
  defaultHeaders?: Record<string, string>;
  /** The versioned media type sent in Accept, renegotiated once when a server refuses its version. */
  mediaType?: VersionedMediaType;
  auth?: AuthStrategy;
  /** Values never to show in an error (passwords, tokens): replaced by "[secret]". */
  secrets?: Array<string | undefined>;
  /** Extracts the server's explanation from an error body. */
  describeError?: (status: number, body: unknown) => string | undefined;
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Safe to send again when the outcome is unknown (default: GET, PUT, DELETE). */
  idempotent?: boolean;
  /** Send the auth headers (default true). */
  authenticated?: boolean;
  /** A write that changes nothing a listing shows (an edit draft opened or discarded): the run's listings stay. */
  keepsListings?: boolean;
  /** Non-2xx statuses that are answers, not errors (e.g. 404 when probing). */
  accept?: number[];
  timeoutMs?: number;
}

export interface HttpResponse<T = any> {
  status: number;
  header(name: string): string | undefined;
  body: T;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Statuses that say the server did not act on the request, so even a POST may be sent again. */
const NOT_PROCESSED_STATUS = new Set([429, 503]);
/** Socket errors raised before the request reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * The one HTTP layer under both products: JSON and form bodies, per-attempt timeouts, TLS
 * settings, retries with exponential backoff and jitter (honouring Retry-After) for requests
 * that are safe to repeat, one re-authentication on 401, and errors that never carry a secret.
 */
export class HttpClient {
  private readonly base: string;
  /** The appliance (scheme, host and port): what its limiter and its listings are kept by. */
  private readonly origin: string;
  private readonly secrets: Array<string | undefined>;
  private readonly limiter: ApplianceLimiter;

  constructor(readonly options: HttpClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    // a URL that does not parse fails at the first request, with the product's message
    this.origin = URL.canParse(this.base) ? new URL(this.base).origin : this.base;
    this.secrets = [...(options.secrets ?? [])];
    this.limiter = applianceLimiter(this.origin, options.maxInFlight);
  }

  /** Keeps more values out of every error from now on: tokens learnt after the client was made. */
  addSecrets(values: string[]): void {
    for (const value of values) if (!this.secrets.includes(value)) this.secrets.push(value);
  }

  /**
   * A listing shared by the run's reads (`name` says what it lists and for whom); read anew each
   * time when the client has no run listings.
   */
  listing<T>(name: string, fetch: () => Promise<T>): Promise<T> {
    const listings = this.options.listings;
    return listings ? listings.read(this.origin, name, fetch) : fetch();
  }

  async request<T = any>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const listings = this.options.listings;
    if (!listings || spec.method === "GET" || spec.authenticated === false || spec.keepsListings) return this.exchange(spec);
    // a write changes what listings show: those read before or during it are not used after it
    listings.invalidate(this.origin);
    try {
      return await this.exchange(spec);
    } finally {
      listings.invalidate(this.origin);
    }
  }

  private async exchange<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const idempotent = spec.idempotent ?? ["GET", "PUT", "DELETE"].includes(spec.method);
    const retry = this.options.retry ?? {};
    const attempts = Math.max(1, retry.attempts ?? 5);
    const throttledAttempts = Math.max(attempts, retry.throttledAttempts ?? 12);
    let reauthenticated = false;
    let renegotiated = false;
    for (let attempt = 1; ; attempt++) {
      const authHeaders = spec.authenticated === false || !this.options.auth ? {} : await this.options.auth.headers(this);
      const mediaType = this.options.mediaType;
      const version = mediaType?.version;
      let response: Response;
      let body: unknown;
      try {
        // the slot is held until the body is read: a connection is busy until then
        ({ response, body } = await this.limiter.run(async () => {
          const answer = await this.send(spec, authHeaders);
          // a connection lost while the body streams in is a network error too (node-fetch: "Premature close")
          return { response: answer, body: answer.status === 401 && this.mayReauthenticate(spec, reauthenticated) ? undefined : await readBody(answer) };
        }));
      } catch (err) {
        const mismatch = await this.protocolMismatch(spec, err as NodeJS.ErrnoException);
        if (mismatch) throw mismatch;
        const error = this.networkError(spec, err as NodeJS.ErrnoException & { type?: string }, idempotent);
        if (error.kind !== "tls" && attempt < attempts && (idempotent || !error.outcomeUnknown)) {
          await sleep(this.backoff(attempt, undefined));
          continue;
        }
        throw error;
      }
      if (response.status === 401 && this.mayReauthenticate(spec, reauthenticated)) {
        // known refused from the status line on: drop the session before reading the body, so that no
        // request started meanwhile is handed it; the body drains in the background
        const refused = this.options.auth!.invalidate(authHeaders, this);
        response.text().catch(() => undefined);
        await refused;
        reauthenticated = true;
        attempt--;
        continue;
      }
      if (mediaType && version !== undefined && !renegotiated && MEDIA_TYPE_REFUSED.includes(response.status)) {
        // refused before it was acted on: sent once more, in the version the server names or a newer one
        const answer = `${response.headers.get("content-type") ?? ""} ${typeof body === "string" ? body : JSON.stringify(body ?? "")}`;
        if (mediaType.renegotiate(version, answer) !== undefined) {
          renegotiated = true;
          attempt--;
          continue;
        }
      }
      if (response.ok || spec.accept?.includes(response.status)) {
        return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body: body as T };
      }
      const retryable = RETRYABLE_STATUS.has(response.status) && (idempotent || NOT_PROCESSED_STATUS.has(response.status));
      if (retryable && attempt < (response.status === 429 ? throttledAttempts : attempts)) {
        const retryAfter = response.headers.get("retry-after") ?? undefined;
        const delay = this.backoff(attempt, retryAfter);
        // the appliance asked everyone to wait, not only this request
        if (retryAfter !== undefined || response.status === 429) this.limiter.pause(delay);
        await sleep(delay);
        continue;
      }
      const outcomeUnknown = !idempotent && (response.status === 502 || response.status === 504);
      throw this.httpError(spec, response.status, body, outcomeUnknown);
    }
  }

  private mayReauthenticate(spec: RequestSpec, reauthenticated: boolean): boolean {
    return spec.authenticated !== false && this.options.auth !== undefined && !reauthenticated;
  }

  private async send(spec: RequestSpec, authHeaders: Record<string, string>): Promise<Response> {
    const url = new URL(this.base + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const mediaType = this.options.mediaType ? { Accept: this.options.mediaType.accept() } : {};
    const headers: Record<string, string> = { Accept: "application/json", ...this.options.defaultHeaders, ...mediaType, ...spec.headers, ...authHeaders };
    let body: string | undefined;
    if (spec.form) {
      body = new URLSearchParams(spec.form).toString();
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    } else if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["Content-Type"] = "application/json";
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), spec.timeoutMs ?? this.options.timeoutMs ?? 30_000);
    try {
      return await fetch(url.toString(), {
        method: spec.method,
        headers,
        body,
        agent: agentFor(this.base, this.options),
        signal: controller.signal as any,
        redirect: "manual",
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exponential with jitter, bounded; never shorter than the server's Retry-After (itself bounded). */
  private backoff(attempt: number, retryAfter: string | undefined): number {
    const retry = this.options.retry ?? {};
    const ceiling = Math.min((retry.baseDelayMs ?? 200) * 2 ** (attempt - 1), retry.maxDelayMs ?? 5_000);
    const exponential = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    const fromHeader = parseRetryAfter(retryAfter);
    return fromHeader === undefined ? exponential : Math.max(Math.min(fromHeader, retry.maxRetryAfterMs ?? 30_000), exponential);
  }

  private networkError(spec: RequestSpec, err: NodeJS.ErrnoException & { type?: string }, idempotent: boolean): ApiError {
    const where = `${this.options.product} ${spec.method} ${spec.path}`;
    const code = err.code ?? (err as any).erroredSysCall;
    if (isTlsError(code)) {
      return new ApiError(
        this.clean(`${where}: the server's TLS certificate is not trusted (${code}). Set caCertificate to the CA that signed it, or insecure: true to skip verification.`),
        "tls", spec.method, spec.path);
    }
    if (err.type === "aborted" || err.name === "AbortError") {
      return new ApiError(this.clean(`${where}: no answer within the timeout`), "timeout", spec.method, spec.path, undefined, undefined, !idempotent);
    }
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    return new ApiError(this.clean(`${where}: ${err.message}`), "network", spec.method, spec.path, undefined, undefined, !idempotent && !notSent);
  }

  /**
   * The URL's scheme disagrees with the server: https at a plain-HTTP server, or http at a TLS port
   * (which just drops the connection). Said in plain words, and never retried: it cannot heal.
   */
  private async protocolMismatch(spec: RequestSpec, err: NodeJS.ErrnoException): Promise<ApiError | undefined> {
    const where = `${this.options.product} ${spec.method} ${spec.path}`;
    const origin = new URL(this.base).origin;
    const key = `${this.options.product.toLowerCase()}:url`;
    if (origin.startsWith("https:") && isPlainHttpAnswer(err)) {
      return new ApiError(`${where}: ${origin} is addressed with https, but the server there answers in plain HTTP, without TLS. `
        + `Check ${key} (or the profile's url): use the server's HTTPS port, or http:// only if that server really offers no TLS.`,
      "tls", spec.method, spec.path);
    }
    const dropped = err.code === "ECONNRESET" || /socket hang up/i.test(err.message ?? "");
    if (origin.startsWith("http:") && dropped && (await speaksTls(origin))) return this.plainHttpAtTlsPort(spec, "dropped the connection");
    return undefined;
  }

  private plainHttpAtTlsPort(spec: RequestSpec, how: string): ApiError {
    const origin = new URL(this.base).origin;
    return new ApiError(`${this.options.product} ${spec.method} ${spec.path}: ${origin} is addressed with plain http, but the server `
      + `there expects TLS and ${how}. Check ${this.options.product.toLowerCase()}:url (or the profile's url): use https:// for this port.`,
    "tls", spec.method, spec.path);
  }

  private httpError(spec: RequestSpec, status: number, body: unknown, outcomeUnknown: boolean): ApiError {
    // what nginx and other TLS front ends answer to plain HTTP on their TLS port
    if (status === 400 && this.base.startsWith("http:") && typeof body === "string" && /plain HTTP request was sent to HTTPS port/i.test(body)) {
      return this.plainHttpAtTlsPort(spec, "answered 400");
    }
    const detail = this.options.describeError?.(status, body) ?? (typeof body === "string" ? body.slice(0, 300) : undefined);
    const message = `${this.options.product} ${spec.method} ${spec.path} failed with HTTP ${status}${detail ? `: ${detail}` : ""}`;
    return new ApiError(this.clean(message), "http", spec.method, spec.path, status, body, outcomeUnknown);
  }

  private clean(text: string): string {
    return redact(text, this.secrets);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
