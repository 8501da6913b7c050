/**
 * A vendor media type with the API version in it (VCDA's `application/vnd.vmware.h4-vX.Y+json`),
 * sent in `Accept`, whose version a server may refuse (406 Not Acceptable, 415 Unsupported Media
 * Type: answers given before the request is acted on, so it may be sent again in another version).
 * The version that works is remembered per endpoint by `versions`, which the clients of a process share.
 */
export class VersionedMediaType {
  constructor(
    private readonly endpoint: string,
    private readonly preferred: string,
    /** The newest version known to exist: tried when the refusal names none. */
    private readonly newest: string,
    private readonly render: (version: string) => string,
    /** Finds the versions a text names (the answer's Content-Type and body). */
    private readonly named: RegExp,
    private readonly versions: Map<string, string>,
  ) {}

  get version(): string {
    return this.versions.get(this.endpoint) ?? this.preferred;
  }

  accept(): string {
    return this.render(this.version);
  }

  /**
   * After the server refused `refused`: switches to the newest version its answer names that is newer
   * than the refused one, else to the newest known one, and returns it; undefined when there is none
   * newer to try (the caller then reports the refusal).
   */
  renegotiate(refused: string, answer: string): string | undefined {
    const newer = [...answer.matchAll(new RegExp(this.named.source, "gi"))].map((m) => m[1])
      .filter((version) => compareVersions(version, refused) > 0)
      .sort(compareVersions);
    const next = newer.at(-1) ?? (compareVersions(this.newest, refused) > 0 ? this.newest : undefined);
    if (next !== undefined) this.versions.set(this.endpoint, next);
    return next;
  }
}

/** Statuses that say the server refused the media type before acting on the request. */
export const MEDIA_TYPE_REFUSED = [406, 415];

/** Compares dotted versions numerically ("4.10" > "4.7"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
