import { ApiError } from "../http";
import type { PolicyOrgCompliance, ReplicationPolicyInputs, ReplicationPolicyOutputs } from "../inputs.generated";
import { REPLICATION_POLICY } from "../resources.generated";
import type { DiffResult, ResourceHandler } from "../types";
import { AdoptionRefusedError, describeDifferences, ExistedBeforeError } from "../ownership";
import { diffByPaths, omit, pick, userInputs } from "../state";
import { resourceSchema } from "../schema";
import { checkInputs } from "../validate";
import { VcdaClient, VcdaClientFor, vcdaClientFor } from "./client";
import { policyOfRun, policyStatusOfRun } from "./runListings";
import { describePolicy } from "./foundObjects";
import { DEFAULT_POLICY_ID, POLICY_FIELDS, PolicyOrgStatus, PolicySettings, VcdaPolicy } from "./models";
import { limitsOf, reportImpact, tightenedLimits } from "./policyImpact";
import { preflightReplicationPolicy } from "./preflight";

const TOKEN = REPLICATION_POLICY.token;

/** The built-in policy's values before Pulumi managed them, for each field the program has declared. */
export type RestoreValues = Partial<PolicySettings>;

/** State of a ReplicationPolicy: its inputs with live values, plus what VCDA computes. */
export interface ReplicationPolicyState extends Omit<ReplicationPolicyOutputs, "restoreValues"> {
  /** isDefault only: put back on delete. */
  restoreValues?: RestoreValues | null;
}

const COMPUTED = REPLICATION_POLICY.computedOutputs;
const REPLACE_PATHS = REPLICATION_POLICY.replaceOnChanges;

/**
 * Values a new policy gets for the settings the program leaves out (schema.json `createDefault`).
 * They are not ajv defaults: the built-in policy must keep the live value of every setting the
 * program does not declare (its shipped values forbid replication; filling in `true`/`-1` would
 * open it to every organization without a policy).
 */
const NEW_POLICY_DEFAULTS: Partial<ReplicationPolicyInputs> = Object.fromEntries(
  Object.entries(resourceSchema(TOKEN).inputs.properties as Record<string, { createDefault?: unknown }>)
    .filter(([, property]) => property.createDefault !== undefined)
    .map(([key, property]) => [key, property.createDefault]));

/** A new policy's inputs with every setting explicit; the built-in policy's inputs as declared. */
function withNewPolicyDefaults(inputs: ReplicationPolicyInputs): ReplicationPolicyInputs {
  return inputs.isDefault === false ? { ...NEW_POLICY_DEFAULTS, ...inputs } : inputs;
}

/**
 * Changes to the policy's settings update it in place (full PUT); isDefault and profile replace it.
 * The built-in policy replaced by itself (another profile naming the same VCDA) is first given back
 * its earlier values, so that the new resource records those and not the ones Pulumi set.
 */
export function diffReplicationPolicy(olds: ReplicationPolicyState, news: ReplicationPolicyInputs): DiffResult {
  return diffByPaths(olds, userInputs(news), {
    replacePaths: REPLACE_PATHS,
    updatePaths: [...POLICY_FIELDS],
    strictPaths: ["profile"],
    deleteBeforeReplace: olds.policyId === DEFAULT_POLICY_ID && news.isDefault === true,
  });
}

/** The policy's declared settings. */
function declaredFields(inputs: ReplicationPolicyInputs): typeof POLICY_FIELDS[number][] {
  return POLICY_FIELDS.filter((field) => inputs[field] !== undefined);
}

/**
 * The full policy to send (PUT overwrites every property): the declared settings, and the live
 * value of every other one, so that what the program does not say stays as it is.
 */
export function desiredSettings(inputs: ReplicationPolicyInputs, current?: VcdaPolicy): PolicySettings {
  const settings = { ...(current ? pick(current, POLICY_FIELDS) : {}), ...pick(inputs, POLICY_FIELDS) } as PolicySettings;
  const missing = POLICY_FIELDS.filter((field) => settings[field] === undefined);
  if (missing.length > 0) throw new Error(`ReplicationPolicy: ${missing.join(", ")} must be set (no live policy to take ${missing.length > 1 ? "them" : "it"} from)`);
  return settings;
}

/**
 * What the delete of a managed built-in policy puts back: the value each declared field had before
 * Pulumi first set it. A field already recorded keeps its earlier value; a newly declared one is
 * recorded from the live policy, read before the PUT that changes it.
 */
export function restoreValuesFor(inputs: ReplicationPolicyInputs, current: VcdaPolicy, earlier?: RestoreValues | null): RestoreValues {
  return { ...pick(current, declaredFields(inputs)), ...earlier };
}

/** Outputs: the input keys the user has, with VCDA's values for the settings, plus computed fields. */
export function policyState(live: VcdaPolicy, inputs: ReplicationPolicyInputs, restoreValues?: RestoreValues | null,
  compliance: PolicyOrgCompliance[] | null = []): ReplicationPolicyState {
  return {
    ...omit(userInputs(inputs), [...POLICY_FIELDS, ...COMPUTED]),
    ...pick(live, declaredFields(inputs)),
    policyId: live.id,
    orgs: live.orgs,
    // null, not absent: an absent output is unknown in every preview
    restoreValues: restoreValues ?? null,
    compliance,
  };
}

export function policyInputsOf(state: ReplicationPolicyState): ReplicationPolicyInputs {
  return omit(userInputs(state), COMPUTED) as ReplicationPolicyInputs;
}

export function createReplicationPolicyHandler(clientFor: VcdaClientFor = vcdaClientFor): ResourceHandler<ReplicationPolicyInputs, ReplicationPolicyState> {
  return {
    token: TOKEN,

    check: (olds, news) => checkInputs(TOKEN, news, {
      canonical: withNewPolicyDefaults,
      preflight: (inputs: ReplicationPolicyInputs) => preflightReplicationPolicy(clientFor, olds, inputs),
    }),

    async diff(id, olds, news) {
      const result = diffReplicationPolicy(olds, news);
      if (result.changes && !result.replaces?.length) await reportTightening(clientFor, id, olds, news);
      return result;
    },

    async create(inputs) {
      const client = clientFor(inputs.profile);
      if (inputs.isDefault) {
        // the built-in policy always exists: remember what we change, then make it what the program says
        const current = await client.getPolicy(DEFAULT_POLICY_ID);
        if (!current) throw new Error("VCDA has no 'default' replication policy to manage; is vcda:url a VCDA Cloud Service endpoint?");
        const live = await client.replacePolicy(DEFAULT_POLICY_ID, desiredSettings(inputs, current));
        return { id: DEFAULT_POLICY_ID, outs: policyState(live, inputs, restoreValuesFor(inputs, current), await complianceOf(client, DEFAULT_POLICY_ID)) };
      }
      const settings = desiredSettings(inputs);
      try {
        const live = await client.createPolicy(settings);
        return { id: live.id, outs: policyState(live, inputs) };
      } catch (err) {
        if (!(err instanceof ExistedBeforeError && inputs.adoptExisting)) throw err;
        const existing = err.existing as VcdaPolicy;
        const adopted = await adoptPolicy(client, inputs, settings, existing);
        return { id: existing.id, outs: policyState(adopted, inputs, null, await complianceOf(client, existing.id)) };
      }
    },

    async read(id, props) {
      const stored = userInputs(props);
      const client = clientFor(stored.profile);
      const live = await policyOfRun(client, id);
      if (!live) return {};
      // a policy no organization has can leave no replication out of compliance: no status to read
      const compliance = live.orgs === 0 ? [] : await complianceOf(client, id);
      const state = policyState(live, policyInputsOf(stored), stored.restoreValues, compliance);
      return { id, props: state, inputs: policyInputsOf(state) };
    },

    async update(id, olds, inputs) {
      const client = clientFor(inputs.profile);
      // the live policy gives the settings the program leaves out, and the built-in policy's values before we set them
      const isBuiltIn = id === DEFAULT_POLICY_ID;
      const needsLive = isBuiltIn || declaredFields(inputs).length < POLICY_FIELDS.length;
      const current = needsLive ? await client.getPolicy(id) : undefined;
      if (needsLive && !current) throw new Error(`replication policy ${id} is gone; run pulumi refresh, then up`);
      const live = await client.replacePolicy(id, desiredSettings(inputs, current));
      const restoreValues = isBuiltIn && current ? restoreValuesFor(inputs, current, olds.restoreValues) : olds.restoreValues;
      return { outs: policyState(live, inputs, restoreValues, await complianceOf(client, id)) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      if (id === DEFAULT_POLICY_ID) {
        // the built-in policy cannot be deleted: give back what Pulumi changed, keep everything else as it is now
        if (!props.restoreValues) return;
        const current = await client.getPolicy(DEFAULT_POLICY_ID);
        if (current) await client.replacePolicy(DEFAULT_POLICY_ID, { ...pick(current, POLICY_FIELDS), ...props.restoreValues } as PolicySettings);
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

/**
 * Before an update that tightens a limit: what it does to the replications of the organizations the
 * policy's compliance status names (those with replications; docs/api-notes/vcda.md#assigning-a-policy-to-an-organization).
 */
async function reportTightening(clientFor: VcdaClientFor, id: string, olds: ReplicationPolicyState, news: ReplicationPolicyInputs): Promise<void> {
  const tightened = tightenedLimits(limitsOf(olds), limitsOf(news));
  if (tightened.length === 0) return;
  const client = () => clientFor(news.profile);
  const change = `replication policy '${olds.displayName ?? id}' (${tightened.join(", ")})`;
  await reportImpact(client, news.profile, `vcda:ReplicationPolicy ${id}`, change,
    async () => (await client().policyStatus(id)).map((entry) => entry.org), limitsOf(olds), limitsOf(news));
}

/**
 * The organizations out of compliance, as GET /policies/{id}/status reports them; compliant ones are
 * left out (their configured-replication count moves with every tenant's new replication, which is no
 * change of the policy). Null for a session that may not read the status (it needs an administrator:
 * docs/api-notes/vcda.md#compliance-status-of-a-policy).
 */
export async function complianceOf(client: VcdaClient, id: string): Promise<PolicyOrgCompliance[] | null> {
  try {
    return (await policyStatusOfRun(client, id)).filter(outOfCompliance).map((entry) => ({
      org: entry.org,
      configuredReplications: entry.configuredReplications ?? 0,
      quotaViolation: entry.quotaViolation ?? 0,
      protectionViolation: entry.protectionViolation ?? 0,
      migrationViolation: entry.migrationViolation ?? 0,
      nonRpoCompliant: [...entry.nonRpoCompliant ?? []].sort(),
      nonInstancesCompliant: [...entry.nonInstancesCompliant ?? []].sort(),
    }));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

function outOfCompliance(entry: PolicyOrgStatus): boolean {
  return (entry.quotaViolation ?? 0) + (entry.protectionViolation ?? 0) + (entry.migrationViolation ?? 0) > 0
    || (entry.nonRpoCompliant ?? []).length + (entry.nonInstancesCompliant ?? []).length > 0;
}

/** adoptExisting: take over a policy that existed before; it must match, unless "overwrite" converges it. */
async function adoptPolicy(client: VcdaClient, inputs: ReplicationPolicyInputs, settings: PolicySettings, found: VcdaPolicy): Promise<VcdaPolicy> {
  const differences = describeDifferences({ ...settings }, { ...found });
  if (differences.length === 0) return found;
  if (inputs.adoptExisting !== "overwrite") throw new AdoptionRefusedError(describePolicy(found), differences, 'adoptExisting: "overwrite"');
  return client.replacePolicy(found.id, settings);
}

/**
 * VCDA refuses to delete a policy organizations still use: say which, and what to do. The policy's
 * status names only organizations with replications (see readOrgPolicy); its `orgs` count covers the rest.
 */
async function explainRefusedDelete(client: VcdaClient, id: string, props: ReplicationPolicyState, err: unknown): Promise<unknown> {
  if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 409)) return err;
  const named = await client.policyStatus(id).then((status) => status.map((s) => s.org), () => []);
  const count = await client.getPolicy(id).then((policy) => policy?.orgs ?? 0, () => 0);
  const unnamed = Math.max(0, count - named.length);
  if (named.length === 0 && unnamed === 0) return err;
  const holders = [
    named.length > 0 ? `organization(s) ${named.join(", ")}` : "",
    unnamed > 0 ? `${unnamed} organization(s) without replications (VCDA counts them but does not name them)` : "",
  ].filter(Boolean).join(" and ");
  return new Error(`cannot delete replication policy '${props.displayName ?? id}' (${id}): it is still assigned to ${holders}. `
    + "Assign them another policy first (change or remove their OrgPolicyAssignment), then run again. VCDA said: " + err.message);
}

export const handler = createReplicationPolicyHandler();
