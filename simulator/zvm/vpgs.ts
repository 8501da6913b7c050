import { HttpError, Router } from "../common";
import { bind, bodyObject, enumFilter, matches, obj, PRIORITIES, queryParam } from "./binding";
import { Obj, ZERO_GUID } from "./settingsModel";
import { VpgRecord, ZvmContext, ZvmState } from "./state";
import { lastTestOf, siteLinks, STATUSES, SUBSTATUSES, SYNCED_RPO_SECONDS, vpgStatus } from "./vpgStatus";
import { startTask } from "./tasks";
import { runningTestOf } from "./failoverTest";

function storageOf(state: ZvmState, vpg: VpgRecord): { provisioned: number; used: number } {
  let provisioned = 0;
  for (const { VmIdentifier } of vpg.def.vms) {
    for (const v of state.inventory.anyVm(VmIdentifier)?.Volumes ?? []) provisioned += v.SizeInMB;
  }
  return { provisioned, used: Math.round(provisioned * 0.6) };
}

/** VpgApi as a 7.x ZVM answers it, plus the 10.x additions (docs/api-notes/zerto.md#vpg-read-model). */
export function renderVpg(state: ZvmState, vpg: VpgRecord): Obj {
  const basic = vpg.def.core.Basic;
  const { status, subStatus, initializing } = vpgStatus(state, vpg);
  const now = state.clock.now();
  const sites = siteLinks(state, basic);
  const profile = state.inventory.data.serviceProfiles.find((p) => p.ServiceProfileIdentifier === basic.ServiceProfileIdentifier);
  const zorgId = basic.ZorgIdentifier || ZERO_GUID;
  const zorg = state.inventory.data.zorgs.find((z) => z.ZorgIdentifier === zorgId);
  const storage = storageOf(state, vpg);
  const configuredHistory = basic.JournalHistoryInHours * 60;
  const link = state.link(`vpgs/${vpg.id}`, vpg.id, "VpgApi");
  return {
    ActiveProcessesApi: { RunningFailOverTestApi: runningTestOf(vpg) },
    ActualRPO: initializing ? -1 : SYNCED_RPO_SECONDS,
    AlertStatus: 0,
    BackupEnabled: false,
    ConfiguredRpoSeconds: basic.RpoInSeconds,
    Entities: { Protected: 0, Recovery: 0, Source: 0, Target: 0 },
    FailSafeHistory: { ActualFailSafeHistory: 0, ConfiguredFailSafeHistory: 0, FailSafeDescription: "" },
    HistoryStatusApi: {
      ActualHistoryInMinutes: initializing ? 0 : Math.min(configuredHistory, Math.floor((now - vpg.syncedAt) / 60000)),
      ConfiguredHistoryInMinutes: configuredHistory,
      EarliestCheckpoint: initializing ? null : { CheckpointIdentifier: String(Math.floor(vpg.syncedAt / 1000) % 1000000), Tag: null, TimeStamp: state.clock.iso(vpg.syncedAt) },
    },
    IOPs: 0,
    LastTest: lastTestOf(state, vpg),
    Link: link,
    "Link_{0}": { href: link.href, rel: "self", type: "VpgApi" },
    OrganizationName: zorg?.ZorgName ?? "",
    Priority: Math.max(0, PRIORITIES.indexOf(basic.Priority)),
    ProgressPercentage: initializing ? Math.min(99, Math.floor((100 * (now - vpg.visibleAt)) / Math.max(1, vpg.syncedAt - vpg.visibleAt))) : 0,
    ProtectedSite: sites.ProtectedSite,
    ProtectedSiteName: sites.protectedSite?.SiteName ?? "",
    ProvisionedStorageInMB: storage.provisioned,
    RecoverySite: sites.RecoverySite,
    RecoverySiteName: sites.recoverySite?.SiteName ?? "",
    ServiceProfile: profile ? state.link(`serviceprofiles/${profile.ServiceProfileIdentifier}`, profile.ServiceProfileIdentifier, "ServiceProfileApi") : null,
    ServiceProfileIdentifier: basic.ServiceProfileIdentifier ?? null,
    ServiceProfileName: profile?.ServiceProfileName ?? "",
    SourceSite: sites.protectedSite?.SiteName ?? "",
    Status: status,
    StatusDescription: STATUSES[status],
    SubStatus: subStatus,
    SubStatusDescription: SUBSTATUSES[subStatus],
    TargetSite: sites.recoverySite?.SiteName ?? "",
    ThroughputInMB: 0,
    UsedStorageInMB: storage.used,
    VmsCount: vpg.def.vms.length,
    VpgDescription: "",
    VpgIdentifier: vpg.id,
    VpgName: basic.Name,
    VpgType: basic.VpgType ?? "Remote",
    Zorg: state.link(`zorgs/${zorgId}`, zorgId, "ZorgApi"),
  };
}

/** VpgApi fields a 7.x ZVM does not answer (a capture from a 7.x ZVM in ZertoApiWrapper's tests: docs/api-notes/first-contact.md#vpgapi-shapes-get-v1vpgs-get-v1vpgsid). */
const NOT_IN_7X = ["StatusDescription", "SubStatusDescription", "ProtectedSiteName", "RecoverySiteName", "VpgType"];

/** A VPG as the simulated ZVM generation answers it. */
function inShape(state: ZvmState, vpg: Obj): Obj {
  if (state.responseShape !== "7.x") return vpg;
  return Object.fromEntries(Object.entries(vpg).filter(([key]) => !NOT_IN_7X.includes(key)));
}

export function registerVpgRoutes(api: Router, { state, protect }: ZvmContext): void {
  const findVisible = (id: string) => {
    const vpg = state.visibleVpg(id);
    if (!vpg) throw new HttpError(404, `VPG with identifier ${id} was not found.`);
    return vpg;
  };

  api.on("GET", "/v1/vpgs/statuses", protect(() => ({ status: 200, body: STATUSES })));
  api.on("GET", "/v1/vpgs/substatuses", protect(() => ({ status: 200, body: SUBSTATUSES.filter((s) => s !== "") })));
  api.on("GET", "/v1/vpgs/priorities", protect(() => ({ status: 200, body: PRIORITIES })));
  api.on("GET", "/v1/vpgs", protect((req) => {
    const q = (name: string) => queryParam(req.query, name);
    const status = enumFilter(req, "status", STATUSES);
    const subStatus = enumFilter(req, "subStatus", SUBSTATUSES);
    const priority = enumFilter(req, "priority", PRIORITIES);
    const rows = state.visibleVpgs().map((v) => renderVpg(state, v)).filter((v) =>
      matches(v.VpgName, q("name")) &&
      matches(v.VpgIdentifier, q("vpgIdentifier")) &&
      matches(v.ProtectedSite.identifier, q("protectedSiteIdentifier") ?? q("sourceSite")) &&
      matches(v.RecoverySite.identifier, q("recoverySiteIdentifier") ?? q("targetSite")) &&
      matches(v.ServiceProfileIdentifier, q("serviceProfileIdentifier")) &&
      matches(v.Zorg.identifier, q("zorgIdentifier")) &&
      matches(v.OrganizationName, q("organizationName")) &&
      (status === undefined || v.Status === status) &&
      (subStatus === undefined || v.SubStatus === subStatus) &&
      (priority === undefined || v.Priority === priority));
    return { status: 200, body: rows.map((v) => inShape(state, v)) };
  }));
  api.on("GET", "/v1/vpgs/:vpgId", protect((req) => ({ status: 200, body: inShape(state, renderVpg(state, findVisible(req.params.vpgId))) })));
  api.on("DELETE", "/v1/vpgs/:vpgId", protect((req, user) => {
    bind(bodyObject(req.body), obj({ Force: "bool", KeepRecoveryVolumes: "bool" }));
    const vpg = findVisible(req.params.vpgId);
    if (vpg.deleting) throw new HttpError(state.alreadyDeletingStatus, `VPG ${vpg.def.core.Basic.Name} is already being deleted.`);
    vpg.deleting = true;
    return { status: 200, body: startTask(state, "RemoveProtectionGroup", user, vpg.id).id };
  }));
}
