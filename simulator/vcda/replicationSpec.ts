import { randomUUID } from "node:crypto";
import { badRequest } from "./api";
import { Session, sessionOrgs } from "./auth";
import { policyViolation } from "./compliance";
import type { Disk, ReplicationRecord, ReplicationSettings, RetentionPolicy, SlaProfile, VcdaStore, VmReplication } from "./state";

// What a POST or PATCH /vm-replications body asks for, checked against the inventory, the policy and
// the documented rules (docs/api-notes/vcda.md#vm-replications-starting-one): a create builds the replication, a reconfigure the change it makes.

const CONNECTION_TYPES = ["PLAIN", "ENCRYPTED", "ENCRYPTED_COMPRESSED"];
const DISK_TYPES = ["THIN", "PREALLOCATED", "PREALLOCATED_ZEROS"];
/** source.type → the destination types it can pair with (six POST /vm-replications variants: docs/api-notes/vcda.md#vm-replications-starting-one). */
const VARIANTS: Record<string, string[]> = { vm: ["vcloud", "vm", "vc", "vcVm"], vcVm: ["vcloud", "vm"] };
const CLOUD_DESTINATIONS = ["vcloud", "vm"];
/** startupInfo of a new replication: the values of the documented GET /vm-replications/{id} example (docs/api-notes/vcda.md#vm-replications-the-object). */
const DEFAULT_STARTUP = { order: 0, startAction: "powerOn", startDelay: 0, stopAction: "powerOff", stopDelay: 0 };
const START_ACTIONS = ["powerOn", "none"];
const STOP_ACTIONS = ["powerOff", "guestShutdown"];

type SlaFields = Pick<ReplicationSettings, "rpo" | "dataConnectionType" | "quiesced" | "retentionPolicy">;

/** The source VM of a create request, from the seeded inventory. */
interface SourceVm {
  vmId: string;
  name: string;
  powerState: string;
  disks: Disk[];
  source: VmReplication["source"];
  /** The organization that owns the VM (for on-premises VMs, the org the on-premises site is paired with). */
  owningOrg: string | null;
  vcUuid?: string;
}

/** Checks a create body against the inventory and builds the replication it asks for (400 on any problem). */
export function buildReplication(store: VcdaStore, body: any, session: Session): ReplicationRecord {
  if (!body || typeof body !== "object" || Array.isArray(body)) badRequest("InvalidReplicationSpec", "The request body must be a VM replication spec object.");
  const src = body.source;
  const dst = body.destination;
  if (!src || typeof src !== "object") badRequest("InvalidReplicationSpec", "Property 'source' is required.", ["source"]);
  if (!dst || typeof dst !== "object") badRequest("InvalidReplicationSpec", "Property 'destination' is required.", ["destination"]);
  if (!VARIANTS[src.type]) badRequest("InvalidReplicationSpec", `source.type must be 'vm' or 'vcVm', got '${String(src.type)}'.`, ["source.type"]);
  if (!VARIANTS[src.type].includes(dst.type)) {
    badRequest("InvalidReplicationSpec", `destination.type '${String(dst.type)}' is not supported with source.type '${src.type}'; expected one of ${VARIANTS[src.type].join(", ")}.`, ["destination.type"]);
  }
  const orgs = session.isAdmin ? undefined : sessionOrgs(session);
  const mayUse = (org: string | null | undefined) => !orgs || (org !== null && org !== undefined && orgs.has(org));

  const vm = src.type === "vm" ? cloudSourceVm(store, src, mayUse) : onPremSourceVm(store, src, mayUse);
  const existing = store.replications().find((r) => r.replication.vmId === vm.vmId && r.replication.source.site === vm.source.site);
  if (existing) badRequest("VmAlreadyReplicated", `VM '${vm.name}' (${vm.vmId}) is already replicated by ${existing.replication.id}; a VM can be replicated only once.`, [vm.vmId, existing.replication.id]);

  const destinationSite = store.site(dst.site);
  const cloudDestination = CLOUD_DESTINATIONS.includes(dst.type);
  if (!destinationSite || destinationSite.type !== (cloudDestination ? "vcloud" : "vcenter")) {
    badRequest("SiteNotFound", `destination.site '${String(dst.site)}' is not a known ${cloudDestination ? "cloud" : "on-premises"} site.`, ["destination.site"]);
  }
  if (destinationSite.name === vm.source.site) badRequest("InvalidReplicationSpec", "destination.site must differ from source.site.", ["destination.site"]);

  let destination: VmReplication["destination"] = { site: destinationSite.name, org: null, vdcId: null, vdcName: null, recoveredVappId: null };
  let storageProfile: string | null = null;
  let storageProfileName: string | null = null;
  if (cloudDestination) {
    const vdc = store.inventory.vdcs.find((v) => v.id === dst.vdc && v.site === destinationSite.name && mayUse(v.org));
    if (!vdc) badRequest("VdcNotFound", `destination.vdc '${String(dst.vdc)}' was not found at site '${destinationSite.name}'.`, ["destination.vdc"]);
    if (vm.source.org === null && vdc.org !== vm.owningOrg) {
      badRequest("SiteNotPaired", `On-premises site '${vm.source.site}' is paired with organization '${vm.owningOrg}', not '${vdc.org}'.`, [vm.source.site]);
    }
    storageProfile = dst.storageProfile ?? "*";
    const profile = vdc.storageProfiles.find((p) => p.id === storageProfile);
    if (storageProfile !== "*" && !profile) badRequest("StorageProfileNotFound", `destination.storageProfile '${String(storageProfile)}' is not available in vDC '${vdc.name}'.`, ["destination.storageProfile"]);
    storageProfileName = profile?.name ?? "Default";
    destination = { ...destination, org: vdc.org, vdcId: vdc.id, vdcName: vdc.name };
    if (dst.type === "vm") checkCloudSeed(store, dst.seedVmId, vdc.org, destinationSite.name, vm);
  } else {
    if (destinationSite.org !== vm.owningOrg) {
      badRequest("SiteNotPaired", `On-premises site '${destinationSite.name}' is paired with organization '${destinationSite.org}', not '${String(vm.owningOrg)}'.`, [destinationSite.name]);
    }
    if (dst.type === "vcVm") checkOnPremSeed(store, dst.seedVm, destinationSite, vm);
  }

  const excluded = excludedDisks(src.excludedDisks ?? [], vm.disks, "source.excludedDisks");
  const sla = slaSettings(store, body, undefined);
  if (!sla.fields.rpo) badRequest("InvalidReplicationSpec", "Either 'rpo' or 'slaProfileId' is required.", ["rpo"]);
  const targetDiskType = optionalEnum(body.targetDiskType, DISK_TYPES, "targetDiskType") ?? "THIN";
  const isMigration = optionalBoolean(body.isMigration, "isMigration") ?? false;
  const initialSyncTime = body.initialSyncTime ?? 0;
  if (typeof initialSyncTime !== "number") badRequest("InvalidReplicationSpec", "initialSyncTime must be epoch milliseconds.", ["initialSyncTime"]);

  const id = `C4-${randomUUID()}`;
  const poweredOn = vm.powerState === "POWERED_ON";
  const bytes = vm.disks.filter((d) => !excluded.includes(d.key)).reduce((sum, d) => sum + d.sizeMb * 1024 * 1024, 0);
  const replication: VmReplication = {
    id,
    owner: session.user,
    vmId: vm.vmId,
    vmName: vm.name,
    computerName: vm.name,
    vmDescription: null,
    source: vm.source,
    destination,
    storageProfile,
    storageProfileName,
    isPaused: false,
    startupInfo: { ...DEFAULT_STARTUP },
    settings: {
      description: optionalString(body.description, "description") ?? "",
      rpo: sla.fields.rpo,
      dataConnectionType: sla.fields.dataConnectionType!,
      quiesced: sla.fields.quiesced!,
      retentionPolicy: sla.fields.retentionPolicy!,
      initialSyncTime,
      excludedDiskKeys: excluded,
    },
    sourceState: {
      state: poweredOn ? "idle" : "poweredOff",
      progress: { progress: 100, bytesTransferred: bytes, bytesToTransfer: bytes, checksumTotalBytes: 0, checksumComparedBytes: 0 },
      stateAge: 0,
    },
    destinationState: {
      currentRpoViolation: -1,
      latestInstance: null,
      state: "idle",
      recoveryInfo: { vAppId: null, vcdVmId: null, type: cloudDestination ? "vcd" : "vcenter", recoveryState: "NOT_STARTED" },
      lastError: null,
      stateAge: 0,
      spaceRequirement: bytes,
      isMovingReplica: false,
    },
    dataConnectionState: poweredOn ? "OK" : "POWERED_OFF",
    overallHealth: "GREEN",
    lastUpdated: 0,
    isReversed: false,
    isMigration,
    slaProfile: sla.profile,
    vappReplicationId: `C4VAPP-${randomUUID()}`,
  };
  return { replication, sourceType: src.type, destinationType: dst.type, vcUuid: vm.vcUuid, targetDiskType, diskKeys: vm.disks.map((d) => d.key) };
}

function cloudSourceVm(store: VcdaStore, src: any, mayUse: (org: string) => boolean): SourceVm {
  const site = store.site(src.site);
  if (!site || site.type !== "vcloud") badRequest("SiteNotFound", `source.site '${String(src.site)}' is not a known cloud site.`, ["source.site"]);
  const vm = store.inventory.vms.find((v) => v.id === src.vmId && v.site === site.name && mayUse(v.org));
  if (!vm) badRequest("VmNotFound", `source.vmId '${String(src.vmId)}' is not a VM at site '${site.name}'.`, ["source.vmId"]);
  const vdc = store.inventory.vdcs.find((v) => v.id === vm.vdcId);
  return {
    vmId: vm.id, name: vm.name, powerState: vm.powerState, disks: vm.disks, owningOrg: vm.org,
    source: { site: site.name, org: vm.org, vdcId: vm.vdcId, vdcName: vdc?.name ?? null, vappId: vm.vappId, vappName: vm.vappName },
  };
}

function onPremSourceVm(store: VcdaStore, src: any, mayUse: (org: string) => boolean): SourceVm {
  const site = store.site(src.site);
  if (!site || site.type !== "vcenter" || !mayUse(site.org ?? "")) {
    badRequest("SiteNotFound", `source.site '${String(src.site)}' is not a known on-premises site.`, ["source.site"]);
  }
  if (src.vcUuid !== site.vcUuid) badRequest("VcenterNotFound", `source.vcUuid '${String(src.vcUuid)}' is not the vCenter Server of site '${site.name}'.`, ["source.vcUuid"]);
  const vm = store.inventory.vcVms.find((v) => v.moref === src.vmId && v.site === site.name);
  if (!vm) badRequest("VmNotFound", `source.vmId '${String(src.vmId)}' is not a VM of vCenter Server ${site.vcUuid}.`, ["source.vmId"]);
  return {
    vmId: vm.moref, name: vm.name, powerState: vm.powerState, disks: vm.disks, owningOrg: site.org ?? null, vcUuid: vm.vcUuid,
    source: { site: site.name, org: null, vdcId: null, vdcName: null, vappId: null, vappName: null },
  };
}

/** A seed must be a powered-off copy whose disks match the source VM's (it is consumed for its disks). */
function checkSeedDisks(seedName: string, seed: { powerState: string; disks: Disk[] }, vm: SourceVm, field: string): void {
  if (seed.powerState !== "POWERED_OFF") badRequest("InvalidSeedVm", `Seed VM '${seedName}' must be powered off.`, [field]);
  const keys = (disks: Disk[]) => disks.map((d) => d.key).sort().join(",");
  if (keys(seed.disks) !== keys(vm.disks)) {
    badRequest("InvalidSeedVm", `Seed VM '${seedName}' has disks [${keys(seed.disks)}] but source VM '${vm.name}' has [${keys(vm.disks)}].`, [field]);
  }
}

function checkCloudSeed(store: VcdaStore, seedVmId: unknown, org: string, site: string, vm: SourceVm): void {
  const seed = store.inventory.vms.find((v) => v.id === seedVmId && v.site === site && v.org === org);
  if (!seed) badRequest("InvalidSeedVm", `destination.seedVmId '${String(seedVmId)}' is not a VM of organization '${org}' at site '${site}'.`, ["destination.seedVmId"]);
  checkSeedDisks(seed.name, seed, vm, "destination.seedVmId");
}

function checkOnPremSeed(store: VcdaStore, seedVm: any, site: { name: string; vcUuid?: string }, vm: SourceVm): void {
  if (!seedVm || seedVm.vcId !== site.vcUuid) badRequest("InvalidSeedVm", `destination.seedVm.vcId must be '${String(site.vcUuid)}', the vCenter Server of site '${site.name}'.`, ["destination.seedVm.vcId"]);
  const seed = store.inventory.vcVms.find((v) => v.moref === seedVm.moId && v.site === site.name);
  if (!seed) badRequest("InvalidSeedVm", `destination.seedVm.moId '${String(seedVm.moId)}' is not a VM at site '${site.name}'.`, ["destination.seedVm.moId"]);
  checkSeedDisks(seed.name, seed, vm, "destination.seedVm");
}

export function excludedDisks(value: unknown, disks: Disk[], field: string): number[] {
  if (!Array.isArray(value) || !value.every((k) => Number.isInteger(k))) badRequest("InvalidDiskKeys", `${field} must be an array of disk device keys.`, [field]);
  const keys = disks.map((d) => d.key);
  const unknown = value.filter((k) => !keys.includes(k));
  if (unknown.length > 0) badRequest("InvalidDiskKeys", `${field}: disk key(s) ${unknown.join(", ")} do not exist; the VM has ${keys.join(", ")}.`, [field]);
  const unique = [...new Set(value as number[])].sort((a, b) => a - b);
  if (unique.length >= keys.length) badRequest("InvalidDiskKeys", `${field}: at least one disk must stay replicated.`, [field]);
  return unique;
}

/**
 * The SLA part of a create or PATCH body. An SLA profile wins over custom values; on PATCH, sending any
 * custom value without a profile switches to custom settings, and sending neither keeps the current ones.
 */
function slaSettings(store: VcdaStore, body: any, current: VmReplication | undefined):
  { fields: Partial<SlaFields>; profile: VmReplication["slaProfile"]; custom: boolean; changed: boolean } {
  const custom: Partial<SlaFields> = {};
  if (body.rpo !== undefined) {
    if (!Number.isInteger(body.rpo) || body.rpo <= 0) badRequest("InvalidReplicationSpec", `rpo must be a positive number of minutes, got ${JSON.stringify(body.rpo)}.`, ["rpo"]);
    custom.rpo = body.rpo;
  }
  const connection = optionalEnum(body.dataConnectionType, CONNECTION_TYPES, "dataConnectionType");
  if (connection) custom.dataConnectionType = connection;
  const quiesced = optionalBoolean(body.quiesced, "quiesced");
  if (quiesced !== undefined) custom.quiesced = quiesced;
  if (body.retentionPolicy !== undefined) custom.retentionPolicy = retention(body.retentionPolicy);
  if (body.slaProfileId !== undefined && body.slaProfileId !== null) {
    const profile = store.inventory.slaProfiles.find((p) => p.id === body.slaProfileId);
    if (!profile) badRequest("SlaProfileNotFound", `SLA profile '${String(body.slaProfileId)}' was not found.`, ["slaProfileId"]);
    return { fields: profileFields(profile), profile: { id: profile.id, displayName: profile.displayName }, custom: false, changed: true };
  }
  const changed = Object.keys(custom).length > 0;
  if (current && !changed) return { fields: {}, profile: current.slaProfile, custom: false, changed: false };
  const defaults: Partial<SlaFields> = current ? current.settings : {
    dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true,
    retentionPolicy: { rules: [{ numberOfInstances: 1, distance: custom.rpo ?? 60 }] },
  };
  return { fields: { ...defaults, ...custom }, profile: null, custom: true, changed };
}

function profileFields(profile: SlaProfile): SlaFields {
  return { rpo: profile.rpo, dataConnectionType: profile.dataConnectionType, quiesced: profile.quiesced, retentionPolicy: structuredClone(profile.retentionPolicy) };
}

function retention(value: any): RetentionPolicy {
  const rules = value?.rules;
  const valid = Array.isArray(rules) && rules.length > 0
    && rules.every((r: any) => Number.isInteger(r?.numberOfInstances) && r.numberOfInstances > 0 && Number.isInteger(r?.distance) && r.distance > 0);
  if (!valid) badRequest("InvalidReplicationSpec", "retentionPolicy.rules must be a non-empty array of {numberOfInstances, distance} with positive integers.", ["retentionPolicy"]);
  return { rules: rules.map((r: any) => ({ numberOfInstances: r.numberOfInstances, distance: r.distance })) };
}

function optionalEnum(value: unknown, allowed: string[], field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value)) badRequest("InvalidReplicationSpec", `${field} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}.`, [field]);
  return value;
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") badRequest("InvalidReplicationSpec", `${field} must be a boolean, got ${JSON.stringify(value)}.`, [field]);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") badRequest("InvalidReplicationSpec", `${field} must be a string, got ${JSON.stringify(value)}.`, [field]);
  return value;
}

/**
 * A PATCH /vm-replications/{id} body (docs/api-notes/vcda.md#vm-replications-reconfiguring) checked against
 * the replication: the policy error it runs into, or the change it makes. sourceReconfigure: the API's own
 * example sends it for a cloud source, so it is accepted for every source; its vmStartupInfo becomes the
 * replication's startupInfo (the GET field of the same shape). Assumption: vappName is not returned by GET
 * (no field for it), so the simulator keeps it in the record only.
 */
export function reconfiguration(store: VcdaStore, record: ReplicationRecord, body: any): { error?: ReturnType<typeof policyViolation>; change: (record: ReplicationRecord) => void } {
  if (typeof body !== "object" || Array.isArray(body)) badRequest("InvalidReplicationSpec", "The request body must be a reconfigure spec object.");
  const description = optionalString(body.description, "description");
  const source = sourceReconfigure(body.sourceReconfigure);
  const sla = slaSettings(store, body, record.replication);
  const settings = { ...record.replication.settings, ...sla.fields };
  const error = sla.changed
    ? policyViolation(store, { destinationOrg: record.replication.destination.org, settings, custom: sla.custom, replicationId: record.replication.id })
    : undefined;
  return {
    error,
    change: (changed) => {
      const r = changed.replication;
      r.settings = { ...settings, description: description ?? r.settings.description };
      r.slaProfile = sla.profile;
      if (source?.vmStartupInfo) r.startupInfo = source.vmStartupInfo;
      if (source?.vappName !== undefined) changed.vappName = source.vappName;
    },
  };
}

function sourceReconfigure(value: any): { vappName?: string; vmStartupInfo?: VmReplication["startupInfo"] } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") badRequest("InvalidReplicationSpec", "sourceReconfigure must be an object.", ["sourceReconfigure"]);
  optionalEnum(value.type, ["vcVappReconfigure", "vcVmReconfigure"], "sourceReconfigure.type");
  const vappName = optionalString(value.vappName, "sourceReconfigure.vappName");
  const info = value.vmStartupInfo;
  if (info === undefined || info === null) return { vappName };
  const delay = (v: unknown, field: string) => {
    if (!Number.isInteger(v) || (v as number) < 0) badRequest("InvalidReplicationSpec", `sourceReconfigure.vmStartupInfo.${field} must be a non-negative integer.`, [field]);
    return v as number;
  };
  return {
    vappName,
    vmStartupInfo: {
      order: delay(info.order, "order"),
      startAction: optionalEnum(info.startAction, START_ACTIONS, "sourceReconfigure.vmStartupInfo.startAction") ?? DEFAULT_STARTUP.startAction,
      startDelay: delay(info.startDelay, "startDelay"),
      stopAction: optionalEnum(info.stopAction, STOP_ACTIONS, "sourceReconfigure.vmStartupInfo.stopAction") ?? DEFAULT_STARTUP.stopAction,
      stopDelay: delay(info.stopDelay, "stopDelay"),
    },
  };
}

