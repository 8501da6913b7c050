import { ApiError, TaskError, taskRefused } from "../http";
import type { VpgInputs, VpgOutputs } from "../inputs.generated";
import { VPG } from "../resources.generated";
import { CheckFailure, DiffResult, PartialCreateError, ResourceHandler } from "../types";
import { diffOf, UNKNOWN, userInputs, valueAt } from "../state";
import { checkInputs } from "../validate";
import { AdoptionRefusedError, claim, describeDifferences, OwnershipRefusedError } from "../ownership";
import { guardProtectionGap, isReplacing, noteReplace } from "../protectionGap";
import { CommitOutcomeUnknownError, TASK_STATE, Wire, ZertoClient, ZertoClientFor, zertoClientFor, ZertoTask, ZertoVpg } from "./client";
import { CreateIntent, engineGone, identityOf, IntentStore } from "./intents";
import { preflightVpg } from "./preflight";
import { fromSummary, withProtectedVms } from "./summary";
import { vcdCrossCheck } from "./vcd";
import {
  canonicalInputs, changedKeys, DEFAULT_BOOT_GROUP, EXPECTED_PROTECTION_STATE, fromSettings, inputsOf, normalize, RECOVERY_STATES, STATE_INPUT,
  STATE_ONLY_INPUTS, toOutputs, toSettings,
} from "./vpgSettings";

export const VPG_TOKEN = VPG.token;

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
  const found = olds.protectionState ?? EXPECTED_PROTECTION_STATE;
  const expected = news.protectionState ?? EXPECTED_PROTECTION_STATE;
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
      const result = diffVpg(olds, news);
      if (result.replaces?.length) noteReplace(id);
      return result;
    },

    async create(inputs) {
      const client = clientFor(inputs.profile);
      const resumed = await resumeInterruptedCreate(client, intents, inputs);
      if (resumed) return { id: resumed, outs: await convergeOurs(client, resumed, inputs) };
      const existing = await client.findVpgByName(inputs.name);
      if (existing) return adopt(client, existing, inputs);
      const created = await createVpg(client, intents, inputs);
      // our own task completed: the VPG holds exactly the definition we committed, so no edit draft is opened to read it back
      const outputsAs = (vpg: ZertoVpg, protectedVms: Wire[] | null) => withProtectedVms(toOutputs(fromSettings(created.committed, inputs), vpg, inputs), vpg, protectedVms);
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
      const outs = await readOutputs(client, vpgId, props, client.connection.refreshMode === "full" ? "full" : "summary");
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

/**
 * The id a create is recorded under while its task still runs: the ZVM names the VPG only when the
 * task ends, and read, update and delete resolve it through the task.
 */
const PENDING_PREFIX = "pending-create-task:";

export function pendingTaskOf(id: string): string | undefined {
  return id.startsWith(PENDING_PREFIX) ? id.slice(PENDING_PREFIX.length) : undefined;
}

/** What a create task shows about the VPG it was asked to make. */
type CreateOutcome =
  | { kind: "made"; vpgId?: string }
  | { kind: "running" }
  | { kind: "failed"; reason: string }
  | { kind: "unknown"; reason: string };

async function createOutcome(client: ZertoClient, taskId: string): Promise<CreateOutcome> {
  const task = await client.findTask(taskId);
  if (!task) return { kind: "unknown", reason: `the ZVM no longer knows task ${taskId}` };
  const state = task.Status?.State;
  if (state === TASK_STATE.Completed) return { kind: "made", vpgId: relatedVpgId(task) };
  if (state === TASK_STATE.Failed || state === TASK_STATE.Stopped) return { kind: "failed", reason: task.CompleteReason || "the task failed without a reason" };
  return { kind: "running" };
}

/** The outcome once the task ended, or "running" when it outlived the task timeout. */
async function waitedCreateOutcome(client: ZertoClient, taskId: string, name: string): Promise<CreateOutcome> {
  try {
    return { kind: "made", vpgId: relatedVpgId(await client.waitForTask(taskId, `creating VPG '${name}'`)) };
  } catch (err) {
    if (taskRefused(err)) return { kind: "failed", reason: err.reason };
    return createOutcome(client, taskId).catch(() => ({ kind: "unknown", reason: reasonOf(err) }) as CreateOutcome);
  }
}

/**
 * One create draft: POST {Basic: {Name}}, GET, PUT the whole definition, commit, then settle the
 * outcome through the commit's task. The draft is discarded only while it was not committed.
 * Returns the VPG as first listed and the settings committed.
 */
async function createVpg(client: ZertoClient, intents: IntentStore, inputs: VpgInputs): Promise<{ vpg: ZertoVpg; committed: Wire }> {
  const settingsId = await client.createVpgSettings({ name: inputs.name });
  const endpoint = client.connection.url;
  const identity = identityOf(inputs);
  const intent: CreateIntent = { endpoint, identity, draftId: settingsId, recordedAt: new Date().toISOString() };
  let taskId: string;
  let committed: Wire;
  let committing = false;
  // recorded from the start: a draft this run cannot discard (the ZVM went away) is discarded by the next run
  intents.write({ ...intent, uncommitted: true });
  try {
    committed = toSettings(inputs, await client.getVpgSettings(settingsId));
    await client.putVpgSettings(settingsId, committed);
    intents.write(intent);
    committing = true;
    taskId = await client.commitVpgSettings(settingsId, { kind: "create", name: inputs.name, identity });
  } catch (err) {
    if (!committing) {
      if (await draftDiscarded(client, settingsId)) intents.remove(endpoint, identity);
    } else if (!(err instanceof CommitOutcomeUnknownError)) {
      // a commit settles its own draft; one whose outcome is unknown keeps the record, so the next run resumes through it
      intents.remove(endpoint, identity);
    }
    throw new Error(`Zerto could not create VPG '${inputs.name}': ${reasonOf(err)}`);
  }
  intents.write({ ...intent, taskId });
  // The record goes once the outcome is the engine's to record. It stays while the outcome is
  // unknown, and when the engine is gone (this process outlived a kill -9 of the CLI) so the next
  // run resumes through it; the resource's next read, update or delete then removes it.
  const forget = async () => {
    if (!(await engineGone())) intents.remove(endpoint, identity);
  };
  try {
    const vpg = await settleCreate(client, taskId, inputs);
    await forget();
    return { vpg, committed };
  } catch (err) {
    if (err instanceof CreateRejectedError) intents.remove(endpoint, identity);
    else if (err instanceof PartialCreateError) await forget();
    throw err;
  }
}

/**
 * The VPG the create task `taskId` made, as the ZVM first lists it; a PartialCreateError when the
 * task is still running (recorded as pending) or the VPG was made but not yet listed; an error
 * naming the VPG of that name, and why it is not ours, when the task failed.
 */
async function settleCreate(client: ZertoClient, taskId: string, inputs: VpgInputs): Promise<ZertoVpg> {
  const outcome = await waitedCreateOutcome(client, taskId, inputs.name);
  if (outcome.kind === "running") {
    throw new PartialCreateError(`Zerto is still creating VPG '${inputs.name}' (ZVM task ${taskId}) after the task timeout; `
      + "it is recorded in the stack as pending, and the next pulumi up or refresh takes over the VPG once the task ends", pendingCreateId(taskId), { ...inputs });
  }
  if (outcome.kind === "failed") throw await rejectedCreate(client, inputs, taskId, outcome.reason);
  if (outcome.kind === "unknown") {
    throw new Error(`Zerto could not create VPG '${inputs.name}': ${outcome.reason}; whether the ZVM task ${taskId} made it cannot be told. `
      + "Run the operation again: it resumes through that task");
  }
  const vpgId = outcome.vpgId ?? (await claimByIdentity(client, inputs, taskId));
  try {
    return await client.waitForVpgListed({ vpgId, name: inputs.name });
  } catch (err) {
    throw new PartialCreateError(`Zerto created VPG '${inputs.name}' (${vpgId}) but ${reasonOf(err)}`, vpgId, { ...inputs, vpgId });
  }
}

function pendingCreateId(taskId: string): string {
  return `${PENDING_PREFIX}${taskId}`;
}

/** The create task failed: nothing was made by this create. */
class CreateRejectedError extends Error {}

/** Our task failed, so nothing was made by us: a VPG with the name is someone else's and is left alone. */
async function rejectedCreate(client: ZertoClient, inputs: VpgInputs, taskId: string, reason: string): Promise<Error> {
  const message = `Zerto rejected VPG '${inputs.name}': ${reason}`;
  const other = await client.findVpgByName(inputs.name).catch(() => undefined);
  if (!other) return new CreateRejectedError(message);
  const refusal = new OwnershipRefusedError({ what: `Zerto VPG '${inputs.name}'`, id: other.VpgIdentifier }, [`our create task ${taskId} failed, so it was made by someone else`],
    "It was left untouched; choose another name, or adopt it with adoptExisting once it matches this definition.");
  return new CreateRejectedError(`${message}. ${refusal.message}`);
}

/** A completed task that does not name its VPG: the VPG of our name is ours only if it has exactly the identity we sent. */
async function claimByIdentity(client: ZertoClient, inputs: VpgInputs, taskId: string): Promise<string> {
  const found = await client.waitForVpgListed({ name: inputs.name });
  const same = await client.hasIdentity(found.VpgIdentifier, identityOf(inputs));
  return claim({ what: `Zerto VPG '${inputs.name}'`, id: found.VpgIdentifier }, [{ holds: same, why: "its VM set or sites differ from what we sent" }],
    `Our create task ${taskId} completed without naming its VPG; check the ZVM, then adopt it with adoptExisting if it is yours.`);
}

/**
 * A create interrupted after its commit on this machine (kill -9): the VPG its recorded task made
 * is ours. Undefined when there is no such record, or its create made nothing.
 */
async function resumeInterruptedCreate(client: ZertoClient, intents: IntentStore, inputs: VpgInputs): Promise<string | undefined> {
  const endpoint = client.connection.url;
  const identity = identityOf(inputs);
  const intent = intents.read(endpoint, identity);
  if (!intent) return undefined;
  if (intent.uncommitted) {
    // a create that failed before its commit and could not discard its draft then
    await client.deleteVpgSettings(intent.draftId);
    intents.remove(endpoint, identity);
    return undefined;
  }
  let taskId = intent.taskId;
  if (!taskId) {
    // killed before the commit's answer: a draft still alive was never committed
    const draft = await client.getVpgSettings(intent.draftId).then(() => true, (err) => (err instanceof ApiError && err.isNotFound ? false : Promise.reject(err)));
    if (draft) {
      await discardDraft(client, intent.draftId);
      intents.remove(endpoint, identity);
      return undefined;
    }
    taskId = await client.findLostCreateTask(identity);
    if (!taskId) {
      intents.remove(endpoint, identity);
      return undefined;
    }
  }
  try {
    const outcome = await createOutcome(client, taskId);
    // the interrupted create made nothing, or what it made is gone: this create starts afresh
    if (outcome.kind === "failed") return undefined;
    if (outcome.kind === "made" && outcome.vpgId && !(await stillExists(client, outcome.vpgId, inputs.name))) return undefined;
    return (await settleCreate(client, taskId, inputs)).VpgIdentifier;
  } finally {
    intents.remove(endpoint, identity);
  }
}

/** Whether a VPG made earlier is still there (or, just made, about to be listed). */
async function stillExists(client: ZertoClient, vpgId: string, name: string): Promise<boolean> {
  return Boolean((await client.getVpg(vpgId)) ?? (await client.waitForVpgListed({ vpgId, name }).catch(() => undefined)));
}

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

function unresolvedPendingCreate(props: Partial<VpgOutputs>, taskId: string, reason: string): Error {
  return new Error(`Zerto: the create of VPG '${props.name}' was recorded as pending on ZVM task ${taskId}, but ${reason}, so which VPG it made cannot be proven. `
    + "Check the ZVM; remove the resource from the stack with pulumi state delete, then adopt the VPG with adoptExisting if it is yours.");
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
    if (!committing) await discardDraft(client, settingsId);
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
export async function readOutputs(client: ZertoClient, vpgId: string, declared: Partial<VpgInputs>, depth: ReadDepth = "full"): Promise<VpgOutputs | undefined> {
  const vpg = await client.getVpg(vpgId);
  if (!vpg) return undefined;
  const protectedVms = await client.protectedVmsOf(vpg);
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

/** Drops a draft after a failure; the failure being reported matters more than a failed clean-up. */
/** Discards a draft; false when the ZVM could not be told (it stays until the next run or the ZVM's idle expiry). */
async function draftDiscarded(client: ZertoClient, settingsId: string): Promise<boolean> {
  return client.deleteVpgSettings(settingsId).then(() => true, () => false);
}

async function discardDraft(client: ZertoClient, settingsId: string): Promise<void> {
  await client.deleteVpgSettings(settingsId).catch(() => undefined);
}

function relatedVpgId(task: ZertoTask): string | undefined {
  return task.RelatedEntities?.Vpgs?.find((v) => v.identifier)?.identifier;
}

function reasonOf(err: unknown): string {
  return err instanceof TaskError ? err.reason : (err as Error)?.message ?? String(err);
}
