/**
 * The protection-gap guard. A VPG or a VM replication is replaced delete-first (the ZVM and VCDA
 * protect a VM once per site), so between the delete and the end of the new one's initial sync the
 * VMs are not protected, and if the new one is refused they stay unprotected. `diff` refuses such a
 * change unless the resource opts in with `allowProtectionGapOnReplace: true`.
 */
import { UNKNOWN } from "./state";

/** One property whose change replaces the resource, as a reviewer reads it. */
export interface ReplacingChange {
  path: string;
  from: unknown;
  to: unknown;
}

/**
 * Thrown by `diff`, so that preview fails before any step runs. The engine shows the message on the
 * resource; the provider host also logs `${err}: ${err.stack}` on the stack, so those two say only
 * where to look instead of repeating the message twice more.
 */
export class ProtectionGapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtectionGapError";
    this.stack = "see the error on the resource";
  }

  toString(): string {
    return "protection-gap guard: change refused";
  }
}

/**
 * Throws ProtectionGapError when a replace is planned without the opt-in. `what` names the object
 * ("Vpg 'web-tier' (VPG 8f3c…)"), `gap` says what is unprotected meanwhile.
 */
export function guardProtectionGap(what: string, changes: ReplacingChange[], optedIn: unknown, gap: string): void {
  if (changes.length === 0 || optedIn === true) return;
  const listed = changes.map((c) => `${c.path} ${show(c.from)} → ${show(c.to)}`).join(", ");
  throw new ProtectionGapError(`${what}: this change replaces it (${listed}). A replace DELETES the protection FIRST and creates the new one `
    + `afterwards: ${gap}, and if the new one is refused (a wrong id, say) they stay unprotected. Nothing was changed. `
    + "If this is intended, set allowProtectionGapOnReplace: true on the resource and run again; otherwise undo the change.");
}

/**
 * Ids whose replace `diff` approved in this provider process. The engine runs the delete of a
 * replace in the same process right after that diff, and the delete has only the old outputs, so
 * this is how it can tell a replace from a removal (a VPG replace keeps the recovery volumes).
 */
const approvedReplaces = new Set<string>();

export function noteReplace(id: string): void {
  approvedReplaces.add(id);
}

export function isReplacing(id: string): boolean {
  return approvedReplaces.has(id);
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "(unset)";
  if (value === UNKNOWN) return "(known only at apply)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
