import { ApiError, TaskError, taskRefused } from "../http";
import type { VappReplicationInputs, VappReplicationOutputs, VappReplicationVm, VmReplicationInputs } from "../inputs.generated";
import { AdoptionRefusedError, ExistedBeforeError } from "../ownership";
import { VAPP_REPLICATION } from "../resources.generated";
import { DiffSpec, omit, stripUndefined, userInputs } from "../state";
import { CreateResult, DiffResult, ResourceHandler } from "../types";
import { checkInputs } from "../validate";
import { VcdaClient, VcdaClientFor, vcdaClientFor } from "./client";
import { describeVcdaError, VappReplicationSpec, VcdaReplication, VcdaVappReplication } from "./models";
import { describeVappReplication } from "./foundObjects";
import {
  adoptionDifferences, diffReplication, EXPECTED_STATE, isFailedOver, Observed, OBSERVED_SETTINGS, observedReplicationState, overlay, reconfigureSpec,
  replicationDiffSpec, replicationHealth, reportedRecoveryState, settingsSpec, stateMismatch, withCustomDefaults,
} from "./replication";
import { preflightVmReplication } from "./preflight";
import { replicationSite } from "./sites";

/*
 * A vApp replication: every VM of a Cloud Director vApp replicated with one set of settings. The 4.1
 * API shows vApp replications only through the VM replication object (`vappReplicationId`,
 * `source.vappId`/`vappName`); the /vapp-replications requests come from later VMware sources, with
 * the VM replication bodies (docs/api-notes/vcda.md#vapp-replications; see VcdaVappReplication).
 */

const TOKEN = VAPP_REPLICATION.token;
const COMPUTED = VAPP_REPLICATION.computedOutputs;
const DIFF_SPEC: DiffSpec = replicationDiffSpec(VAPP_REPLICATION.replaceOnChanges);
const HEALTH_ORDER = ["GREEN", "YELLOW", "RED"];

/** The first VM replication the program would not expect (failed over, reversed, paused …), else the first. */
function decidingVm(live: VcdaVappReplication, failOnUnhealthy: boolean): VcdaReplication | undefined {
  return live.vmReplications.find((vm) => observedReplicationState(vm, failOnUnhealthy) !== EXPECTED_STATE) ?? live.vmReplications[0];
}

function vappLabel(live: { id?: string; source?: { vappName?: string; vappId?: string } }): string {
  return `vApp ${live.source?.vappName ? `${live.source.vappName} (${live.source.vappId})` : live.source?.vappId}`;
}

/** Why Pulumi leaves a vApp replication alone (a VM of it failed over, migrated or reversed outside Pulumi), or undefined. */
export function vappDriftOf(live: VcdaVappReplication): string | undefined {
  const moved = live.vmReplications.find(isMoved);
  if (!moved) return undefined;
  const what = moved.isReversed ? "was reversed" : `was ${moved.isMigration ? "migrated" : "failed over"} (recoveryState COMPLETE)`;
  return `VCDA reports that VM ${moved.vmName} of vApp replication ${live.id} (${vappLabel(live)}) ${what} outside Pulumi, so Pulumi leaves the vApp replication alone: no update, replace or delete. `
    + "To manage the vApp again, remove the resource from the stack with `pulumi state delete <URN>` (the replication stays in VCDA) "
    + "and re-create or adopt it, or bring it back to its original direction in VCDA and run `pulumi refresh`.";
}

function isMoved(vm: VcdaReplication): boolean {
  return isFailedOver({ recoveryState: vm.destinationState?.recoveryInfo?.recoveryState, isReversed: vm.isReversed });
}

/** Values GET returns, keyed by input path. Settings are each VM's (one PATCH sets them for all): the first VM's are shown. */
const OBSERVED: Observed<VcdaVappReplication> = {
  ...Object.fromEntries(Object.entries(OBSERVED_SETTINGS).filter(([path]) => path !== "isMigration")
    .map(([path, read]) => [path, (live: VcdaVappReplication, stored: unknown) => (live.vmReplications[0] ? read(live.vmReplications[0], stored) : stored)])),
  "source.site": (live) => live.source.site,
  "source.vappId": (live) => live.source.vappId,
  "destination.site": (live) => live.destination.site,
  "destination.vdc": (live) => live.destination.vdcId ?? undefined,
  "destination.storageProfile": (live) => live.storageProfile ?? undefined,
  isMigration: (live) => live.isMigration,
};

function vmOutputs(vm: VcdaReplication): VappReplicationVm {
  return stripUndefined({
    replicationId: vm.id,
    vmId: vm.vmId,
    vmName: vm.vmName,
    recoveryState: reportedRecoveryState(vm),
    dataConnectionState: vm.dataConnectionState,
    overallHealth: vm.overallHealth,
    ...replicationHealth(vm),
  });
}

/**
 * Outputs: the input keys the user has, with VCDA's values where GET returns them, plus each VM's
 * health and the vApp's worst health and largest RPO violation. A vApp replication failed over outside
 * Pulumi keeps its recorded inputs, so nothing plans a replace.
 */
export function vappReplicationState(live: VcdaVappReplication, inputs: VappReplicationInputs): VappReplicationOutputs {
  const drift = vappDriftOf(live);
  const desired = omit(userInputs(inputs), COMPUTED);
  const vms = live.vmReplications.map(vmOutputs);
  const deciding = decidingVm(live, inputs.failDriftOnUnhealthy === true);
  const worst = Math.max(-1, ...vms.map((vm) => HEALTH_ORDER.indexOf(vm.overallHealth ?? "")));
  return stripUndefined({
    ...(drift ? desired : overlay(desired, live, OBSERVED)),
    replicationState: deciding ? observedReplicationState(deciding, inputs.failDriftOnUnhealthy === true) : EXPECTED_STATE,
    replicationId: live.id,
    vappName: live.source.vappName,
    owner: live.owner,
    overallHealth: HEALTH_ORDER[worst] ?? deciding?.overallHealth,
    currentRpoViolation: Math.max(-1, ...vms.map((vm) => vm.currentRpoViolation ?? -1)),
    vms,
    // null, not absent: an absent output is unknown in every preview
    drift: drift ?? null,
  }) as VappReplicationOutputs;
}

/** What adopting `live` under `inputs` would change: settings (in place) and identity (only a replace could). */
export function vappAdoptionDifferences(live: VcdaVappReplication, inputs: VappReplicationInputs): { settings: string[]; identity: string[] } {
  return adoptionDifferences(vappReplicationState(live, inputs), inputs, DIFF_SPEC);
}

function vappReplicationInputsOf(state: VappReplicationOutputs): VappReplicationInputs {
  return omit(userInputs(state), COMPUTED) as VappReplicationInputs;
}

function normalizeVappReplicationInputs(inputs: VappReplicationInputs): VappReplicationInputs {
  return withCustomDefaults(inputs);
}

/** The POST /vapp-replications body for the inputs. */
export function vappReplicationSpec(inputs: VappReplicationInputs): VappReplicationSpec {
  const { source, destination } = inputs;
  return stripUndefined({
    source: { type: source.type, site: source.site, vappId: source.vappId },
    destination: { type: destination.type, site: destination.site, vdc: destination.vdc, storageProfile: destination.storageProfile },
    ...settingsSpec(inputs),
  });
}

/** As VmReplication: settings update in place, the rest replaces; one failed over outside Pulumi is never replaced. */
function diffVappReplication(olds: VappReplicationOutputs, news: VappReplicationInputs): DiffResult {
  return diffReplication(olds, news, DIFF_SPEC, Boolean(olds.drift), "the vApp's VMs have",
    `VappReplication of vApp ${olds.vappName ?? olds.source?.vappId} (${olds.replicationId})`);
}

/** The PATCH that brings the settings to the inputs (sourceReconfigure included), applied when there is one. */
async function reconfigure(client: VcdaClient, live: VcdaVappReplication, recorded: object, inputs: VappReplicationInputs): Promise<VcdaVappReplication> {
  const patch = reconfigureSpec(recorded, inputs, DIFF_SPEC);
  if (!patch) return live;
  try {
    return await client.reconfigureVappReplication(live.id, replicationSite(inputs), patch);
  } catch (err) {
    if (taskRefused(err)) throw new Error(`VCDA refused to reconfigure vApp replication ${live.id} (${vappLabel(live)}): ${err.reason}`);
    throw err;
  }
}

/** adoptExisting: as for VmReplication, only a vApp replication that already matches (or, with "overwrite", differs only in settings). */
async function adoptVappReplication(client: VcdaClient, inputs: VappReplicationInputs, found: VcdaVappReplication): Promise<CreateResult<VappReplicationOutputs>> {
  const drift = vappDriftOf(found);
  if (drift) throw new Error(`cannot adopt vApp replication ${found.id}: ${drift}`);
  const recorded = vappReplicationState(found, inputs);
  const { identity, settings } = adoptionDifferences(recorded, inputs, DIFF_SPEC);
  if (identity.length > 0) {
    throw new Error(`${describeVappReplication(found).what} exists (${found.id}) and differs from this declaration in what only a replacement could change: `
      + `${identity.join(", ")} (live → declared). It was not adopted and nothing was changed, even with adoptExisting: "overwrite".`);
  }
  if (settings.length > 0 && inputs.adoptExisting !== "overwrite") {
    throw new AdoptionRefusedError(describeVappReplication(found), settings, 'adoptExisting: "overwrite"');
  }
  const live = await reconfigure(client, found, recorded, inputs);
  return { id: live.id, outs: vappReplicationState(live, inputs) };
}

function explainFailedCreate(inputs: VappReplicationInputs, err: unknown): unknown {
  const what = `replication of vApp ${inputs.source.vappId}`;
  if (err instanceof TaskError && err.kind !== "timedOut") return new Error(`VCDA refused ${what}: ${err.reason}`);
  if (err instanceof ApiError && err.kind === "http" && err.status !== undefined && err.status < 500 && err.status !== 401) {
    return new Error(`VCDA refused ${what}: ${describeVcdaError(err.status, err.body) ?? err.message}`);
  }
  return err;
}

export function createVappReplicationHandler(clientFor: VcdaClientFor = vcdaClientFor): ResourceHandler<VappReplicationInputs, VappReplicationOutputs> {
  return {
    token: TOKEN,

    check: (olds, news) => checkInputs(TOKEN, news, {
      // the VM replication's checks of sites, destination vDC, storage profile and policy fit (a 'vapp' source has no VM to look up)
      preflight: (inputs: VappReplicationInputs) => preflightVmReplication(clientFor, olds as unknown as VmReplicationInputs, inputs as unknown as VmReplicationInputs, "VappReplication"),
      canonical: normalizeVappReplicationInputs,
    }),

    diff: async (_id, olds, news) => diffVappReplication(olds, news),

    async create(inputs) {
      const client = clientFor(inputs.profile);
      let live: VcdaVappReplication;
      try {
        live = await client.createVappReplication(vappReplicationSpec(inputs), replicationSite(inputs));
      } catch (err) {
        if (err instanceof ExistedBeforeError && inputs.adoptExisting) return adoptVappReplication(client, inputs, err.existing as VcdaVappReplication);
        throw explainFailedCreate(inputs, err);
      }
      // the create body has no sourceReconfigure (docs/api-notes/vcda.md#vm-replications-starting-one): the PATCH that follows sets it
      if (inputs.sourceReconfigure) live = await reconfigure(client, live, { ...inputs, sourceReconfigure: undefined }, inputs);
      return { id: live.id, outs: vappReplicationState(live, inputs) };
    },

    async read(id, props) {
      const stored = vappReplicationInputsOf(props);
      const live = await clientFor(stored.profile).getVappReplication(id, replicationSite(stored));
      if (!live) {
        // gone after it was failed over outside Pulumi: keep it in state so the vApp is not replicated anew behind the user's back
        if (props.drift) return { id, props: userInputs(props), inputs: stored };
        return {};
      }
      const state = vappReplicationState(live, stored);
      return { id, props: state, inputs: vappReplicationInputsOf(state) };
    },

    async update(id, olds, inputs) {
      const mismatch = stateMismatch(`vApp replication ${id} (vApp ${olds.vappName ?? olds.source?.vappId})`, olds.replicationState, inputs.replicationState);
      if (mismatch) throw new Error(mismatch);
      const client = clientFor(inputs.profile);
      const live = await client.getVappReplication(id, replicationSite(inputs));
      if (!live) throw new Error(`vApp replication ${id} no longer exists in VCDA; run \`pulumi refresh\` so that the next update re-creates it`);
      const drift = vappDriftOf(live);
      if (drift) throw new Error(`cannot update vApp replication ${id}: ${drift}`);
      return { outs: vappReplicationState(await reconfigure(client, live, olds, inputs), inputs) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      const live = await client.getVappReplication(id, replicationSite(props));
      if (!live) return;
      const drift = vappDriftOf(live);
      if (drift) throw new Error(`cannot delete vApp replication ${id}: ${drift}`);
      await client.deleteVappReplication(id, replicationSite(props));
    },
  };
}

export const handler = createVappReplicationHandler();
