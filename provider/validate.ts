import type { ErrorObject, ValidateFunction } from "ajv";
import { inputValidators, resourceSchema } from "./schema";
import { stripUndefined, UNKNOWN } from "./state";
import type { CheckFailure, CheckResult } from "./types";

function validatorFor(token: string): ValidateFunction {
  resourceSchema(token); // an unknown token is refused by name
  return inputValidators[token];
}

export interface ValidationResult<I> {
  /** The inputs with schema defaults filled in. */
  inputs: I;
  failures: CheckFailure[];
}

/**
 * Validates resource inputs against schema.json. Values still unknown (preview) are not judged,
 * nor are rules that depend on them; everything known is. Messages name the property path, the
 * rule and the limit, and never echo the offending value (it could be a misplaced secret).
 */
export function validateInputs<I>(token: string, news: unknown): ValidationResult<I> {
  const resource = token.split(":").pop();
  // judged before the copy below, which would not keep what a `__proto__` key set
  const reserved = reservedKeyPaths(news, "");
  const inputs = stripUndefined(structuredClone(news ?? {})) as Record<string, unknown>;
  delete inputs.__provider;
  const unknownPaths = findUnknownPaths(inputs, "");
  const validate = validatorFor(token);
  validate(inputs);
  const failures: CheckFailure[] = reserved.map((property) => ({ property,
    reason: `${resource}: ${property} is a reserved key: __proto__, constructor and prototype are refused in every object [rule: reservedKey]` }));
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // branches of composite rules are summarised by that rule's own errorMessage in schema.json; an
    // `else` branch (the rules that hold unless `if` does) reports its own errors, as if unconditional
    if (/\/(anyOf|oneOf|not|then)\//.test(error.schemaPath)) continue;
    const failure = describe(error, token);
    // a reserved key is reported once, above, not again as an unknown property
    if (!failure || reserved.includes(failure.property) || dependsOnUnknown(error, failure.property, unknownPaths)) continue;
    const key = `${failure.property}\u0000${failure.reason}`;
    if (!seen.has(key)) {
      seen.add(key);
      failures.push(failure);
    }
  }
  return { inputs: inputs as I, failures };
}

export interface CheckSteps<I> {
  /** Rules across properties that the schema cannot express; no network. */
  crossCheck?: (inputs: I) => CheckFailure[];
  /** Live read-only checks against the product's API. */
  preflight: (inputs: I) => Promise<CheckFailure[]>;
  /** The canonical form of the inputs that diff, create and update receive. */
  canonical?: (inputs: I) => I;
}

/**
 * A resource's `check`, the one place its inputs are judged: the schema, then the resource's rules
 * across properties, then preflight, each only when everything before it passed. The engine hands
 * what it returns to diff, create and update, so they never validate again.
 */
export async function checkInputs<I>(token: string, news: unknown, steps: CheckSteps<I>): Promise<CheckResult<I>> {
  const { inputs, failures } = validateInputs<I>(token, news);
  const offline = failures.length ? failures : steps.crossCheck?.(inputs) ?? [];
  return {
    inputs: steps.canonical ? steps.canonical(inputs) : inputs,
    failures: offline.length ? offline : await steps.preflight(inputs),
  };
}

function describe(error: ErrorObject, token: string): CheckFailure | undefined {
  const resource = token.split(":").pop();
  let property = pointerToPath(error.instancePath);
  let rule = error.keyword;
  const original = (error.params as any)?.errors?.[0] as ErrorObject | undefined;
  if (error.keyword === "errorMessage" && original) rule = original.keyword;
  // "if" failures are reported by ajv next to the failing "then" branch: keep only our message
  if (rule === "if" && error.keyword !== "errorMessage") return undefined;
  let message = error.message ?? "is invalid";
  if (error.keyword === "required") {
    const missing = (error.params as any).missingProperty as string;
    property = joinPath(property, missing);
    message = "is required";
  } else if (error.keyword === "additionalProperties") {
    property = joinPath(property, (error.params as any).additionalProperty as string);
    message = "is not a known property";
  } else if (error.keyword === "enum") {
    message = `must be one of ${((error.params as any).allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  } else if (error.keyword === "type") {
    message = `must be ${(error.params as any).type}`;
  } else if (error.keyword === "uniqueItems") {
    message = "must not contain duplicates";
  }
  if (rule === "uniqueIgnoringCase" || rule === "uniqueItemProperties") {
    const failed = original ?? error;
    const repeated = firstRepeated(failed.data, failed.schema, rule === "uniqueIgnoringCase");
    if (repeated) message = `${message}: ${repeated} is listed more than once`;
  }
  // a rule across properties names its property at the start of its schema.json message
  const named = property === "" ? /^([A-Za-z][\w.[\]]*): (.*)$/.exec(message) : null;
  if (named) [, property, message] = named;
  return { property, reason: `${resource}: ${property} ${message} [rule: ${RULE_NAMES[rule] ?? rule}]` };
}

/** The first item whose listed properties repeat an earlier item's, e.g. `vmId '….vm-101'`, so a person can find it. */
function firstRepeated(items: unknown, properties: unknown, ignoreCase: boolean): string | undefined {
  if (!Array.isArray(items) || !Array.isArray(properties)) return undefined;
  const seen = new Set<string>();
  for (const item of items) {
    if (!item || typeof item !== "object") continue;
    const values = properties.map((p) => (item as Record<string, unknown>)[p]);
    if (values.some((v) => v === undefined || v === UNKNOWN)) continue;
    const key = JSON.stringify(values.map((v) => (ignoreCase && typeof v === "string" ? v.toLowerCase() : v)));
    if (seen.has(key)) return properties.map((p, i) => `${p} ${JSON.stringify(values[i])}`).join(", ");
    seen.add(key);
  }
  return undefined;
}

/**
 * An error depends on an unknown value when it is about that value (or inside it), or when it is
 * a rule across sibling properties (if/not/anyOf, $data comparisons) and a sibling is unknown.
 */
const RULE_NAMES: Record<string, string> = { if: "conditional", not: "mutually exclusive", anyOf: "one of required" };
const CROSS_ITEM_RULES = ["if", "not", "anyOf", "oneOf", "uniqueItemProperties", "uniqueIgnoringCase"];

function dependsOnUnknown(error: ErrorObject, property: string, unknownPaths: string[]): boolean {
  if (unknownPaths.length === 0) return false;
  const within = (u: string, p: string) => u === p || u.startsWith(p + ".") || u.startsWith(p + "[");
  if (unknownPaths.some((u) => within(u, property))) return true;
  const original = (error.keyword === "errorMessage" ? (error.params as any)?.errors?.[0] : error) as ErrorObject | undefined;
  const rule = original?.keyword ?? error.keyword;
  const usesData = typeof original?.parentSchema?.[rule] === "object" && original?.parentSchema?.[rule] !== null
    && "$data" in original.parentSchema[rule];
  if (!usesData && !CROSS_ITEM_RULES.includes(rule)) return false;
  const scope = usesData ? property.replace(/(\.[^.[\]]+|\[\d+\])$/, "") : property;
  return unknownPaths.some((u) => scope === "" || within(u, scope));
}


const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * Paths of keys that reach a prototype rather than the object: own properties named `__proto__`,
 * `constructor` or `prototype`, and objects whose prototype was replaced (a `__proto__` key
 * assigned while the engine's message was decoded), reported as `<path>.__proto__`.
 */
function reservedKeyPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => reservedKeyPaths(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const proto = Object.getPrototypeOf(value);
  const found = proto === Object.prototype || proto === null ? [] : [joinPath(path, "__proto__")];
  for (const key of Object.getOwnPropertyNames(value)) {
    found.push(...(RESERVED_KEYS.includes(key) ? [joinPath(path, key)] : reservedKeyPaths((value as Record<string, unknown>)[key], joinPath(path, key))));
  }
  return found;
}

function findUnknownPaths(value: unknown, path: string): string[] {
  if (value === UNKNOWN) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => findUnknownPaths(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => findUnknownPaths(v, joinPath(path, k)));
  }
  return [];
}

function pointerToPath(pointer: string): string {
  let path = "";
  for (const segment of pointer.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^\d+$/.test(key) ? `${path}[${key}]` : joinPath(path, key);
  }
  return path;
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}
