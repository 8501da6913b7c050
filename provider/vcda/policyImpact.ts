import { cachedLookup, preflightEnabled } from "../preflight";
import { UNKNOWN } from "../state";
import { warnOnce } from "../warnings";
import type { VcdaClient } from "./client";
import type { PolicySettings, VcdaReplication } from "./models";

/**
 * What a policy change does to the replications already running. VCDA checks a policy only when a
 * replication is configured or reconfigured, never its existing ones (docs/api-notes/vcda.md#replication-policies):
 * a tighter policy leaves them running out of compliance, and the tenant learns it at its next `up`.
 * So before a policy is changed, an organization moved or sent back to the default policy, the
 * affected organizations' replications are read (once per organization per provider process) and
 * each one the new limits do not admit is reported as a warning.
 */

/** The limits a policy puts on existing replications (the others only gate new ones). */
export type PolicyLimits = Pick<PolicySettings, "minRpo" | "maxInstances" | "maxIncoming" | "allowIncomingProtections"
  | "allowIncomingMigrations" | "allowOutgoingProtections" | "allowOutgoingMigrations">;

/** One replication (or, for the quota, one organization) the new limits do not admit. */
export interface ComplianceBreach {
  org: string;
  /** Absent for an organization-wide breach (maxIncoming). */
  replicationId?: string;
  vmName?: string;
  rule: keyof PolicyLimits;
  /** "RPO 10 minutes is below minRpo 15". */
  detail: string;
}

/** An organization's replications, both ways: `incoming` replicate into it, `outgoing` out of it. */
export interface OrgReplications {
  org: string;
  incoming: VcdaReplication[];
  outgoing: VcdaReplication[];
}

/** Every breach of `limits` by the organization's live replications (a limit that is unknown is not judged). */
export function breachesOf(limits: Partial<PolicyLimits>, { org, incoming, outgoing }: OrgReplications): ComplianceBreach[] {
  const breaches: ComplianceBreach[] = [];
  const of = (r: VcdaReplication, rule: keyof PolicyLimits, detail: string) => breaches.push({ org, replicationId: r.id, vmName: r.vmName, rule, detail });
  for (const r of incoming) {
    if (isNumber(limits.minRpo) && r.settings.rpo < limits.minRpo) of(r, "minRpo", `RPO ${r.settings.rpo} minutes is below minRpo ${limits.minRpo}`);
    const instances = instanceCount(r.settings.retentionPolicy);
    if (isNumber(limits.maxInstances) && instances > limits.maxInstances) of(r, "maxInstances", `${instances} retained instances exceed maxInstances ${limits.maxInstances}`);
    const flag = r.isMigration ? "allowIncomingMigrations" : "allowIncomingProtections";
    if (limits[flag] === false) of(r, flag, `incoming ${r.isMigration ? "migration" : "protection"}, and ${flag} is false`);
  }
  for (const r of outgoing) {
    const flag = r.isMigration ? "allowOutgoingMigrations" : "allowOutgoingProtections";
    if (limits[flag] === false) of(r, flag, `outgoing ${r.isMigration ? "migration" : "protection"}, and ${flag} is false`);
  }
  if (isNumber(limits.maxIncoming) && limits.maxIncoming >= 0 && incoming.length > limits.maxIncoming) {
    breaches.push({ org, rule: "maxIncoming", detail: `${incoming.length} incoming replications exceed maxIncoming ${limits.maxIncoming} by ${incoming.length - limits.maxIncoming}` });
  }
  return breaches;
}

/** The breaches of `after` that `before` did not have: what the change itself puts out of compliance. */
export function newBreaches(before: Partial<PolicyLimits> | undefined, after: Partial<PolicyLimits>, replications: OrgReplications): ComplianceBreach[] {
  const earlier = new Set((before ? breachesOf(before, replications) : []).map(key));
  return breachesOf(after, replications).filter((b) => !earlier.has(key(b)));
}

/** "VM 'web-01' (replication C4-…) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15". */
export function describeBreach(b: ComplianceBreach): string {
  const what = b.replicationId ? `VM '${b.vmName ?? "?"}' (replication ${b.replicationId}) of org '${b.org}'` : `org '${b.org}'`;
  return `${what} out of compliance: ${b.detail}`;
}

/** The prefix the `review` command recognises in a preview's diagnostics. */
export const IMPACT_MARK = "pulumi-drprotect policy impact";

/**
 * Reports each breach as one warning line on the provider's stderr, which the engine shows during
 * the preview and `pulumi preview --json` carries as a diagnostic (docs/configuration.md: the host
 * gives a dynamic provider no logger). `subject` says which resource ("vcda:ReplicationPolicy <id>").
 */
export function reportBreaches(subject: string, change: string, breaches: ComplianceBreach[]): void {
  for (const b of breaches) warnOnce(`${IMPACT_MARK} [${subject}]: ${change} puts ${describeBreach(b)}`);
}

/** The organization's replications both ways, read once per organization per provider process (docs/api-notes/vcda.md#compliance-status-of-a-policy). */
export function orgReplications(client: VcdaClient, profile: string | undefined, org: string, outgoing: boolean): Promise<OrgReplications> {
  const read = (side: "destinationOrg" | "sourceOrg") =>
    cachedLookup(`vcda|${client.endpoint}|${profile ?? ""}|replications|${side}=${org}`, () => client.listReplicationsOfOrg(org, side));
  return Promise.all([read("destinationOrg"), outgoing ? read("sourceOrg") : Promise.resolve([])])
    .then(([incoming, out]) => ({ org, incoming, outgoing: out }));
}

/**
 * Reads the organizations `orgsOf` names and reports what `after` does to them; a failed read is
 * reported, never thrown: this check informs a preview, it does not decide it. Off with the preflight switch.
 */
export async function reportImpact(clientOf: () => VcdaClient, profile: string | undefined, subject: string, change: string,
  orgsOf: () => Promise<string[]>, before: Partial<PolicyLimits> | undefined, after: Partial<PolicyLimits>): Promise<void> {
  if (!preflightEnabled()) return;
  try {
    const client = clientOf();
    const outgoing = after.allowOutgoingProtections === false || after.allowOutgoingMigrations === false;
    for (const org of await orgsOf()) reportBreaches(subject, change, newBreaches(before, after, await orgReplications(client, profile, org, outgoing)));
  } catch (err) {
    warnOnce(`${IMPACT_MARK} [${subject}]: the replications ${change} affects were not read, so its effect on them is unknown: ${(err as Error).message}`);
  }
}

/** The known limits among `values` (preview-unknown ones left out). */
export function knownLimits(values: Partial<Record<keyof PolicyLimits, unknown>>): Partial<PolicyLimits> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== UNKNOWN && (typeof v === "number" || typeof v === "boolean"))) as Partial<PolicyLimits>;
}

/** The instances a retention policy keeps: the sum over its rules (a rule without a number counts none). */
export function instanceCount(retention: { rules?: Array<{ numberOfInstances?: unknown } | undefined> } | undefined): number {
  return (retention?.rules ?? []).reduce((sum, rule) => sum + (typeof rule?.numberOfInstances === "number" ? rule.numberOfInstances : 0), 0);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number";
}

function key(b: ComplianceBreach): string {
  return `${b.org}|${b.replicationId ?? ""}|${b.rule}`;
}

const LIMIT_FIELDS = ["minRpo", "maxInstances", "maxIncoming", "allowIncomingProtections", "allowIncomingMigrations",
  "allowOutgoingProtections", "allowOutgoingMigrations"] as const;

/** The limits `after` tightens against `before`, as "minRpo 5 → 15" (unknown values never count). */
export function tightenedLimits(before: Partial<PolicyLimits>, after: Partial<PolicyLimits>): string[] {
  const unlimited = (n: number) => (n < 0 ? Infinity : n);
  return LIMIT_FIELDS.filter((field) => {
    const [old, now] = [before[field], after[field]];
    if (typeof old === "boolean" || typeof now === "boolean") return old === true && now === false;
    if (!isNumber(old) || !isNumber(now)) return false;
    return field === "minRpo" ? now > old : unlimited(now) < unlimited(old);
  }).map((field) => `${field} ${before[field]} → ${after[field]}`);
}

/** The limits of a policy's settings (or inputs), unknown ones left out. */
export function limitsOf(settings: Partial<Record<keyof PolicyLimits, unknown>> | undefined): Partial<PolicyLimits> {
  return knownLimits(Object.fromEntries(LIMIT_FIELDS.map((field) => [field, settings?.[field]])));
}
