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

/**
 * The policy an organization has. VCDA has no "policy of org" endpoint, so each policy's status
 * (which lists its organizations) is consulted: the expected policy first, then every other policy
 * with organizations; an org found in none has the default policy.
 */
export async function policyOfOrg(client: VcdaClient, org: string, expectedPolicyId: string): Promise<VcdaPolicy> {
  const policies = await client.listPolicies();
  const candidates = policies
    .filter((p) => p.id !== DEFAULT_POLICY_ID && (p.orgs > 0 || p.id === expectedPolicyId))
    .sort((a, b) => Number(b.id === expectedPolicyId) - Number(a.id === expectedPolicyId));
  for (const policy of candidates) {
    const status = await client.policyStatus(policy.id);
    if (status.some((entry) => entry.org === org)) return policy;
  }
  const fallback = policies.find((p) => p.id === DEFAULT_POLICY_ID);
  if (!fallback) throw new Error("VCDA lists no 'default' replication policy; is vcda:url a VCDA Cloud Service endpoint?");
  return fallback;
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
      return { id: inputs.org, outs: await assign(inputs) };
    },

    async read(id, props) {
      const stored = assignmentInputsOf({ ...userInputs(props), org: id });
      const policy = await policyOfOrg(clientFor(stored.profile), id, stored.policyId);
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
        const current = await policyOfOrg(client, id, props.policyId);
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
