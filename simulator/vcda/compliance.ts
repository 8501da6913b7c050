import { apiError } from "./api";
import { instanceCount } from "./policies";
import type { ApiError, Policy, ReplicationSettings, VcdaStore } from "./state";

/** What the policy rules need to know about a requested (new or reconfigured) replication. */
export interface PolicyCheck {
  /** Present on create: the allow* flags and maxIncoming only gate new replications. */
  creating?: { sourceOrg: string | null; isMigration: boolean };
  destinationOrg: string | null;
  settings: Pick<ReplicationSettings, "rpo" | "retentionPolicy">;
  /** The request sets custom SLA settings rather than an SLA profile. */
  custom: boolean;
  /** The replication being reconfigured, so it does not count against its own organization's quota. */
  replicationId?: string;
}

/**
 * The first policy rule a request breaks, as the ApiError its task fails with, or undefined.
 * Source organizations must allow outgoing traffic; destination organizations cap and shape incoming traffic.
 */
export function policyViolation(store: VcdaStore, check: PolicyCheck): ApiError | undefined {
  const { creating, destinationOrg, settings } = check;
  if (creating?.sourceOrg) {
    const policy = store.policyOfOrg(creating.sourceOrg);
    const flag = creating.isMigration ? "allowOutgoingMigrations" : "allowOutgoingProtections";
    if (!policy[flag]) return violation(policy, creating.sourceOrg, flag, `Outgoing ${kind(creating.isMigration)} are not allowed`, `${flag} is false`);
  }
  if (!destinationOrg) return undefined;
  const policy = store.policyOfOrg(destinationOrg);
  if (creating) {
    const flag = creating.isMigration ? "allowIncomingMigrations" : "allowIncomingProtections";
    if (!policy[flag]) return violation(policy, destinationOrg, flag, `Incoming ${kind(creating.isMigration)} are not allowed`, `${flag} is false`);
    const incoming = store.replications().filter((r) => r.replication.destination.org === destinationOrg && r.replication.id !== check.replicationId).length;
    if (policy.maxIncoming >= 0 && incoming >= policy.maxIncoming) {
      return violation(policy, destinationOrg, "maxIncoming",
        `Organization '${destinationOrg}' already has ${incoming} incoming replication(s), the maximum allowed`, `maxIncoming is ${policy.maxIncoming}`);
    }
  }
  if (settings.rpo < policy.minRpo) {
    return violation(policy, destinationOrg, "minRpo", `RPO ${settings.rpo} minutes is below the minimum ${policy.minRpo} minutes allowed`, `minRpo is ${policy.minRpo}`);
  }
  const instances = instanceCount(settings.retentionPolicy);
  if (instances > policy.maxInstances) {
    return violation(policy, destinationOrg, "maxInstances",
      `Retention of ${instances} instances exceeds the maximum ${policy.maxInstances} instances allowed`, `maxInstances is ${policy.maxInstances}`);
  }
  if (check.custom && !policy.allowCustomSlaSettings) {
    return violation(policy, destinationOrg, "allowCustomSlaSettings", "Custom SLA settings (without an SLA profile) are not allowed",
      "allowCustomSlaSettings is false");
  }
  return undefined;
}

function kind(isMigration: boolean): string {
  return isMigration ? "migrations" : "protections";
}

function violation(policy: Policy, org: string, rule: string, what: string, detail: string): ApiError {
  return apiError("PolicyViolation", `${what} by policy '${policy.displayName}' of organization '${org}' (${detail}).`,
    [policy.displayName, org, rule]);
}
