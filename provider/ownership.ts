/**
 * Ownership after uncertainty: the one rule every resource follows.
 *
 * After a lost answer, a timeout, a crash or a name clash, an object with the right name (or on
 * the right VM) may belong to another stack or team. It is taken as this resource's only with
 * evidence that this very operation made it: the task our request started names it, the draft we
 * committed produced it, or it appeared after our request with exactly the identity we sent.
 * Without that evidence the operation fails and says which object it found and why it will not
 * take it. Explicit adoption (`adoptExisting`) takes an object only when it already matches the
 * declaration, unless the user opts in to overwriting it.
 */
import { sameValue } from "./state";

/** One piece of evidence that a found object is ours, and what it showed. */
export interface Evidence {
  holds: boolean;
  /** Shown when it does not hold: why this is not proof (e.g. "it was created before our request"). */
  why: string;
}

/** The object found after an uncertain outcome. */
export interface FoundObject {
  /** e.g. "Zerto VPG 'payroll'", "VCDA replication of VM vm-42". */
  what: string;
  id: string;
}

/** The operation found an object it cannot prove it made, so it leaves the object alone. */
export class OwnershipRefusedError extends Error {
  constructor(readonly found: FoundObject, readonly reasons: string[], advice: string) {
    super(`${found.what} exists (${found.id}) but this operation cannot prove it made it, so it will not take it: ${reasons.join("; ")}. ${advice}`);
    this.name = "OwnershipRefusedError";
  }
}

/** The object existed before our request, so it is not ours, whoever made it; `existing` is the object as the server returned it. */
export class ExistedBeforeError<T = unknown> extends OwnershipRefusedError {
  constructor(found: FoundObject, readonly existing: T, otherwise: string) {
    super(found, ["it existed before our request"], "It was left alone. To manage it from this resource, set adoptExisting: true "
      + `(taken only if it matches this declaration) or "overwrite"; otherwise ${otherwise}.`);
    this.name = "ExistedBeforeError";
  }
}

/**
 * The id of `found` when every piece of evidence holds; otherwise an OwnershipRefusedError naming
 * the object and each piece that failed. An empty list is no evidence at all.
 */
export function claim(found: FoundObject, evidence: Evidence[], advice: string): string {
  const failed = evidence.filter((e) => !e.holds).map((e) => e.why);
  if (evidence.length === 0) failed.push("there is no evidence at all");
  if (failed.length) throw new OwnershipRefusedError(found, failed, advice);
  return found.id;
}

/** Evidence that the object appeared after our request (clocks: the server's for both when known). */
export function createdAfter(requestedAt: number, createdAt: number | undefined, what = "it"): Evidence {
  if (createdAt === undefined || Number.isNaN(createdAt)) return { holds: false, why: `when ${what} was created is not known` };
  return { holds: createdAt >= requestedAt, why: `${what} was created at ${new Date(createdAt).toISOString()}, before our request (${new Date(requestedAt).toISOString()})` };
}

/** Evidence that the object has exactly the identity we sent (name, VM set, sites, …). */
export function sameIdentity(sent: Record<string, unknown>, found: Record<string, unknown>, options: DifferenceOptions = {}): Evidence {
  const differences = describeDifferences(sent, found, options);
  return { holds: differences.length === 0, why: `it differs from what we sent: ${differences.join(", ")}` };
}

export interface DifferenceOptions {
  /** Keys whose values are sets of strings (order and case of members do not matter): shown as `vms −a +b`. */
  sets?: string[];
}

/**
 * Each key whose value differs between the declaration and the live object, as a reviewer reads
 * it: `rpoSeconds 600 → 900`, `vms −vm-105 +vm-109` (what adopting would remove and add). Only keys
 * the declaration has are compared.
 */
export function describeDifferences(declared: Record<string, unknown>, live: Record<string, unknown>, options: DifferenceOptions = {}): string[] {
  const lines: string[] = [];
  for (const [key, want] of Object.entries(declared)) {
    if (want === undefined) continue;
    const have = live[key];
    if (options.sets?.includes(key) && Array.isArray(want)) {
      const haveList = Array.isArray(have) ? have.map(String) : [];
      const wantList = want.map(String);
      const lower = (list: string[]) => new Set(list.map((v) => v.toLowerCase()));
      const removed = haveList.filter((v) => !lower(wantList).has(v.toLowerCase()));
      const added = wantList.filter((v) => !lower(haveList).has(v.toLowerCase()));
      if (removed.length || added.length) lines.push(`${key} ${[...removed.map((v) => `−${v}`), ...added.map((v) => `+${v}`)].join(" ")}`);
    } else if (!sameValue(want, have)) {
      lines.push(`${key} ${show(have)} → ${show(want)}`);
    }
  }
  return lines;
}

/** Adopting an object that differs from the declaration without the opt-in: the differences, live → declared. */
export class AdoptionRefusedError extends Error {
  constructor(readonly found: FoundObject, readonly differences: string[], optIn: string) {
    super(`${found.what} exists (${found.id}) and differs from this declaration: ${differences.join(", ")} (live → declared). `
      + `It was not adopted and nothing was changed. Make the declaration match it, or set ${optIn} to overwrite it with this declaration.`);
    this.name = "AdoptionRefusedError";
  }
}

function show(value: unknown): string {
  if (value === undefined) return "(unset)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
