import type { VpgInputs, VpgNetworks, VpgVcdNetwork, VpgVm, VpgVmVcdNic, VpgVmVcdNicNetwork } from "../inputs.generated";
import { known, preflightFailure } from "../preflight";
import { UNKNOWN } from "../state";
import type { CheckFailure } from "../types";
import type { VpgSettings, VpgSettingsVcdNetwork, VpgSettingsVm, VpgSettingsVmNic, VpgSettingsVmNicVcd, ZertoSiteObject } from "./models";

/** A block's fields by name, as the field tables below map them between input keys and wire keys. */
type Fields = Record<string, unknown>;

/**
 * VPGs recovering into VMware Cloud Director: the VCD blocks of the ZVM's VPG settings
 * (docs/api-notes/zerto.md#vpg-settings-cloud-director-blocks: VpgSettingsVcdRecoveryApi,
 * VpgSettingsVcdNetworkApi, VpgSettingsVmVcdRecoveryApi, VpgSettingsVmNicVcdNetworkApi; PascalCase on the
 * wire). Only what the program declares is sent as a value and read back, so the ZVM's own defaults never
 * show as drift.
 */

/** Input key → wire key of a VPG-level network block (Networks.Failover.VCD / FailoverTest.VCD). */
const NETWORK_FIELDS = [
  { key: "defaultRecoveryOrgVdcNetworkId", wire: "DefaultRecoveryOrgVdcNetworkIdentifier" },
  { key: "enableGuestCustomization", wire: "IsEnableGuestCustomization" },
  { key: "copyNatRules", wire: "CopyNATRules" },
] as const;
const MAPPING_FIELDS = [
  { key: "protectedOrgVdcNetworkId", wire: "ProtectedOrgVdcNetworkIdentifier" },
  { key: "recoveryOrgVdcNetworkId", wire: "RecoveryOrgVdcNetworkIdentifier" },
  { key: "reverseTestOrgVdcNetworkId", wire: "ReverseTestOrgVdcNetworkIdentifier" },
] as const;
/** Input key → wire key of a NIC's block (Vms[].Nics[].Failover.VCD / FailoverTest.VCD). */
const NIC_FIELDS = [
  { key: "recoveryOrgVdcNetworkId", wire: "RecoveryOrgVdcNetworkIdentifier" },
  { key: "ipMode", wire: "IpMode" },
  { key: "ipAddress", wire: "IpAddress" },
  { key: "primary", wire: "IsPrimary" },
  { key: "connected", wire: "IsConnected" },
  { key: "resetMacAddress", wire: "IsResetMacAddress" },
] as const;
const DIRECTIONS = [{ key: "failover", wire: "Failover" }, { key: "failoverTest", wire: "FailoverTest" }] as const;

/** Whether the program recovers the VPG into Cloud Director. */
function recoversIntoVcd(inputs: Partial<VpgInputs>): boolean {
  return inputs.recovery?.vcd !== undefined;
}

// ---- inputs → settings ----

/**
 * Lays the declared VCD values onto the settings `toSettings` built. A VPG that does not recover into
 * Cloud Director keeps its VCD blocks as the ZVM has them; one that does gets every block it owns,
 * null where nothing is declared (the ZVM's default applies).
 */
export function applyVcdSettings(inputs: VpgInputs, settings: VpgSettings): VpgSettings {
  if (!recoversIntoVcd(inputs)) return settings;
  settings.Recovery = { ...settings.Recovery, VCD: { OrgVdcIdentifier: inputs.recovery.vcd!.orgVdcId } };
  for (const d of DIRECTIONS) {
    settings.Networks = { ...settings.Networks, [d.wire]: { ...settings.Networks?.[d.wire], VCD: networkToWire(inputs.networks[d.key]?.vcd) } };
  }
  const declared = new Map(inputs.vms.map((vm) => [vm.vmId, vm]));
  settings.Vms = (settings.Vms ?? []).map((vm) => vmToWire(vm, declared.get(vm.VmIdentifier)));
  return settings;
}

function networkToWire(network: VpgVcdNetwork | undefined): VpgSettingsVcdNetwork | null {
  if (!network) return null;
  const out: VpgSettingsVcdNetwork = fieldsToWire(network, NETWORK_FIELDS);
  out.Mapping = (network.mappings ?? []).map((m) => fieldsToWire(m, MAPPING_FIELDS));
  return out;
}

function vmToWire(vm: VpgSettingsVm, declared: VpgVm | undefined): VpgSettingsVm {
  const storagePolicy = declared?.recovery?.vcd?.storagePolicyId;
  const nics = new Map((declared?.vcdNics ?? []).map((nic) => [nic.nicId, nic]));
  // a VM just added to a draft has no NICs listed yet: its declared ones are sent by identifier
  const listed: VpgSettingsVmNic[] = Array.isArray(vm.Nics) ? vm.Nics : [];
  const unlisted = [...nics.keys()].filter((nicId) => !listed.some((nic) => nic.NicIdentifier === nicId)).map((nicId) => ({ NicIdentifier: nicId }));
  const out: VpgSettingsVm = { ...vm, Recovery: { ...vm.Recovery, VCD: storagePolicy ? { StoragePolicyIdentifier: storagePolicy } : null } };
  if (Array.isArray(vm.Nics) || unlisted.length) out.Nics = [...listed, ...unlisted].map((nic) => nicToWire(nic, nics.get(nic.NicIdentifier)));
  return out;
}

function nicToWire(nic: VpgSettingsVmNic, declared: VpgVmVcdNic | undefined): VpgSettingsVmNic {
  const out: VpgSettingsVmNic = { ...nic };
  for (const d of DIRECTIONS) {
    const settings = declared?.[d.key];
    out[d.wire] = { ...nic[d.wire], VCD: settings ? fieldsToWire(settings, NIC_FIELDS) as VpgSettingsVmNicVcd : null };
  }
  return out;
}

function fieldsToWire(value: object, fields: ReadonlyArray<{ key: string; wire: string }>): Fields {
  return Object.fromEntries(fields.map((f) => [f.wire, (value as Fields)[f.key] ?? null]));
}

// ---- settings → inputs ----

/**
 * Adds the VCD values the ZVM holds to `inputs` (the shape `fromSettings` read). VPG-level values
 * are reported when the ZVM holds them; per-VM values (storage policy, NICs) only where `declared`
 * has them, as the ZVM fills in every VM's and NIC's values itself.
 */
export function withVcdInputs<T extends Partial<VpgInputs>>(settings: VpgSettings, declared: Partial<VpgInputs> | undefined, inputs: T): T {
  const orgVdcId = settings.Recovery?.VCD?.OrgVdcIdentifier;
  if (!present(orgVdcId)) return inputs;
  inputs.recovery = { ...inputs.recovery, vcd: { orgVdcId } };
  const networks: VpgNetworks = { ...inputs.networks };
  for (const d of DIRECTIONS) {
    const network = networkFromWire(settings.Networks?.[d.wire]?.VCD, declared?.networks?.[d.key]?.vcd);
    if (network) networks[d.key] = { vcd: network };
  }
  inputs.networks = networks;
  const declaredVms = new Map((Array.isArray(declared?.vms) ? declared.vms : []).map((vm) => [vm.vmId, vm]));
  const wireVms = new Map<string, VpgSettingsVm>((Array.isArray(settings.Vms) ? settings.Vms : []).map((vm) => [vm.VmIdentifier, vm]));
  inputs.vms = (inputs.vms ?? []).map((vm: VpgVm) => vmFromWire(vm, wireVms.get(vm.vmId), declaredVms.get(vm.vmId)));
  return inputs;
}

function networkFromWire(wire: VpgSettingsVcdNetwork | null | undefined, declared: VpgVcdNetwork | undefined): VpgVcdNetwork | undefined {
  if (!wire) return undefined;
  const out: Fields = fieldsFromWire(wire, NETWORK_FIELDS, declared);
  const mappings = Array.isArray(wire.Mapping) ? wire.Mapping : [];
  if (mappings.length || declared?.mappings !== undefined) out.mappings = mappings.map((m) => fieldsFromWire(m, MAPPING_FIELDS, undefined));
  return Object.keys(out).length ? out as VpgVcdNetwork : undefined;
}

function vmFromWire(vm: VpgVm, wire: VpgSettingsVm | undefined, declared: VpgVm | undefined): VpgVm {
  if (!wire || !declared) return vm;
  const out: VpgVm = { ...vm };
  const storagePolicyId = wire.Recovery?.VCD?.StoragePolicyIdentifier;
  if (declared.recovery?.vcd !== undefined && present(storagePolicyId)) out.recovery = { ...vm.recovery, vcd: { storagePolicyId } };
  if (declared.vcdNics !== undefined) {
    const nics: VpgSettingsVmNic[] = Array.isArray(wire.Nics) ? wire.Nics : [];
    out.vcdNics = declared.vcdNics
      .map((mine) => nicFromWire(nics.find((n) => n.NicIdentifier === mine.nicId), mine))
      .filter((nic): nic is VpgVmVcdNic => nic !== undefined);
  }
  return out;
}

function nicFromWire(wire: VpgSettingsVmNic | undefined, declared: VpgVmVcdNic): VpgVmVcdNic | undefined {
  if (!wire) return undefined;
  const out: VpgVmVcdNic = { nicId: wire.NicIdentifier };
  for (const d of DIRECTIONS) {
    const mine = declared[d.key];
    const vcd = wire[d.wire]?.VCD;
    if (mine && vcd) out[d.key] = fieldsFromWire(vcd, NIC_FIELDS, mine) as VpgVmVcdNicNetwork;
  }
  return out;
}

/** The fields of a wire block in input keys: those `declared` names (all that are set when nothing is declared). */
function fieldsFromWire(wire: object, fields: ReadonlyArray<{ key: string; wire: string }>, declared: object | undefined): Fields {
  const out: Fields = {};
  for (const f of fields) {
    const value = (wire as Fields)[f.wire];
    const wanted = declared === undefined ? present(value) && value !== false : (declared as Fields)[f.key] !== undefined;
    if (wanted && present(value)) out[f.key] = value;
  }
  return out;
}

function present<T>(value: T): value is Exclude<T, null | undefined> {
  return value !== null && value !== undefined && value !== "";
}

// ---- rules across properties ----

/**
 * What a Cloud Director target needs and excludes beyond the schema: its networks, a storage policy per VM
 * (settings without one fail), no journal datastore (the ZVM rejects one for vCD: both in
 * docs/api-notes/zerto.md#vpg-settings-cloud-director-blocks), no vSphere placement per VM; and VCD values
 * only for such a target.
 */
export function vcdCrossCheck(inputs: VpgInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, rule: string, problem: string) => failures.push({ property, reason: `Vpg: ${property} ${problem} [rule: ${rule}]` });
  const vms: VpgVm[] = Array.isArray(inputs.vms) ? inputs.vms : [];
  if (inputs.recovery === UNKNOWN as unknown || inputs.recovery?.vcd === UNKNOWN as unknown) return failures;
  if (recoversIntoVcd(inputs)) {
    if (inputs.networks && inputs.networks !== UNKNOWN as unknown && inputs.networks.failover === undefined) {
      fail("networks.failover", "Cloud Director target", "is required when recovery.vcd names an org vDC (set failover.vcd instead of failoverNetworkId)");
    }
    if (inputs.journal?.datastoreId !== undefined) fail("journal.datastoreId", "Cloud Director target", "must not be set when recovery.vcd is set: the ZVM places the journal in the org vDC");
    vms.forEach((vm, i) => {
      if (!vm || vm === UNKNOWN as unknown || vm.recovery === UNKNOWN as unknown) return;
      const vsphere = Object.keys(vm.recovery ?? {}).filter((key) => key !== "vcd");
      if (vsphere.length) fail(`vms[${i}].recovery`, "Cloud Director target", `must not set ${vsphere.join(", ")} when recovery.vcd is set: a Cloud Director site takes only recovery.vcd per VM`);
      if (vm.recovery?.vcd === undefined) fail(`vms[${i}].recovery.vcd`, "Cloud Director target", "is required when recovery.vcd is set: the ZVM needs each VM's storage policy");
    });
    return failures;
  }
  for (const d of DIRECTIONS) {
    if (inputs.networks?.[d.key] !== undefined) fail(`networks.${d.key}`, "Cloud Director target", "needs recovery.vcd: Cloud Director networks apply only to a VPG recovering into an org vDC");
  }
  vms.forEach((vm, i) => {
    if (vm?.recovery?.vcd !== undefined) fail(`vms[${i}].recovery.vcd`, "Cloud Director target", "needs recovery.vcd at the VPG level");
    if (vm?.vcdNics !== undefined) fail(`vms[${i}].vcdNics`, "Cloud Director target", "needs recovery.vcd at the VPG level");
  });
  return failures;
}

// ---- preflight ----

/** Whether a VPG recovering into Cloud Director has VCD references to look up: new, changed, or on a new site. */
export function vcdReferencesChanged(news: VpgInputs, changed: (path: string) => boolean, sitesChanged: boolean): boolean {
  return recoversIntoVcd(news) && (sitesChanged || ["recovery.vcd", "networks.failover", "networks.failoverTest", "vms"].some(changed));
}

/**
 * Read-only look-ups of a Cloud Director VPG's references at the recovery site: the org vDC, then
 * the org vDC networks and storage policies its networks and VMs name. `list` answers
 * GET /v1/virtualizationsites/{recoverySiteId}/<kind>.
 */
export async function vcdPreflight(news: VpgInputs, list: (kind: string) => Promise<ZertoSiteObject[] | undefined>, siteName: string): Promise<CheckFailure[]> {
  const orgVdcId = news.recovery.vcd?.orgVdcId;
  if (!known(orgVdcId)) return [];
  const failures: CheckFailure[] = [];
  const fail = (property: string, problem: string) => failures.push(preflightFailure("Vpg", property, problem, "exists at recovery site"));
  const orgVdc = ((await list("orgvdcs")) ?? []).find((o) => same(o.Identifier, orgVdcId));
  if (!orgVdc) {
    fail("recovery.vcd.orgVdcId", `names no org vDC at recovery site '${siteName}'`);
    return failures;
  }
  const within = `org vDC '${orgVdc.OrgVdcName ?? orgVdcId}'`;
  const inOrgVdc = `orgvdcs/${encodeURIComponent(orgVdcId)}`;
  const networks = (await list(`${inOrgVdc}/networks`)) ?? [];
  const checkNetwork = (property: string, id: unknown) => {
    if (known(id) && !networks.some((n) => same(n.NetworkIdentifier, id))) fail(property, `names no network of ${within}`);
  };
  for (const d of DIRECTIONS) {
    const network = news.networks?.[d.key]?.vcd;
    checkNetwork(`networks.${d.key}.vcd.defaultRecoveryOrgVdcNetworkId`, network?.defaultRecoveryOrgVdcNetworkId);
    (network?.mappings ?? []).forEach((m, i) => {
      checkNetwork(`networks.${d.key}.vcd.mappings[${i}].recoveryOrgVdcNetworkId`, m?.recoveryOrgVdcNetworkId);
      checkNetwork(`networks.${d.key}.vcd.mappings[${i}].reverseTestOrgVdcNetworkId`, m?.reverseTestOrgVdcNetworkId);
    });
  }
  const vms: VpgVm[] = Array.isArray(news.vms) ? news.vms : [];
  const policies = vms.some((vm) => known(vm?.recovery?.vcd?.storagePolicyId)) ? (await list(`${inOrgVdc}/storagepolicies`)) ?? [] : [];
  vms.forEach((vm, i) => {
    const policyId = vm?.recovery?.vcd?.storagePolicyId;
    const policy = policies.find((p) => same(p.StoragePolicyIdentifier, policyId));
    if (known(policyId) && !policy) fail(`vms[${i}].recovery.vcd.storagePolicyId`, `names no storage policy of ${within}`);
    else if (policy?.IsEnabled === false) fail(`vms[${i}].recovery.vcd.storagePolicyId`, `names storage policy '${policy.StoragePolicyName}', which is disabled in ${within}`);
    (Array.isArray(vm?.vcdNics) ? vm.vcdNics : []).forEach((nic, j) => {
      for (const d of DIRECTIONS) checkNetwork(`vms[${i}].vcdNics[${j}].${d.key}.recoveryOrgVdcNetworkId`, nic?.[d.key]?.recoveryOrgVdcNetworkId);
    });
  });
  return failures;
}

function same(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}
