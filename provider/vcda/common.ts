import { UNKNOWN } from "../validate";
import type { DiffResult } from "../types";

/**
 * Pure helpers shared by the VCDA resources: reading values at dotted paths, comparing only what
 * the user set, and projecting live objects onto the keys a resource's state already has.
 */

export type Plain = Record<string, unknown>;

/** The value at a dotted path ("source.vmId"); UNKNOWN when an enclosing value is still unknown. */
export function valueAt(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split(".")) {
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

/** Deep equality of JSON values; arrays compare in order (callers normalise sets first). */
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

/** A diff over declared paths: any change is an update, unless it touches a replace path. */
export function diffByPaths(olds: object, news: object, spec: DiffSpec): DiffResult {
  const replaces = changedPaths(olds, news, spec.replacePaths, spec);
  const updates = changedPaths(olds, news, spec.updatePaths, spec);
  return replaces.length > 0 ? { changes: true, replaces } : { changes: updates.length > 0 };
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

/** `source` without the listed keys. */
export function omit<T extends object>(source: T, keys: readonly string[]): Partial<T> {
  const rest: Plain = {};
  for (const [key, value] of Object.entries(source)) if (!keys.includes(key) && value !== undefined) rest[key] = value;
  return rest as Partial<T>;
}
