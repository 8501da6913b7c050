import { ApiError, reasonOf, taskRefused } from "../http";
import type { VpgInputs, VpgOutputs } from "../inputs.generated";
import { VPG } from "../resources.generated";
import { CheckFailure, DiffResult, PartialCreateError, ResourceHandler } from "../types";
import { diffOf, UNKNOWN, userInputs, valueAt } from "../state";
import { checkInputs } from "../validate";
import { AdoptionRefusedError, describeDifferences } from "../ownership";
import { guardProtectionGap, isReplacing, noteReplace } from "../protectionGap";
import { ZertoClient, ZertoClientFor, zertoClientFor } from "./client";
import { vpgById, vpgOfRun } from "./runListings";
import type { ZertoProtectedVm, ZertoVpg } from "./models";
import { identityOf, IntentStore } from "./intents";
import {
  claimByIdentity, createOutcome, CreateRejectedError, createVpg, resumeInterruptedCreate, settleCreate, unresolvedPendingCreate, waitedCreateOutcome,
} from "./pendingCreate";
import { pendingTaskOf } from "../pendingId";
import { nameSeenFree, noteCreating, preflightVpg } from "./preflight";
import { fromSummary, toOutputs, withProtectedVms } from "./summary";
import { vcdCrossCheck } from "./vcd";
import { fromSettings, toSettings } from "./vpgSettings";
import { RECOVERY_STATES } from "./vpgStatus";
import { canonicalInputs, changedKeys, DEFAULT_BOOT_GROUP, expectedProtectionState, inputsOf, normalize, STATE_INPUT, STATE_ONLY_INPUTS } from "./vpgDefinition";

const VPG_TOKEN = VPG.token;

/** Rules across properties that the schema cannot express; no network. */
export function crossCheck(inputs: VpgInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const groups = Array.isArray(inputs.bootGroups) ? inputs.bootGroups : undefined;
  const groupsKnown = inputs.bootGroups === undefined || (groups !== undefined && groups.every((g) => g && g.name !== UNKNOWN));
  if (groupsKnown && Array.isArray(inputs.vms)) {
    const names = new Set([DEFAULT_BOOT_GROUP, ...(groups ?? []).map((g) => g.name)]);
    const listed = [...names].map((n) => `'${n}'`).join(", ");
    inputs.vms.forEach((vm, i) => {
      if (vm && typeof vm.bootGroup === "string" && vm.bootGroup !== UNKNOWN && !names.has(vm.bootGroup)) {
        const property = `vms[${i}].bootGroup`;
        failures.push({ property, reason: `Vpg: ${property} must name one of bootGroups or "Default" (declared: ${listed}) [rule: boot group reference]` });
      }
    });
  }
  const { protectedSiteId, recoverySiteId } = inputs;
  if (protectedSiteId && recoverySiteId && protectedSiteId !== UNKNOWN && protectedSiteId.toLowerCase() === recoverySiteId.toLowerCase()) {
    failures.push({ property: "recoverySiteId", reason: "Vpg: recoverySiteId must differ from protectedSiteId [rule: distinct sites]" });
  }
  failures.push(...vcdCrossCheck(inputs));
  return failures;
}

/**
 * Pure: what changed between the stored outputs and the desired inputs, and whether that needs a
 * new VPG. A replace deletes the VPG first, so without allowProtectionGapOnReplace it is refused
 * (ProtectionGapError) and preview fails before anything is touched.
 */
export function diffVpg(olds: VpgOutputs, news: VpgInputs): DiffResult {
  // a VPG name is unique on the ZVM and a VM replicates once per site: the old VPG must go first
  const diff = diffOf(changedKeys(olds, news, VPG.createOnly), VPG.replaceOnChanges, { deleteBeforeReplace: true });
  if (!diff.replaces) return diff;
  const vms = Array.isArray(olds.vms) ? olds.vms.length : 0;
  guardProtectionGap(`Vpg '${olds.name}' (VPG ${olds.vpgId})`,
    diff.replaces.map((path) => ({ path, from: path === "protectedSiteId" ? olds.protectedSiteId ?? olds.resolvedProtectedSiteId : valueAt(olds, path), to: valueAt(news, path) })),
    news.allowProtectionGapOnReplace,
    `from the delete until the new VPG's initial sync completes its ${vms} VM(s) have no replica to recover from`);
  return diff;
}

/** Why an update must not run: the VPG is not in the state the program expects, and Pulumi never changes that state. */
export function stateMismatch(olds: VpgOutputs, news: VpgInputs): string | undefined {
  const found = expectedProtectionState(olds.protectionState);
  const expected = expectedProtectionState(news.protectionState);
  if (found === expected) return undefined;
  return `Zerto reports VPG '${olds.name}' (${olds.vpgId}) as ${found} (status ${olds.status}, substatus ${olds.subStatus}), `
    + `the program expects ${expected}. Pulumi does not resume, fail back or stop operations, and it does not delete or re-create the VPG for this. `
    + `Finish or undo the operation in the ZVM and run \`pulumi refresh\`, or set protectionState: "${found}" to acknowledge it.`;
}

/**
 * The VPG resource: create/edit drafts, commit, wait for the task. Refresh reads the read-only
 * summary by default (zerto:refreshMode "full" adds an edit draft); update and adoption read the
 * whole definition through an edit draft.
 */
export function createVpgHandler(clientFor: ZertoClientFor = zertoClientFor, intents = new IntentStore()): ResourceHandler<VpgInputs, VpgOutputs> {
  return {
    token: VPG_TOKEN,

    check: (olds, news) => checkInputs(VPG_TOKEN, news, {
      crossCheck,
      preflight: (inputs: VpgInputs) => preflightVpg(clientFor, olds, inputs, intents),
      canonical: canonicalInputs,
    }),

    async diff(id, olds, news) {
      // a create recorded as pending and not yet settled: the update takes over its VPG and records its id
      if (pendingTaskOf(id) && !olds.vpgId) return { ...diffVpg(olds, news), changes: true };
      const result = diffVpg(olds, news);
      if (result.replaces?.length) noteReplace(id);
      return result;
    },

    async create(inputs) {
      const client = clientFor(inputs.profile);
      const resumed = await resumeInterruptedCreate(client, intents, inputs);
      if (resumed) return { id: resumed, outs: await convergeOurs(client, resumed, inputs) };
      // the name check is preflight's when it ran in this run; otherwise it is made here
      const existing = (await nameSeenFree(client, inputs.profile, inputs.name)) ? undefined : await client.findVpgByName(inputs.name);
      if (existing) return adopt(client, existing, inputs);
      noteCreating(client, inputs.profile, inputs.name);
      const created = await createVpg(client, intents, inputs);
      // our own task completed: the VPG holds exactly the definition we committed, so no edit draft is opened to read it back
      const outputsAs = (vpg: ZertoVpg, protectedVms: ZertoProtectedVm[] | null) => withProtectedVms(toOutputs(fromSettings(created.committed, inputs), vpg, inputs), vpg, protectedVms);
      const id = created.vpg.VpgIdentifier;
      let vpg = created.vpg;
      if (inputs.waitForSla) {
        try {
          vpg = await client.waitForSla(id, inputs.name);
        } catch (err) {
          // the VPG exists and is ours: it is recorded in the stack whatever the wait found
          throw new PartialCreateError(`Zerto created VPG '${inputs.name}' (${id}) but ${reasonOf(err)}. It is recorded in the stack; `
            + "run pulumi refresh to see its status, and pulumi up again once it meets its SLA", id, { ...outputsAs(vpg, null) });
        }
      }
      // Right after a create every VM is still in its initial sync, so per-VM status is read by the
      // next refresh; a create that waited for the SLA reads it now (reporting only: it never fails the create).
      return { id, outs: outputsAs(vpg, inputs.waitForSla ? await client.protectedVmsOf(vpg).catch(() => null) : null) };
    },

    async read(id, props) {
      const client = clientFor(props.profile);
      const pendingTask = pendingTaskOf(id);
      let vpgId = pendingTask ? props.vpgId : id;
      if (!vpgId) {
        const outcome = await createOutcome(client, pendingTask!);
        if (outcome.kind === "running") return { id, props };
        if (outcome.kind === "failed") return {};
        if (outcome.kind === "unknown") throw unresolvedPendingCreate(props, pendingTask!, outcome.reason);
        vpgId = outcome.vpgId ?? (await claimByIdentity(client, props as VpgInputs, pendingTask!));
      }
      // a pending create resolved here takes its VPG's id in the stack (the engine accepts a new id on refresh)
      forgetIntent(client, intents, props);
      const outs = await readOutputs(client, vpgId, props, client.connection.refreshMode === "full" ? "full" : "summary", vpgOfRun);
      return outs ? { id: vpgId, props: outs, inputs: inputsOf(outs) } : {};
    },

    async update(id, olds, news) {
      const mismatch = stateMismatch(olds, news);
      if (mismatch) throw new Error(mismatch);
      const client = clientFor(news.profile);
      const pendingTask = pendingTaskOf(id);
      // a create recorded as pending: take over the VPG its task made (the stack's id follows on refresh)
      const vpgId = pendingTask ? olds.vpgId ?? (await settleCreate(client, pendingTask, olds as VpgInputs).then((vpg) => vpg.VpgIdentifier, (err) => {
        if (!(err instanceof CreateRejectedError)) throw err;
        throw new Error(`${err.message}. The pending create made nothing: pulumi refresh drops it from the stack, then pulumi up creates the VPG`);
      })) : id;
      const definitionChanged = changedKeys(olds, news, [...VPG.createOnly, ...STATE_ONLY_INPUTS, STATE_INPUT]).length > 0;
      if (!definitionChanged && !(pendingTask && !olds.vpgId)) {
        // only state-only inputs changed (keepRecoveryVolumesOnDelete): nothing to tell the ZVM
        const outs: VpgOutputs = { ...olds };
        for (const key of STATE_ONLY_INPUTS) {
          if (news[key] === undefined) delete outs[key];
          else (outs as any)[key] = news[key];
        }
        return { outs };
      }
      forgetIntent(client, intents, olds);
      if (definitionChanged) await applyDefinition(client, vpgId, news);
      return { outs: await liveOutputs(client, vpgId, news) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      const name = props.name ?? id;
      const pendingTask = pendingTaskOf(id);
      let vpgId = pendingTask ? props.vpgId : id;
      if (!vpgId) {
        const outcome = await waitedCreateOutcome(client, pendingTask!, name);
        if (outcome.kind === "failed") return; // the create never made a VPG
        if (outcome.kind === "running") {
          throw new Error(`Zerto is still creating VPG '${name}' (ZVM task ${pendingTask}); it stays in the stack: run the operation again once the task ends`);
        }
        if (outcome.kind === "unknown") throw unresolvedPendingCreate(props, pendingTask!, outcome.reason);
        vpgId = outcome.vpgId ?? (await claimByIdentity(client, props as VpgInputs, pendingTask!));
      }
      forgetIntent(client, intents, props);
      // the delete of a replace keeps the replica disks: the protection it ends is being moved, not dropped
      const taskId = await client.deleteVpg(vpgId, isReplacing(id) || (props.keepRecoveryVolumesOnDelete ?? false));
      if (taskId === "gone") return;
      if (taskId === "deleting") {
        await client.waitForVpgGone(vpgId, name, true).catch((err) => {
          throw new Error(`Zerto is still deleting VPG '${name}' (a deletion started earlier has not finished): ${reasonOf(err)}. `
            + "It stays in the stack; run the operation again once the ZVM's task ends.");
        });
        return;
      }
      try {
        await client.waitForTask(taskId, `deleting VPG '${name}'`);
      } catch (err) {
        if ((taskRefused(err) || (err instanceof ApiError && err.isNotFound)) && !(await client.getVpg(vpgId))) return;
        throw new Error(`Zerto could not delete VPG '${name}': ${reasonOf(err)}`);
      }
      await client.waitForVpgGone(vpgId, name);
    },
  };
}

export const handler = createVpgHandler();

/** The stack holds this VPG (the engine handed it to read, update or delete): no interrupted create of it is left to resume. */
function forgetIntent(client: ZertoClient, intents: IntentStore, declared: Partial<VpgInputs>): void {
  if (declared.name && declared.recoverySiteId) intents.remove(client.connection.url, identityOf(declared as VpgInputs));
}

/** adoptExisting: true takes a VPG that already matches the declaration; "overwrite" makes it match. */
async function adopt(client: ZertoClient, existing: ZertoVpg, inputs: VpgInputs): Promise<{ id: string; outs: VpgOutputs }> {
  const id = existing.VpgIdentifier;
  const found = { what: `Zerto VPG '${inputs.name}'`, id };
  if (!inputs.adoptExisting) {
    throw new Error(`Zerto: a VPG named '${inputs.name}' already exists (${id}) and this operation did not create it; `
      + "set adoptExisting: true to manage it when it matches this definition (\"overwrite\" to make it match), or choose another name");
  }
  const live = await readOutputs(client, id, inputs);
  if (!live) throw new Error(`Zerto: VPG '${inputs.name}' (${id}) disappeared while it was being adopted; run the operation again`);
  if (inputs.adoptExisting !== "overwrite") {
    const differences = definitionDifferences(live, inputs);
    if (differences.length) throw new AdoptionRefusedError(found, differences, "adoptExisting: \"overwrite\"");
    return { id, outs: live };
  }
  return { id, outs: await convergeOurs(client, id, inputs) };
}

/** Brings a VPG that is ours to the declaration; a failure still records it (it must not be orphaned). */
async function convergeOurs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<VpgOutputs> {
  try {
    const live = await readOutputs(client, vpgId, inputs);
    if (!live || changedKeys(live, userInputs(inputs), [...STATE_ONLY_INPUTS]).length) await applyDefinition(client, vpgId, inputs);
  } catch (err) {
    throw new PartialCreateError(`Zerto: VPG '${inputs.name}' (${vpgId}) is this stack's but could not be updated: ${reasonOf(err)}`, vpgId,
      await outputsOrInputs(client, vpgId, inputs));
  }
  return outputsOfOurs(client, vpgId, inputs);
}

/** Each setting of the live VPG that differs from the declaration, as a reviewer reads it (live → declared). */
export function definitionDifferences(live: VpgOutputs, withProvider: VpgInputs): string[] {
  // the engine hands create its `__provider` among the inputs: no setting of the VPG
  const inputs = userInputs(withProvider);
  const keys = changedKeys(live, inputs, [...STATE_ONLY_INPUTS]);
  const have = normalize({ ...inputsOf(live), protectedSiteId: inputs.protectedSiteId === undefined ? undefined : live.protectedSiteId ?? live.resolvedProtectedSiteId });
  const want = normalize(inputs);
  const vmIds = (vms: unknown) => (Array.isArray(vms) ? vms.map((vm) => vm.vmId) : []);
  const membership = describeDifferences({ vms: vmIds(inputs.vms) }, { vms: vmIds(live.vms) }, { sets: ["vms"] });
  const declared: Record<string, unknown> = {};
  const current: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === "vms" && membership.length) continue;
    declared[key] = want[key] ?? null;
    current[key] = have[key];
  }
  return [...membership, ...describeDifferences(declared, current)];
}

/** One edit draft: membership by explicit VM add/remove, then the whole definition, commit, wait. */
async function applyDefinition(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<void> {
  const settingsId = await client.createVpgSettings({ vpgId });
  let committing = false;
  try {
    let current = await client.getVpgSettings(settingsId);
    const have = new Set<string>((current.Vms ?? []).map((vm: { VmIdentifier: string }) => vm.VmIdentifier));
    const want = new Set(inputs.vms.map((vm) => vm.vmId));
    const removed = [...have].filter((id) => !want.has(id));
    const added = [...want].filter((id) => !have.has(id));
    for (const vmId of removed) await client.removeVm(settingsId, vmId);
    for (const vmId of added) await client.addVm(settingsId, { VmIdentifier: vmId });
    if (removed.length || added.length) current = await client.getVpgSettings(settingsId);
    await client.putVpgSettings(settingsId, toSettings(inputs, current));
    committing = true;
    const taskId = await client.commitVpgSettings(settingsId, { kind: "update", vpgId, name: inputs.name });
    await client.waitForTask(taskId, `updating VPG '${inputs.name}'`);
  } catch (err) {
    // a commit settles its own draft, and a committed draft is never touched again
    if (!committing) await client.discardVpgSettings(settingsId);
    if (taskRefused(err)) throw new Error(`Zerto rejected the change to VPG '${inputs.name}': ${err.reason}`);
    throw new Error(`Zerto could not update VPG '${inputs.name}': ${reasonOf(err)}`);
  }
}

/**
 * How deep a read looks. "summary": only read-only requests (the VPG, its protected VMs); the
 * properties they do not show keep their recorded values. "full": the committed definition too,
 * which is only readable through an edit draft (opened and always discarded: 2 requests that change
 * server state). A read with nothing recorded (an import) is always full.
 */
type ReadDepth = "summary" | "full";

/** The VPG as the ZVM has it now, shaped like the outputs; undefined when it is gone. */
export async function readOutputs(client: ZertoClient, vpgId: string, declared: Partial<VpgInputs>, depth: ReadDepth = "full",
  readVpg: typeof vpgById = vpgById): Promise<VpgOutputs | undefined> {
  const found = await readVpg(client, vpgId);
  if (!found) return undefined;
  const { vpg, protectedVms } = found;
  const recorded = (declared as VpgOutputs).vpgId !== undefined ? declared as VpgOutputs : undefined;
  if (recorded) {
    const asRecorded = toOutputs(inputsOf(recorded), vpg, declared);
    // mid-failover, moving or recovered: sites and VMs may have swapped (no reason to plan a replace), and an edit draft may be refused
    if (RECOVERY_STATES.includes(asRecorded.protectionState!)) return withProtectedVms(asRecorded, vpg, protectedVms);
    if (depth === "summary") return withProtectedVms(toOutputs(fromSummary(recorded, vpg, protectedVms), vpg, declared), vpg, protectedVms);
  }
  const settingsId = await client.createVpgSettings({ vpgId });
  let settings;
  try {
    settings = await client.getVpgSettings(settingsId);
  } finally {
    await client.deleteVpgSettings(settingsId);
  }
  return withProtectedVms(toOutputs(fromSettings(settings, declared), vpg, declared), vpg, protectedVms);
}

async function liveOutputs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<VpgOutputs> {
  const outs = await readOutputs(client, vpgId, inputs);
  if (!outs) throw new PartialCreateError(`Zerto: VPG '${inputs.name}' (${vpgId}) disappeared right after it was saved`, vpgId, { ...inputs, vpgId });
  return outs;
}

/** The outputs of a VPG this create made: when it cannot be read back it is still recorded, never orphaned. */
async function outputsOfOurs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<VpgOutputs> {
  try {
    return await liveOutputs(client, vpgId, inputs);
  } catch (err) {
    if (err instanceof PartialCreateError) throw err;
    throw new PartialCreateError(`Zerto created VPG '${inputs.name}' (${vpgId}) but could not read it back: ${reasonOf(err)}`, vpgId, { ...inputs, vpgId });
  }
}

/** Best-effort outputs for a partial create: live when readable, else the inputs and the id. */
async function outputsOrInputs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<Record<string, unknown>> {
  const outs: VpgOutputs = (await readOutputs(client, vpgId, inputs).catch(() => undefined)) ?? { ...inputs, vpgId };
  return { ...outs };
}
