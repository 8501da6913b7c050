import assert from "node:assert/strict";
import type { OrgPolicyAssignmentInputs, ReplicationPolicyInputs, VappReplicationInputs, VmReplicationInputs } from "../../provider/inputs.generated";
import { configure } from "../../provider/connection";
import type { ResourceHandler } from "../../provider/types";
import { createVcdaClient, VcdaClientOptions } from "../../provider/vcda/client";
import { createOrgPolicyAssignmentHandler } from "../../provider/vcda/orgPolicyAssignment";
import { createReplicationPolicyHandler, handler as replicationPolicyHandler } from "../../provider/vcda/replicationPolicy";
import { createVappReplicationHandler } from "../../provider/vcda/vappReplication";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { withPreflightOff } from "../fixtures/preflight";

const inventory = loadInventory();
const vm = (name: string) => inventory.vms.find((v) => v.name === name)!;
const vdcOf = (org: string, site: string) => inventory.vdcs.find((v) => v.org === org && v.site === site)!;
const PROVIDER_PASSWORD = "vcda-sim-vcd-password";

/** Quick polling and retries: the simulator finishes a task after two reads. */
const FAST: VcdaClientOptions = { pollInitialDelayMs: 5, pollMaxDelayMs: 20, adoptionWindowMs: 300, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

let sim: VcdaSimulator;

function clientFor(options: VcdaClientOptions = {}) {
  return () => createVcdaClient(
    { url: sim.url, authType: "vcdCredentials", username: "root@System", password: PROVIDER_PASSWORD, insecure: false },
    { ...FAST, ...options },
  );
}

async function admin(method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/_admin/vcda${route}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `admin ${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const simState = () => admin("GET", "/state");

/** Requests the provider sent (not the admin API), optionally only those matching method and path. */
function sent(method?: string, path?: RegExp) {
  return sim.journal.list().filter((e) => (!method || e.method === method) && (!path || path.test(e.path)));
}

async function checked<I>(handler: ResourceHandler<I>, news: unknown): Promise<I> {
  const result = await handler.check({}, news as I);
  assert.deepEqual(result.failures, []);
  return result.inputs!;
}

function assertNoUndefined(value: unknown, where = "outputs"): void {
  if (value === undefined) assert.fail(`${where} holds undefined`);
  if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) assertNoUndefined(v, `${where}.${k}`);
}

before(async () => { sim = await startVcdaSimulator({ taskPolls: 2 }); });
after(async () => { await sim.close(); });
beforeEach(async () => {
  await admin("POST", "/reset");
  sim.faults.reset();
  sim.journal.clear();
});

describe("VCDA ReplicationPolicy against the simulator", () => {
  const handler = createReplicationPolicyHandler(clientFor());
  const gold: ReplicationPolicyInputs = { displayName: "Gold", minRpo: 30, maxInstances: 12, allowCustomSlaSettings: false };

  it("creates the policy with every setting, and a read right after shows no change", async () => {
    const inputs = await checked(handler, gold);
    const { id, outs } = await handler.create(inputs);
    assert.equal(outs.policyId, id);
    assert.equal(outs.orgs, 0);
    const [post] = sent("POST", /^\/policies$/);
    assert.deepEqual(Object.keys(post.body as object).sort(), [
      "allowCustomSlaSettings", "allowIncomingMigrations", "allowIncomingProtections", "allowNotificationConfiguration", "allowOutgoingMigrations",
      "allowOutgoingProtections", "displayName", "maxIncoming", "maxInstances", "maxPinnedInstances", "minRpo", "onpremDataCap"]);
    const live = (await simState()).policies.find((p: any) => p.id === id);
    assert.equal(live.minRpo, 30);
    assert.equal(live.allowCustomSlaSettings, false);
    assertNoUndefined(outs);
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    const read = await handler.read(id, outs);
    assert.deepEqual(read, { id, props: outs, inputs });
  });

  it("updates a changed setting in place with a full PUT", async () => {
    const inputs = await checked(handler, gold);
    const { id, outs } = await handler.create(inputs);
    const news = await checked(handler, { ...gold, maxInstances: 6 });
    assert.deepEqual(await handler.diff(id, outs, news), { changes: true });
    const updated = await handler.update(id, outs, news);
    assert.equal(updated.outs.maxInstances, 6);
    const [put] = sent("PUT", new RegExp(`^/policies/${id}$`));
    assert.equal((put.body as any).maxInstances, 6);
    assert.equal(Object.keys(put.body as object).length, 12);
    assert.deepEqual(await handler.diff(id, updated.outs, news), { changes: false });
  });

  it("shows a policy edited out of band as drift, on read and in diff", async () => {
    const inputs = await checked(handler, gold);
    const { id, outs } = await handler.create(inputs);
    await admin("PUT", `/policies/${id}`, { minRpo: 120 });
    const read = await handler.read(id, outs);
    assert.equal(read.props!.minRpo, 120);
    assert.equal(read.inputs!.minRpo, 120);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });
  });

  it("deletes the policy, and a second delete or a read of it finds nothing without failing", async () => {
    const { id, outs } = await handler.create(await checked(handler, gold));
    await handler.delete(id, outs);
    assert.equal((await simState()).policies.some((p: any) => p.id === id), false);
    await handler.delete(id, outs);
    assert.deepEqual(await handler.read(id, outs), {});
  });

  it("refuses to delete a policy an organization still uses, counting the organizations VCDA does not name", async () => {
    const { id, outs } = await handler.create(await checked(handler, gold));
    await admin("PUT", "/orgs/org-acme/policy", { policyId: id });
    await assert.rejects(handler.delete(id, outs), (err: Error) => {
      assert.match(err.message, /still assigned to 1 organization\(s\) without replications \(VCDA counts them but does not name them\)/);
      assert.match(err.message, /Assign them another policy first/);
      return true;
    });
    assert.ok((await simState()).policies.some((p: any) => p.id === id));
  });

  it("manages the built-in default policy: applies the program's values, restores the old ones on delete, never deletes it", async () => {
    const before = (await simState()).policies.find((p: any) => p.id === "default");
    const inputs = await checked(handler, { isDefault: true, maxIncoming: 10, allowIncomingProtections: true, allowOutgoingProtections: true });
    const { id, outs } = await handler.create(inputs);
    assert.equal(id, "default");
    assert.equal(outs.displayName, undefined, "the user set no displayName, so none is tracked");
    // restoreValues hold the values Pulumi changed, and only those (it used to snapshot every setting)
    assert.deepEqual(outs.restoreValues, { maxIncoming: 0, allowIncomingProtections: false, allowOutgoingProtections: false });
    const managed = (await simState()).policies.find((p: any) => p.id === "default");
    assert.equal(managed.maxIncoming, 10);
    assert.equal(managed.displayName, "Default Policy");
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    assert.deepEqual(await handler.read(id, outs), { id, props: outs, inputs });

    await handler.delete(id, outs);
    assert.deepEqual((await simState()).policies.find((p: any) => p.id === "default"), before);
    assert.equal(sent("DELETE").length, 0);
  });

  it("sets only minRpo on the default policy: every other setting keeps its live value, and delete gives back minRpo alone", async () => {
    // an administrator has opened migrations-only settings by hand before Pulumi manages the policy
    await admin("PUT", "/policies/default", { maxIncoming: 3, allowIncomingMigrations: false });
    const before = (await simState()).policies.find((p: any) => p.id === "default");
    const inputs = await checked(handler, { isDefault: true, minRpo: 30 });
    assert.deepEqual(inputs, { isDefault: true, minRpo: 30 });
    const { id, outs } = await handler.create(inputs);
    assert.deepEqual((await simState()).policies.find((p: any) => p.id === "default"), { ...before, minRpo: 30 });
    assert.deepEqual(outs, { isDefault: true, minRpo: 30, policyId: "default", orgs: -1, restoreValues: { minRpo: 15 }, compliance: [] });

    // changed by hand while managed: an undeclared setting stays as the administrator left it, also after update and delete
    await admin("PUT", "/policies/default", { onpremDataCap: 50 });
    const news = await checked(handler, { isDefault: true, minRpo: 45, maxInstances: 12 });
    const updated = await handler.update(id, outs, news);
    assert.deepEqual(updated.outs.restoreValues, { minRpo: 15, maxInstances: 24 });
    assert.deepEqual((await simState()).policies.find((p: any) => p.id === "default"), { ...before, minRpo: 45, maxInstances: 12, onpremDataCap: 50 });

    await handler.delete(id, updated.outs);
    assert.deepEqual((await simState()).policies.find((p: any) => p.id === "default"), { ...before, onpremDataCap: 50 });
  });

  it("adopts a policy whose creation was applied but never answered, without sending the POST again", async () => {
    sim.faults.add({ kind: "drop", method: "POST", path: "^/policies$", times: 1 });
    const { id, outs } = await handler.create(await checked(handler, gold));
    assert.equal(outs.displayName, "Gold");
    assert.deepEqual(sent("POST", /^\/policies$/).map((e) => e.fault), ["drop"], "one POST, whose answer was lost");
    const policies = (await simState()).policies.filter((p: any) => p.displayName === "Gold");
    assert.deepEqual(policies.map((p: any) => p.id), [id]);
  });

  it("logs in again once when VCDA has expired the session", async () => {
    const { id, outs } = await handler.create(await checked(handler, gold));
    await admin("POST", "/expire-sessions");
    sim.journal.clear();
    const read = await handler.read(id, outs);
    assert.equal(read.id, id);
    assert.equal(sent("POST", /^\/sessions$/).length, 1);
    // the policy (no organization has it yet: no compliance status to read)
    assert.deepEqual(sent("GET", /^\/policies\//).map((e) => [e.path, e.status]), [[`/policies/${id}`, 401], [`/policies/${id}`, 200]]);
  });
});

describe("VCDA resources through the configured connection", () => {
  afterEach(() => configure({ get: () => undefined }));

  it("log in with the stack's vcda:* settings, here as the appliance root user", async () => {
    const config: Record<string, string> = { "vcda:url": sim.url, "vcda:authType": "localUser", "vcda:password": "vcda-sim-root-password" };
    configure({ get: (key) => config[key] });
    const { id } = await replicationPolicyHandler.create(await checked(replicationPolicyHandler, { displayName: "Configured" }));
    assert.ok((await simState()).policies.some((p: any) => p.id === id));
    const [login] = sent("POST", /^\/sessions$/);
    assert.equal(login.status, 200);
  });
});

describe("VCDA OrgPolicyAssignment against the simulator", () => {
  const policies = createReplicationPolicyHandler(clientFor());
  const handler = createOrgPolicyAssignmentHandler(clientFor());
  const policy = async (displayName: string) => (await policies.create(await checked(policies, { displayName }))).id;
  const orgPolicies = async () => (await simState()).orgPolicies;

  it("assigns the policy to the organization and reads the assignment back unchanged", async () => {
    const policyId = await policy("Gold");
    const inputs = await checked<OrgPolicyAssignmentInputs>(handler, { org: "org-acme", policyId });
    const { id, outs } = await handler.create(inputs);
    assert.equal(id, "org-acme");
    assert.deepEqual(outs, { org: "org-acme", policyId, policyDisplayName: "Gold" });
    assert.equal((await orgPolicies())["org-acme"], policyId);
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    assert.deepEqual(await handler.read(id, outs), { id, props: outs, inputs });
  });

  it("shows an organization moved to another policy out of band as drift on policyId", async () => {
    const [gold, silver] = [await policy("Gold"), await policy("Silver")];
    const inputs = await checked<OrgPolicyAssignmentInputs>(handler, { org: "org-acme", policyId: gold });
    const { id, outs } = await handler.create(inputs);
    await admin("PUT", "/orgs/org-acme/policy", { policyId: silver });
    // with a replication into it, Silver's compliance status names the org
    await createVmReplicationHandler(clientFor()).create(await checked(createVmReplicationHandler(clientFor()), {
      source: { type: "vm", site: "cloud-east", vmId: vm("acme-web-01").id },
      destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id, storageProfile: "*" },
      rpo: 30,
    }));
    const read = await handler.read(id, outs);
    assert.deepEqual(read.props, { org: "org-acme", policyId: silver, policyDisplayName: "Silver" });
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });

    await admin("PUT", "/orgs/org-acme/policy", { policyId: "default" });
    assert.equal((await handler.read(id, outs)).props!.policyId, "default");
  });

  it("reads back clean an organization with no replications, which the policy's compliance status does not name", async () => {
    const gold = await policy("Gold");
    const inputs = await checked<OrgPolicyAssignmentInputs>(handler, { org: "org-initech", policyId: gold });
    const { id, outs } = await handler.create(inputs);
    const statuses = (await clientFor()().policyStatus(gold)).map((s) => s.org);
    assert.deepEqual(statuses, [], "the simulator lists no org without replications");
    const read = await handler.read(id, outs);
    assert.deepEqual(read, { id, props: outs, inputs });
    await handler.delete(id, outs);
    assert.equal((await orgPolicies())["org-initech"], "default", "delete still gives it the default policy back");
  });

  it("shows an idle organization moved back to default out of band as drift, as the policy's count gives it away", async () => {
    const gold = await policy("Gold");
    const { id, outs } = await handler.create(await checked<OrgPolicyAssignmentInputs>(handler, { org: "org-initech", policyId: gold }));
    await admin("PUT", "/orgs/org-initech/policy", { policyId: "default" });
    assert.equal((await handler.read(id, outs)).props!.policyId, "default");
  });

  it("moves the organization to another policy in place", async () => {
    const [gold, silver] = [await policy("Gold"), await policy("Silver")];
    const { id, outs } = await handler.create(await checked(handler, { org: "org-acme", policyId: gold }));
    const news = await checked<OrgPolicyAssignmentInputs>(handler, { org: "org-acme", policyId: silver });
    assert.deepEqual(await handler.diff(id, outs, news), { changes: true });
    const updated = await handler.update(id, outs, news);
    assert.equal(updated.outs.policyDisplayName, "Silver");
    assert.equal((await orgPolicies())["org-acme"], silver);
  });

  it("gives the organization the default policy back on delete", async () => {
    const { id, outs } = await handler.create(await checked(handler, { org: "org-acme", policyId: await policy("Gold") }));
    await handler.delete(id, outs);
    assert.equal((await orgPolicies())["org-acme"], "default");
    assert.deepEqual(sent("PATCH", /^\/policies\/default\/orgs\/org-acme$/).map((e) => e.status), [202]);
  });

  it("names the unknown organization VCDA refuses", async () => {
    const inputs = await withPreflightOff(() => checked<OrgPolicyAssignmentInputs>(handler, { org: "org-nobody", policyId: "default" }));
    await assert.rejects(handler.create(inputs), /HTTP 404: OrgNotFound: Organization 'org-nobody' was not found/);
  });
});

describe("VCDA VmReplication against the simulator", () => {
  const handler = createVmReplicationHandler(clientFor());
  const web = vm("acme-web-01");
  const program: VmReplicationInputs = {
    source: { type: "vm", site: "cloud-east", vmId: web.id },
    destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id, storageProfile: "*" },
    description: "protect acme-web-01",
    rpo: 30,
    retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 60 }] },
  };
  const replications = async () => Object.keys((await simState()).replications);

  beforeEach(async () => {
    // the shipped default policy refuses protections; let every org replicate
    await admin("PUT", "/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
  });

  async function created(overrides: Partial<VmReplicationInputs> = {}) {
    const inputs = await checked(handler, { ...program, ...overrides });
    const { id, outs } = await handler.create(inputs);
    return { id, outs, inputs };
  }

  it("creates the replication through its task and maps VCDA's object to outputs, with no diff and no drift on read", async () => {
    const { id, outs, inputs } = await created();
    assert.match(id, /^C4-[0-9a-f-]{36}$/);
    assert.equal(inputs.dataConnectionType, "ENCRYPTED_COMPRESSED");
    assert.equal(inputs.quiesced, true);
    assert.deepEqual(outs, {
      ...inputs,
      replicationId: id,
      vmName: "acme-web-01",
      owner: "root@System",
      recoveryState: "NOT_STARTED",
      isReversed: false,
      dataConnectionState: "OK",
      overallHealth: "GREEN",
      // the powered-on VM's initial sync made the first instance (docs/api-notes/vcda.md#vm-replications-starting-one)
      latestInstance: { key: outs.latestInstance!.key, sequenceNumber: 1, timestamp: outs.latestInstance!.timestamp, quiescedType: "fileSystemQuiesced" },
      currentRpoViolation: -1,
      drift: null,
    });
    assert.match(String(outs.latestInstance?.key), /^replica-/);
    const [post] = sent("POST", /^\/vm-replications$/);
    // cloud → cloud runs on the destination cloud site, once the session is extended to it (docs/api-notes/vcda.md#the-site-a-request-runs-on)
    assert.equal(post.query, "?site=cloud-west");
    // the simulator refuses cloud-west to a session not extended to it; an earlier test's run may have extended this one already
    assert.ok(sent("POST", /^\/sessions\/extend$/).length <= 1, "at most one extension to cloud-west");
    assert.deepEqual(post.body, { ...program, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, targetDiskType: "THIN", isMigration: false });
    assert.ok(sent("GET", /^\/tasks\//).length >= 1, "the task was polled");
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    assert.deepEqual(await handler.read(id, outs), { id, props: outs, inputs });
  });

  it("reconfigures rpo and description in place with PATCH and waits for the task", async () => {
    const { id, outs } = await created();
    const news = await checked(handler, { ...program, rpo: 60, description: "slower" });
    assert.deepEqual(await handler.diff(id, outs, news), { changes: true });
    const updated = await handler.update(id, outs, news);
    assert.equal(updated.outs.rpo, 60);
    assert.equal(updated.outs.description, "slower");
    const [patch] = sent("PATCH", /^\/vm-replications\/C4-[^/]+$/);
    assert.deepEqual(patch.body, { description: "slower", rpo: 60, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, retentionPolicy: program.retentionPolicy });
    assert.equal((await simState()).replications[id].replication.settings.rpo, 60);
    assert.deepEqual(await handler.diff(id, updated.outs, news), { changes: false });
  });

  it("changes the excluded disks with PATCH …/disks", async () => {
    const { id, outs } = await created({ source: { ...program.source, excludedDisks: [] } });
    const news = await checked(handler, { ...program, source: { ...program.source, excludedDisks: [2001] } });
    const updated = await handler.update(id, outs, news);
    assert.deepEqual(updated.outs.source.excludedDisks, [2001]);
    assert.deepEqual(sent("PATCH").map((e) => [e.path, e.body]), [[`/vm-replications/${id}/disks`, [2001]]]);
  });

  it("shows an RPO changed out of band as drift, on read and in diff", async () => {
    const { id, outs, inputs } = await created();
    await admin("PATCH", `/replications/${id}`, { rpo: 120 });
    const read = await handler.read(id, outs);
    assert.equal(read.props!.rpo, 120);
    assert.equal(read.inputs!.rpo, 120);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });
  });

  it("reports a replication the destination org's policy refuses, with VCDA's reason, and leaves nothing behind", async () => {
    await admin("PUT", "/policies/default", { minRpo: 60 });
    const inputs = await checked(handler, program);
    await assert.rejects(handler.create(inputs),
      /^Error: VCDA refused replication of VM acme-web-01 \(fb3b5c4c-[^)]+\): RPO 30 minutes is below the minimum 60 minutes allowed by policy 'Default Policy' of organization 'org-acme' \(minRpo is 60\)\. \(PolicyViolation\)$/);
    assert.deepEqual(await replications(), []);
  });

  it("reports a reconfiguration the policy refuses, with VCDA's reason, and leaves the replication as it was", async () => {
    const { id, outs } = await created();
    await admin("PUT", "/policies/default", { minRpo: 60 });
    const news = await checked(handler, { ...program, rpo: 45 });
    await assert.rejects(handler.update(id, outs, news),
      /^Error: VCDA refused to reconfigure replication C4-\S+ of VM acme-web-01 \(fb3b5c4c-[^)]+\): RPO 45 minutes is below the minimum 60 minutes/);
    assert.equal((await simState()).replications[id].replication.settings.rpo, 30);
  });

  it("reports a failed task with its error and leaves nothing behind", async () => {
    await admin("POST", "/task-faults", { mode: "fail", times: 1, code: "ReplicatorUnavailable", msg: "No replicator is available at site cloud-west." });
    await assert.rejects(handler.create(await checked(handler, program)),
      /VCDA refused replication of VM acme-web-01 .*: No replicator is available at site cloud-west\. \(ReplicatorUnavailable\)/);
    assert.deepEqual(await replications(), []);
  });

  it("gives up on a task that never finishes with a message saying what to do", async () => {
    await admin("POST", "/task-faults", { mode: "stuck", times: 1 });
    const impatient = createVmReplicationHandler(clientFor({ taskTimeoutMs: 150 }));
    await assert.rejects(impatient.create(await checked(impatient, program)), /was still RUNNING after 0s \(raise VCDA_TASK_TIMEOUT_SECONDS/);
  });

  it("adopts a replication whose creation was applied but never answered, without sending the POST again", async () => {
    sim.faults.add({ kind: "drop", method: "POST", path: "^/vm-replications$", times: 1 });
    const { id, outs } = await created();
    assert.deepEqual(await replications(), [id]);
    assert.equal(outs.vmName, "acme-web-01");
    assert.deepEqual(sent("POST", /^\/vm-replications$/).map((e) => e.fault), ["drop"], "one POST, whose answer was lost");
  });

  it("deletes the replication through its task, and a second delete finds nothing without failing", async () => {
    const { id, outs } = await created();
    await handler.delete(id, outs);
    assert.deepEqual(await replications(), []);
    await handler.delete(id, outs);
    assert.deepEqual(await handler.read(id, outs), {});
  });

  it("leaves a replication failed over outside Pulumi alone: reported on read, never replaced, updated or deleted", async () => {
    const { id, outs, inputs } = await created();
    await admin("POST", `/replications/${id}/failover`);
    const read = await handler.read(id, outs);
    assert.equal(read.props!.recoveryState, "COMPLETE");
    assert.match(read.props!.drift!, /was failed over \(recoveryState COMPLETE\) outside Pulumi/);
    // the recorded inputs, with the state found: refresh reports that as drift
    assert.deepEqual(read.inputs, { ...inputs, replicationState: "failedOver" });
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });
    assert.deepEqual(await handler.diff(id, read.props!, { ...inputs, replicationState: "failedOver" }), { changes: false });
    const moved = { ...inputs, destination: { ...inputs.destination, site: "cloud-east" }, rpo: 45 };
    assert.deepEqual(await handler.diff(id, read.props!, moved), { changes: true });

    sim.journal.clear();
    await assert.rejects(handler.update(id, read.props!, moved), /replication C4-\S+ of VM \S+ as failedOver, the program expects replicating.*does not delete or re-create/);
    await assert.rejects(handler.update(id, read.props!, { ...moved, replicationState: "failedOver" }), /cannot update replication C4-.*pulumi state delete <URN>/);
    await assert.rejects(handler.delete(id, read.props!), /cannot delete replication C4-.*failed over/);
    assert.deepEqual(sent().filter((e) => e.mutating), []);
    assert.deepEqual(await replications(), [id]);
  });

  it("says who could not log in and why, without the password", async () => {
    const badLogin = createVmReplicationHandler(() => createVcdaClient(
      { url: sim.url, authType: "vcdCredentials", username: "root@System", password: "wrong-password-123", insecure: false }, FAST));
    await assert.rejects(badLogin.read("C4-x", { ...program }), (err: Error) => {
      assert.match(err.message, /^VCDA login as root@System \(vcdCredentials\) failed: .*HTTP 401: NotAuthenticated/);
      assert.doesNotMatch(err.message, /wrong-password-123/);
      return true;
    });
  });
});

describe("VCDA sourceReconfigure and vApp replications against the simulator", () => {
  const vmHandler = createVmReplicationHandler(clientFor());
  const handler = createVappReplicationHandler(clientFor());
  const acmeWeb = vm("acme-web-01");
  const destination = { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id } as const;
  const program: VappReplicationInputs = {
    source: { type: "vapp", site: "cloud-east", vappId: acmeWeb.vappId },
    destination,
    description: "protect acme-web",
    rpo: 30,
  };
  const startup = { order: 3, startAction: "powerOn", startDelay: 60000, stopAction: "guestShutdown", stopDelay: 0 };

  beforeEach(async () => {
    await admin("PUT", "/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
  });

  async function created(overrides: Partial<VappReplicationInputs> = {}) {
    const inputs = await checked(handler, { ...program, ...overrides });
    const { id, outs } = await handler.create(inputs);
    return { id, outs, inputs };
  }

  it("VmReplication: sets sourceReconfigure with the PATCH after the create, reads startupInfo back, and shows no diff", async () => {
    const inputs = await checked(vmHandler, {
      source: { type: "vm", site: "cloud-east", vmId: acmeWeb.id }, destination, rpo: 30,
      sourceReconfigure: { type: "vcVmReconfigure", vmStartupInfo: startup },
    });
    const { id, outs } = await vmHandler.create(inputs);
    assert.deepEqual(sent("PATCH").map((e) => [e.path, e.body]), [[`/vm-replications/${id}`, { sourceReconfigure: inputs.sourceReconfigure }]]);
    assert.deepEqual((await simState()).replications[id].replication.startupInfo, startup);
    assert.deepEqual(await vmHandler.diff(id, outs, inputs), { changes: false });
    // changed in VCDA: refresh shows it as a property diff
    await admin("PATCH", `/replications/${id}`, { startupInfo: { order: 9 } });
    const read = await vmHandler.read(id, outs);
    assert.equal((read.props as typeof outs).sourceReconfigure?.vmStartupInfo?.order, 9);
    assert.deepEqual(await vmHandler.diff(id, read.props as typeof outs, inputs), { changes: true });
  });

  it("creates a vApp replication of every VM of the vApp in one POST, with each VM's latest instance, no diff and no drift on read", async () => {
    const { id, outs, inputs } = await created();
    assert.match(id, /^C4VAPP-[0-9a-f-]{36}$/);
    const [post] = sent("POST", /^\/vapp-replications$/);
    // cloud → cloud runs on the destination cloud site (docs/api-notes/vcda.md#the-site-a-request-runs-on), as for a VM replication
    assert.equal(post.query, "?site=cloud-west");
    assert.deepEqual(post.body, { ...program, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, targetDiskType: "THIN", isMigration: false });
    assert.equal(outs.vappName, "acme-web");
    assert.deepEqual(outs.vms?.map((v) => v.vmName).sort(), ["acme-web-01", "acme-web-02"]);
    assert.ok(outs.vms?.every((v) => v.latestInstance?.sequenceNumber === 1 && v.currentRpoViolation === -1 && v.overallHealth === "GREEN"));
    assert.equal(outs.currentRpoViolation, -1);
    assert.equal(outs.overallHealth, "GREEN");
    assert.equal(outs.drift, null);
    assertNoUndefined(outs);
    // VM replications name their vApp replication (docs/api-notes/vcda.md#vapp-replications)
    const vms = Object.values((await simState()).replications) as any[];
    assert.deepEqual(vms.map((r) => r.replication.vappReplicationId), [id, id]);
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    assert.deepEqual(await handler.read(id, outs), { id, props: outs, inputs });
  });

  it("reports an RPO violation VCDA shows, without a diff", async () => {
    const { id, outs, inputs } = await created();
    await admin("PATCH", `/replications/${outs.vms![0].replicationId}`, { destinationState: { currentRpoViolation: 42 }, overallHealth: "YELLOW" });
    const read = await handler.read(id, outs);
    const props = read.props as typeof outs;
    assert.equal(props.currentRpoViolation, 42);
    assert.equal(props.overallHealth, "YELLOW");
    assert.deepEqual(await handler.diff(id, props, inputs), { changes: false });
  });

  it("reconfigures settings and sourceReconfigure of every VM with one PATCH; the read after shows no diff", async () => {
    const { id, outs } = await created();
    const news = await checked(handler, { ...program, rpo: 60, sourceReconfigure: { type: "vcVappReconfigure", vappName: "acme-web-dr", vmStartupInfo: startup } });
    assert.deepEqual(await handler.diff(id, outs, news), { changes: true });
    const updated = await handler.update(id, outs, news);
    const patches = sent("PATCH");
    assert.deepEqual(patches.map((e) => e.path), [`/vapp-replications/${id}`]);
    assert.deepEqual(patches[0].body, { sourceReconfigure: news.sourceReconfigure, rpo: 60, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true });
    const live = Object.values((await simState()).replications) as any[];
    assert.ok(live.every((r) => r.replication.settings.rpo === 60 && r.replication.startupInfo.order === 3));
    assert.equal(updated.outs.rpo, 60);
    assert.deepEqual(await handler.diff(id, updated.outs, news), { changes: false });
    const read = await handler.read(id, updated.outs);
    assert.deepEqual(await handler.diff(id, read.props as typeof outs, news), { changes: false });
  });

  it("refuses a vApp replication that exists unless adoptExisting; adopts a matching one without a POST and converges a differing one only with \"overwrite\"", async () => {
    const { id } = await created();
    sim.journal.clear();
    await assert.rejects(handler.create(await checked(handler, program)), new RegExp(`acme-web[\\s\\S]*${id}`));
    await assert.rejects(handler.create(await checked(handler, { ...program, rpo: 60, adoptExisting: true })), /rpo 30 → 60/);
    assert.equal(sent("POST").length + sent("PATCH").length, 0, "nothing was created or changed");
    const adopted = await handler.create(await checked(handler, { ...program, adoptExisting: true }));
    assert.equal(adopted.id, id);
    const overwritten = await handler.create(await checked(handler, { ...program, rpo: 60, adoptExisting: "overwrite" }));
    assert.equal(overwritten.id, id);
    assert.equal(overwritten.outs.rpo, 60);
    assert.equal(sent("POST").length, 0);
    assert.equal(sent("PATCH").length, 1);
    await assert.rejects(handler.create(await checked(handler, { ...program, destination: { ...destination, storageProfile: vdcOf("org-acme", "cloud-west").storageProfiles[0].id }, adoptExisting: "overwrite" })),
      /only a replacement could change[\s\S]*nothing was changed/);
  });

  it("refuses a vApp of which a VM is already replicated: that VM's replication belongs to a vApp replication of the same vApp", async () => {
    const single = await vmHandler.create(await checked(vmHandler, { source: { type: "vm", site: "cloud-east", vmId: acmeWeb.id }, destination, rpo: 30 }));
    const { vappReplicationId } = (await simState()).replications[single.id].replication;
    await assert.rejects(created(), new RegExp(`replication of vApp acme-web[\\s\\S]*${vappReplicationId}[\\s\\S]*adoptExisting`));
    assert.equal(sent("POST", /^\/vapp-replications$/).length, 0);
  });

  it("refuses, even with adoptExisting, when VCDA lists two replications of the vApp: it cannot tell which one is meant", async () => {
    for (const name of ["acme-web-01", "acme-web-02"]) {
      await vmHandler.create(await checked(vmHandler, { source: { type: "vm", site: "cloud-east", vmId: vm(name).id }, destination, rpo: 30 }));
    }
    sim.journal.clear();
    await assert.rejects(created({ adoptExisting: "overwrite" }), /lists 2 replications of vApp[\s\S]*neither creates nor adopts/);
    assert.equal(sent("POST").length + sent("PATCH").length, 0);
  });

  it("deletes every VM replication of the vApp; a second delete finds it gone", async () => {
    const { id, outs } = await created();
    await handler.delete(id, outs);
    assert.deepEqual(sent("DELETE").map((e) => e.path), [`/vapp-replications/${id}`]);
    assert.deepEqual(Object.keys((await simState()).replications), []);
    await handler.delete(id, outs);
    assert.deepEqual(await handler.read(id, outs), {});
  });
});

