import { randomUUID } from "node:crypto";
import { Router, SimRequest, SimResponse } from "../common";
import { applyFilters, badRequest, equalsFilter, fail, Filters, listFilter, paginate, targetSite, timeFilter } from "./api";
import { requireSiteAuthenticated, Session, SessionManager, sessionOrgs } from "./auth";
import { policyViolation } from "./compliance";
import type { Disk, ReplicationRecord, ReplicationSettings, RetentionPolicy, SlaProfile, VcdaStore, VmReplication } from "./state";
import type { TaskEngine, Workflow } from "./tasks";

const CONNECTION_TYPES = ["PLAIN", "ENCRYPTED", "ENCRYPTED_COMPRESSED"];
const DISK_TYPES = ["THIN", "PREALLOCATED", "PREALLOCATED_ZEROS"];
/** source.type → the destination types it can pair with (six POST /vm-replications variants: docs/api-notes/vcda.md#vm-replications-starting-one). */
const VARIANTS: Record<string, string[]> = { vm: ["vcloud", "vm", "vc", "vcVm"], vcVm: ["vcloud", "vm"] };
const CLOUD_DESTINATIONS = ["vcloud", "vm"];
const RESULT_TYPE = "SingleVmReplicationInfo";
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

export function replicationNotFound(id: string): never {
  return fail(404, "ReplicationNotFound", `Replication with id '${id}' was not found.`, [id]);
}

/** Admins see every replication; tenants only those whose source or destination is one of their organizations. */
export function visible(record: ReplicationRecord, session: Session): boolean {
  if (session.isAdmin) return true;
  const orgs = sessionOrgs(session);
  const { source, destination } = record.replication;
  return (source.org !== null && orgs.has(source.org)) || (destination.org !== null && orgs.has(destination.org));
}

function findVisible(store: VcdaStore, id: string, session: Session): ReplicationRecord {
  const record = store.data.replications[id];
  if (!record || !visible(record, session)) replicationNotFound(id);
  return record;
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

function excludedDisks(value: unknown, disks: Disk[], field: string): number[] {
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

/** Recovery (failover, migrate, test) at the destination: the recovered vApp and VM get IDs. */
function recover(replication: VmReplication, state: "COMPLETE" | "TEST"): void {
  const info = replication.destinationState.recoveryInfo;
  info.recoveryState = state;
  info.vAppId = randomUUID();
  info.vcdVmId = randomUUID();
  if (state === "COMPLETE") {
    replication.destination.recoveredVappId = info.vAppId;
    replication.dataConnectionState = "FINISHED";
  }
}

/** Reverse after recovery: the recovered VM becomes the source and replicates back to the original site. */
function reverse(record: ReplicationRecord): void {
  const r = record.replication;
  const { source, destination } = r;
  const info = r.destinationState.recoveryInfo;
  const toCloud = source.vdcId !== null;
  r.vmId = info.vcdVmId ?? r.vmId;
  r.source = { site: destination.site, org: destination.org, vdcId: destination.vdcId, vdcName: destination.vdcName, vappId: info.vAppId, vappName: source.vappName };
  r.destination = { site: source.site, org: source.org, vdcId: source.vdcId, vdcName: source.vdcName, recoveredVappId: null };
  r.storageProfile = toCloud ? "*" : null;
  r.storageProfileName = toCloud ? "Default" : null;
  r.isReversed = !r.isReversed;
  r.dataConnectionState = "OK";
  r.destinationState.recoveryInfo = { vAppId: null, vcdVmId: null, type: toCloud ? "vcd" : "vcenter", recoveryState: "NOT_STARTED" };
  record.sourceType = destination.vdcId !== null ? "vm" : "vcVm";
  record.destinationType = toCloud ? "vcloud" : "vc";
}

/** A new point-in-time instance as GET …/instances lists it (docs/api-notes/vcda.md#vm-replications-instances): it becomes destinationState.latestInstance. */
function newInstance(r: VmReplication, now: number): unknown {
  const seq = ((r.destinationState.latestInstance as { sequenceNumber?: number } | null)?.sequenceNumber ?? 0) + 1;
  return {
    key: `replica-${randomUUID().replace(/-/g, "")}`, sequenceNumber: seq, isPinned: false, timestamp: now,
    transferBytes: 0, transferSeconds: 1, quiescedType: r.settings.quiesced ? "fileSystemQuiesced" : "notQuiesced",
  };
}

/**
 * A started replication (docs/api-notes/vcda.md#vm-replications-starting-one): "If the task is
 * successfull and the VM is powered on, the VM starts syncronizing. After the initial synchronization
 * completes, a new instance is created". Assumption: the simulator's initial sync completes with the start
 * task, so a powered-on VM has its first instance as latestInstance; a powered-off one keeps null.
 */
export function started(r: VmReplication, now: number): void {
  if (r.dataConnectionState === "OK") r.destinationState.latestInstance = newInstance(r, now);
}

/** A day-2 operation: why the current replication refuses it (answered with 400), and the change it makes. */
interface Operation {
  path: string;
  method: string;
  type: string;
  check: (r: VmReplication) => string | undefined;
  run: (record: ReplicationRecord, now: number) => void;
}

const OPERATIONS: Record<string, Operation> = {
  sync: {
    path: "sync", method: "POST", type: "sync",
    check: (r) => (r.isPaused ? "it is paused" : refuseIfRecovered(r)),
    run: ({ replication: r }, now) => { r.destinationState.latestInstance = newInstance(r, now); },
  },
  pause: { path: "pause", method: "POST", type: "pause", check: refuseIfRecovered, run: ({ replication: r }) => { r.isPaused = true; r.dataConnectionState = "PAUSED"; } },
  resume: { path: "resume", method: "POST", type: "resume", check: refuseIfRecovered, run: ({ replication: r }) => { r.isPaused = false; r.dataConnectionState = "OK"; } },
  failover: { path: "failover", method: "POST", type: "failover", check: refuseUnlessNotStarted, run: ({ replication: r }) => recover(r, "COMPLETE") },
  failoverTest: { path: "failover-test", method: "POST", type: "failoverTest", check: refuseUnlessNotStarted, run: ({ replication: r }) => recover(r, "TEST") },
  failoverTestCleanup: {
    path: "failover-test", method: "DELETE", type: "failoverTestCleanup",
    check: (r) => (r.destinationState.recoveryInfo.recoveryState === "TEST" ? undefined : "no test failover is in place"),
    run: ({ replication: r }) => { r.destinationState.recoveryInfo = { ...r.destinationState.recoveryInfo, vAppId: null, vcdVmId: null, recoveryState: "NOT_STARTED" }; },
  },
  migrate: {
    path: "migrate", method: "POST", type: "migrate",
    check: (r) => (r.isPaused ? "it is paused" : refuseUnlessNotStarted(r)),
    run: ({ replication: r }) => recover(r, "COMPLETE"),
  },
  reverse: {
    path: "reverse", method: "POST", type: "reverse",
    check: (r) => (r.destinationState.recoveryInfo.recoveryState === "COMPLETE" ? undefined : "it has not been failed over or migrated"),
    run: reverse,
  },
};

function refuseIfRecovered(r: VmReplication): string | undefined {
  return r.destinationState.recoveryInfo.recoveryState === "COMPLETE" ? "it has already been failed over or migrated" : undefined;
}

function refuseUnlessNotStarted(r: VmReplication): string | undefined {
  const state = r.destinationState.recoveryInfo.recoveryState;
  return state === "NOT_STARTED" ? undefined : state === "TEST" ? "a test failover is in place; clean it up first" : "it has already been failed over or migrated";
}

/**
 * The site a replication operation runs on (docs/api-notes/vcda.md#the-site-a-request-runs-on). Every
 * documented replication request names a cloud site ("?site=site2", the destination cloud site) or none
 * (the local cloud site, for a replication to "onprem1"); none names an on-premises site, which runs no
 * Cloud Service API. Assumed from that: a `site` that is not a cloud site is refused as the lookups refuse
 * it (404 SiteNotFound), and a remote cloud site needs an extended session (authenticatedSite).
 */
export function replicationSite(req: SimRequest, store: VcdaStore, session: Session): string {
  const site = targetSite(req, store);
  if (store.site(site)?.type !== "vcloud") fail(404, "SiteNotFound", `Site '${site}' is not a cloud site: replication operations run on a cloud site.`, [site]);
  return requireSiteAuthenticated(site, store, session);
}

export function routes(router: Router, store: VcdaStore, sessions: SessionManager, tasks: TaskEngine, now: () => number): void {
  /** A replication route: a live session and the cloud site it acts on. */
  const authed = (handler: (req: SimRequest, session: Session, site: string) => SimResponse) =>
    sessions.authed((req, session) => handler(req, session, replicationSite(req, store, session)));

  /** Starts a replication task; the workflow mutates `record` and stamps `lastUpdated` only if the task is not failed. */
  const startTask = (site: string, session: Session, type: string, record: ReplicationRecord, workflow: Workflow, resultType: string | null = RESULT_TYPE): SimResponse => {
    const r = record.replication;
    const task = tasks.start(session, {
      type, resourceType: "vmReplication", resourceId: r.id, resourceName: r.vmName, resultType,
      site, sourceOrg: r.source.org, destinationOrg: r.destination.org,
    }, workflow);
    return { status: 202, body: task };
  };

  const mutate = (record: ReplicationRecord, change: (record: ReplicationRecord) => void): Workflow => ({
    apply: () => {
      change(record);
      record.replication.lastUpdated = now();
      store.changed();
      return { kind: "succeed", replicationId: record.replication.id };
    },
  });

  router
    .on("POST", "/vm-replications", authed((req, session, site) => {
      const record = buildReplication(store, req.body, session);
      const r = record.replication;
      const error = creationViolation(store, r);
      return startTask(site, session, "start", record, error ? { error } : mutate(record, () => {
        store.data.replications[r.id] = record;
        started(r, now());
      }));
    }))
    .on("GET", "/vm-replications", authed((req, session) => {
      if (req.query.has("owner") && !session.isAdmin) fail(403, "Forbidden", "Permission denied: only administrators can filter replications by 'owner'.");
      const mine = store.replications().filter((r) => visible(r, session)).map((r) => r.replication);
      const page = paginate(applyFilters(mine, req.query, replicationFilters(store)), req.query, REPLICATION_SORT, "lastUpdated-");
      return { status: 200, body: structuredClone(page) };
    }))
    .on("GET", "/vm-replications/:id", authed((req, session) => {
      return { status: 200, body: structuredClone(findVisible(store, req.params.id, session).replication) };
    }))
    .on("PATCH", "/vm-replications/:id", authed((req, session, site) => {
      const record = findVisible(store, req.params.id, session);
      const { error, change } = reconfiguration(store, record, req.body ?? {});
      return startTask(site, session, "reconfigure", record, error ? { error } : mutate(record, change));
    }))
    .on("PATCH", "/vm-replications/:id/disks", authed((req, session, site) => {
      const record = findVisible(store, req.params.id, session);
      const keys = excludedDisks(req.body, record.diskKeys.map((key) => ({ key, sizeMb: 0 })), "excluded disk keys");
      return startTask(site, session, "reconfigure", record, mutate(record, ({ replication: r }) => { r.settings.excludedDiskKeys = keys; }));
    }))
    .on("DELETE", "/vm-replications/:id", authed((req, session, site) => {
      const record = findVisible(store, req.params.id, session);
      return startTask(site, session, "stop", record, {
        apply: () => {
          delete store.data.replications[record.replication.id];
          store.changed();
          return { kind: "succeed" };
        },
      }, null);
    }));

  for (const op of Object.values(OPERATIONS)) {
    router.on(op.method, `/vm-replications/:id/${op.path}`, authed((req, session, site) => {
      const record = findVisible(store, req.params.id, session);
      const refusal = op.check(record.replication);
      if (refusal) badRequest("InvalidReplicationState", `Cannot ${op.type} replication ${record.replication.id}: ${refusal}.`, [record.replication.id]);
      return startTask(site, session, op.type, record, mutate(record, (r) => op.run(r, now())));
    }));
  }
}

/** Why the destination org's policy refuses a new replication, or undefined. */
export function creationViolation(store: VcdaStore, r: VmReplication): ReturnType<typeof policyViolation> {
  return policyViolation(store, {
    creating: { sourceOrg: r.source.org, isMigration: r.isMigration },
    destinationOrg: r.destination.org, settings: r.settings, custom: r.slaProfile === null,
  });
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

/** Applies an operation's effect without a task (admin API: simulate what happened outside the client). */
export function runOperation(record: ReplicationRecord, name: "failover" | "migrate", now: number): void {
  OPERATIONS[name].run(record, now);
  record.replication.lastUpdated = now;
}

function replicationFilters(store: VcdaStore): Filters<VmReplication> {
  const siteType = (site: string) => (store.site(site)?.type === "vcenter" ? "vcenter" : "vcloud");
  return {
    owner: equalsFilter((r) => r.owner),
    vmId: equalsFilter((r) => r.vmId),
    vmName: (r, value) => r.vmName.toLowerCase().includes(value.toLowerCase()),
    ids: listFilter((r) => r.id),
    sourceSite: equalsFilter((r) => r.source.site),
    sourceSiteType: equalsFilter((r) => siteType(r.source.site)),
    sourceVdcId: equalsFilter((r) => r.source.vdcId),
    sourceVdcName: equalsFilter((r) => r.source.vdcName),
    sourceOrg: equalsFilter((r) => r.source.org),
    destinationOrg: equalsFilter((r) => r.destination.org),
    destinationVdcId: equalsFilter((r) => r.destination.vdcId),
    destinationVdcName: equalsFilter((r) => r.destination.vdcName),
    destinationSiteType: equalsFilter((r) => siteType(r.destination.site)),
    storageProfile: equalsFilter((r) => r.storageProfile),
    recoveredVmId: equalsFilter((r) => r.destination.recoveredVappId),
    isMigration: equalsFilter((r) => r.isMigration),
    slaProfileId: equalsFilter((r) => r.slaProfile?.id),
    slaProfileDisplayName: equalsFilter((r) => r.slaProfile?.displayName),
    lastUpdatedBefore: timeFilter((r) => r.lastUpdated, "before"),
    lastUpdatedAfter: timeFilter((r) => r.lastUpdated, "after"),
    overallHealth: equalsFilter((r) => r.overallHealth),
    dataConnectionState: equalsFilter((r) => r.dataConnectionState),
  };
}

const REPLICATION_SORT: Record<string, (r: VmReplication) => string | number> = {
  vmName: (r) => r.vmName,
  sourceSite: (r) => r.source.site,
  sourceOrg: (r) => r.source.org ?? "",
  sourceVdcName: (r) => r.source.vdcName ?? "",
  site: (r) => r.destination.site,
  destinationOrg: (r) => r.destination.org ?? "",
  destinationVdcName: (r) => r.destination.vdcName ?? "",
  owner: (r) => r.owner,
  lastUpdated: (r) => r.lastUpdated,
};
