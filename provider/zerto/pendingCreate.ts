import { ApiError, reasonOf, taskRefused } from "../http";
import type { VpgInputs, VpgOutputs } from "../inputs.generated";
import { PartialCreateError } from "../types";
import { claim, OwnershipRefusedError } from "../ownership";
import { CommitOutcomeUnknownError, ZertoClient } from "./client";
import { TASK_STATE, VpgSettings, ZertoTask, ZertoVpg } from "./models";
import { CreateIntent, engineGone, identityOf, IntentStore } from "./intents";
import { toSettings } from "./vpgSettings";
import { pendingIdOf } from "../pendingId";

// Creating a VPG: one draft committed, its outcome settled through the commit's task. A create whose
// task outlives the wait is recorded as pending (read, update and delete resolve it through the task);
// one interrupted after its commit (kill -9) is resumed through the intent recorded on this machine.

/** What a create task shows about the VPG it was asked to make. */
type CreateOutcome =
  | { kind: "made"; vpgId?: string }
  | { kind: "running" }
  | { kind: "failed"; reason: string }
  | { kind: "unknown"; reason: string };

export async function createOutcome(client: ZertoClient, taskId: string): Promise<CreateOutcome> {
  const task = await client.findTask(taskId);
  if (!task) return { kind: "unknown", reason: `the ZVM no longer knows task ${taskId}` };
  const state = task.Status?.State;
  if (state === TASK_STATE.Completed) return { kind: "made", vpgId: relatedVpgId(task) };
  if (state === TASK_STATE.Failed || state === TASK_STATE.Stopped) return { kind: "failed", reason: task.CompleteReason || "the task failed without a reason" };
  return { kind: "running" };
}

/** The outcome once the task ended, or "running" when it outlived the task timeout. */
export async function waitedCreateOutcome(client: ZertoClient, taskId: string, name: string): Promise<CreateOutcome> {
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
export async function createVpg(client: ZertoClient, intents: IntentStore, inputs: VpgInputs): Promise<{ vpg: ZertoVpg; committed: VpgSettings }> {
  const settingsId = await client.createVpgSettings({ name: inputs.name });
  const endpoint = client.connection.url;
  const identity = identityOf(inputs);
  const intent: CreateIntent = { endpoint, identity, draftId: settingsId, recordedAt: new Date().toISOString() };
  let taskId: string;
  let committed: VpgSettings;
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
export async function settleCreate(client: ZertoClient, taskId: string, inputs: VpgInputs): Promise<ZertoVpg> {
  const outcome = await waitedCreateOutcome(client, taskId, inputs.name);
  if (outcome.kind === "running") {
    throw new PartialCreateError(`Zerto is still creating VPG '${inputs.name}' (ZVM task ${taskId}) after the task timeout; `
      + "it is recorded in the stack as pending, and the next pulumi up or refresh takes over the VPG once the task ends", pendingIdOf(taskId), { ...inputs });
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

/** The create task failed: nothing was made by this create. */
export class CreateRejectedError extends Error {}

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
export async function claimByIdentity(client: ZertoClient, inputs: VpgInputs, taskId: string): Promise<string> {
  const found = await client.waitForVpgListed({ name: inputs.name });
  const same = await client.hasIdentity(found.VpgIdentifier, identityOf(inputs));
  return claim({ what: `Zerto VPG '${inputs.name}'`, id: found.VpgIdentifier }, [{ holds: same, why: "its VM set or sites differ from what we sent" }],
    `Our create task ${taskId} completed without naming its VPG; check the ZVM, then adopt it with adoptExisting if it is yours.`);
}

/**
 * A create interrupted after its commit on this machine (kill -9): the VPG its recorded task made
 * is ours. Undefined when there is no such record, or its create made nothing.
 */
export async function resumeInterruptedCreate(client: ZertoClient, intents: IntentStore, inputs: VpgInputs): Promise<string | undefined> {
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
      await client.discardVpgSettings(intent.draftId);
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

export function unresolvedPendingCreate(props: Partial<VpgOutputs>, taskId: string, reason: string): Error {
  return new Error(`Zerto: the create of VPG '${props.name}' was recorded as pending on ZVM task ${taskId}, but ${reason}, so which VPG it made cannot be proven. `
    + "Check the ZVM; remove the resource from the stack with pulumi state delete, then adopt the VPG with adoptExisting if it is yours.");
}

function relatedVpgId(task: ZertoTask): string | undefined {
  return task.RelatedEntities?.Vpgs?.find((v) => v.identifier)?.identifier;
}

/** Discards a draft; false when the ZVM could not be told (it stays until the next run or the ZVM's idle expiry). */
async function draftDiscarded(client: ZertoClient, settingsId: string): Promise<boolean> {
  return client.deleteVpgSettings(settingsId).then(() => true, () => false);
}
