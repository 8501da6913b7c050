import { preflightSetting } from "./connection";
import type { CheckFailure } from "./types";
import { sameValue, UNKNOWN, valueAt } from "./state";
import { forgetWarnings } from "./warnings";

/**
 * Live preflight: read-only checks, during `check`, that the objects a resource names exist and
 * that its connection works, so a preview that passes does not fail at `up`. Product-neutral parts:
 * the on/off switch, the per-run cache, which inputs need a look, and how failures read.
 */

/** Off with `drprotect:preflight` (stack config) or DRPROTECT_PREFLIGHT (env) set to off, false, 0 or no. */
export function preflightEnabled(): boolean {
  const setting = preflightSetting();
  return setting === undefined || !/^(off|false|0|no)$/i.test(setting.trim());
}

/**
 * One answer per request per provider process (one process serves one `pulumi` run): resources
 * that name the same site or VM list share one request, and a refused login is tried once.
 */
const answers = new Map<string, Promise<unknown>>();

export function cachedLookup<T>(key: string, lookup: () => Promise<T>): Promise<T> {
  let answer = answers.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = lookup();
    answers.set(key, answer);
  }
  return answer;
}

/** The answer this run's preflight already has for `key`, without asking. */
export function cachedAnswer<T>(key: string): Promise<T> | undefined {
  return answers.get(key) as Promise<T> | undefined;
}

/** Forgets every answer, and the warnings said (tests that change the servers between runs in one process). */
export function clearPreflightCache(): void {
  answers.clear();
  forgetWarnings();
}

/** A known (not preview-unknown), non-empty string value. */
export function known(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value !== UNKNOWN;
}

/**
 * Whether a property needs a look: every property of a new resource (no old inputs), otherwise
 * only those whose value differs from the old inputs, so an unchanged program costs no request.
 */
export function changedSince(olds: object | undefined, news: object): (path: string) => boolean {
  const isNew = !olds || Object.keys(olds).filter((k) => k !== "__provider").length === 0;
  return (path) => isNew || !sameValue(valueAt(olds, path), valueAt(news, path));
}

/** A failure about one property, worded like the schema's: `Vpg: vms[0].vmId <problem> [rule: <rule>]`. */
export function preflightFailure(resource: string, property: string, problem: string, rule: string): CheckFailure {
  return { property, reason: `${resource}: ${property} ${problem} [rule: ${rule}]` };
}

/**
 * The connection itself failed (no url, refused login, TLS, unreachable): the provider's own message,
 * which never carries a secret, plus the way out for previews that must run without credentials.
 */
export function connectionFailure(resource: string, product: string, err: unknown): CheckFailure {
  const message = (err as Error)?.message ?? String(err);
  return {
    property: "",
    reason: `${resource}: ${message} [rule: ${product} connection] `
      + "(to preview without contacting the server, set drprotect:preflight or DRPROTECT_PREFLIGHT to off)",
  };
}
