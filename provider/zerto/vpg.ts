import { zertoConnection } from "../connection";
import { ApiError } from "../http";
import type { VpgInputs, VpgOutputs } from "../inputs.generated";
import { createOnlyPaths, replaceOnChangePaths } from "../schema";
import { CheckFailure, DiffResult, PartialCreateError, ResourceHandler } from "../types";
import { UNKNOWN, validateInputs } from "../validate";
import { guardProtectionGap, isReplacing, noteReplace } from "../protectionGap";
import { createZertoClient, ZertoClient, ZertoTask, ZertoTaskError } from "./client";
import {
  canonicalInputs, changedKeys, DEFAULT_BOOT_GROUP, EXPECTED_PROTECTION_STATE, fromSettings, inputsOf, RECOVERY_STATES, STATE_INPUT,
  STATE_ONLY_INPUTS, toOutputs, toSettings,
} from "./vpgSettings";

export const VPG_TOKEN = "drprotect:zerto:Vpg";

/** How the handler gets a client for a resource's connection profile (tests inject one bound to a simulator). */
export type ZertoClientFactory = (profile?: string) => ZertoClient;

const defaultClientFactory: ZertoClientFactory = (profile) => createZertoClient(zertoConnection(profile));

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
  return failures;
}

/**
 * Pure: what changed between the stored outputs and the desired inputs, and whether that needs a
 * new VPG. A replace deletes the VPG first, so without allowProtectionGapOnReplace it is refused
 * (ProtectionGapError) and preview fails before anything is touched.
 */
export function diffVpg(olds: VpgOutputs, news: VpgInputs): DiffResult {
  const changed = changedKeys(olds, news, createOnlyPaths(VPG_TOKEN));
  const replaces = replaceOnChangePaths(VPG_TOKEN).filter((path) => changed.includes(path.split(".")[0]));
  if (!replaces.length) return { changes: changed.length > 0, replaces: [] };
  const vms = Array.isArray(olds.vms) ? olds.vms.length : 0;
  guardProtectionGap(`Vpg '${olds.name}' (VPG ${olds.vpgId})`,
    replaces.map((path) => ({ path, from: path === "protectedSiteId" ? olds.protectedSiteId ?? olds.resolvedProtectedSiteId : (olds as any)[path], to: (news as any)[path] })),
    news.allowProtectionGapOnReplace,
    `from the delete until the new VPG's initial sync completes its ${vms} VM(s) have no replica to recover from`);
  // a VPG name is unique on the ZVM and a VM replicates once per site: the old VPG must go first
  return { changes: true, replaces, deleteBeforeReplace: true };
}

/** Why an update must not run: the VPG is not in the state the program expects, and Pulumi never changes that state. */
export function stateMismatch(olds: VpgOutputs, news: VpgInputs): string | undefined {
  const found = olds.protectionState ?? EXPECTED_PROTECTION_STATE;
  const expected = news.protectionState ?? EXPECTED_PROTECTION_STATE;
  if (found === expected) return undefined;
  return `Zerto reports VPG '${olds.name}' (${olds.vpgId}) as ${found} (status ${olds.status}, substatus ${olds.subStatus}), `
    + `the program expects ${expected}. Pulumi does not resume, fail back or stop operations, and it does not delete or re-create the VPG for this. `
    + `Finish or undo the operation in the ZVM and run \`pulumi refresh\`, or set protectionState: "${found}" to acknowledge it.`;
}

/** The VPG resource: create/edit drafts, commit, wait for the task, read back through an edit draft. */
export function createVpgHandler(clientFor: ZertoClientFactory = defaultClientFactory): ResourceHandler<VpgInputs, VpgOutputs> {
  return {
    token: VPG_TOKEN,

    async check(_olds, news) {
      const { inputs, failures } = validateInputs<VpgInputs>(VPG_TOKEN, news);
      return { inputs: canonicalInputs(inputs), failures: [...failures, ...(failures.length ? [] : crossCheck(inputs))] };
    },

    async diff(id, olds, news) {
      const result = diffVpg(olds, news);
      if (result.replaces?.length) noteReplace(id);
      return result;
    },

    async create(inputs) {
      const client = clientFor(inputs.profile);
      const existing = await client.findVpgByName(inputs.name);
      if (existing && !inputs.adoptExisting) {
        throw new Error(`Zerto: a VPG named '${inputs.name}' already exists (${existing.VpgIdentifier}); `
          + "set adoptExisting: true to manage it with this definition, or choose another name");
      }
      if (existing) {
        const id = existing.VpgIdentifier;
        try {
          await applyDefinition(client, id, inputs);
        } catch (err) {
          // adopted, so it is ours now: record it even though converging failed
          throw new PartialCreateError(`Zerto: adopted VPG '${inputs.name}' (${id}) but could not update it: ${(err as Error).message}`, id,
            await outputsOrInputs(client, id, inputs));
        }
        return { id, outs: await liveOutputs(client, id, inputs) };
      }
      const id = await createVpg(client, inputs);
      return { id, outs: await liveOutputs(client, id, inputs) };
    },

    async read(id, props) {
      const client = clientFor(props.profile);
      const outs = await readOutputs(client, id, props);
      return outs ? { id, props: outs, inputs: inputsOf(outs) } : {};
    },

    async update(id, olds, news) {
      const mismatch = stateMismatch(olds, news);
      if (mismatch) throw new Error(mismatch);
      const client = clientFor(news.profile);
      const definitionChanged = changedKeys(olds, news, [...createOnlyPaths(VPG_TOKEN), ...STATE_ONLY_INPUTS, STATE_INPUT]).length > 0;
      if (!definitionChanged) {
        // only state-only inputs changed (keepRecoveryVolumesOnDelete): nothing to tell the ZVM
        const outs: VpgOutputs = { ...olds };
        for (const key of STATE_ONLY_INPUTS) {
          if (news[key] === undefined) delete outs[key];
          else (outs as any)[key] = news[key];
        }
        return { outs };
      }
      await applyDefinition(client, id, news);
      return { outs: await liveOutputs(client, id, news) };
    },

    async delete(id, props) {
      const client = clientFor(props.profile);
      const name = props.name ?? id;
      // the delete of a replace keeps the replica disks: the protection it ends is being moved, not dropped
      const taskId = await client.deleteVpg(id, isReplacing(id) || (props.keepRecoveryVolumesOnDelete ?? false));
      if (taskId === "gone") return;
      if (taskId === "deleting") {
        await client.waitForVpgGone(id, name, true).catch((err) => {
          throw new Error(`Zerto is still deleting VPG '${name}' (a deletion started earlier has not finished): ${reasonOf(err)}. `
            + "It stays in the stack; run the operation again once the ZVM's task ends.");
        });
        return;
      }
      try {
        await client.waitForTask(taskId, `deleting VPG '${name}'`);
      } catch (err) {
        if ((err instanceof ZertoTaskError || (err instanceof ApiError && err.isNotFound)) && !(await client.getVpg(id))) return;
        throw new Error(`Zerto could not delete VPG '${name}': ${reasonOf(err)}`);
      }
      await client.waitForVpgGone(id, name);
    },
  };
}

export const vpgHandler = createVpgHandler();

/** One create draft: POST {Basic: {Name}}, GET, PUT the whole definition, commit, wait; the draft never outlives a failure. */
async function createVpg(client: ZertoClient, inputs: VpgInputs): Promise<string> {
  const settingsId = await client.createVpgSettings({ name: inputs.name });
  try {
    const current = await client.getVpgSettings(settingsId);
    await client.putVpgSettings(settingsId, toSettings(inputs, current));
    const taskId = await client.commitVpgSettings(settingsId, { kind: "create", name: inputs.name });
    const task = await client.waitForTask(taskId, `creating VPG '${inputs.name}'`);
    const vpgId = relatedVpgId(task) ?? (await client.waitForVpgListed({ name: inputs.name })).VpgIdentifier;
    await client.waitForVpgListed({ vpgId, name: inputs.name });
    return vpgId;
  } catch (err) {
    await discardDraft(client, settingsId);
    // the VPG may exist although a later step failed: record it rather than orphan it
    const made = await client.findVpgByName(inputs.name).catch(() => undefined);
    const message = err instanceof ZertoTaskError ? `Zerto rejected VPG '${inputs.name}': ${err.reason}` : `Zerto could not create VPG '${inputs.name}': ${reasonOf(err)}`;
    if (made) throw new PartialCreateError(`${message} (the VPG exists as ${made.VpgIdentifier})`, made.VpgIdentifier, await outputsOrInputs(client, made.VpgIdentifier, inputs));
    throw new Error(message);
  }
}

/** One edit draft: membership by explicit VM add/remove, then the whole definition, commit, wait. */
async function applyDefinition(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<void> {
  const settingsId = await client.createVpgSettings({ vpgId });
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
    const taskId = await client.commitVpgSettings(settingsId, { kind: "update", vpgId, name: inputs.name });
    await client.waitForTask(taskId, `updating VPG '${inputs.name}'`);
  } catch (err) {
    await discardDraft(client, settingsId);
    if (err instanceof ZertoTaskError) throw new Error(`Zerto rejected the change to VPG '${inputs.name}': ${err.reason}`);
    throw new Error(`Zerto could not update VPG '${inputs.name}': ${reasonOf(err)}`);
  }
}

/**
 * The VPG as the ZVM has it now, shaped like the outputs; undefined when it is gone. The committed
 * definition is only readable through an edit draft, which is always discarded.
 */
async function readOutputs(client: ZertoClient, vpgId: string, declared: Partial<VpgInputs>): Promise<VpgOutputs | undefined> {
  const vpg = await client.getVpg(vpgId);
  if (!vpg) return undefined;
  if ((declared as VpgOutputs).vpgId !== undefined) {
    const asRecorded = toOutputs(inputsOf(declared as VpgOutputs), vpg, declared);
    // mid-failover, moving or recovered: sites and VMs may have swapped (no reason to plan a replace), and an edit draft may be refused
    if (RECOVERY_STATES.includes(asRecorded.protectionState!)) return asRecorded;
  }
  const settingsId = await client.createVpgSettings({ vpgId });
  let settings;
  try {
    settings = await client.getVpgSettings(settingsId);
  } finally {
    await client.deleteVpgSettings(settingsId);
  }
  return toOutputs(fromSettings(settings, declared), vpg, declared);
}

async function liveOutputs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<VpgOutputs> {
  const outs = await readOutputs(client, vpgId, inputs);
  if (!outs) throw new PartialCreateError(`Zerto: VPG '${inputs.name}' (${vpgId}) disappeared right after it was saved`, vpgId, { ...inputs, vpgId });
  return outs;
}

/** Best-effort outputs for a partial create: live when readable, else the inputs and the id. */
async function outputsOrInputs(client: ZertoClient, vpgId: string, inputs: VpgInputs): Promise<Record<string, unknown>> {
  const outs: VpgOutputs = (await readOutputs(client, vpgId, inputs).catch(() => undefined)) ?? { ...inputs, vpgId };
  return { ...outs };
}

/** Drops a draft after a failure; the failure being reported matters more than a failed clean-up. */
async function discardDraft(client: ZertoClient, settingsId: string): Promise<void> {
  await client.deleteVpgSettings(settingsId).catch(() => undefined);
}

function relatedVpgId(task: ZertoTask): string | undefined {
  return task.RelatedEntities?.Vpgs?.find((v) => v.identifier)?.identifier;
}

function reasonOf(err: unknown): string {
  return err instanceof ZertoTaskError ? err.reason : (err as Error)?.message ?? String(err);
}
