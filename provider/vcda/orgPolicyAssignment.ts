import { ApiError } from "../http";
import type { OrgPolicyAssignmentInputs, OrgPolicyAssignmentOutputs } from "../inputs.generated";
import { ORG_POLICY_ASSIGNMENT } from "../resources.generated";
import type { DiffResult, ResourceHandler } from "../types";
import { diffByPaths, userInputs } from "../state";
import { checkInputs } from "../validate";
import { VcdaClient, VcdaClientFor, vcdaClientFor, VcdaPolicy } from "./client";
import { preflightOrgPolicyAssignment } from "./preflight";

const TOKEN = ORG_POLICY_ASSIGNMENT.token;
const DEFAULT_POLICY_ID = "default";
const REPLACE_PATHS = ORG_POLICY_ASSIGNMENT.replaceOnChanges;

/** Another policy updates the assignment in place; another org or connection replaces it. */
export function diffOrgPolicyAssignment(olds: OrgPolicyAssignmentOutputs, news: OrgPolicyAssignmentInputs): DiffResult {
  return diffByPaths(olds, userInputs(news), {
    replacePaths: REPLACE_PATHS,
    updatePaths: ["policyId"],
    strictPaths: ["profile"],
  });
}

export function assignmentState(inputs: OrgPolicyAssignmentInputs, policy: VcdaPolicy): OrgPolicyAssignmentOutputs {
  return { ...inputs, policyId: policy.id, policyDisplayName: policy.displayName };
}

export function assignmentInputsOf(state: OrgPolicyAssignmentOutputs): OrgPolicyAssignmentInputs {
  const { org, policyId, profile } = state;
  return profile === undefined ? { org, policyId } : { org, policyId, profile };
}

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
  const policies = await client.listPolicies();
  const fallback = policies.find((p) => p.id === DEFAULT_POLICY_ID);
  if (!fallback) throw new Error("VCDA lists no 'default' replication policy; is vcda:url a VCDA Cloud Service endpoint?");
  const namedBy = async (policy: VcdaPolicy) => (await client.policyStatus(policy.id)).map((entry) => entry.org);
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

export function createOrgPolicyAssignmentHandler(clientFor: VcdaClientFor = vcdaClientFor): ResourceHandler<OrgPolicyAssignmentInputs, OrgPolicyAssignmentOutputs> {
  const assign = async (inputs: OrgPolicyAssignmentInputs): Promise<OrgPolicyAssignmentOutputs> => {
    const client = clientFor(inputs.profile);
    await client.assignPolicy(inputs.policyId, inputs.org);
    const policy = await client.getPolicy(inputs.policyId);
    if (!policy) throw new Error(`replication policy ${inputs.policyId} disappeared right after org ${inputs.org} was assigned to it; run again`);
    return assignmentState(inputs, policy);
  };

  return {
    token: TOKEN,

    check: (olds, news) => checkInputs(TOKEN, news, { preflight: (inputs: OrgPolicyAssignmentInputs) => preflightOrgPolicyAssignment(clientFor, olds, inputs) }),

    diff: async (_id, olds, news) => diffOrgPolicyAssignment(olds, news),

    async create(raw) {
      const inputs = assignmentInputsOf(userInputs(raw));
      // an org its policy's status names needs no write (a program generated from a live VCDA adopts it
      // unchanged); "default" is only ever proven by elimination, which does not prove the org exists
      if (inputs.policyId !== DEFAULT_POLICY_ID) {
        const { policy, proven } = await readOrgPolicy(clientFor(inputs.profile), inputs.org, inputs.policyId);
        if (proven && policy.id === inputs.policyId) return { id: inputs.org, outs: assignmentState(inputs, policy) };
      }
      return { id: inputs.org, outs: await assign(inputs) };
    },

    async read(id, props) {
      const stored = assignmentInputsOf({ ...userInputs(props), org: id });
      const { policy } = await readOrgPolicy(clientFor(stored.profile), id, stored.policyId);
      const state = assignmentState(stored, policy);
      return { id, props: state, inputs: assignmentInputsOf(state) };
    },

    async update(_id, _olds, news) {
      return { outs: await assign(assignmentInputsOf(userInputs(news))) };
    },

    async delete(id, props) {
      // there is no "unassign": an org without an assignment is an org with the default policy. Only
      // undo our own assignment: an org someone has since moved to another policy stays where it is.
      const client = clientFor(props.profile);
      try {
        // an unproven reading that still says our policy is taken at its word: the org was ours
        const { policy: current } = await readOrgPolicy(client, id, props.policyId);
        if (current.id !== props.policyId) return;
        await client.assignPolicy(DEFAULT_POLICY_ID, id);
      } catch (err) {
        if (err instanceof ApiError && err.isNotFound) return; // the org itself is gone
        throw err;
      }
    },
  };
}

export const handler = createOrgPolicyAssignmentHandler();
