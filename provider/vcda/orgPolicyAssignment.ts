import { ApiError } from "../http";
import type { OrgPolicyAssignmentInputs, OrgPolicyAssignmentOutputs } from "../inputs.generated";
import { ORG_POLICY_ASSIGNMENT } from "../resources.generated";
import type { DiffResult, ResourceHandler } from "../types";
import { diffByPaths, userInputs } from "../state";
import { checkInputs } from "../validate";
import { VcdaClientFor, vcdaClientFor } from "./client";
import { DEFAULT_POLICY_ID, VcdaPolicy } from "./models";
import { readOrgPolicy } from "./orgPolicyReading";
import { limitsOf, reportImpact } from "./policyImpact";
import { preflightOrgPolicyAssignment } from "./preflight";
import { cachedLookup, known, preflightEnabled } from "../preflight";

const TOKEN = ORG_POLICY_ASSIGNMENT.token;
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

    check: (olds, news) => checkInputs(TOKEN, news, {
      preflight: async (inputs: OrgPolicyAssignmentInputs) => {
        const failures = await preflightOrgPolicyAssignment(clientFor, olds, inputs);
        // a new assignment moves the organization from the policy it has now
        if (failures.length === 0 && olds?.org === undefined && known(inputs.org) && known(inputs.policyId)) await reportAssignment(clientFor, inputs);
        return failures;
      },
    }),

    async diff(id, olds, news) {
      const result = diffOrgPolicyAssignment(olds, news);
      if (result.changes && !result.replaces?.length && known(news.policyId)) await reportMove(clientFor, id, olds.policyId, news.policyId, news.profile);
      return result;
    },

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
        // the delete runs at `up`, where a warning still reaches the log before the org moves (a preview never calls it)
        await reportMove(clientFor, id, props.policyId, DEFAULT_POLICY_ID, props.profile);
        await client.assignPolicy(DEFAULT_POLICY_ID, id);
      } catch (err) {
        if (err instanceof ApiError && err.isNotFound) return; // the org itself is gone
        throw err;
      }
    },
  };
}

/** What moving the organization from one policy to another does to its live replications (docs/api-notes/vcda.md#replication-policies). */
async function reportMove(clientFor: VcdaClientFor, org: string, fromId: string | undefined, toId: string, profile: string | undefined): Promise<void> {
  if (!preflightEnabled()) return;
  const client = () => clientFor(profile);
  const policies = await Promise.resolve()
    .then(() => cachedLookup(`vcda|${client().endpoint}|${profile ?? ""}|policies`, () => client().listPolicies()))
    .catch((): VcdaPolicy[] => []);
  const [from, to] = [fromId, toId].map((policyId) => policies.find((p) => p.id === policyId));
  if (!to || from === to) return; // a policy this run creates: nothing live to compare with yet
  const change = `moving org '${org}' from policy '${from?.displayName ?? fromId ?? "(not proven)"}' to '${to.displayName}'`;
  await reportImpact(client, profile, `vcda:OrgPolicyAssignment ${org}`, change, async () => [org], from ? limitsOf(from) : undefined, limitsOf(to));
}

/** A new assignment: the move from the organization's policy now, when VCDA's answers prove it, else from none. */
async function reportAssignment(clientFor: VcdaClientFor, inputs: OrgPolicyAssignmentInputs): Promise<void> {
  if (!preflightEnabled()) return;
  const current = await Promise.resolve().then(() => {
    const client = clientFor(inputs.profile);
    // not the replications' preflight key: the assignment changes the answer later in the run
    return cachedLookup(`vcda|${client.endpoint}|${inputs.profile ?? ""}|policy-before-assignment@${inputs.org}`, () => readOrgPolicy(client, inputs.org, ""));
  }).catch(() => undefined);
  await reportMove(clientFor, inputs.org, current?.proven ? current.policy.id : undefined, inputs.policyId, inputs.profile);
}

export const handler = createOrgPolicyAssignmentHandler();
