import { randomUUID } from "node:crypto";
import { Router, SimRequest, SimResponse } from "../common";
import { applyFilters, badRequest, equalsFilter, fail, listFilter, paginate } from "./api";
import { Session, SessionManager, sessionOrgs } from "./auth";
import { creationViolation, patchedSite, PatchSite, replicationSite, started, visible } from "./replications";
import { buildReplication, reconfiguration } from "./replicationSpec";
import type { ReplicationRecord, VcdaStore, VmReplication } from "./state";
import type { TaskEngine, Workflow } from "./tasks";

/*
 * vApp replications (docs/api-notes/vcda.md#vapp-replications). The 4.1 API has no /vapp-replications
 * requests: it shows them only through the VM replication object, whose `vappReplicationId` is the "ID of
 * the corresponding vApp replication" (`C4VAPP-…`) and whose `source` names the source vApp (`vappId`,
 * `vappName`). Later VMware sources have the endpoints: full CRUD on /vapp-replications with `source.type:
 * "vapp"` and `vappId`, a PATCH with the VM reconfigure settings, and GET/DELETE
 * /vapp-replications/C4VAPP-… in KB 315136. Assumptions where those sources are silent, kept as close to
 * the documented VM replication as possible:
 * - POST /vapp-replications takes the VM create body with `source: {type: "vapp", site, vappId}` and a
 *   'vcloud' destination; it replicates every VM of the vApp, each a VM replication that carries the new
 *   `vappReplicationId` (so GET /vm-replications shows them too, as the VM replication object says).
 * - The vApp replication object is the vApp's identity plus `vmReplications[]`, each the API's
 *   VmReplication object; its tasks have resourceType "vappReplication" and its result is that object.
 * - PATCH /vapp-replications/{id} takes the PATCH /vm-replications body and applies it to every VM.
 * - DELETE /vapp-replications/{id} stops every VM replication of the vApp (as DELETE of a VM does).
 */

const RESULT_TYPE = "VappReplicationInfo";

export interface VappReplication {
  id: string;
  owner: string;
  source: { site: string; org: string | null; vdcId: string | null; vdcName: string | null; vappId: string | null; vappName: string | null };
  destination: VmReplication["destination"];
  storageProfile: string | null;
  isMigration: boolean;
  lastUpdated: number;
  vmReplications: VmReplication[];
}

function vmRecordsOf(store: VcdaStore, id: string): ReplicationRecord[] {
  return store.replications().filter((r) => r.replication.vappReplicationId === id);
}

export function vappReplication(records: ReplicationRecord[]): VappReplication {
  const first = records[0].replication;
  return structuredClone({
    id: first.vappReplicationId,
    owner: first.owner,
    source: first.source,
    destination: first.destination,
    storageProfile: first.storageProfile,
    isMigration: first.isMigration,
    lastUpdated: Math.max(...records.map((r) => r.replication.lastUpdated)),
    vmReplications: records.map((r) => r.replication),
  });
}

function vappReplicationNotFound(id: string): never {
  return fail(404, "ReplicationNotFound", `Replication with id '${id}' was not found.`, [id]);
}

export function findVisibleVapp(store: VcdaStore, id: string, session: Session): ReplicationRecord[] {
  const records = vmRecordsOf(store, id);
  if (records.length === 0 || !visible(records[0], session)) vappReplicationNotFound(id);
  return records;
}

/** One VM replication per VM of the vApp, all with one new vApp replication id (400 on any problem). */
function buildVappReplication(store: VcdaStore, body: any, session: Session): ReplicationRecord[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) badRequest("InvalidReplicationSpec", "The request body must be a vApp replication spec object.");
  const src = body.source;
  if (!src || typeof src !== "object" || src.type !== "vapp") badRequest("InvalidReplicationSpec", "source.type must be 'vapp'.", ["source.type"]);
  if (body.destination?.type !== "vcloud") badRequest("InvalidReplicationSpec", "destination.type must be 'vcloud' for a vApp replication.", ["destination.type"]);
  const site = store.site(src.site);
  if (!site || site.type !== "vcloud") badRequest("SiteNotFound", `source.site '${String(src.site)}' is not a known cloud site.`, ["source.site"]);
  const orgs = session.isAdmin ? undefined : sessionOrgs(session);
  const vms = store.inventory.vms.filter((v) => v.vappId === src.vappId && v.site === site.name && (!orgs || orgs.has(v.org)));
  if (vms.length === 0) badRequest("VappNotFound", `source.vappId '${String(src.vappId)}' is not a vApp at site '${site.name}'.`, ["source.vappId"]);
  const existing = store.replications().find((r) => r.replication.source.vappId === src.vappId && r.replication.source.site === site.name);
  if (existing) {
    badRequest("VappAlreadyReplicated", `vApp '${vms[0].vappName}' (${String(src.vappId)}) is already replicated by ${existing.replication.vappReplicationId}.`,
      [String(src.vappId), existing.replication.vappReplicationId]);
  }
  const id = `C4VAPP-${randomUUID()}`;
  return vms.map((vm) => {
    const record = buildReplication(store, { ...body, source: { type: "vm", site: site.name, vmId: vm.id } }, session);
    record.replication.vappReplicationId = id;
    return record;
  });
}

export function routes(router: Router, store: VcdaStore, sessions: SessionManager, tasks: TaskEngine, now: () => number, patchSite: PatchSite = "destination"): void {
  /** As a VM replication route: a live session and the cloud site it acts on. */
  const authed = (handler: (req: SimRequest, session: Session, site: string) => SimResponse) =>
    sessions.authed((req, session) => handler(req, session, replicationSite(req, store, session)));

  const startTask = (site: string, session: Session, type: string, records: ReplicationRecord[], workflow: Workflow, resultType: string | null = RESULT_TYPE): SimResponse => {
    const first = records[0].replication;
    const task = tasks.start(session, {
      type, resourceType: "vappReplication", resourceId: first.vappReplicationId, resourceName: first.source.vappName, resultType,
      site, sourceOrg: first.source.org, destinationOrg: first.destination.org,
    }, workflow);
    return { status: 202, body: task };
  };

  const mutate = (records: ReplicationRecord[], change: (record: ReplicationRecord) => void): Workflow => ({
    apply: () => {
      for (const record of records) {
        change(record);
        record.replication.lastUpdated = now();
      }
      store.changed();
      return { kind: "succeed", snapshot: vappReplication(records) };
    },
  });

  router
    .on("POST", "/vapp-replications", authed((req, session, site) => {
      const records = buildVappReplication(store, req.body, session);
      const error = records.map((record) => creationViolation(store, record.replication)).find((violation) => violation);
      return startTask(site, session, "start", records, error ? { error } : mutate(records, (record) => {
        store.data.replications[record.replication.id] = record;
        started(record, now());
      }));
    }))
    .on("GET", "/vapp-replications", authed((req, session) => {
      const ids = [...new Set(store.replications().filter((r) => visible(r, session)).map((r) => r.replication.vappReplicationId))];
      const mine = ids.map((id) => vappReplication(vmRecordsOf(store, id)));
      const filtered = applyFilters(mine, req.query, {
        vappId: equalsFilter((r) => r.source.vappId),
        ids: listFilter((r) => r.id),
        sourceSite: equalsFilter((r) => r.source.site),
        destinationOrg: equalsFilter((r) => r.destination.org),
      });
      return { status: 200, body: paginate(filtered, req.query, { lastUpdated: (r) => r.lastUpdated }, "lastUpdated-") };
    }))
    .on("GET", "/vapp-replications/:id", authed((req, session) => {
      return { status: 200, body: vappReplication(findVisibleVapp(store, req.params.id, session)) };
    }))
    .on("PATCH", "/vapp-replications/:id", sessions.authed((req, session) => {
      const records = findVisibleVapp(store, req.params.id, session);
      const site = patchedSite(req, store, session, records[0].replication.source.site, patchSite);
      const changes = records.map((record) => reconfiguration(store, record, req.body ?? {}));
      const error = changes.map((c) => c.error).find((violation) => violation);
      return startTask(site, session, "reconfigure", records, error ? { error } : mutate(records, (record) => changes[records.indexOf(record)].change(record)));
    }))
    .on("DELETE", "/vapp-replications/:id", authed((req, session, site) => {
      const records = findVisibleVapp(store, req.params.id, session);
      return startTask(site, session, "stop", records, {
        apply: () => {
          for (const record of records) delete store.data.replications[record.replication.id];
          store.changed();
          return { kind: "succeed" };
        },
      }, null);
    }));
}
