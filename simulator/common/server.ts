import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { SimClock } from "./clock";
import { FaultInjector, FaultRule } from "./faults";
import { RequestJournal } from "./journal";
import { isTaskPoll, LoadControl, RequestKind } from "./load";

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  params: Record<string, string>;
  /** Parsed JSON, or form fields as an object, or undefined for an empty body. */
  body: any;
  rawBody: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RouteOptions {
  /** A login route: its body is never journaled and it does not count as a mutation. */
  auth?: boolean;
}

/** Thrown by handlers; rendered in the product's error format. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { code?: string; args?: string[]; headers?: Record<string, string>; body?: unknown } = {},
  ) {
    super(message);
  }
}

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  options: RouteOptions;
}

export class Router {
  private routes: Route[] = [];

  constructor(private readonly caseInsensitive = false) {}

  on(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler, options });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | "method-not-allowed" | undefined {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = this.matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { route, params };
    }
    return pathMatched ? "method-not-allowed" : undefined;
  }

  private matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
    if (pattern.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i];
      if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(parts[i]);
      else if (this.caseInsensitive ? p.toLowerCase() !== parts[i].toLowerCase() : p !== parts[i]) return undefined;
    }
    return params;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

export interface SimServerOptions {
  name: string;
  api: Router;
  /** Product-specific admin routes, mounted under /_admin next to the common ones. */
  admin?: Router;
  errorBody: (status: number, err: HttpError) => unknown;
  /** Content-Type of JSON responses (VCDA echoes the requested API version). */
  contentType?: (req: SimRequest) => string;
  clock: SimClock;
  faults: FaultInjector;
  journal: RequestJournal;
  /** Latency, throttling and request counts (simulator/common/load.ts); none of them by default. */
  load?: LoadControl;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/**
 * One HTTP(S) server on 127.0.0.1 with routing, JSON bodies, a request journal, fault injection
 * and the common admin API (/_admin/journal, /_admin/faults, /_admin/clock, /_admin/load, /_admin/counters).
 */
export class SimServer {
  private server?: http.Server;
  private readonly common = new Router();
  readonly load: LoadControl;
  url = "";

  constructor(private readonly options: SimServerOptions) {
    const { journal, faults, clock } = options;
    const load = (this.load = options.load ?? new LoadControl());
    this.common
      .on("GET", "/_admin/load", () => ({ status: 200, body: load.current }))
      .on("PUT", "/_admin/load", (req) => {
        try {
          return { status: 200, body: load.update(req.body ?? {}) };
        } catch (err) {
          throw new HttpError(400, (err as Error).message);
        }
      })
      .on("GET", "/_admin/counters", () => ({ status: 200, body: load.counted }))
      .on("DELETE", "/_admin/counters", () => { load.resetCounts(); return { status: 204 }; })
      .on("GET", "/_admin/health", () => ({ status: 200, body: { name: options.name, ok: true } }))
      .on("GET", "/_admin/journal", (req) => ({ status: 200, body: journal.list(Number(req.query.get("since") ?? 0)) }))
      .on("DELETE", "/_admin/journal", () => { journal.clear(); return { status: 204 }; })
      .on("GET", "/_admin/faults", () => ({ status: 200, body: { rules: faults.list(), fired: faults.fired } }))
      .on("POST", "/_admin/faults", (req) => ({ status: 201, body: { id: faults.add(req.body as FaultRule) } }))
      .on("DELETE", "/_admin/faults", (req) => {
        faults.reset(req.query.has("seed") ? Number(req.query.get("seed")) : undefined);
        return { status: 204 };
      })
      .on("DELETE", "/_admin/faults/:id", (req) => { faults.remove(Number(req.params.id)); return { status: 204 }; })
      .on("POST", "/_admin/clock", (req) => {
        clock.advance(Number(req.body?.advanceSeconds ?? 0) * 1000);
        return { status: 200, body: { now: clock.iso() } };
      });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? "https" : "http"}://${host}:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const rawBody = await readBody(req);
    const simReq: SimRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      params: {},
      body: undefined,
      rawBody,
    };
    const isAdmin = url.pathname.toLowerCase().startsWith("/_admin");
    let response: SimResponse;
    let routeOptions: RouteOptions = {};
    let routed = false;
    let faultNote: string | undefined;
    let drop = false;
    try {
      simReq.body = parseBody(rawBody, String(req.headers["content-type"] ?? ""));
      if (isAdmin) {
        response = await this.dispatch(simReq, this.common, this.options.admin);
      } else {
        const admission = this.load.admit();
        if (!admission.admitted) {
          faultNote = "throttled";
          throw new HttpError(429, "Too many requests", { headers: { "Retry-After": String(admission.retryAfterSeconds) } });
        }
        if (this.load.current.latencyMs > 0) await sleep(this.load.current.latencyMs);
        const decision = this.options.faults.decide(simReq.method, simReq.path);
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        drop = decision.drop;
        if (decision.status) {
          faultNote = `status ${decision.status.status}`;
          const headers: Record<string, string> = {};
          if (decision.status.retryAfterSeconds !== undefined) headers["Retry-After"] = String(decision.status.retryAfterSeconds);
          throw new HttpError(decision.status.status, "Injected fault: service unavailable", { headers });
        }
        const found = this.options.api.match(simReq.method, simReq.path);
        if (found === undefined) throw new HttpError(404, `No HTTP resource was found that matches the request URI '${simReq.path}'.`);
        if (found === "method-not-allowed") throw new HttpError(405, `The requested resource does not support http method '${simReq.method}'.`);
        routeOptions = found.route.options;
        routed = true;
        simReq.params = found.params;
        response = await found.route.handler(simReq);
        if (drop) faultNote = "drop";
      }
    } catch (err) {
      const httpError = err instanceof HttpError ? err : new HttpError(500, `Internal error: ${(err as Error).message}`);
      response = {
        status: httpError.status,
        body: httpError.extra.body ?? this.options.errorBody(httpError.status, httpError),
        headers: httpError.extra.headers,
      };
    }
    if (!isAdmin) {
      // unrouted requests (404/405) and logins change nothing
      const mutating = routed && !routeOptions.auth && ["POST", "PUT", "PATCH", "DELETE"].includes(simReq.method);
      if (faultNote !== "throttled") this.load.count(requestKind(simReq, routeOptions, mutating));
      this.options.journal.record({
        at: this.options.clock.iso(),
        method: simReq.method,
        path: simReq.path,
        query: url.search,
        status: response.status,
        mutating,
        body: routeOptions.auth ? undefined : simReq.body,
        fault: faultNote,
      });
    }
    if (drop) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload = "";
    if (response.body !== undefined) {
      payload = typeof response.body === "string" && headers["Content-Type"] ? response.body : JSON.stringify(response.body);
      if (!headers["Content-Type"]) {
        headers["Content-Type"] = this.options.contentType ? this.options.contentType(simReq) : "application/json; charset=utf-8";
      }
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  private async dispatch(req: SimRequest, ...routers: Array<Router | undefined>): Promise<SimResponse> {
    for (const router of routers) {
      const found = router?.match(req.method, req.path);
      if (found && found !== "method-not-allowed") {
        req.params = found.params;
        return found.route.handler(req);
      }
    }
    throw new HttpError(404, `No admin route ${req.method} ${req.path}`);
  }
}

function requestKind(req: SimRequest, route: RouteOptions, mutating: boolean): RequestKind {
  if (route.auth) return "logins";
  if (isTaskPoll(req.method, req.path)) return "polls";
  return mutating ? "writes" : "reads";
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string, contentType: string): any {
  if (raw.trim() === "") return undefined;
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, "The request is invalid: the body is not valid JSON.");
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
