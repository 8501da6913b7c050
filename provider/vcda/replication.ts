import { describeDifferences } from "../ownership";
import { changedPaths, DiffSpec, diffByPaths, diffOf, stripUndefined, userInputs, valueAt } from "../state";
import { guardProtectionGap } from "../protectionGap";
import type { DiffResult } from "../types";
import type { ReconfigureSpec, ReplicationInstance, VcdaReplication } from "./models";

/*
 * What VM and vApp replications share: the settings VCDA reconfigures in place (PATCH body of
 * /vm-replications/{id}, docs/api-notes/vcda.md#vm-replications-reconfiguring, which the vApp PATCH takes
 * too), the state the program expects, and how VCDA's values replace stored ones in the outputs.
 */

/** The inputs every replication has (VmReplicationInputs and VappReplicationInputs both fit). */
export type ReplicationSettingsInputs = ReconfigureSpec & { replicationState?: string; failDriftOnUnhealthy?: boolean };

/** Settings VCDA reconfigures in place with PATCH. */
const SETTINGS = ["description", "rpo", "dataConnectionType", "quiesced", "retentionPolicy", "slaProfileId", "sourceReconfigure"] as const;
const CUSTOM_SETTINGS = ["rpo", "dataConnectionType", "quiesced", "retentionPolicy"];
/** What VCDA applies when neither an SLA profile nor a value is given (not schema defaults: they would clash with slaProfileId). */
const CUSTOM_DEFAULTS: Record<string, unknown> = { dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true };
/** The input that states the expected state: observed, never set by Pulumi. */
const STATE_INPUT = "replicationState";
export const EXPECTED_STATE = "replicating";
/** Inputs VCDA has no setting for: recorded in state, so a change of them is an update that calls nothing. */
const STATE_ONLY = ["allowProtectionGapOnReplace", "failDriftOnUnhealthy"];

/**
 * Day-2 calm during a failover test (docs/api-notes/vcda.md#failover-tests): VCDA keeps replicating while a
 * test VM runs (recoveryState TEST; cleanup sets it back to NOT_STARTED, docs/api-notes/vcda.md#failover-tests),
 * and a test changes no production state. So a test is no state of its own: it reads as the state
 * around it, and the state a program declared for it ("testingFailover", before tests were calm) as "replicating".
 */
const TEST_STATE = "testingFailover";

/** The state a program declares, with a declared test read as replicating (see TEST_STATE). */
export function declaredState(state: string | undefined): string {
  return state === undefined || state === TEST_STATE ? EXPECTED_STATE : state;
}

/** recoveryState as the outputs report it: a failover test in place (TEST) is reported as NOT_STARTED (see TEST_STATE). */
export function reportedRecoveryState(live: VcdaReplication): string | undefined {
  const recovery = live.destinationState?.recoveryInfo?.recoveryState;
  return recovery === "TEST" ? "NOT_STARTED" : recovery;
}

/** The diff rules of a replication resource; `extra` names its own in-place paths. */
export function replicationDiffSpec(replacePaths: readonly string[], extra: readonly string[] = [], canonical?: DiffSpec["canonical"]): DiffSpec {
  return {
    replacePaths: [...replacePaths],
    updatePaths: [...SETTINGS, ...extra, STATE_INPUT, ...STATE_ONLY],
    strictPaths: ["profile", ...STATE_ONLY],
    implied: (path, inputs) => (path === STATE_INPUT ? EXPECTED_STATE : (inputs as ReplicationSettingsInputs).slaProfileId === undefined ? CUSTOM_DEFAULTS[path] : undefined),
    canonical: (path, value) => (path === STATE_INPUT && typeof value === "string" ? declaredState(value) : canonical ? canonical(path, value) : value),
    // VCDA replicates a VM once: the old replication must go before its replacement can start
    deleteBeforeReplace: true,
  };
}

/**
 * Reconfigurable settings update in place, everything else annotated replaceOnChanges replaces (guarded:
 * `subject` loses its replica instances until the new initial sync). A replication failed over outside
 * Pulumi (`moved`) is never replaced: a change is an update, which refuses and explains what to do.
 */
export function diffReplication(olds: object, news: { allowProtectionGapOnReplace?: boolean }, spec: DiffSpec, moved: boolean, subject: string, label: string): DiffResult {
  const wanted = userInputs(news);
  if (moved) return diffOf(changedPaths(olds, wanted, [...spec.replacePaths, ...spec.updatePaths], spec), []);
  const diff = diffByPaths(olds, wanted, spec);
  if (diff.replaces) guardProtectionGap(label,
    diff.replaces.map((path) => ({ path, from: valueAt(olds, path), to: valueAt(wanted, path) })),
    wanted.allowProtectionGapOnReplace,
    `from the delete until the new replication's initial sync completes ${subject} no replica instance to recover from`);
  return diff;
}

/** Failed over, migrated or reversed outside Pulumi: VCDA no longer replicates what the program describes. */
export function isFailedOver(state: { recoveryState?: string; isReversed?: boolean }): boolean {
  return state.recoveryState === "COMPLETE" || state.isReversed === true;
}

/** What VCDA is doing with the replication, a failover test not counting (see TEST_STATE); "unhealthy" only when the resource asks for health to count. */
export function observedReplicationState(live: VcdaReplication, failOnUnhealthy = false): string {
  const recovery = live.destinationState?.recoveryInfo?.recoveryState;
  if (live.isReversed) return "reversed";
  if (recovery === "COMPLETE") return live.isMigration ? "migrated" : "failedOver";
  if (live.isPaused) return "paused";
  if (failOnUnhealthy && live.overallHealth !== undefined && live.overallHealth !== "GREEN") return "unhealthy";
  return EXPECTED_STATE;
}

/** Why an update must not run: the replication is not in the state the program expects, and Pulumi never changes that state. */
export function stateMismatch(what: string, found = EXPECTED_STATE, expected = EXPECTED_STATE): string | undefined {
  if (declaredState(found) === declaredState(expected)) return undefined;
  return `VCDA reports ${what} as ${found}, the program expects ${expected}. `
    + "Pulumi does not resume, fail back or reverse replications, and it does not delete or re-create one for this. "
    + `Undo it in VCDA and run \`pulumi refresh\`, or set replicationState: "${found}" to acknowledge it.`;
}

/** VCDA's defaults for custom settings filled in, as `check` returns inputs. */
export function withCustomDefaults<T extends ReplicationSettingsInputs>(inputs: T): T {
  const normalized = { ...inputs };
  if (normalized.slaProfileId === undefined) {
    normalized.dataConnectionType ??= CUSTOM_DEFAULTS.dataConnectionType as string;
    normalized.quiesced ??= CUSTOM_DEFAULTS.quiesced as boolean;
  }
  return normalized;
}

/** The settings part of a create body (sourceReconfigure is PATCH-only, docs/api-notes/vcda.md#vm-replications-starting-one: it follows the create). */
export function settingsSpec(inputs: ReplicationSettingsInputs & { targetDiskType?: string; initialSyncTime?: number; isMigration?: boolean }) {
  return stripUndefined({
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
export function reconfigureSpec(olds: object, inputs: ReplicationSettingsInputs, spec: DiffSpec): ReconfigureSpec | undefined {
  const changed = changedPaths(olds, inputs, SETTINGS, spec);
  const patch: ReconfigureSpec = {};
  if (changed.includes("description")) patch.description = inputs.description;
  if (changed.includes("sourceReconfigure") && inputs.sourceReconfigure) patch.sourceReconfigure = inputs.sourceReconfigure;
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

/** Settings GET returns, keyed by input path (fields it does not return are absent). */
export const OBSERVED_SETTINGS: Observed<VcdaReplication> = {
  description: (live) => live.settings.description,
  rpo: (live) => live.settings.rpo,
  dataConnectionType: (live) => live.settings.dataConnectionType,
  quiesced: (live) => live.settings.quiesced,
  retentionPolicy: (live) => live.settings.retentionPolicy,
  isMigration: (live) => live.isMigration,
  slaProfileId: (live) => live.slaProfile?.id,
  // GET returns the VM's startupInfo (same fields as vmStartupInfo); type and vappName have no GET field, so they keep the stored value
  sourceReconfigure: (live, stored) => {
    const declared = stored as ReplicationSettingsInputs["sourceReconfigure"];
    if (!declared?.vmStartupInfo || !live.startupInfo) return declared;
    const { order, startAction, startDelay, stopAction, stopDelay } = live.startupInfo;
    return { ...declared, vmStartupInfo: { order, startAction, startDelay, stopAction, stopDelay } };
  },
};

/** Per input path, the value GET shows for it (given the stored value). */
export type Observed<L> = Record<string, (live: L, stored: unknown) => unknown>;

/** The stored value of each key, replaced by VCDA's value where GET returns one (so drift shows as a property diff). */
export function overlay<L>(stored: object, live: L, observed: Observed<L>, prefix = ""): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    const path = prefix + key;
    if (prefix === "" && (key === "source" || key === "destination") && value && typeof value === "object") {
      result[key] = overlay(value, live, observed, `${key}.`);
    } else {
      result[key] = observed[path] ? observed[path](live, value) : value;
    }
  }
  return result;
}

/** Health outputs of one VM replication, as its destinationState shows them (null, not absent: an absent output is unknown in every preview). */
export function replicationHealth(live: VcdaReplication): { latestInstance: ReplicationInstance | null; currentRpoViolation: number } {
  const instance = live.destinationState?.latestInstance;
  return {
    latestInstance: instance ? stripUndefined({ key: instance.key, sequenceNumber: instance.sequenceNumber, timestamp: instance.timestamp, quiescedType: instance.quiescedType }) : null,
    currentRpoViolation: live.destinationState?.currentRpoViolation ?? -1,
  };
}

/** Each declared path whose observed value differs, as `path live → declared`: what a replace would change, and settings. */
export function adoptionDifferences(observed: object, inputs: object, spec: DiffSpec): { settings: string[]; identity: string[] } {
  const describe = (paths: readonly string[]) => {
    const changed = changedPaths(observed, inputs, paths, spec);
    const canonical = spec.canonical ?? ((_path: string, value: unknown) => value);
    const flat = (source: object) => Object.fromEntries(changed.map((path) => [path, canonical(path, valueAt(source, path) ?? spec.implied!(path, source as any))]));
    return describeDifferences(flat(inputs), flat(observed));
  };
  return { identity: describe(spec.replacePaths), settings: describe(spec.updatePaths) };
}
