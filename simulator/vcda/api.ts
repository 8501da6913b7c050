import { HttpError, SimRequest } from "../common";
import type { ApiError, VcdaStore } from "./state";

/** Error codes for statuses whose handler did not name one (the product's `ApiError.code`). */
const DEFAULT_CODES: Record<number, string> = {
  400: "BadRequest",
  401: "NotAuthenticated",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  500: "GeneralServerFailure",
  503: "ServiceUnavailable",
};

export function apiError(code: string, msg: string, args: string[] = []): ApiError {
  return { code, msg, args, stacktrace: null };
}

export function errorBody(status: number, err: HttpError): ApiError {
  return apiError(err.extra.code ?? DEFAULT_CODES[status] ?? "GeneralServerFailure", err.message, err.extra.args ?? []);
}

export function fail(status: number, code: string, msg: string, args: string[] = []): never {
  throw new HttpError(status, msg, { code, args });
}

export function badRequest(code: string, msg: string, args: string[] = []): never {
  return fail(400, code, msg, args);
}

/** VCDA echoes the API version the client asked for; plain JSON clients get the current version. */
export function contentType(req: SimRequest): string {
  const accept = String(req.headers.accept ?? "");
  const version = /application\/vnd\.vmware\.h4-v(\d+(?:\.\d+)?)\+json/i.exec(accept)?.[1] ?? "4.1";
  return `application/vnd.vmware.h4-v${version}+json;charset=UTF-8`;
}

/**
 * With `minimum` set, a request whose Accept names an older h4 version is refused 406, naming the
 * versions the server accepts, as a newer appliance that no longer serves the 4.1 API might
 * (docs/api-notes/first-contact.md#accept-version; no document shows the real answer). Plain
 * application/json is served in the current version.
 */
export function requireApiVersion(req: SimRequest, minimum: string | undefined): void {
  if (minimum === undefined) return;
  const asked = /application\/vnd\.vmware\.h4-v(\d+(?:\.\d+)?)\+json/i.exec(String(req.headers.accept ?? ""))?.[1];
  if (asked === undefined || versionAtLeast(asked, minimum)) return;
  fail(406, "NotAcceptable", `API version h4-v${asked} is not supported; this server accepts h4-v${minimum} and later.`, [asked, minimum]);
}

function versionAtLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The `site` a request targets (query string, or the form body of the body-less actions); unknown sites are refused. */
export function targetSite(req: SimRequest, store: VcdaStore): string {
  const formSite = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? req.body.site : undefined;
  const site = req.query.get("site") ?? (typeof formSite === "string" ? formSite : undefined);
  if (site === undefined || site === "") return store.inventory.localSite;
  if (!store.site(site)) fail(404, "SiteNotFound", `Site '${site}' was not found.`, [site]);
  return site;
}

interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

const MAX_LIMIT = 100;

/**
 * Sorts and pages a filtered list the way VCDA does: `sort=a,b-` (trailing `-` = descending),
 * `offset` (default 0) and `limit` (default and maximum 100, larger values are clamped).
 */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  sortKeys: Record<string, (item: T) => string | number>,
  defaultSort: string,
): Page<T> {
  const offset = intParam(query, "offset", 0);
  const limit = Math.min(intParam(query, "limit", MAX_LIMIT), MAX_LIMIT);
  const order = (query.get("sort") || defaultSort).split(",").map((field) => {
    const descending = field.endsWith("-");
    const name = descending ? field.slice(0, -1) : field;
    const key = sortKeys[name];
    if (!key) badRequest("InvalidSortField", `Cannot sort by '${name}'; sortable fields: ${Object.keys(sortKeys).join(", ")}.`, [name]);
    return { key, sign: descending ? -1 : 1 };
  });
  const sorted = [...items].sort((a, b) => {
    for (const { key, sign } of order) {
      const x = key(a);
      const y = key(b);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  });
  return { items: sorted.slice(offset, offset + limit), total: items.length, offset, limit };
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) badRequest("InvalidParameter", `Query parameter '${name}' must be a non-negative integer, got '${raw}'.`, [name, raw]);
  return value;
}

/** Query filters as predicates: each present parameter must hold for an item to be kept. */
export type Filters<T> = Record<string, (item: T, value: string) => boolean>;

export function applyFilters<T>(items: T[], query: URLSearchParams, filters: Filters<T>): T[] {
  const active = Object.entries(filters).filter(([name]) => query.has(name));
  return items.filter((item) => active.every(([name, test]) => test(item, query.get(name)!)));
}

export const equalsFilter = <T>(get: (item: T) => unknown) => (item: T, value: string) => String(get(item)) === value;

export const listFilter = <T>(get: (item: T) => string) => (item: T, value: string) => value.split(",").map((v) => v.trim()).includes(get(item));

export const timeFilter = <T>(get: (item: T) => number, when: "before" | "after") => (item: T, value: string) =>
  when === "before" ? get(item) < Number(value) : get(item) > Number(value);
