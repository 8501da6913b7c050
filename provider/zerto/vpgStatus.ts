import type { ZertoVpg } from "./models";

/** What a VPG's protection state is read from. */
type VpgStatusFields = Pick<ZertoVpg, "Status" | "SubStatus" | "StatusDescription" | "SubStatusDescription" | "ActiveProcessesApi">;
import { EXPECTED_PROTECTION_STATE } from "./vpgDefinition";

// A VPG's status and substatus by name, and the protectionState output read from them.

const STATUS_NAMES = ["Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA", "HistoryNotMeetingSLA", "FailingOver", "Moving", "Deleting", "Recovered"];
const SUBSTATUS_NAMES: Record<number, string> = {
  0: "None", 1: "InitialSync", 2: "Creating", 3: "VolumeInitialSync", 4: "Sync", 5: "RecoveryPossible", 6: "DeltaSync",
  7: "NeedsConfiguration", 8: "Error", 9: "EmptyProtectionGroup", 10: "DisconnectedFromPeerNoRecoveryPoints", 11: "FullSync",
  12: "VolumeDeltaSync", 13: "VolumeFullSync", 14: "FailingOverCommitting", 15: "FailingOverBeforeCommit", 16: "FailingOverRollingBack",
  17: "Promoting", 18: "MovingCommitting", 19: "MovingBeforeCommit", 20: "MovingRollingBack", 21: "Deleting", 22: "PendingRemove",
  23: "BitmapSync", 24: "DisconnectedFromPeer", 25: "ReplicationPausedUserInitiated", 26: "ReplicationPausedSystemInitiated",
  27: "RecoveryStoragePolicyError", 29: "RollingBack", 30: "RecoveryStorageError", 31: "JournalStorageError", 32: "VmNotProtectedError",
  33: "JournalOrRecoveryMissingError", 34: "AddedVmsInInitialSync", 35: "ReplicationPausedForMissingVolume", 36: "StoppingForFailure",
  37: "RollingBackFailOverLiveFailure", 38: "RollingBackMoveFailure", 39: "SplittingCommitting", 40: "PreparePreseed",
};

export function statusName(status: unknown): string | undefined {
  return typeof status === "number" ? STATUS_NAMES[status] ?? String(status) : typeof status === "string" ? status : undefined;
}

export function subStatusName(subStatus: unknown): string | undefined {
  return typeof subStatus === "number" ? SUBSTATUS_NAMES[subStatus] ?? String(subStatus) : typeof subStatus === "string" ? subStatus : undefined;
}

/**
 * What the ZVM is doing with the VPG, from GET /v1/vpgs/{id}: by name (StatusDescription, 10.x) or
 * by the values every source agrees on (5 FailingOver, 6 Moving, 7 Deleting, 8 Recovered; 2–4 are
 * all "not meeting SLA" though sources order 3 and 4 differently), and the substatus for a pause.
 * A failover test (ActiveProcessesApi.RunningFailOverTestApi) runs beside replication: no state of its own,
 * so a drill shows as no drift.
 */
export function protectionStateOf(vpg: VpgStatusFields, failOnUnhealthy = false): string {
  const status = typeof vpg.StatusDescription === "string" && vpg.StatusDescription ? vpg.StatusDescription : statusName(vpg.Status);
  const subStatus = typeof vpg.SubStatusDescription === "string" && vpg.SubStatusDescription ? vpg.SubStatusDescription : subStatusName(vpg.SubStatus) ?? "";
  if (status === "Deleting") return "deleting";
  if (status === "FailingOver" || subStatus.startsWith("FailingOver")) return "failingOver";
  if (status === "Moving" || subStatus.startsWith("Moving")) return "moving";
  if (status === "Recovered") return "recovered";
  if (subStatus.startsWith("ReplicationPaused")) return "paused";
  if (failOnUnhealthy && status !== undefined && status.endsWith("NotMeetingSLA")) return "unhealthy";
  return EXPECTED_PROTECTION_STATE;
}

/** States in which the VPG's definition belongs to a recovery operation: the recorded one is kept (no replace is ever planned from it). */
export const RECOVERY_STATES = ["failingOver", "moving", "recovered", "deleting"];
