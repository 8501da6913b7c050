import type { VcdaClient } from "./client";
import { DEFAULT_POLICY_ID, VcdaPolicy } from "./models";
import { policiesOfRun, policyStatusOfRun } from "./runListings";

/** What VCDA tells about an organization's policy: the policy, and whether a documented read proves it. */
export interface OrgPolicyReading {
  policy: VcdaPolicy;
  /** False when the policy is the best consistent answer, not one VCDA's answers prove. */
  proven: boolean;
}

/**
 * The policy an organization has. VCDA 4.1 documents no read of an organization's policy
 * (docs/api-notes/vcda.md#assigning-a-policy-to-an-organization): only
 * `PATCH /policies/{id}/orgs/{org}` to assign one. Two reads come close, and neither alone is enough:
 * - `GET /policies` gives each policy's `orgs`, "The number of organizations, which have this
 *   policy assigned" (-1 for the default policy): a count of assignments, authoritative but nameless.
 * - `GET /policies/{id}/status` names organizations, but as "List of statuses for each destination
 *   organization" with "The number of configured replications": compliance of incoming
 *   replications, so an assigned organization with no replications may well be absent.
 * So an org listed in a policy's status is proven to have that policy; an org listed nowhere is
 * proven to have the default one only when every other policy's count is matched by the orgs its
 * status names (no policy has an unnamed, idle member). Otherwise VCDA cannot tell "assigned but
 * idle" from "on the default policy", and the reading is conservative rather than noisy: while the
 * expected policy still counts an unnamed member, that member is taken to be this org (never a
 * false move to `default`; this also keeps the steady state at one status read). Once the expected
 * policy's count rules the org out (or the policy is gone), the org has moved: to the policy whose
 * status names it, else to the default policy (unproven when another policy has an unnamed member).
 */
export async function readOrgPolicy(client: VcdaClient, org: string, expectedPolicyId: string): Promise<OrgPolicyReading> {
  // a refresh of many assignments reads the policies and each status once (docs/api-notes/vcda.md#listings-for-a-refresh)
  const policies = await policiesOfRun(client);
  const fallback = policies.find((p) => p.id === DEFAULT_POLICY_ID);
  if (!fallback) throw new Error("VCDA lists no 'default' replication policy; is vcda:url a VCDA Cloud Service endpoint?");
  const namedBy = async (policy: VcdaPolicy) => (await policyStatusOfRun(client, policy.id)).map((entry) => entry.org);
  const expected = policies.find((p) => p.id === expectedPolicyId && p.id !== DEFAULT_POLICY_ID && p.orgs > 0);
  if (expected) {
    const named = await namedBy(expected);
    if (named.includes(org)) return { policy: expected, proven: true };
    if (named.length < expected.orgs) return { policy: expected, proven: false };
  }
  let someoneIdle = false;
  for (const policy of policies.filter((p) => p.id !== DEFAULT_POLICY_ID && p.orgs > 0 && p !== expected)) {
    const named = await namedBy(policy);
    if (named.includes(org)) return { policy, proven: true };
    someoneIdle ||= named.length < policy.orgs;
  }
  return { policy: fallback, proven: !someoneIdle };
}
