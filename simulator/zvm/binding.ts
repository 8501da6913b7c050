import { HttpError, SimRequest } from "../common";

/**
 * How a wire field binds, the way ASP.NET model binding does on the real ZVM: property names match
 * case-insensitively, unknown properties are dropped, null is accepted everywhere, and a value of the
 * wrong JSON type is a 400. "raw" keeps whatever JSON was sent (VCD, PublicCloud, LTR blocks).
 */
export type Shape = "string" | "int" | "bool" | "priority" | "raw" | { object: Record<string, Shape> } | { array: Shape };

export const obj = (fields: Record<string, Shape>): Shape => ({ object: fields });
export const arr = (items: Shape): Shape => ({ array: items });

export const PRIORITIES = ["Low", "Medium", "High"];

export function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function invalid(value: unknown, type: string, path: string): HttpError {
  return new HttpError(400, `The request is invalid. Error converting value ${JSON.stringify(value)} to type '${type}'. Path '${path}'.`);
}

/** Binds a request value to a shape: PascalCase output, fields in shape order, absent fields stay absent. */
export function bind(value: unknown, shape: Shape, path = ""): any {
  if (value === undefined || value === null) return value;
  if (shape === "raw") return structuredClone(value);
  if (shape === "string") {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw invalid(value, "System.String", path);
  }
  if (shape === "int") {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n === "number" && Number.isInteger(n)) return n;
    throw invalid(value, "System.Int32", path);
  }
  if (shape === "bool") {
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
    throw invalid(value, "System.Boolean", path);
  }
  if (shape === "priority") {
    const byName = typeof value === "string" ? PRIORITIES.find((p) => p.toLowerCase() === value.toLowerCase()) : undefined;
    const byNumber = typeof value === "number" || /^\d+$/.test(String(value)) ? PRIORITIES[Number(value)] : undefined;
    if (byName ?? byNumber) return byName ?? byNumber;
    throw invalid(value, "VpgPriorityApi", path);
  }
  if ("array" in shape) {
    if (!Array.isArray(value)) {
      throw new HttpError(400, `The request is invalid. Cannot deserialize the current JSON object into type 'List' because the type requires a JSON array. Path '${path}'.`);
    }
    return value.map((item, i) => bind(item, shape.array, `${path}[${i}]`));
  }
  if (!isPlainObject(value)) throw invalid(value, "Object", path);
  const out: Record<string, any> = {};
  for (const [name, fieldShape] of Object.entries(shape.object)) {
    const key = findKey(value, name);
    if (key !== undefined) out[name] = bind(value[key], fieldShape, path ? `${path}.${name}` : name);
  }
  return out;
}

function findKey(o: Record<string, any>, name: string): string | undefined {
  if (name in o) return name;
  const lower = name.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

/** A request body that must be a JSON object when present. */
export function bodyObject(body: unknown): Record<string, any> {
  if (body === undefined || body === null) return {};
  if (!isPlainObject(body)) throw new HttpError(400, "The request is invalid. The request body must be a JSON object.");
  return body;
}

/** A query-string parameter, matched case-insensitively as ASP.NET does. */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** An enum filter given as its number or its name; anything else is a binding error. */
export function enumFilter(req: SimRequest, name: string, names: string[]): number | undefined {
  const raw = queryParam(req.query, name);
  if (raw === undefined || raw === "") return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : names.findIndex((n) => n !== "" && n.toLowerCase() === raw.toLowerCase());
  if (value < 0 || value >= names.length || names[value] === "") throw new HttpError(400, `The request is invalid. The value '${raw}' is not valid for ${name}.`);
  return value;
}

/** A case-insensitive filter match (filters are not case-sensitive: docs/api-notes/zerto.md#filters); an absent filter matches all. */
export const matches = (a: unknown, b: string | undefined) => b === undefined || String(a ?? "").toLowerCase() === b.toLowerCase();
