import { Obj } from "./settingsModel";
import { VpgRecord, ZvmState } from "./state";

/** A VPG's status as both the VPGs and the Protected VMs APIs report it. */

export const STATUSES = [
  "Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA", "HistoryNotMeetingSLA", "FailingOver", "Moving", "Deleting", "Recovered",
];
/** Index = wire value (docs/api-notes/zerto.md#vpg-status-and-substatus; 28 is unassigned). */
export const SUBSTATUSES = [
  "None", "InitialSync", "Creating", "VolumeInitialSync", "Sync", "RecoveryPossible", "DeltaSync", "NeedsConfiguration", "Error",
  "EmptyProtectionGroup", "DisconnectedFromPeerNoRecoveryPoints", "FullSync", "VolumeDeltaSync", "VolumeFullSync",
  "FailingOverCommitting", "FailingOverBeforeCommit", "FailingOverRollingBack", "Promoting", "MovingCommitting",
  "MovingBeforeCommit", "MovingRollingBack", "Deleting", "PendingRemove", "BitmapSync", "DisconnectedFromPeer",
  "ReplicationPausedUserInitiated", "ReplicationPausedSystemInitiated", "RecoveryStoragePolicyError", "", "RollingBack",
  "RecoveryStorageError", "JournalStorageError", "VmNotProtectedError", "JournalOrRecoveryMissingError", "AddedVmsInInitialSync",
  "ReplicationPausedForMissingVolume", "StoppingFotFailure", "RollingBackFailOverLiveFailure", "RollingBackMoveFailure",
  "SplittingCommitting", "PreparePreseed",
];
const SUB = { None: 0, Creating: 2, EmptyProtectionGroup: 9, FailingOverBeforeCommit: 15, MovingBeforeCommit: 19, Deleting: 21, ReplicationPausedUserInitiated: 25 };

/**
 * Status 0 Initializing (Creating, or EmptyProtectionGroup) until the initial sync is done, then 1
 * MeetingSLA (docs/api-notes/zerto.md#vpg-status-and-substatus). An operation started in the ZVM UI shows
 * as the API lists it: a failover as 5 FailingOver / FailingOverBeforeCommit, a move as 6 Moving /
 * MovingBeforeCommit. Assumption (the document does not say which status a paused VPG has): a pause keeps
 * the SLA status and sets substatus 25 ReplicationPausedUserInitiated; a failover test keeps both and shows
 * in ActiveProcessesApi.RunningFailOverTestApi.
 */
export function vpgStatus(state: ZvmState, vpg: VpgRecord): { status: number; subStatus: number; initializing: boolean } {
  if (vpg.deleting) return { status: 7, subStatus: SUB.Deleting, initializing: false };
  if (vpg.operation === "failover") return { status: 5, subStatus: SUB.FailingOverBeforeCommit, initializing: false };
  if (vpg.operation === "move") return { status: 6, subStatus: SUB.MovingBeforeCommit, initializing: false };
  if (vpg.operation === "pause") {
    const initializing = state.clock.now() < vpg.syncedAt;
    return { status: initializing ? 0 : 1, subStatus: SUB.ReplicationPausedUserInitiated, initializing };
  }
  if (vpg.slaBreach && state.clock.now() >= vpg.syncedAt) return { status: 2, subStatus: SUB.None, initializing: false };
  if (state.clock.now() < vpg.syncedAt) {
    return { status: 0, subStatus: vpg.def.vms.length ? SUB.Creating : SUB.EmptyProtectionGroup, initializing: true };
  }
  return { status: 1, subStatus: SUB.None, initializing: false };
}

/** Assumption: no document names a measured RPO; the simulator's VMs are always 7 s behind once synced (as its VPGs are). */
export const SYNCED_RPO_SECONDS = 7;

/** When the VPG was last failover-tested (set when a test run in the ZVM UI ends), as the ZVM's JSON dates are written. */
export function lastTestOf(state: ZvmState, vpg: VpgRecord): string | null {
  return vpg.lastTestAt === undefined ? null : state.clock.iso(vpg.lastTestAt);
}

export function siteLinks(state: ZvmState, basic: Obj) {
  const protectedSite = state.inventory.site(basic.ProtectedSiteIdentifier);
  const recoverySite = state.inventory.site(basic.RecoverySiteIdentifier);
  return {
    protectedSite,
    recoverySite,
    ProtectedSite: state.link("localsite", basic.ProtectedSiteIdentifier, "LocalSiteApi"),
    RecoverySite: state.link(`peersites/${basic.RecoverySiteIdentifier}`, basic.RecoverySiteIdentifier, "PeerSiteApi"),
  };
}
