import type { DiffResult } from "./types";

/**
 * The product-neutral half of every resource's state and diff: reading values at paths, one notion
 * of "the same value", and the engine's diff derived from the paths that changed. Pure functions;
 * what a product means by its values (defaults, sets, wire names) stays in its own folder.
 *
 * One rule for absence throughout: a key whose value is undefined is the same as an absent key (the
 * engine cannot carry undefined), while null is a value of its own (outputs use it for "none").
 */

/** The value the engine sends for inputs not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Plain = Record<string, unknown>;

/**
 * The value at a path ("source.vmId", "vms[0].vmId"); undefined when it is absent, UNKNOWN when an
 * enclosing value is still unknown.
 */
export function valueAt(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const key of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (value === UNKNOWN) return UNKNOWN;
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Plain)[key];
  }
  return value;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Deep equality of JSON values: key order does not count, arrays compare in order (callers normalise sets first). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keysA = Object.keys(a as Plain).filter((k) => (a as Plain)[k] !== undefined);
    const keysB = Object.keys(b as Plain).filter((k) => (b as Plain)[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => sameValue((a as Plain)[k], (b as Plain)[k]));
  }
  return false;
}

/** The value without keys whose value is undefined, at every depth (the engine cannot carry undefined). */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value && typeof value === "object") {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
    return out as T;
  }
  return value;
}

/** The value without undefined values and without empty objects and arrays, at every depth. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined) as T;
  if (value && typeof value === "object") {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined) continue;
      if (typeof p === "object" && p !== null && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out as T;
  }
  return value;
}

/** `inputs` without the engine's `__provider` and without keys whose value is undefined. */
export function userInputs<T extends object>(inputs: T): T {
  const copy: Plain = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (key !== "__provider" && value !== undefined) copy[key] = value;
  }
  return copy as T;
}

/** The entries of `source` whose keys are listed (missing or undefined ones left out). */
export function pick<T extends object, K extends keyof T & string>(source: T, keys: readonly K[]): Pick<T, K> {
  const picked: Plain = {};
  for (const [key, value] of Object.entries(source)) if ((keys as readonly string[]).includes(key) && value !== undefined) picked[key] = value;
  return picked as Pick<T, K>;
}

/** `source` without the listed keys (and without undefined ones). */
export function omit<T extends object>(source: T, keys: readonly string[]): Partial<T> {
  const rest: Plain = {};
  for (const [key, value] of Object.entries(source)) if (!keys.includes(key) && value !== undefined) rest[key] = value;
  return rest as Partial<T>;
}

/** Top-level keys whose values differ, sorted: a key set on one side only differs, one in `ignore` never does. */
export function differingKeys(a: Plain, b: Plain, ignore: readonly string[] = []): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => !ignore.includes(key) && !sameValue(a[key], b[key])).sort();
}

export interface DiffSpec {
  /** Paths whose change replaces the resource. */
  replacePaths: string[];
  /** Paths that update in place. */
  updatePaths: string[];
  /** Paths where removing the value is a change too (e.g. the connection profile). */
  strictPaths?: string[];
  /** The value an absent path stands for (e.g. a server-side default), or undefined when absence means "not managed". */
  implied?: (path: string, inputs: Plain) => unknown;
  /** Brings a value into canonical form before comparing (e.g. sorts a set). */
  canonical?: (path: string, value: unknown) => unknown;
  /** The old object must be deleted before its replacement is created (e.g. the API allows one per VM). */
  deleteBeforeReplace?: boolean;
}

/**
 * The paths whose desired value differs from the recorded one. Only what the user set is
 * compared (an absent desired value means "leave it as it is"), values still unknown always count
 * as changed, and implied defaults stand in for absent values on both sides.
 */
export function changedPaths(olds: object, news: object, paths: readonly string[], spec: Pick<DiffSpec, "strictPaths" | "implied" | "canonical">): string[] {
  const resolve = (inputs: object, path: string) => {
    const value = valueAt(inputs, path);
    return value === undefined ? spec.implied?.(path, inputs as Plain) : value;
  };
  const canonical = (path: string, value: unknown) => (spec.canonical ? spec.canonical(path, value) : value);
  return paths.filter((path) => {
    const wanted = resolve(news, path);
    if (containsUnknown(wanted)) return true;
    if (wanted === undefined && !spec.strictPaths?.includes(path)) return false;
    return !sameValue(canonical(path, wanted), canonical(path, resolve(olds, path)));
  });
}

/**
 * The engine's diff from the paths that changed: the replace paths a change touches (the path
 * itself, one inside it or one around it) replace the resource, any other change updates it.
 */
export function diffOf(changed: readonly string[], replacePaths: readonly string[], options: Pick<DiffSpec, "deleteBeforeReplace"> = {}): DiffResult {
  const touches = (path: string) => changed.some((c) => c === path || c.startsWith(`${path}.`) || path.startsWith(`${c}.`));
  const replaces = replacePaths.filter(touches);
  if (replaces.length === 0) return { changes: changed.length > 0 };
  return options.deleteBeforeReplace ? { changes: true, replaces, deleteBeforeReplace: true } : { changes: true, replaces };
}

/** A diff over declared paths: any change is an update, unless it touches a replace path. */
export function diffByPaths(olds: object, news: object, spec: DiffSpec): DiffResult {
  return diffOf(changedPaths(olds, news, [...spec.replacePaths, ...spec.updatePaths], spec), spec.replacePaths, spec);
}
