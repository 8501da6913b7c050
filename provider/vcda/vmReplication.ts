import { ApiError, TaskError, taskRefused } from "../http";
import type { VmReplicationInputs, VmReplicationOutputs } from "../inputs.generated";
import { AdoptionRefusedError, ExistedBeforeError } from "../ownership";
import { VM_REPLICATION } from "../resources.generated";
import { CreateResult, DiffResult, PartialCreateError, ResourceHandler } from "../types";
import { changedPaths, DiffSpec, omit, stripUndefined, userInputs } from "../state";
import {
  adoptionDifferences as replicationDifferences, diffReplication, isFailedOver, Observed, OBSERVED_SETTINGS, observedReplicationState, overlay, reconfigureSpec as settingsPatch,
  replicationDiffSpec, replicationHealth, reportedRecoveryState, settingsSpec, stateMismatch, withCustomDefaults,
} from "./replication";
import { checkInputs } from "../validate";
import { VcdaClient, VcdaClientFor, vcdaClientFor } from "./client";
import { replicationOfRun } from "./runListings";
import { describeVcdaError, ReconfigureSpec, ReplicationSpec, VcdaReplication, VcdaTask } from "./models";
import { describeReplication } from "./foundObjects";
import { preflightVmReplication } from "./preflight";
import { replicationSite } from "./sites";

const TOKEN = VM_REPLICATION.token;

const EXCLUDED_DISKS = "source.excludedDisks";
const COMPUTED = VM_REPLICATION.computedOutputs;

const DIFF_SPEC: DiffSpec = replicationDiffSpec(VM_REPLICATION.replaceOnChanges, [EXCLUDED_DISKS],
  (path, value) => (path === EXCLUDED_DISKS && Array.isArray(value) ? sortedKeys(value) : value));

function sortedKeys(keys: number[]): number[] {
  return [...keys].sort((a, b) => a - b);
}

export { observedReplicationState };

export function diffVmReplication(olds: VmReplicationOutputs, news: VmReplicationInputs): DiffResult {
  return diffReplication(olds, news, DIFF_SPEC, isFailedOver(olds), "the VM has",
    `VmReplication of VM ${olds.vmName ?? olds.source?.vmId} (${olds.replicationId})`);
}

/** Why an update must not run: the replication is not in the state the program expects, and Pulumi never changes that state. */
export function replicationStateMismatch(olds: VmReplicationOutputs, news: VmReplicationInputs): string | undefined {
  return stateMismatch(`replication ${olds.replicationId} of VM ${olds.vmName ?? olds.source?.vmId}`, olds.replicationState, news.replicationState);
}

/** Inputs as `check` returns them: schema defaults, VCDA's defaults for custom settings, excluded disks sorted. */
function normalizeReplicationInputs(inputs: VmReplicationInputs): VmReplicationInputs {
  const normalized = withCustomDefaults(inputs);
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
    ...settingsSpec(inputs),
  });
}

/** The PATCH body that brings the replication's settings to the inputs, or undefined when none changed. */
export function reconfigureSpec(olds: VmReplicationOutputs, inputs: VmReplicationInputs): ReconfigureSpec | undefined {
  return settingsPatch(olds, inputs, DIFF_SPEC);
}

function excludedDisksChanged(olds: VmReplicationOutputs, inputs: VmReplicationInputs): boolean {
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
const OBSERVED: Observed<VcdaReplication> = {
  ...OBSERVED_SETTINGS,
  "source.site": (live) => live.source.site,
  "source.vmId": (live) => live.vmId,
  "source.excludedDisks": (live) => sortedKeys(live.settings.excludedDiskKeys ?? []),
  "destination.site": (live) => live.destination.site,
  "destination.vdc": (live) => live.destination.vdcId ?? undefined,
  "destination.storageProfile": (live) => live.storageProfile ?? undefined,
};

/**
 * Outputs: the input keys the user has, with VCDA's values where GET returns them and the stored
 * ones where it does not (types, vcUuid, targetDiskType, seeds, initialSyncTime), plus computed
 * fields. A replication failed over outside Pulumi keeps its recorded inputs, so nothing plans a replace.
 */
export function replicationState(live: VcdaReplication, inputs: VmReplicationInputs): VmReplicationOutputs {
  const drift = driftOf(live);
  const desired = omit(userInputs(inputs), COMPUTED);
  const values = drift ? desired : overlay(desired, live, OBSERVED);
  return stripUndefined({
    ...values,
    replicationState: observedReplicationState(live, inputs.failDriftOnUnhealthy === true),
    replicationId: live.id,
    vmName: live.vmName,
    owner: live.owner,
    recoveryState: reportedRecoveryState(live),
    isReversed: live.isReversed,
    dataConnectionState: live.dataConnectionState,
    overallHealth: live.overallHealth,
    ...replicationHealth(live),
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
  return replicationDifferences(replicationState(live, inputs), inputs, DIFF_SPEC);
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
        let live = await client.createReplication(replicationSpec(inputs), replicationSite(inputs));
        // the create body has no sourceReconfigure (docs/api-notes/vcda.md#vm-replications-starting-one): the PATCH that follows sets it
        if (inputs.sourceReconfigure) live = await client.reconfigureReplication(live.id, replicationSite(inputs), { sourceReconfigure: inputs.sourceReconfigure });
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
      const live = await replicationOfRun(client, id, site);
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
