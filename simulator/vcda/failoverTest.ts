import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Router, SimRequest, SimResponse } from "../common";
import { apiError, badRequest, fail } from "./api";
import type { Session, SessionManager } from "./auth";
import { addInstance, findVisible, instancesOf, recover, refuseUnlessNotStarted, replicationSite } from "./replications";
import type { ApiError, ReplicationRecord, VcdaStore } from "./state";
import type { TaskEngine, Workflow } from "./tasks";
import { findVisibleVapp, vappReplication } from "./vappReplications";

/*
 * The failover-test life cycle (docs/api-notes/vcda.md#failover-tests):
 * - POST /vm-replications/{id}/failover-test?site= takes `type`, `instanceId` (a rotated instance; the
 *   latest when absent) or `sync` (not both), `powerOn` and network settings, and answers a
 *   `failoverTest` task whose result shows recoveryState TEST and the test VM's `vcdVmId`.
 * - DELETE /vm-replications/{id}/failover-test answers `failoverTestCleanup`, after which
 *   recoveryState is NOT_STARTED again.
 * - GET /vm-replications/{id}/instances lists the points in time (docs/api-notes/vcda.md#vm-replications-instances).
 * - The vApp forms, POST/DELETE /vapp-replications/{id}/failover-test, as a public client sends them
 *   (docs/api-notes/vcda.md#failover-tests-of-a-vapp): every VM of the vApp recovers to its latest
 *   (or freshly synced) instance; its `instanceMap` is not read.
 * Assumptions where the documents are silent: `powerOn` is false when absent (the documented example
 * sends false); an unknown `instanceId` is refused 400 InstanceNotFound; a test of a replication with
 * no instance yet fails its task (nothing to recover).
 * Simulator extension (docs/api-notes/vcda.md#failover-tests-the-test-vm): a powered-on test VM gets a
 * listener on 127.0.0.1 (port 0, or the one PUT /_admin/vcda/vms/{vmId}/test-service fixed), reported in `destinationState.recoveryInfo.testVm` and at
 * GET /_admin/vcda/test-vms, closed at cleanup (or, once its replication is gone, at the next
 * failover-test request or test-VM listing).
 */

const VM_RESULT = "SingleVmReplicationInfo";
const VAPP_RESULT = "VappReplicationInfo";
const TEST_IP = "127.0.0.1";

interface TestSettings {
  instanceId?: string;
  sync: boolean;
  powerOn: boolean;
}

/** One tiny HTTP listener per powered-on test VM, so that a drill's checks have something to reach. */
export class TestVmListeners {
  private readonly servers = new Map<string, http.Server>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Fixed ports by source VM id (PUT /_admin/vcda/vms/{vmId}/test-service), so a drill file can name them. */
  readonly servicePorts = new Map<string, number>();

  /** Opens the listener of `record`'s test VM and writes its port into the replication when it listens. */
  open(record: ReplicationRecord, store: VcdaStore): void {
    const id = record.replication.id;
    this.close(id);
    const server = http.createServer((_req, res) => res.end(`test VM ${record.replication.vmName} (${id})\n`));
    this.servers.set(id, server);
    this.track(new Promise<void>((resolve) => {
      server.once("error", () => resolve());
      server.listen(this.servicePorts.get(record.replication.vmId) ?? 0, TEST_IP, () => {
        const testVm = record.replication.destinationState.recoveryInfo.testVm;
        if (testVm && this.servers.get(id) === server) {
          testVm.port = (server.address() as AddressInfo).port;
          store.changed();
          store.saveIfChanged();
        }
        resolve();
      });
    }));
  }

  close(id: string): void {
    const server = this.servers.get(id);
    if (!server) return;
    this.servers.delete(id);
    this.track(new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  }

  /** Closes the listeners of replications no longer in a test (stopped, or failed over through the admin API). */
  prune(store: VcdaStore): void {
    for (const id of [...this.servers.keys()]) {
      if (store.data.replications[id]?.replication.destinationState.recoveryInfo.recoveryState !== "TEST") this.close(id);
    }
  }

  /** Resolves when every listener opened or closed so far has settled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.servers.keys()]) this.close(id);
    await this.idle();
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}

/** The failover-test body, validated as far as its documented rules go (docs/api-notes/vcda.md#failover-tests; 400 before any task). */
function testSettings(body: unknown, instanceKeys: string[] | undefined): TestSettings {
  if (body === undefined || body === null || body === "") return { sync: false, powerOn: false };
  if (typeof body !== "object" || Array.isArray(body)) badRequest("InvalidFailoverTestSettings", "The request body must be a failover test settings object.");
  const { type, instanceId, sync, powerOn } = body as Record<string, unknown>;
  if (type !== undefined && type !== "vcloud" && type !== "vcenter") badRequest("InvalidFailoverTestSettings", "type must be 'vcloud' or 'vcenter'.", ["type"]);
  for (const [name, value] of Object.entries({ sync, powerOn })) {
    if (value !== undefined && typeof value !== "boolean") badRequest("InvalidFailoverTestSettings", `${name} must be a boolean.`, [name]);
  }
  if (instanceId !== undefined && instanceId !== null) {
    if (typeof instanceId !== "string") badRequest("InvalidFailoverTestSettings", "instanceId must be a string.", ["instanceId"]);
    if (sync === true) badRequest("InvalidFailoverTestSettings", "instanceId cannot be used together with sync set to true.", ["instanceId", "sync"]);
    if (instanceKeys && !instanceKeys.includes(instanceId)) fail(400, "InstanceNotFound", `Instance '${instanceId}' was not found.`, [instanceId]);
  }
  return { instanceId: typeof instanceId === "string" ? instanceId : undefined, sync: sync === true, powerOn: powerOn === true };
}

function instanceKeysOf(record: ReplicationRecord): string[] {
  return instancesOf(record).map((instance) => (instance as { key: string }).key);
}

/** Why `records` cannot start a test (400), or undefined. */
function refusal(records: ReplicationRecord[], action: "start" | "cleanup"): string | undefined {
  for (const { replication: r } of records) {
    const why = action === "start" ? refuseUnlessNotStarted(r)
      : r.destinationState.recoveryInfo.recoveryState === "TEST" ? undefined : "no test failover is in place";
    if (why) return records.length > 1 ? `VM ${r.vmName}: ${why}` : why;
  }
  return undefined;
}

export function routes(router: Router, admin: Router, store: VcdaStore, sessions: SessionManager, tasks: TaskEngine, now: () => number, listeners: TestVmListeners): void {
  /** A replication route that answers once every test VM listener it opened listens (so the port is readable). */
  const route = (method: string, path: string, handler: (req: SimRequest, session: Session, site: string) => SimResponse) => {
    const authed = sessions.authed((req, session) => handler(req, session, replicationSite(req, store, session)));
    router.on(method, path, async (req) => {
      listeners.prune(store);
      const response = authed(req);
      await listeners.idle();
      return response;
    });
  };

  /** The test's effect on one VM replication: recovered at the destination, its VM powered on if asked. */
  const startTest = (record: ReplicationRecord, settings: TestSettings): ApiError | undefined => {
    if (settings.sync) addInstance(record, now());
    const latest = record.replication.destinationState.latestInstance as { key: string } | null;
    const instanceKey = settings.instanceId ?? latest?.key;
    if (!instanceKey) return apiError("NoReplicationInstance", `Replication ${record.replication.id} has no instance to recover yet.`, [record.replication.id]);
    recover(record.replication, "TEST");
    record.test = { instanceKey, poweredOn: settings.powerOn };
    record.replication.destinationState.recoveryInfo.testVm = {
      ipAddresses: settings.powerOn ? [TEST_IP] : [], port: null, powerState: settings.powerOn ? "POWERED_ON" : "POWERED_OFF",
    };
    if (settings.powerOn) listeners.open(record, store);
    return undefined;
  };

  const cleanUp = (record: ReplicationRecord): undefined => {
    const info = record.replication.destinationState.recoveryInfo;
    record.replication.destinationState.recoveryInfo = { vAppId: null, vcdVmId: null, type: info.type, recoveryState: "NOT_STARTED" };
    delete record.test;
    listeners.close(record.replication.id);
    return undefined;
  };

  /** Applies `change` to every record, or fails the task with the first error it returns. */
  const workflow = (records: ReplicationRecord[], change: (record: ReplicationRecord) => ApiError | undefined, result: () => { replicationId?: string; snapshot?: unknown }): Workflow => ({
    apply: () => {
      for (const record of records) {
        const error = change(record);
        if (error) return { kind: "fail", error };
        record.replication.lastUpdated = now();
      }
      store.changed();
      return { kind: "succeed", ...result() };
    },
  });

  const vmTask = (site: string, session: Session, type: string, record: ReplicationRecord, flow: Workflow): SimResponse => {
    const r = record.replication;
    return { status: 202, body: tasks.start(session, {
      type, resourceType: "vmReplication", resourceId: r.id, resourceName: r.vmName, resultType: VM_RESULT,
      site, sourceOrg: r.source.org, destinationOrg: r.destination.org,
    }, flow) };
  };

  const vappTask = (site: string, session: Session, type: string, records: ReplicationRecord[], flow: Workflow): SimResponse => {
    const first = records[0].replication;
    return { status: 202, body: tasks.start(session, {
      type, resourceType: "vappReplication", resourceId: first.vappReplicationId, resourceName: first.source.vappName, resultType: VAPP_RESULT,
      site, sourceOrg: first.source.org, destinationOrg: first.destination.org,
    }, flow) };
  };

  const refuse = (records: ReplicationRecord[], action: "start" | "cleanup", type: string, id: string) => {
    const why = refusal(records, action);
    if (why) badRequest("InvalidReplicationState", `Cannot ${type} replication ${id}: ${why}.`, [id]);
  };

  route("GET", "/vm-replications/:id/instances", (req, session) => ({ status: 200, body: structuredClone(instancesOf(findVisible(store, req.params.id, session))) }));
  route("GET", "/vm-replications/:id/instances/:instanceId", (req, session) => {
    const instance = instancesOf(findVisible(store, req.params.id, session)).find((i) => (i as { key: string }).key === req.params.instanceId);
    if (!instance) fail(404, "InstanceNotFound", `Instance '${req.params.instanceId}' was not found.`, [req.params.instanceId]);
    return { status: 200, body: structuredClone(instance) };
  });
  route("POST", "/vm-replications/:id/failover-test", (req, session, site) => {
    const record = findVisible(store, req.params.id, session);
    refuse([record], "start", "failoverTest", record.replication.id);
    const settings = testSettings(req.body, instanceKeysOf(record));
    return vmTask(site, session, "failoverTest", record, workflow([record], (r) => startTest(r, settings), () => ({ replicationId: record.replication.id })));
  });
  route("DELETE", "/vm-replications/:id/failover-test", (req, session, site) => {
    const record = findVisible(store, req.params.id, session);
    refuse([record], "cleanup", "failoverTestCleanup", record.replication.id);
    return vmTask(site, session, "failoverTestCleanup", record, workflow([record], cleanUp, () => ({ replicationId: record.replication.id })));
  });
  route("POST", "/vapp-replications/:id/failover-test", (req, session, site) => {
    const records = findVisibleVapp(store, req.params.id, session);
    refuse(records, "start", "failoverTest", req.params.id);
    const settings = testSettings(req.body, undefined);
    return vappTask(site, session, "failoverTest", records, workflow(records, (r) => startTest(r, { ...settings, instanceId: undefined }),
      () => ({ snapshot: vappReplication(records) })));
  });
  route("DELETE", "/vapp-replications/:id/failover-test", (req, session, site) => {
    const records = findVisibleVapp(store, req.params.id, session);
    refuse(records, "cleanup", "failoverTestCleanup", req.params.id);
    return vappTask(site, session, "failoverTestCleanup", records, workflow(records, cleanUp, () => ({ snapshot: vappReplication(records) })));
  });

  admin.on("PUT", "/_admin/vcda/vms/:vmId/test-service", (req) => {
    const port = (req.body as { port?: unknown } | undefined)?.port;
    if (port !== null && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) badRequest("InvalidPort", "port must be an integer in 1..65535 or null.");
    if (port === null) listeners.servicePorts.delete(req.params.vmId);
    else listeners.servicePorts.set(req.params.vmId, port as number);
    return { status: 200, body: { vmId: req.params.vmId, port } };
  });

  admin.on("GET", "/_admin/vcda/test-vms", async () => {
    listeners.prune(store);
    await listeners.idle();
    const inTest = store.replications().filter((r) => r.replication.destinationState.recoveryInfo.recoveryState === "TEST");
    return {
      status: 200,
      body: inTest.map(({ replication: r, test }) => ({
        replicationId: r.id, vappReplicationId: r.vappReplicationId, vmName: r.vmName, vcdVmId: r.destinationState.recoveryInfo.vcdVmId,
        instanceKey: test?.instanceKey ?? null, ...r.destinationState.recoveryInfo.testVm,
      })),
    };
  });
}

/** After a restart from a state file: the listeners of tests that were running, on new ports. */
export function reopenTestVms(store: VcdaStore, listeners: TestVmListeners): void {
  for (const record of store.replications()) {
    if (record.replication.destinationState.recoveryInfo.testVm?.powerState === "POWERED_ON") listeners.open(record, store);
  }
}
