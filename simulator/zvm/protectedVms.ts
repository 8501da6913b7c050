import { HttpError, Router } from "../common";
import { enumFilter, matches, PRIORITIES, queryParam } from "./binding";
import { Obj } from "./settingsModel";
import { VpgRecord, ZvmContext, ZvmState } from "./state";
import { lastTestOf, siteLinks, STATUSES, SUBSTATUSES, SYNCED_RPO_SECONDS, vpgStatus } from "./vpgStatus";

/**
 * Assumption: the documents give no formula for JournalUsedStorageMb ("The amount of used journal storage
 * for the virtual machine, in Mb": docs/api-notes/zerto.md#protected-vms). A synced VM here reports a fixed
 * share of its provisioned storage, so that repeated reads agree; a real journal moves with the load.
 */
const JOURNAL_SHARE = 0.05;
/** One row of GET /v1/vms per VM of the VPG, with the fields of the documented sample (docs/api-notes/zerto.md#protected-vms; PascalCase as on the wire). */
function renderProtectedVms(state: ZvmState, vpg: VpgRecord): Obj[] {
  const basic = vpg.def.core.Basic;
  const { status, subStatus, initializing } = vpgStatus(state, vpg);
  const sites = siteLinks(state, basic);
  const limit = (mb: number, percent: number) =>
    mb > 0 ? { LimitType: 1, LimitValue: mb } : percent > 0 ? { LimitType: 2, LimitValue: percent } : { LimitType: 0, LimitValue: 0 };
  const journal = vpg.def.core.Journal.Limitation;
  return vpg.def.vms.map(({ VmIdentifier, settings }) => {
    const vm = state.inventory.anyVm(VmIdentifier);
    const provisioned = (vm?.Volumes ?? []).reduce((sum, v) => sum + v.SizeInMB, 0);
    const id = `${VmIdentifier}?VpgIdentifier=${vpg.id}`;
    const link = state.link(`vms/${id}`, id, "VmApi");
    const hostId = settings.Recovery?.HostIdentifier ?? vpg.def.core.Recovery.DefaultHostIdentifier;
    return {
      ActualRPO: initializing ? -1 : SYNCED_RPO_SECONDS,
      EnabledActions: { IsFlrEnabled: !initializing },
      Entities: { Protected: 0, Recovery: 0, Source: 0, Target: 0 },
      HardwareVersion: "vmx-19",
      IOPs: 0,
      IsVmExists: Boolean(vm),
      JournalHardLimit: limit(journal.HardLimitInMB, journal.HardLimitInPercent),
      JournalUsedStorageMb: initializing ? 0 : Math.round(provisioned * JOURNAL_SHARE),
      JournalWarningThreshold: limit(journal.WarningThresholdInMB, journal.WarningThresholdInPercent),
      LastTest: lastTestOf(state, vpg),
      Link: link,
      "Link_{0}": { href: link.href, rel: "self", type: "VmApi" },
      OrganizationName: "",
      OutgoingBandWidthInMbps: 0,
      Priority: Math.max(0, PRIORITIES.indexOf(basic.Priority)),
      ProtectedSite: sites.ProtectedSite,
      ProvisionedStorageInMB: provisioned,
      RecoveryHostIdentifier: hostId ?? null,
      RecoverySite: sites.RecoverySite,
      SourceSite: sites.protectedSite?.SiteName ?? "",
      Status: status,
      SubStatus: subStatus,
      TargetSite: sites.recoverySite?.SiteName ?? "",
      ThroughputInMB: 0,
      UsedStorageInMB: Math.round(provisioned * 0.6),
      VmIdentifier,
      VmName: vm?.VmName ?? VmIdentifier,
      Volumes: (vm?.Volumes ?? []).map((v) => ({ VmVolumeIdentifier: v.VmVolumeIdentifier })),
      VpgIdentifier: vpg.id,
      VpgName: basic.Name,
    };
  });
}

/**
 * The Protected VMs API (docs/api-notes/zerto.md#protected-vms). GET /v1/vms takes the filters the 10.0 U6
 * API lists (vpgName, vmName, vmIdentifier, status, subStatus, priority, the site identifiers,
 * organizationName), not case-sensitive. It has no VPG-identifier filter: like any unknown query parameter
 * (ASP.NET binding), one is ignored. GET /v1/vms/{vmIdentifier} takes vpgIdentifier for a VM protected by
 * more than one VPG.
 */
export function registerProtectedVmRoutes(api: Router, { state, protect }: ZvmContext): void {
  const allRows = () => state.visibleVpgs().flatMap((v) => renderProtectedVms(state, v));

  api.on("GET", "/v1/vms", protect((req) => {
    const q = (name: string) => queryParam(req.query, name);
    const status = enumFilter(req, "status", STATUSES);
    const subStatus = enumFilter(req, "subStatus", SUBSTATUSES);
    const priority = enumFilter(req, "priority", PRIORITIES);
    const rows = allRows().filter((vm) =>
      matches(vm.VpgName, q("vpgName")) && matches(vm.VmName, q("vmName")) && matches(vm.VmIdentifier, q("vmIdentifier")) &&
      matches(vm.ProtectedSite.identifier, q("protectedSiteIdentifier") ?? q("sourceSite")) &&
      matches(vm.RecoverySite.identifier, q("recoverySiteIdentifier") ?? q("targetSite")) &&
      matches(vm.OrganizationName, q("organizationName")) &&
      (status === undefined || vm.Status === status) &&
      (subStatus === undefined || vm.SubStatus === subStatus) &&
      (priority === undefined || vm.Priority === priority));
    return { status: 200, body: rows };
  }));
  api.on("GET", "/v1/vms/:vmId", protect((req) => {
    const vpgId = queryParam(req.query, "vpgIdentifier");
    const rows = allRows().filter((vm) => vm.VmIdentifier === req.params.vmId && matches(vm.VpgIdentifier, vpgId));
    if (rows.length === 0) throw new HttpError(404, `Protected VM ${req.params.vmId} was not found.`);
    // "VpgId may be required if VM is protected by more than one VPG" (docs/api-notes/zerto.md#protected-vms)
    if (rows.length > 1) throw new HttpError(400, `VM ${req.params.vmId} is protected by more than one VPG: give vpgIdentifier.`);
    return { status: 200, body: rows[0] };
  }));
}
