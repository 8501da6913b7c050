import { randomUUID } from "node:crypto";
import { Router, SimRequest, SimResponse } from "../common";
import { applyFilters, badRequest, equalsFilter, fail, Filters, listFilter, paginate, targetSite, timeFilter } from "./api";
import { requireSiteAuthenticated, Session, SessionManager, sessionOrgs } from "./auth";
import { policyViolation } from "./compliance";
import { buildReplication, excludedDisks, reconfiguration } from "./replicationSpec";
import type { ReplicationRecord, VcdaStore, VmReplication } from "./state";
import type { TaskEngine, Workflow } from "./tasks";

const RESULT_TYPE = "SingleVmReplicationInfo";

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

export function findVisible(store: VcdaStore, id: string, session: Session): ReplicationRecord {
  const record = store.data.replications[id];
  if (!record || !visible(record, session)) replicationNotFound(id);
  return record;
}

/** Recovery (failover, migrate, test) at the destination: the recovered vApp and VM get IDs. */
export function recover(replication: VmReplication, state: "COMPLETE" | "TEST"): void {
  const info = replication.destinationState.recoveryInfo;
  info.recoveryState = state;
  delete info.testVm;
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
export function started(record: ReplicationRecord, now: number): void {
  if (record.replication.dataConnectionState === "OK") addInstance(record, now);
}

/** A new instance, the newest of the replication's instances (GET …/instances). */
export function addInstance(record: ReplicationRecord, now: number): void {
  const instance = newInstance(record.replication, now);
  record.instances = [...instancesOf(record), instance];
  record.replication.destinationState.latestInstance = instance;
}

/** The replication's point-in-time instances, oldest first (state files written before the list was kept have only the latest). */
export function instancesOf(record: ReplicationRecord): unknown[] {
  const latest = record.replication.destinationState.latestInstance;
  return record.instances ?? (latest ? [latest] : []);
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
    run: (record, now) => addInstance(record, now),
  },
  pause: { path: "pause", method: "POST", type: "pause", check: refuseIfRecovered, run: ({ replication: r }) => { r.isPaused = true; r.dataConnectionState = "PAUSED"; } },
  resume: { path: "resume", method: "POST", type: "resume", check: refuseIfRecovered, run: ({ replication: r }) => { r.isPaused = false; r.dataConnectionState = "OK"; } },
  failover: { path: "failover", method: "POST", type: "failover", check: refuseUnlessNotStarted, run: ({ replication: r }) => recover(r, "COMPLETE") },
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

export function refuseUnlessNotStarted(r: VmReplication): string | undefined {
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

/**
 * The `site` a replication PATCH must name: the destination cloud site as the guide's examples send
 * it (default), or, with `patchSite: "source"`, the replication's source site as vCAV.Community
 * Set-vCAVReplication sends it (docs/api-notes/first-contact.md#site-of-a-replication-patch). In that mode any
 * other site is answered 404, as by a server that looks the replication up at the site named; the
 * answer is the site the task runs on.
 */
export function patchedSite(req: SimRequest, store: VcdaStore, session: Session, sourceSite: string, patchSite: PatchSite): string {
  if (patchSite === "destination") return replicationSite(req, store, session);
  const site = targetSite(req, store);
  if (site !== sourceSite) fail(404, "NotFound", `Replication '${req.params.id}' was not found at site '${site}'.`, [req.params.id]);
  return store.site(site)?.type === "vcloud" ? requireSiteAuthenticated(site, store, session) : store.inventory.localSite;
}

export type PatchSite = "destination" | "source";

export function routes(router: Router, store: VcdaStore, sessions: SessionManager, tasks: TaskEngine, now: () => number, patchSite: PatchSite = "destination"): void {
  /** A replication route: a live session and the cloud site it acts on. */
  const authed = (handler: (req: SimRequest, session: Session, site: string) => SimResponse) =>
    sessions.authed((req, session) => handler(req, session, replicationSite(req, store, session)));
  /** A PATCH route: the replication and the site its `site` names, in the form `patchSite` wants. */
  const patched = (handler: (req: SimRequest, session: Session, site: string, record: ReplicationRecord) => SimResponse) =>
    sessions.authed((req, session) => {
      const record = findVisible(store, req.params.id, session);
      return handler(req, session, patchedSite(req, store, session, record.replication.source.site, patchSite), record);
    });

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
        started(record, now());
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
    .on("PATCH", "/vm-replications/:id", patched((req, session, site, record) => {
      const { error, change } = reconfiguration(store, record, req.body ?? {});
      return startTask(site, session, "reconfigure", record, error ? { error } : mutate(record, change));
    }))
    .on("PATCH", "/vm-replications/:id/disks", patched((req, session, site, record) => {
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
