import type { VpgInputs, VpgOutputs, VpgProtectedVm } from "../inputs.generated";
import { prune, stripUndefined } from "../state";
import type { ZertoProtectedVm, ZertoVpg } from "./models";
import { protectionStateOf, statusName, subStatusName } from "./vpgStatus";
import { inputsOf, STATE_ONLY_INPUTS, ZERO_GUID } from "./vpgDefinition";

/**
 * The VPG as the read-only endpoints show it: GET /v1/vpgs/{id} (VpgApi) and GET /v1/vms (VmApi).
 * Neither opens a draft, so a refresh built on them changes nothing at the ZVM. They show only part
 * of the definition; every other property keeps the value recorded in the stack.
 */

const PRIORITIES = ["Low", "Medium", "High"];

/** Inputs the summary shows (docs/review-and-drift.md); every other input keeps its recorded value. */
export const SUMMARY_INPUTS = [
  "name", "protectedSiteId", "recoverySiteId", "rpoSeconds", "journalHistoryHours", "priority", "serviceProfileId", "zorgId", "vms (membership)",
] as const;

/**
 * The recorded definition with what the summary shows laid over it: name, sites, RPO, journal
 * history, priority, service profile, ZORG, and which VMs the VPG protects (a VM still protected
 * keeps its recorded settings, one added outside Pulumi shows with none).
 */
export function fromSummary(recorded: VpgOutputs, vpg: ZertoVpg, protectedVms: ZertoProtectedVm[]): VpgInputs {
  const definition = inputsOf(recorded);
  const history = vpg.HistoryStatusApi?.ConfiguredHistoryInMinutes;
  const profile = vpg.ServiceProfileIdentifier ?? vpg.ServiceProfile?.identifier;
  const zorg = vpg.Zorg?.identifier;
  const byId = new Map((Array.isArray(definition.vms) ? definition.vms : []).map((vm) => [vm.vmId, vm]));
  const vmIds = [...new Set(protectedVms.map((vm) => String(vm.VmIdentifier)))].sort((a, b) => a.localeCompare(b));
  return prune({
    ...definition,
    name: vpg.VpgName ?? definition.name,
    protectedSiteId: vpg.ProtectedSite?.identifier ?? definition.protectedSiteId ?? recorded.resolvedProtectedSiteId,
    recoverySiteId: vpg.RecoverySite?.identifier ?? definition.recoverySiteId,
    // undeclared (a service profile supplies them): not compared
    rpoSeconds: definition.rpoSeconds !== undefined && typeof vpg.ConfiguredRpoSeconds === "number" ? vpg.ConfiguredRpoSeconds : definition.rpoSeconds,
    journalHistoryHours: definition.journalHistoryHours !== undefined && typeof history === "number" ? history / 60 : definition.journalHistoryHours,
    priority: typeof vpg.Priority === "number" ? PRIORITIES[vpg.Priority] ?? String(vpg.Priority) : vpg.Priority ?? definition.priority,
    serviceProfileId: present(profile) ? profile : undefined,
    zorgId: present(zorg) && zorg !== ZERO_GUID ? zorg : undefined,
    vms: vmIds.map((vmId) => byId.get(vmId) ?? { vmId }),
  }) as VpgInputs;
}

/** The outputs the Protected VMs API and the VPG summary add: each VM's status, and the VPG's last test. */
export function withProtectedVms(outputs: VpgOutputs, vpg: ZertoVpg, protectedVms: ZertoProtectedVm[] | null): VpgOutputs {
  return {
    ...outputs,
    lastTest: typeof vpg.LastTest === "string" ? vpg.LastTest : null,
    protectedVms: protectedVms === null ? null : protectedVms.map(protectedVmOf).sort((a, b) => a.vmId!.localeCompare(b.vmId!)),
  };
}

function protectedVmOf(vm: ZertoProtectedVm): VpgProtectedVm {
  return {
    vmId: String(vm.VmIdentifier),
    name: vm.VmName ?? "",
    status: statusName(vm.Status) ?? "",
    subStatus: subStatusName(vm.SubStatus) ?? "",
    actualRpoSeconds: typeof vm.ActualRPO === "number" ? vm.ActualRPO : null,
    journalUsedMb: typeof vm.JournalUsedStorageMb === "number" ? vm.JournalUsedStorageMb : null,
    lastTest: typeof vm.LastTest === "string" ? vm.LastTest : null,
  };
}

/**
 * The resource's outputs: the live definition, the state-only inputs, the observed protectionState
 * and what the ZVM reports about the VPG. Outputs the ZVM may not report are null rather than
 * absent: an absent output is unknown in every preview.
 */
export function toOutputs(live: VpgInputs, vpg: ZertoVpg, declared: Partial<VpgInputs>): VpgOutputs {
  const stateOnly = Object.fromEntries(STATE_ONLY_INPUTS.map((key) => [key, declared[key]]));
  return stripUndefined({
    ...live,
    ...stateOnly,
    protectionState: protectionStateOf(vpg, declared.failDriftOnUnhealthy === true),
    vpgId: vpg.VpgIdentifier,
    status: statusName(vpg.Status),
    subStatus: subStatusName(vpg.SubStatus),
    // reported as an input only when the program set it, so that refresh does not invent it
    protectedSiteId: declared.protectedSiteId !== undefined ? live.protectedSiteId : undefined,
    resolvedProtectedSiteId: live.protectedSiteId ?? vpg.ProtectedSite?.identifier,
    actualRpoSeconds: typeof vpg.ActualRPO === "number" ? vpg.ActualRPO : null,
    // names beside the site ids, for reviewers: the VPG's own answer carries them, no extra request
    protectedSiteName: typeof vpg.ProtectedSiteName === "string" && vpg.ProtectedSiteName ? vpg.ProtectedSiteName : null,
    recoverySiteName: typeof vpg.RecoverySiteName === "string" && vpg.RecoverySiteName ? vpg.RecoverySiteName : null,
  }) as VpgOutputs;
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}
