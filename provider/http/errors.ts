/** Every failure of an API call, with enough context to act on and nothing secret. */
export type ApiErrorKind = "http" | "network" | "timeout" | "tls";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    readonly method: string,
    readonly path: string,
    readonly status?: number,
    readonly body?: unknown,
    /** The request may or may not have been applied: reconcile by looking, never re-send blindly. */
    readonly outcomeUnknown = false,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/**
 * Whether `err` is the server's answer with one of `statuses`, statuses that prove it refused the
 * request before acting on it, so that another form of the request may be sent. Never true when the
 * outcome is unknown (no answer, or a gateway's).
 */
export function refusedWith(err: unknown, statuses: number[]): err is ApiError {
  return err instanceof ApiError && err.kind === "http" && !err.outcomeUnknown && err.status !== undefined && statuses.includes(err.status);
}

/** Replaces every occurrence of a secret with "[secret]" (longest first, so prefixes do not leak). */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  const list = [...secrets].filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of list) out = out.split(secret).join("[secret]");
  return out;
}

/**
 * A login that never reached the product's API, said so a person can act on it: the URL, the
 * setting it came from, and no stack trace (the provider host prints `err.stack` beside the
 * message). Other errors, a refused login among them, pass through unchanged.
 */
export function loginConnectionError(err: unknown, api: "ZVM" | "VCDA", url: string, setting: string): unknown {
  if (!(err instanceof ApiError)) return err;
  let message: string;
  if (err.kind === "network" || err.kind === "timeout") {
    message = `the ${api} at ${url} could not be reached (${err.message}); check ${setting}`;
  } else if (err.kind === "http" && err.status === 404) {
    message = `${url} is not a ${api} API: it answered HTTP 404 to the ${api} login (${err.method} ${err.path}); check ${setting}, the ${api} API's base URL`;
  } else {
    return err;
  }
  const actionable = new ApiError(message, err.kind, err.method, err.path, err.status, err.body, err.outcomeUnknown);
  actionable.stack = `${actionable.name}: ${message}`;
  return actionable;
}
