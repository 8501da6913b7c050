import { ApiError, TaskError, taskRefused } from "../http";
import type { VmReplicationInputs, VmReplicationOutputs } from "../inputs.generated";
import { AdoptionRefusedError, describeDifferences, ExistedBeforeError } from "../ownership";
import { VM_REPLICATION } from "../resources.generated";
import { CreateResult, DiffResult, PartialCreateError, ResourceHandler } from "../types";
import { changedPaths, DiffSpec, diffByPaths, diffOf, omit, stripUndefined, userInputs, valueAt } from "../state";
import { checkInputs } from "../validate";
import {
  describeReplication, describeVcdaError, ReconfigureSpec, ReplicationSpec, VcdaClient, VcdaClientFor, vcdaClientFor,
  VcdaReplication, VcdaTask,
} from "./client";
import { guardProtectionGap } from "../protectionGap";
import { preflightVmReplication } from "./preflight";
import { replicationSite } from "./sites";

const TOKEN = VM_REPLICATION.token;

/** Settings VCDA reconfigures in place with PATCH /vm-replications/{id}. */
const SETTINGS = ["description", "rpo", "dataConnectionType", "quiesced", "retentionPolicy", "slaProfileId"] as const;
const CUSTOM_SETTINGS = ["rpo", "dataConnectionType", "quiesced", "retentionPolicy"];
const EXCLUDED_DISKS = "source.excludedDisks";
/** What VCDA applies when neither an SLA profile nor a value is given (not schema defaults: they would clash with slaProfileId). */
const CUSTOM_DEFAULTS: Record<string, unknown> = { dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true };
const COMPUTED = VM_REPLICATION.computedOutputs;
/** The input that states the expected state: observed, never set by Pulumi. */
const STATE_INPUT = "replicationState";
const EXPECTED_STATE = "replicating";
/** Inputs VCDA has no setting for: recorded in state, so a change of them is an update that calls nothing. */
const STATE_ONLY = ["allowProtectionGapOnReplace", "failDriftOnUnhealthy"];

const DIFF_SPEC: DiffSpec = {
  replacePaths: VM_REPLICATION.replaceOnChanges,
  updatePaths: [...SETTINGS, EXCLUDED_DISKS, STATE_INPUT, ...STATE_ONLY],
  strictPaths: ["profile", ...STATE_ONLY],
  implied: (path, inputs) => (path === STATE_INPUT ? EXPECTED_STATE : inputs.slaProfileId === undefined ? CUSTOM_DEFAULTS[path] : undefined),
  canonical: (path, value) => (path === EXCLUDED_DISKS && Array.isArray(value) ? sortedKeys(value) : value),
  // VCDA replicates a VM once: the old replication must go before its replacement can start
  deleteBeforeReplace: true,
};

/** GET /vm-replications/{id} also says whether the replication is paused (programming guide, result.isPaused). */
type LiveReplication = VcdaReplication & { isPaused?: boolean };

function sortedKeys(keys: number[]): number[] {
  return [...keys].sort((a, b) => a - b);
}

/** Failed over, migrated or reversed outside Pulumi: VCDA no longer replicates the VM the program describes. */
export function isFailedOver(state: { recoveryState?: string; isReversed?: boolean }): boolean {
  return state.recoveryState === "COMPLETE" || state.isReversed === true;
}

/**
 * Reconfigurable settings update in place, everything else annotated replaceOnChanges replaces.
 * A replication failed over outside Pulumi is never replaced: a change is an update, which refuses
 * and explains what to do.
 */
export function diffVmReplication(olds: VmReplicationOutputs, news: VmReplicationInputs): DiffResult {
  const wanted = userInputs(news);
  if (isFailedOver(olds)) {
    return diffOf(changedPaths(olds, wanted, [...DIFF_SPEC.replacePaths, ...DIFF_SPEC.updatePaths], DIFF_SPEC), []);
  }
  const diff = diffByPaths(olds, wanted, DIFF_SPEC);
  if (diff.replaces) guardProtectionGap(`VmReplication of VM ${olds.vmName ?? olds.source?.vmId} (${olds.replicationId})`,
    diff.replaces.map((path) => ({ path, from: valueAt(olds, path), to: valueAt(wanted, path) })),
    wanted.allowProtectionGapOnReplace,
    "from the delete until the new replication's initial sync completes the VM has no replica instance to recover from");
  return diff;
}

/** What VCDA is doing with the replication; "unhealthy" only when the resource asks for health to count. */
export function observedReplicationState(live: LiveReplication, failOnUnhealthy = false): string {
  const recovery = live.destinationState?.recoveryInfo?.recoveryState;
  if (live.isReversed) return "reversed";
  if (recovery === "COMPLETE") return live.isMigration ? "migrated" : "failedOver";
  if (recovery === "TEST") return "testingFailover";
  if (live.isPaused) return "paused";
  if (failOnUnhealthy && live.overallHealth !== undefined && live.overallHealth !== "GREEN") return "unhealthy";
  return EXPECTED_STATE;
}

/** Why an update must not run: the replication is not in the state the program expects, and Pulumi never changes that state. */
export function replicationStateMismatch(olds: VmReplicationOutputs, news: VmReplicationInputs): string | undefined {
  const found = olds.replicationState ?? EXPECTED_STATE;
  const expected = news.replicationState ?? EXPECTED_STATE;
  if (found === expected) return undefined;
  return `VCDA reports replication ${olds.replicationId} of VM ${olds.vmName ?? olds.source?.vmId} as ${found}, the program expects ${expected}. `
    + "Pulumi does not resume, fail back or reverse replications, and it does not delete or re-create one for this. "
    + `Undo it in VCDA and run \`pulumi refresh\`, or set replicationState: "${found}" to acknowledge it.`;
}

/** Inputs as `check` returns them: schema defaults, VCDA's defaults for custom settings, excluded disks sorted. */
export function normalizeReplicationInputs(inputs: VmReplicationInputs): VmReplicationInputs {
  const normalized: VmReplicationInputs = { ...inputs };
  if (normalized.slaProfileId === undefined) {
    normalized.dataConnectionType ??= "ENCRYPTED_COMPRESSED";
    normalized.quiesced ??= true;
  }
  const excluded = normalized.source?.excludedDisks;
  if (Array.isArray(excluded) && excluded.every((key) => typeof key === "number")) {
    normalized.source = { ...normalized.source, excludedDisks: sortedKeys(excluded) };
  }
  return normalized;
}

/** The POST /vm-replications body for the inputs. */
export function replicationSpec(inputs: VmReplicationInputs): ReplicationSpec {
  const { source, destination } = inputs;
  return stripUndefined({
    source: { type: source.type, site: source.site, vmId: source.vmId, vcUuid: source.vcUuid, excludedDisks: source.excludedDisks },
    destination: {
      type: destination.type, site: destination.site, vdc: destination.vdc, storageProfile: destination.storageProfile,
      seedVmId: destination.seedVmId, seedVm: destination.seedVm,
    },
    description: inputs.description,
    rpo: inputs.rpo,
    dataConnectionType: inputs.dataConnectionType,
    quiesced: inputs.quiesced,
    retentionPolicy: inputs.retentionPolicy,
    targetDiskType: inputs.targetDiskType,
    initialSyncTime: inputs.initialSyncTime,
    isMigration: inputs.isMigration,
    slaProfileId: inputs.slaProfileId,
  });
}

/**
 * The PATCH body that brings the replication's settings to the inputs, or undefined when none
 * changed. Sending any custom setting drops an SLA profile, so a change of custom settings sends
 * all of them; a profile is sent alone.
 */
export function reconfigureSpec(olds: VmReplicationOutputs, inputs: VmReplicationInputs): ReconfigureSpec | undefined {
  const changed = changedPaths(olds, inputs, SETTINGS, DIFF_SPEC);
  const patch: ReconfigureSpec = {};
  if (changed.includes("description")) patch.description = inputs.description;
  if (inputs.slaProfileId !== undefined) {
    if (changed.includes("slaProfileId")) patch.slaProfileId = inputs.slaProfileId;
  } else if (changed.some((field) => CUSTOM_SETTINGS.includes(field))) {
    Object.assign(patch, stripUndefined({
      rpo: inputs.rpo,
      dataConnectionType: inputs.dataConnectionType ?? CUSTOM_DEFAULTS.dataConnectionType,
      quiesced: inputs.quiesced ?? CUSTOM_DEFAULTS.quiesced,
      retentionPolicy: inputs.retentionPolicy,
    }));
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export function excludedDisksChanged(olds: VmReplicationOutputs, inputs: VmReplicationInputs): boolean {
  return changedPaths(olds, inputs, [EXCLUDED_DISKS], DIFF_SPEC).length > 0;
}

/** Why Pulumi leaves a replication alone, or undefined when it replicates as the program says. */
export function driftOf(live: VcdaReplication): string | undefined {
  let what: string;
  if (live.isReversed) what = `was reversed (it now replicates ${live.source.site} → ${live.destination.site})`;
  else if (live.destinationState?.recoveryInfo?.recoveryState === "COMPLETE") what = `was ${live.isMigration ? "migrated" : "failed over"} (recoveryState COMPLETE)`;
  else return undefined;
  return `VCDA reports that replication ${live.id} of VM ${live.vmName} ${what} outside Pulumi, so Pulumi leaves it alone: no update, replace or delete. `
    + "To manage the VM again, remove the resource from the stack with `pulumi state delete <URN>` (the replication stays in VCDA) "
    + "and re-create or adopt it, or bring it back to its original direction in VCDA and run `pulumi refresh`.";
}

/** VmReplication values GET returns, keyed by input path (fields it does not return are absent). */
const OBSERVED: Record<string, (live: VcdaReplication) => unknown> = {
  "source.site": (live) => live.source.site,
  "source.vmId": (live) => live.vmId,
  "source.excludedDisks": (live) => sortedKeys(live.settings.excludedDiskKeys ?? []),
  "destination.site": (live) => live.destination.site,
  "destination.vdc": (live) => live.destination.vdcId ?? undefined,
  "destination.storageProfile": (live) => live.storageProfile ?? undefined,
  description: (live) => live.settings.description,
  rpo: (live) => live.settings.rpo,
  dataConnectionType: (live) => live.settings.dataConnectionType,
  quiesced: (live) => live.settings.quiesced,
  retentionPolicy: (live) => live.settings.retentionPolicy,
  isMigration: (live) => live.isMigration,
  slaProfileId: (live) => live.slaProfile?.id,
};

/** The stored value of each key, replaced by VCDA's value where GET returns one (so drift shows as a property diff). */
function overlay(stored: object, live: VcdaReplication, prefix = ""): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    const path = prefix + key;
    if (prefix === "" && (key === "source" || key === "destination") && value && typeof value === "object") {
      result[key] = overlay(value, live, `${key}.`);
    } else {
      result[key] = OBSERVED[path] ? OBSERVED[path](live) : value;
    }
  }
  return result;
}

/**
 * Outputs: the input keys the user has, with VCDA's values where GET returns them and the stored
 * ones where it does not (types, vcUuid, targetDiskType, seeds, initialSyncTime), plus computed
 * fields. A replication failed over outside Pulumi keeps its recorded inputs, so nothing plans a replace.
 */
export function replicationState(live: LiveReplication, inputs: VmReplicationInputs): VmReplicationOutputs {
  const drift = driftOf(live);
  const desired = omit(userInputs(inputs), COMPUTED);
  const values = drift ? desired : overlay(desired, live);
  return stripUndefined({
    ...values,
    replicationState: observedReplicationState(live, inputs.failDriftOnUnhealthy === true),
    replicationId: live.id,
    vmName: live.vmName,
    owner: live.owner,
    recoveryState: live.destinationState?.recoveryInfo?.recoveryState,
    isReversed: live.isReversed,
    dataConnectionState: live.dataConnectionState,
    overallHealth: live.overallHealth,
    // null, not absent: an absent output is unknown in every preview
    drift: drift ?? null,
  }) as VmReplicationOutputs;
}

export function replicationInputsOf(state: VmReplicationOutputs): VmReplicationInputs {
  return omit(userInputs(state), COMPUTED) as VmReplicationInputs;
}

function vmLabel(inputs: VmReplicationInputs, name?: string | null): string {
  return name ? `${name} (${inputs.source.vmId})` : inputs.source.vmId;
}

/**
 * A refused or failed create, explained. If VCDA did create the replication (its start task failed
 * or ran too long afterwards), it is recorded in state through PartialCreateError rather than orphaned.
 */
async function explainFailedCreate(client: VcdaClient, inputs: VmReplicationInputs, err: unknown): Promise<unknown> {
  if (err instanceof TaskError) {
    const { resourceId, resourceName } = (err.task as VcdaTask).workflowInfo;
    const live = resourceId ? await client.getReplication(resourceId, replicationSite(inputs)).catch(() => undefined) : undefined;
    if (live) {
      return new PartialCreateError(`replication ${live.id} of VM ${vmLabel(inputs, live.vmName)} was created but its start did not complete: `
        + `${err.message}. It is recorded in the stack; check it in VCDA, then run again.`, live.id, { ...replicationState(live, inputs) });
    }
    if (err.kind === "timedOut" && resourceId) {
      // VCDA may show the replication only once its start task ends: record it now, so the next run finds it
      return new PartialCreateError(`replication ${resourceId} of VM ${vmLabel(inputs, resourceName)} was started but ${err.message}. `
        + "It is recorded in the stack: the next `pulumi up` or `pulumi refresh` waits for it and picks it up.",
      resourceId, { ...omit(userInputs(inputs), COMPUTED), replicationId: resourceId });
    }
    return err.kind === "timedOut" ? err : new Error(`VCDA refused replication of VM ${vmLabel(inputs, resourceName)}: ${err.reason}`);
  }
  if (err instanceof ApiError && err.kind === "http" && err.status !== undefined && err.status < 500 && err.status !== 401) {
    return new Error(`VCDA refused replication of VM ${vmLabel(inputs)}: ${describeVcdaError(err.status, err.body) ?? err.message}`);
  }
  return err;
}

/** Each declared path whose live value differs, as `path live → declared` (paths a replace would change listed apart). */
export function adoptionDifferences(live: VcdaReplication, inputs: VmReplicationInputs): { settings: string[]; identity: string[] } {
  const observed = replicationState(live, inputs);
  const describe = (paths: string[]) => {
    const changed = changedPaths(observed, inputs, paths, DIFF_SPEC);
    const flat = (source: object) => Object.fromEntries(changed.map((path) => [path, DIFF_SPEC.canonical!(path, valueAt(source, path) ?? DIFF_SPEC.implied!(path, source as any))]));
    return describeDifferences(flat(inputs), flat(observed));
  };
  return { identity: describe(DIFF_SPEC.replacePaths), settings: describe(DIFF_SPEC.updatePaths) };
}

/**
 * adoptExisting: take over a replication that existed before this resource's request. It must
 * already match the declaration; with "overwrite" its settings are converged in place. What only a
 * replacement could change (VM, sites, vDC, storage profile …) is never adopted across.
 */
async function adoptReplication(client: VcdaClient, inputs: VmReplicationInputs, found: VcdaReplication): Promise<CreateResult<VmReplicationOutputs>> {
  const site = replicationSite(inputs);
  const drift = driftOf(found);
  if (drift) throw new Error(`cannot adopt replication ${found.id}: ${drift}`);
  const { identity, settings } = adoptionDifferences(found, inputs);
  if (identity.length > 0) {
    throw new Error(`${describeReplication(found).what} exists (${found.id}) and differs from this declaration in what only a replacement could change: `
      + `${identity.join(", ")} (live → declared). It was not adopted and nothing was changed, even with adoptExisting: "overwrite".`);
  }
  if (settings.length > 0 && inputs.adoptExisting !== "overwrite") {
    throw new AdoptionRefusedError(describeReplication(found), settings, 'adoptExisting: "overwrite"');
  }
  let live = found;
  const recorded = replicationState(found, inputs);
  const patch = reconfigureSpec(recorded, inputs);
  if (patch) live = await client.reconfigureReplication(found.id, site, patch);
  if (excludedDisksChanged(recorded, inputs)) live = await client.setExcludedDisks(found.id, site, inputs.source.excludedDisks ?? []);
  return { id: live.id, outs: replicationState(live, inputs) };
}

export function createVmReplicationHandler(clientFor: VcdaClientFor = vcdaClientFor): ResourceHandler<VmReplicationInputs, VmReplicationOutputs> {
  return {
    token: TOKEN,

    check: (olds, news) => checkInputs(TOKEN, news, {
      preflight: (inputs: VmReplicationInputs) => preflightVmReplication(clientFor, olds, inputs),
      canonical: normalizeReplicationInputs,
    }),

    diff: async (_id, olds, news) => diffVmReplication(olds, news),

    async create(inputs) {
      const client = clientFor(inputs.profile);
      try {
        const live = await client.createReplication(replicationSpec(inputs), replicationSite(inputs));
        return { id: live.id, outs: replicationState(live, inputs) };
      } catch (err) {
        if (err instanceof ExistedBeforeError && inputs.adoptExisting) return adoptReplication(client, inputs, err.existing as VcdaReplication);
        throw await explainFailedCreate(client, inputs, err);
      }
    },

    async read(id, props) {
      const stored = replicationInputsOf(props);
      const client = clientFor(stored.profile);
      const site = stored.source && stored.destination ? replicationSite(stored) : undefined;
      const live = await client.getReplication(id, site);
      if (!live) {
        // gone after it was failed over outside Pulumi: keep it in state so the VM is not replicated anew behind the user's back
        if (isFailedOver(props)) return { id, props: userInputs(props), inputs: stored };
        // recorded while its start task ran (partial create): VCDA shows it once the task ends
        if (await client.runningStart(id, site)) return { id, props: userInputs(props), inputs: stored };
        return {};
      }
      const state = replicationState(live, stored);
      return { id, props: state, inputs: replicationInputsOf(state) };
    },

    async update(id, olds, inputs) {
      const mismatch = replicationStateMismatch(olds, inputs);
      if (mismatch) throw new Error(mismatch);
      const client = clientFor(inputs.profile);
      const site = replicationSite(inputs);
      let live = await client.getReplication(id, site) ?? await client.finishPendingStart(id, site);
      if (!live) {
        throw new Error(isFailedOver(olds)
          ? `cannot update replication ${id}: ${olds.drift ?? "it was failed over outside Pulumi"}`
          : `replication ${id} no longer exists in VCDA; run \`pulumi refresh\` so that the next update re-creates it`);
      }
      const drift = driftOf(live);
      if (drift) throw new Error(`cannot update replication ${id}: ${drift}`);
      try {
        const patch = reconfigureSpec(olds, inputs);
        if (patch) live = await client.reconfigureReplication(id, site, patch);
        if (excludedDisksChanged(olds, inputs)) live = await client.setExcludedDisks(id, site, inputs.source.excludedDisks ?? []);
      } catch (err) {
        if (taskRefused(err)) throw new Error(`VCDA refused to reconfigure replication ${id} of VM ${vmLabel(inputs, live.vmName)}: ${err.reason}`);
        throw err;
      }
      return { outs: replicationState(live, inputs) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      const site = replicationSite(props);
      // one whose start task still runs would appear after we left: wait for it, then stop it
      const live = await client.getReplication(id, site) ?? await client.finishPendingStart(id, site);
      if (!live) return;
      const drift = driftOf(live);
      if (drift) throw new Error(`cannot delete replication ${id}: ${drift}`);
      await client.deleteReplication(id, site);
    },
  };
}

export const handler = createVmReplicationHandler();
