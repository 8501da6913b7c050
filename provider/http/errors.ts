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
