import { ApiError } from "../http";
import type { ReplicationPolicyInputs, ReplicationPolicyOutputs } from "../inputs.generated";
import { REPLICATION_POLICY } from "../resources.generated";
import type { DiffResult, ResourceHandler } from "../types";
import { AdoptionRefusedError, describeDifferences, ExistedBeforeError } from "../ownership";
import { diffByPaths, omit, pick, userInputs } from "../state";
import { checkInputs } from "../validate";
import { describePolicy, POLICY_FIELDS, PolicySettings, VcdaClient, VcdaClientFor, vcdaClientFor, VcdaPolicy } from "./client";
import { preflightReplicationPolicy } from "./preflight";

const TOKEN = REPLICATION_POLICY.token;
const DEFAULT_POLICY_ID = "default";

/** State of a ReplicationPolicy: its inputs with live values, plus what VCDA computes. */
export interface ReplicationPolicyState extends Omit<ReplicationPolicyOutputs, "restoreValues"> {
  /** The built-in policy's values before Pulumi managed it (isDefault only): put back on delete. */
  restoreValues?: PolicySettings | null;
}

const COMPUTED = REPLICATION_POLICY.computedOutputs;
const REPLACE_PATHS = REPLICATION_POLICY.replaceOnChanges;

/** Changes to the policy's settings update it in place (full PUT); isDefault and profile replace it. */
export function diffReplicationPolicy(olds: ReplicationPolicyState, news: ReplicationPolicyInputs): DiffResult {
  return diffByPaths(olds, userInputs(news), {
    replacePaths: REPLACE_PATHS,
    updatePaths: [...POLICY_FIELDS],
    strictPaths: ["profile"],
  });
}

/** The full policy to send: every setting from the inputs, the current name when the user set none (default policy). */
export function desiredSettings(inputs: ReplicationPolicyInputs, current?: VcdaPolicy): PolicySettings {
  const displayName = inputs.displayName ?? current?.displayName;
  if (displayName === undefined) throw new Error("ReplicationPolicy: displayName is required");
  return { ...pick(inputs, POLICY_FIELDS), displayName } as PolicySettings;
}

/** Outputs: the input keys the user has, with VCDA's values for the settings, plus computed fields. */
export function policyState(live: VcdaPolicy, inputs: ReplicationPolicyInputs, restoreValues?: PolicySettings | null): ReplicationPolicyState {
  const managed = POLICY_FIELDS.filter((field) => inputs[field] !== undefined);
  return {
    ...omit(userInputs(inputs), [...POLICY_FIELDS, ...COMPUTED]),
    ...pick(live, managed),
    policyId: live.id,
    orgs: live.orgs,
    // null, not absent: an absent output is unknown in every preview
    restoreValues: restoreValues ?? null,
  };
}

export function policyInputsOf(state: ReplicationPolicyState): ReplicationPolicyInputs {
  return omit(userInputs(state), COMPUTED) as ReplicationPolicyInputs;
}

export function createReplicationPolicyHandler(clientFor: VcdaClientFor = vcdaClientFor): ResourceHandler<ReplicationPolicyInputs, ReplicationPolicyState> {
  return {
    token: TOKEN,

    check: (olds, news) => checkInputs(TOKEN, news, { preflight: (inputs: ReplicationPolicyInputs) => preflightReplicationPolicy(clientFor, olds, inputs) }),

    diff: async (_id, olds, news) => diffReplicationPolicy(olds, news),

    async create(inputs) {
      const client = clientFor(inputs.profile);
      if (inputs.isDefault) {
        // the built-in policy always exists: remember its values, then make it what the program says
        const current = await client.getPolicy(DEFAULT_POLICY_ID);
        if (!current) throw new Error("VCDA has no 'default' replication policy to manage; is vcda:url a VCDA Cloud Service endpoint?");
        const restoreValues: PolicySettings = pick(current, POLICY_FIELDS);
        const live = await client.replacePolicy(DEFAULT_POLICY_ID, desiredSettings(inputs, current));
        return { id: DEFAULT_POLICY_ID, outs: policyState(live, inputs, restoreValues) };
      }
      const settings = desiredSettings(inputs);
      try {
        const live = await client.createPolicy(settings);
        return { id: live.id, outs: policyState(live, inputs) };
      } catch (err) {
        if (!(err instanceof ExistedBeforeError && inputs.adoptExisting)) throw err;
        const existing = err.existing as VcdaPolicy;
        return { id: existing.id, outs: policyState(await adoptPolicy(client, inputs, settings, existing), inputs) };
      }
    },

    async read(id, props) {
      const stored = userInputs(props);
      const live = await clientFor(stored.profile).getPolicy(id);
      if (!live) return {};
      const state = policyState(live, policyInputsOf(stored), stored.restoreValues);
      return { id, props: state, inputs: policyInputsOf(state) };
    },

    async update(id, olds, inputs) {
      const client = clientFor(inputs.profile);
      const current = inputs.displayName === undefined ? await client.getPolicy(id) : undefined;
      const live = await client.replacePolicy(id, desiredSettings(inputs, current));
      return { outs: policyState(live, inputs, olds.restoreValues) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      if (id === DEFAULT_POLICY_ID) {
        // the built-in policy cannot be deleted: give it back the values it had before Pulumi
        if (props.restoreValues) await client.replacePolicy(DEFAULT_POLICY_ID, props.restoreValues);
        return;
      }
      try {
        await client.deletePolicy(id);
      } catch (err) {
        throw await explainRefusedDelete(client, id, props, err);
      }
    },
  };
}

/** adoptExisting: take over a policy that existed before; it must match, unless "overwrite" converges it. */
async function adoptPolicy(client: VcdaClient, inputs: ReplicationPolicyInputs, settings: PolicySettings, found: VcdaPolicy): Promise<VcdaPolicy> {
  const differences = describeDifferences({ ...settings }, { ...found });
  if (differences.length === 0) return found;
  if (inputs.adoptExisting !== "overwrite") throw new AdoptionRefusedError(describePolicy(found), differences, 'adoptExisting: "overwrite"');
  return client.replacePolicy(found.id, settings);
}

/** VCDA refuses to delete a policy organizations still use: name them, and say what to do. */
async function explainRefusedDelete(client: VcdaClient, id: string, props: ReplicationPolicyState, err: unknown): Promise<unknown> {
  if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 409)) return err;
  const orgs = await client.policyStatus(id).then((status) => status.map((s) => s.org), () => []);
  if (orgs.length === 0) return err;
  return new Error(`cannot delete replication policy '${props.displayName ?? id}' (${id}): organization(s) ${orgs.join(", ")} still use it. `
    + "Assign them another policy first (change or remove their OrgPolicyAssignment), then run again. VCDA said: " + err.message);
}

export const handler = createReplicationPolicyHandler();
