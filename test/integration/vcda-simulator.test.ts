import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { generateTestCertificates } from "../../simulator/common";
import { loadInventory, startVcdaSimulator, VcdaSimulator, VcdaSimulatorOptions } from "../../simulator/vcda";

const inventory = loadInventory();
const ROOT = { type: "localUser", localUser: "root", localPassword: "vcda-sim-root-password" };
const ACME = { type: "vcdCredentials", vcdUser: "admin@org-acme", vcdPassword: "vcda-sim-tenant-password" };
const GLOBEX = { type: "vcdCredentials", vcdUser: "admin@org-globex", vcdPassword: "vcda-sim-tenant-password" };

const vmNamed = (name: string) => inventory.vms.find((v) => v.name === name)!;
const vdcOf = (org: string, site: string) => inventory.vdcs.find((v) => v.org === org && v.site === site)!;
const onPrem = inventory.sites.find((s) => s.type === "vcenter")!;
const gold = inventory.slaProfiles.find((p) => p.displayName === "Gold")!;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A minimal VCDA API client over Node's fetch: one session token, JSON in and out. */
class Client {
  token?: string;

  constructor(readonly url: string) {}

  async call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(this.url + route, {
      method,
      headers: {
        Accept: "application/vnd.vmware.h4-v4.1+json;charset=UTF-8",
        "Content-Type": "application/json",
        ...(this.token ? { "X-VCAV-Auth": this.token } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async login(credentials: object): Promise<Reply> {
    const reply = await this.call("POST", "/sessions", credentials);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    this.token = reply.headers.get("x-vcav-auth")!;
    return reply;
  }

  /** Polls a task until it ends (QUEUED, then RUNNING: the simulator finishes tasks after a few reads). */
  async finish(task: { id: string }): Promise<any> {
    for (let i = 0; i < 10; i++) {
      const reply = await this.call("GET", `/tasks/${task.id}`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      if (reply.body.state !== "QUEUED" && reply.body.state !== "RUNNING") return reply.body;
    }
    assert.fail(`task ${task.id} is still RUNNING after 10 polls`);
  }

  /** Starts a task-returning call, checks the 202 QUEUED answer and returns the finished task. */
  async task(method: string, route: string, body?: unknown): Promise<any> {
    const reply = await this.call(method, route, body);
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    assert.equal(reply.body.state, "QUEUED");
    assert.equal(reply.body.endTime, -1);
    return this.finish(reply.body);
  }

  async succeeded(method: string, route: string, body?: unknown): Promise<any> {
    const task = await this.task(method, route, body);
    assert.equal(task.state, "SUCCEEDED", JSON.stringify(task.error));
    return task.result;
  }
}

async function admin(url: string, method: string, route: string, body?: unknown): Promise<Reply> {
  return new Client(url).call(method, `/_admin/vcda${route}`, body);
}

function withSimulator(options: VcdaSimulatorOptions = {}): { sim: () => VcdaSimulator } {
  let sim: VcdaSimulator | undefined;
  before(async () => { sim = await startVcdaSimulator(options); });
  after(async () => { await sim?.close(); });
  return { sim: () => sim! };
}

const PERMISSIVE = {
  displayName: "Gold", minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: -1,
  allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true,
  onpremDataCap: 0, allowCustomSlaSettings: true, allowNotificationConfiguration: true,
};

function cloudSpec(vmName: string, extra: object = {}) {
  const vm = vmNamed(vmName);
  return {
    source: { type: "vm", site: "cloud-east", vmId: vm.id },
    destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf(vm.org, "cloud-west").id, storageProfile: "*" },
    description: `protect ${vmName}`, rpo: 15, retentionPolicy: { rules: [{ numberOfInstances: 3, distance: 60 }] },
    ...extra,
  };
}

describe("VCDA simulator: sessions", () => {
  const { sim } = withSimulator();

  it("logs in as the appliance root user with administrator roles and an X-VCAV-Auth token", async () => {
    const reply = await new Client(sim().url).login(ROOT);
    assert.match(reply.headers.get("x-vcav-auth")!, /^[A-Za-z0-9+/=]{20,}$/);
    assert.deepEqual(reply.body, { user: "root", roles: ["ADMINISTRATORS", "EVERYONE"], authenticatedSites: [{ site: "cloud-east", org: "System" }] });
  });

  it("logs in SSO administrators by credentials and by any well-formed SAML token", async () => {
    const byPassword = await new Client(sim().url).login({ type: "ssoCredentials", username: "administrator@vsphere.local", password: "vcda-sim-sso-password" });
    assert.deepEqual(byPassword.body.roles, ["ADMINISTRATORS", "EVERYONE"]);
    const samlToken = "<saml2:Assertion><saml2:Subject><saml2:NameID>ops@vsphere.local</saml2:NameID></saml2:Subject></saml2:Assertion>";
    const byToken = await new Client(sim().url).login({ type: "ssoToken", samlToken, timestamp: Date.now(), nonce: "n-1" });
    assert.equal(byToken.body.user, "ops@vsphere.local");
    assert.deepEqual(byToken.body.roles, ["ADMINISTRATORS", "EVERYONE"]);
    const malformed = await new Client(sim().url).call("POST", "/sessions", { type: "ssoToken", samlToken: "x" });
    assert.equal(malformed.status, 401);
  });

  it("treats root@System as an administrator and user@org as a tenant of that organization", async () => {
    const provider = await new Client(sim().url).login({ type: "vcdCredentials", vcdUser: "root@System", vcdPassword: "vcda-sim-vcd-password" });
    assert.deepEqual(provider.body.roles, ["ADMINISTRATORS", "EVERYONE"]);
    const tenant = await new Client(sim().url).login(ACME);
    assert.deepEqual(tenant.body, { user: "admin@org-acme", roles: ["EVERYONE"], authenticatedSites: [{ site: "cloud-east", org: "org-acme" }] });
  });

  it("logs in a tenant with a VCD access token", async () => {
    const reply = await new Client(sim().url).login({ type: "vcdAccessToken", vcdAccessToken: "vcda-sim-tenant-jwt" });
    assert.equal(reply.body.user, "admin@org-acme");
    assert.deepEqual(reply.body.roles, ["EVERYONE"]);
  });

  it("answers bad credentials of every login type with 401 NotAuthenticated", async () => {
    const client = new Client(sim().url);
    for (const body of [
      { ...ROOT, localPassword: "wrong" },
      { type: "ssoCredentials", username: "administrator@vsphere.local", password: "wrong" },
      { ...ACME, vcdPassword: "wrong" },
      { type: "vcdAccessToken", vcdAccessToken: "forged" },
    ]) {
      const reply = await client.call("POST", "/sessions", body);
      assert.equal(reply.status, 401, body.type);
      assert.equal(reply.body.code, "NotAuthenticated");
      assert.equal(reply.headers.get("x-vcav-auth"), null);
    }
  });

  it("requires a valid X-VCAV-Auth token on every other route", async () => {
    const client = new Client(sim().url);
    for (const route of ["/sessions", "/policies", "/vm-replications", "/tasks"]) {
      const reply = await client.call("GET", route);
      assert.equal(reply.status, 401, route);
      assert.deepEqual(Object.keys(reply.body).sort(), ["args", "code", "msg", "stacktrace"]);
      assert.equal(reply.body.code, "NotAuthenticated");
    }
    client.token = "not-a-token";
    assert.equal((await client.call("GET", "/policies")).status, 401);
  });

  it("reads, extends, narrows and deletes the current session", async () => {
    const client = new Client(sim().url);
    await client.login(ACME);
    assert.equal((await client.call("GET", "/sessions")).body.user, "admin@org-acme");
    const extended = await client.call("POST", "/sessions/extend", { type: "credentials", site: "cloud-west", vcdUsername: "admin@org-acme", vcdPassword: "vcda-sim-tenant-password" });
    assert.equal(extended.status, 200);
    assert.deepEqual(extended.body.authenticatedSites, [{ site: "cloud-east", org: "org-acme" }, { site: "cloud-west", org: "org-acme" }]);
    const badExtend = await client.call("POST", "/sessions/extend", { type: "credentials", site: "cloud-west", vcdUsername: "admin@org-acme", vcdPassword: "nope" });
    assert.equal(badExtend.status, 401);
    const dropped = await client.call("DELETE", "/sessions/cloud-west");
    assert.deepEqual(dropped.body.authenticatedSites, [{ site: "cloud-east", org: "org-acme" }]);
    assert.equal((await client.call("DELETE", "/sessions")).status, 204);
    assert.equal((await client.call("GET", "/sessions")).status, 401);
  });

  it("expires a session that stays idle longer than the idle timeout", async () => {
    const client = new Client(sim().url);
    await client.login(ROOT);
    sim().clock.advance(1799 * 1000);
    assert.equal((await client.call("GET", "/sessions")).status, 200);
    sim().clock.advance(1801 * 1000);
    const reply = await client.call("GET", "/sessions");
    assert.equal(reply.status, 401);
    assert.match(reply.body.msg, /expired/);
  });

  it("invalidates every token at once through the expire-sessions admin knob", async () => {
    const client = new Client(sim().url);
    await client.login(ROOT);
    assert.equal((await admin(sim().url, "POST", "/expire-sessions")).status, 204);
    assert.equal((await client.call("GET", "/policies")).status, 401);
  });

  it("echoes the requested API version in Content-Type, accepts plain JSON and ignores operationID", async () => {
    const client = new Client(sim().url);
    await client.login(ROOT);
    const versioned = await client.call("GET", "/policies", undefined, { Accept: "application/vnd.vmware.h4-v4.5+json;charset=UTF-8", operationID: "op-1" });
    assert.equal(versioned.headers.get("content-type"), "application/vnd.vmware.h4-v4.5+json;charset=UTF-8");
    const plain = await client.call("GET", "/policies", undefined, { Accept: "application/json" });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("content-type"), "application/vnd.vmware.h4-v4.1+json;charset=UTF-8");
  });

  it("never keeps credentials in the request journal", async () => {
    const client = new Client(sim().url);
    await client.login(ROOT);
    await client.call("POST", "/sessions/extend", { type: "credentials", site: "cloud-west", vcdUsername: "root@System", vcdPassword: "vcda-sim-vcd-password" });
    const journal = JSON.stringify(sim().journal.list());
    for (const secret of ["vcda-sim-root-password", "vcda-sim-sso-password", "vcda-sim-tenant-password", "vcda-sim-vcd-password", "vcda-sim-tenant-jwt", client.token!]) {
      assert.ok(!journal.includes(secret), `journal contains ${secret}`);
    }
    assert.ok(sim().journal.list().some((e) => e.path === "/sessions" && e.method === "POST" && !e.mutating));
  });
});

describe("VCDA simulator: replication policies and organization assignment", () => {
  const { sim } = withSimulator();
  const client = () => new Client(sim().url);
  let root: Client;
  let tenant: Client;

  before(async () => {
    root = client();
    await root.login(ROOT);
    tenant = client();
    await tenant.login(ACME);
  });
  beforeEach(async () => { await admin(sim().url, "POST", "/reset"); });

  it("ships the default policy, reported with orgs -1", async () => {
    const reply = await root.call("GET", "/policies");
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, [{
      id: "default", displayName: "Default Policy", orgs: -1, minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: 0,
      allowIncomingProtections: false, allowOutgoingProtections: false, allowIncomingMigrations: true, allowOutgoingMigrations: true,
      onpremDataCap: 0, allowCustomSlaSettings: true, allowNotificationConfiguration: true,
    }]);
  });

  it("creates a policy with a new UUID and orgs 0, defaulting omitted fields to the default policy's", async () => {
    const created = await root.call("POST", "/policies", { displayName: "Silver", minRpo: 60, allowIncomingProtections: true });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.orgs, 0);
    assert.equal(created.body.minRpo, 60);
    assert.equal(created.body.maxInstances, 24);
    assert.equal(created.body.allowIncomingProtections, true);
    assert.deepEqual((await root.call("GET", `/policies/${created.body.id}`)).body, created.body);
  });

  it("refuses a duplicate displayName, which is case-sensitive", async () => {
    assert.equal((await root.call("POST", "/policies", PERMISSIVE)).status, 201);
    const duplicate = await root.call("POST", "/policies", PERMISSIVE);
    assert.equal(duplicate.status, 400);
    assert.match(duplicate.body.msg, /displayName 'Gold' already exists/);
    assert.equal((await root.call("POST", "/policies", { ...PERMISSIVE, displayName: "gold" })).status, 201);
  });

  it("rejects malformed policy properties with a message naming the property", async () => {
    const reply = await root.call("POST", "/policies", { displayName: "Bad", minRpo: "fifteen" });
    assert.equal(reply.status, 400);
    assert.match(reply.body.msg, /'minRpo' must be an integer/);
  });

  it("overwrites every property with PUT", async () => {
    const { body: policy } = await root.call("POST", "/policies", PERMISSIVE);
    const updated = await root.call("PUT", `/policies/${policy.id}`, { ...PERMISSIVE, displayName: "Gold v2", minRpo: 30 });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.displayName, "Gold v2");
    assert.equal(updated.body.minRpo, 30);
    assert.equal((await root.call("PUT", "/policies/00000000-0000-4000-8000-000000000000", PERMISSIVE)).body.code, "PolicyNotFound");
  });

  it("answers 404 PolicyNotFound for an unknown policy", async () => {
    const reply = await root.call("GET", "/policies/nope");
    assert.equal(reply.status, 404);
    assert.equal(reply.body.code, "PolicyNotFound");
    assert.deepEqual(reply.body.args, ["nope"]);
  });

  it("never deletes the default policy", async () => {
    const reply = await root.call("DELETE", "/policies/default");
    assert.equal(reply.status, 400);
    assert.match(reply.body.msg, /default policy cannot be deleted/);
  });

  it("refuses to delete a policy while an organization uses it, and deletes it once reassigned", async () => {
    const { body: policy } = await root.call("POST", "/policies", PERMISSIVE);
    assert.equal((await root.call("PATCH", `/policies/${policy.id}/orgs/org-acme`)).status, 202);
    const refused = await root.call("DELETE", `/policies/${policy.id}`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.msg, /assigned to 1 organization\(s\) \(org-acme\)/);
    assert.equal((await root.call("PATCH", "/policies/default/orgs/org-acme")).status, 202);
    assert.equal((await root.call("DELETE", `/policies/${policy.id}`)).status, 204);
    assert.equal((await root.call("GET", `/policies/${policy.id}`)).status, 404);
  });

  it("assigns one policy per organization, counts them, and names in the status only organizations that are replication destinations", async () => {
    // the status is a "List of statuses for each destination organization" (docs/api-notes/vcda.md#assigning-a-policy-to-an-organization): an assigned org without replications is counted, not named
    const { body: goldPolicy } = await root.call("POST", "/policies", PERMISSIVE);
    const { body: silver } = await root.call("POST", "/policies", { ...PERMISSIVE, displayName: "Silver" });
    const assign = await root.call("PATCH", `/policies/${goldPolicy.id}/orgs/org-acme`);
    assert.equal(assign.status, 202);
    assert.equal(assign.body, undefined);
    await root.call("PATCH", `/policies/${goldPolicy.id}/orgs/org-globex`);
    assert.equal((await root.call("GET", `/policies/${goldPolicy.id}`)).body.orgs, 2);
    assert.deepEqual((await root.call("GET", `/policies/${goldPolicy.id}/status`)).body, []);
    const replication = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const status = await root.call("GET", `/policies/${goldPolicy.id}/status`);
    assert.deepEqual(status.body, [{
      org: "org-acme", configuredReplications: 1, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: [], nonInstancesCompliant: [],
    }]);
    await root.call("PATCH", `/policies/${silver.id}/orgs/org-globex`);
    assert.equal((await root.call("GET", `/policies/${goldPolicy.id}`)).body.orgs, 1);
    assert.equal((await root.call("GET", `/policies/${silver.id}`)).body.orgs, 1);
    assert.deepEqual((await root.call("GET", "/policies/default/status")).body, [], "org-initech has the default policy but no replications");
    await root.call("PATCH", `/policies/default/orgs/org-acme`);
    assert.deepEqual((await root.call("GET", "/policies/default/status")).body.map((s: any) => [s.org, s.configuredReplications]), [["org-acme", 1]]);
    assert.equal(replication.destination.org, "org-acme");
  });

  it("answers 404 when assigning an unknown policy or organization", async () => {
    const { body: policy } = await root.call("POST", "/policies", PERMISSIVE);
    assert.equal((await root.call("PATCH", "/policies/nope/orgs/org-acme")).body.code, "PolicyNotFound");
    const unknownOrg = await root.call("PATCH", `/policies/${policy.id}/orgs/org-nope`);
    assert.equal(unknownOrg.status, 404);
    assert.equal(unknownOrg.body.code, "OrgNotFound");
  });

  it("lets tenants read policies but forbids them every policy change", async () => {
    assert.equal((await tenant.call("GET", "/policies")).status, 200);
    const { body: policy } = await root.call("POST", "/policies", PERMISSIVE);
    for (const [method, route, body] of [
      ["POST", "/policies", { ...PERMISSIVE, displayName: "Tenant" }],
      ["PUT", `/policies/${policy.id}`, PERMISSIVE],
      ["DELETE", `/policies/${policy.id}`],
      ["PATCH", `/policies/${policy.id}/orgs/org-acme`],
      ["GET", `/policies/${policy.id}/status`],
      ["POST", "/policies/sync"],
    ] as Array<[string, string, unknown?]>) {
      const reply = await tenant.call(method, route, body);
      assert.equal(reply.status, 403, `${method} ${route}`);
      assert.deepEqual(reply.body, { code: "Forbidden", msg: "Permission denied.", args: [], stacktrace: null });
    }
  });

  it("synchronizes policies as a policies task", async () => {
    const task = await root.task("POST", "/policies/sync");
    assert.equal(task.state, "SUCCEEDED");
    assert.deepEqual(task.workflowInfo, { type: "sync", resourceType: "policies", resourceId: null, resourceName: null });
    assert.equal(task.result, null);
  });
});

describe("VCDA simulator: VM replications", () => {
  const { sim } = withSimulator();
  let root: Client;
  let acme: Client;
  let globex: Client;
  let goldPolicyId: string;

  before(async () => {
    root = new Client(sim().url);
    await root.login(ROOT);
    // replications to cloud-west run there (?site=cloud-west) once the session is extended to it (docs/api-notes/vcda.md#sessions-remote-cloud-sites)
    await root.call("POST", "/sessions/extend", { type: "credentials", site: "cloud-west", vcdUsername: "root@System", vcdPassword: "vcda-sim-vcd-password" });
    acme = new Client(sim().url);
    await acme.login(ACME);
    globex = new Client(sim().url);
    await globex.login(GLOBEX);
  });
  beforeEach(async () => {
    await admin(sim().url, "POST", "/reset");
    goldPolicyId = (await root.call("POST", "/policies", PERMISSIVE)).body.id;
    await root.call("PATCH", `/policies/${goldPolicyId}/orgs/org-acme`);
    await root.call("PATCH", `/policies/${goldPolicyId}/orgs/org-globex`);
  });

  it("replicates a cloud VM to the other cloud site through a task whose result is the VmReplication", async () => {
    const vm = vmNamed("acme-web-01");
    const started = await root.call("POST", "/vm-replications?site=cloud-west", cloudSpec("acme-web-01", { source: { type: "vm", site: "cloud-east", vmId: vm.id, excludedDisks: [2001] } }));
    assert.equal(started.status, 202);
    assert.equal(started.body.state, "QUEUED");
    assert.equal(started.body.site, "cloud-west");
    assert.deepEqual(started.body.workflowInfo.type, "start");
    assert.match(started.body.workflowInfo.resourceId, /^C4-[0-9a-f-]{36}$/);
    const task = await root.finish(started.body);
    assert.equal(task.state, "SUCCEEDED");
    assert.equal(task.resultType, "SingleVmReplicationInfo");
    assert.ok(task.endTime >= task.startTime);
    const r = task.result;
    assert.equal(r.id, started.body.workflowInfo.resourceId);
    assert.equal(r.owner, "root");
    assert.deepEqual(r.source, { site: "cloud-east", org: "org-acme", vdcId: vm.vdcId, vdcName: "acme-east-vdc", vappId: vm.vappId, vappName: vm.vappName });
    assert.deepEqual(r.destination, { site: "cloud-west", org: "org-acme", vdcId: vdcOf("org-acme", "cloud-west").id, vdcName: "acme-west-vdc", recoveredVappId: null });
    assert.equal(r.storageProfile, "*");
    assert.deepEqual(r.settings, {
      description: "protect acme-web-01", rpo: 15, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true,
      retentionPolicy: { rules: [{ numberOfInstances: 3, distance: 60 }] }, initialSyncTime: 0, excludedDiskKeys: [2001],
    });
    assert.equal(r.destinationState.recoveryInfo.recoveryState, "NOT_STARTED");
    assert.equal(r.isReversed, false);
    assert.equal(r.slaProfile, null);
    assert.match(r.vappReplicationId, /^C4VAPP-/);
    assert.deepEqual((await root.call("GET", `/vm-replications/${r.id}`)).body, r);
  });

  it("replicates into a named storage profile and from a powered-off seed VM (vm → vm)", async () => {
    const west = vdcOf("org-acme", "cloud-west");
    const seed = vmNamed("acme-web-01-seed");
    const r = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01", {
      destination: { type: "vm", site: "cloud-west", vdc: west.id, storageProfile: west.storageProfiles[0].id, seedVmId: seed.id },
      targetDiskType: "PREALLOCATED", dataConnectionType: "PLAIN", quiesced: false,
    }));
    assert.equal(r.storageProfile, west.storageProfiles[0].id);
    assert.equal(r.storageProfileName, "Gold-SSD");
    assert.equal(r.settings.dataConnectionType, "PLAIN");
    assert.equal(r.settings.quiesced, false);
    const mismatched = await root.call("POST", "/vm-replications", cloudSpec("acme-app-01", {
      destination: { type: "vm", site: "cloud-west", vdc: west.id, seedVmId: seed.id },
    }));
    assert.equal(mismatched.status, 400);
    assert.match(mismatched.body.msg, /Seed VM 'acme-web-01-seed' has disks \[2000,2001\] but source VM 'acme-app-01' has \[2000\]/);
  });

  it("replicates on-premises vCenter VMs to the cloud, plain and seeded (vcVm → vcloud, vcVm → vm)", async () => {
    const west = vdcOf("org-acme", "cloud-west");
    const plain = await root.succeeded("POST", "/vm-replications", {
      source: { type: "vcVm", site: "onprem-dc1", vcUuid: onPrem.vcUuid, vmId: "vm-42" },
      destination: { type: "vcloud", site: "cloud-west", vdc: west.id },
      rpo: 30,
    });
    assert.equal(plain.vmId, "vm-42");
    assert.equal(plain.vmName, "onprem-mail-01");
    assert.equal(plain.source.site, "onprem-dc1");
    assert.equal(plain.destination.org, "org-acme");
    const seeded = await root.succeeded("POST", "/vm-replications", {
      source: { type: "vcVm", site: "onprem-dc1", vcUuid: onPrem.vcUuid, vmId: "vm-41" },
      destination: { type: "vm", site: "cloud-west", vdc: west.id, seedVmId: vmNamed("acme-web-01-seed").id },
      rpo: 30,
    });
    assert.equal(seeded.vmName, "onprem-erp-01");
    const wrongVc = await root.call("POST", "/vm-replications", {
      source: { type: "vcVm", site: "onprem-dc1", vcUuid: "00000000-0000-4000-8000-000000000000", vmId: "vm-41" },
      destination: { type: "vcloud", site: "cloud-west", vdc: west.id }, rpo: 30,
    });
    assert.equal(wrongVc.status, 400);
    assert.match(wrongVc.body.msg, /source.vcUuid/);
  });

  it("replicates cloud VMs to the paired on-premises site, plain and seeded (vm → vc, vm → vcVm)", async () => {
    const plain = await root.succeeded("POST", "/vm-replications", {
      source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-app-01").id },
      destination: { type: "vc", site: "onprem-dc1" },
      rpo: 60,
    });
    assert.deepEqual(plain.destination, { site: "onprem-dc1", org: null, vdcId: null, vdcName: null, recoveredVappId: null });
    assert.equal(plain.storageProfile, null);
    const seeded = await root.succeeded("POST", "/vm-replications", {
      source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-db-01").id },
      destination: { type: "vcVm", site: "onprem-dc1", seedVm: { vcId: onPrem.vcUuid, moId: "vm-43" } },
      rpo: 60,
    });
    assert.equal(seeded.vmName, "acme-db-01");
    const unpaired = await root.call("POST", "/vm-replications", {
      source: { type: "vm", site: "cloud-east", vmId: vmNamed("globex-web-01").id }, destination: { type: "vc", site: "onprem-dc1" }, rpo: 60,
    });
    assert.equal(unpaired.status, 400);
    assert.match(unpaired.body.msg, /paired with organization 'org-acme'/);
  });

  it("replicates a VM only once", async () => {
    await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const again = await root.call("POST", "/vm-replications", cloudSpec("acme-web-01"));
    assert.equal(again.status, 400);
    assert.equal(again.body.code, "VmAlreadyReplicated");
    assert.match(again.body.msg, /VM 'acme-web-01' .* is already replicated by C4-/);
  });

  it("validates the spec against the inventory and the enumerations with 400 and a message naming the field", async () => {
    const cases: Array<[object, RegExp]> = [
      [cloudSpec("acme-web-01", { source: { type: "vm", site: "cloud-east", vmId: "no-such-vm" } }), /source.vmId 'no-such-vm'/],
      [cloudSpec("acme-web-01", { destination: { type: "vcloud", site: "cloud-west", vdc: "no-such-vdc" } }), /destination.vdc 'no-such-vdc'/],
      [cloudSpec("acme-web-01", { destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id, storageProfile: "nope" } }), /destination.storageProfile 'nope'/],
      [cloudSpec("acme-web-01", { destination: { type: "vcloud", site: "mars", vdc: "x" } }), /destination.site 'mars'/],
      [cloudSpec("acme-web-01", { dataConnectionType: "ZIP" }), /dataConnectionType must be one of PLAIN, ENCRYPTED, ENCRYPTED_COMPRESSED/],
      [cloudSpec("acme-web-01", { targetDiskType: "FAT" }), /targetDiskType must be one of THIN, PREALLOCATED, PREALLOCATED_ZEROS/],
      [cloudSpec("acme-web-01", { rpo: undefined }), /Either 'rpo' or 'slaProfileId' is required/],
      [cloudSpec("acme-web-01", { source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-web-01").id, excludedDisks: [2000, 2001] } }), /at least one disk/],
      [cloudSpec("acme-web-01", { destination: { type: "vc", site: "cloud-west" } }), /destination.site 'cloud-west' is not a known on-premises site/],
      [{ ...cloudSpec("acme-web-01"), source: { type: "vcVm", site: "onprem-dc1", vmId: "vm-41", vcUuid: onPrem.vcUuid }, destination: { type: "vc", site: "onprem-dc1" } }, /destination.type 'vc' is not supported with source.type 'vcVm'/],
    ];
    for (const [spec, message] of cases) {
      const reply = await root.call("POST", "/vm-replications", spec);
      assert.equal(reply.status, 400, JSON.stringify(spec));
      assert.match(reply.body.msg, message);
    }
    const unknownSite = await root.call("POST", "/vm-replications?site=mars", cloudSpec("acme-web-01"));
    assert.equal(unknownSite.status, 404);
    assert.equal(unknownSite.body.code, "SiteNotFound");
  });

  it("fails the task with a PolicyViolation naming the policy, rule and values when the RPO is below minRpo", async () => {
    const task = await root.task("POST", "/vm-replications", cloudSpec("acme-web-01", { rpo: 5 }));
    assert.equal(task.state, "FAILED");
    assert.equal(task.result, null);
    assert.equal(task.error.code, "PolicyViolation");
    assert.match(task.error.msg, /^RPO 5 minutes is below the minimum 15 minutes allowed by policy 'Gold' of organization 'org-acme'/);
    assert.equal((await root.call("GET", "/vm-replications")).body.total, 0);
  });

  it("applies the default policy to unassigned organizations, which refuses incoming protections", async () => {
    const task = await root.task("POST", "/vm-replications", cloudSpec("initech-tps-01"));
    assert.equal(task.state, "FAILED");
    assert.match(task.error.msg, /allowed by policy 'Default Policy' of organization 'org-initech'/);
  });

  it("enforces maxIncoming, maxInstances, the custom-SLA switch and the source's outgoing flags", async () => {
    const put = (changes: object) => root.call("PUT", `/policies/${goldPolicyId}`, { ...PERMISSIVE, ...changes });
    await put({ maxIncoming: 1 });
    await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    let task = await root.task("POST", "/vm-replications", cloudSpec("acme-web-02"));
    assert.match(task.error.msg, /already has 1 incoming replication\(s\), the maximum allowed by policy 'Gold' .*maxIncoming is 1/);
    await put({ maxInstances: 2 });
    task = await root.task("POST", "/vm-replications", cloudSpec("acme-web-02"));
    assert.match(task.error.msg, /Retention of 3 instances exceeds the maximum 2 instances allowed by policy 'Gold'/);
    await put({ allowCustomSlaSettings: false });
    task = await root.task("POST", "/vm-replications", cloudSpec("acme-web-02"));
    assert.match(task.error.msg, /Custom SLA settings .* are not allowed by policy 'Gold'/);
    const withProfile = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-02", { slaProfileId: gold.id }));
    assert.deepEqual(withProfile.slaProfile, { id: gold.id, displayName: "Gold" });
    assert.equal(withProfile.settings.rpo, gold.rpo);
    await put({ allowOutgoingMigrations: false });
    task = await root.task("POST", "/vm-replications", cloudSpec("acme-db-01", { isMigration: true, slaProfileId: gold.id }));
    assert.match(task.error.msg, /Outgoing migrations are not allowed by policy 'Gold' of organization 'org-acme'/);
  });

  it("reconfigures with PATCH, leaving omitted fields unchanged and re-checking the policy", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const reconfigured = await root.succeeded("PATCH", `/vm-replications/${created.id}?site=cloud-east`, { description: "tier 1", rpo: 30 });
    assert.equal(reconfigured.settings.description, "tier 1");
    assert.equal(reconfigured.settings.rpo, 30);
    assert.deepEqual(reconfigured.settings.retentionPolicy, created.settings.retentionPolicy);
    const started = await root.call("PATCH", `/vm-replications/${created.id}`, { rpo: 5 });
    assert.equal(started.body.workflowInfo.type, "reconfigure");
    const refused = await root.finish(started.body);
    assert.equal(refused.state, "FAILED");
    assert.match(refused.error.msg, /RPO 5 minutes is below the minimum 15 minutes/);
    assert.equal((await root.call("GET", `/vm-replications/${created.id}`)).body.settings.rpo, 30);
    assert.equal((await root.call("PATCH", "/vm-replications/C4-nope", { rpo: 30 })).body.code, "ReplicationNotFound");
  });

  it("switches between an SLA profile and custom settings with PATCH", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const profiled = await root.succeeded("PATCH", `/vm-replications/${created.id}`, { slaProfileId: gold.id });
    assert.equal(profiled.slaProfile.id, gold.id);
    assert.deepEqual(profiled.settings.retentionPolicy, gold.retentionPolicy);
    const described = await root.succeeded("PATCH", `/vm-replications/${created.id}`, { description: "still gold" });
    assert.equal(described.slaProfile.id, gold.id);
    const custom = await root.succeeded("PATCH", `/vm-replications/${created.id}`, { rpo: 60 });
    assert.equal(custom.slaProfile, null);
    assert.equal(custom.settings.rpo, 60);
  });

  it("replaces the set of excluded disks with PATCH …/disks", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    assert.deepEqual((await root.succeeded("PATCH", `/vm-replications/${created.id}/disks`, [2001])).settings.excludedDiskKeys, [2001]);
    assert.deepEqual((await root.succeeded("PATCH", `/vm-replications/${created.id}/disks`, [])).settings.excludedDiskKeys, []);
    const unknown = await root.call("PATCH", `/vm-replications/${created.id}/disks`, [3000]);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.msg, /disk key\(s\) 3000 do not exist/);
  });

  it("deletes with a stop task, after which the replication answers 404 ReplicationNotFound", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const task = await root.task("DELETE", `/vm-replications/${created.id}`);
    assert.equal(task.state, "SUCCEEDED");
    assert.deepEqual(task.workflowInfo, { type: "stop", resourceType: "vmReplication", resourceId: created.id, resourceName: "acme-web-01" });
    const gone = await root.call("GET", `/vm-replications/${created.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { code: "ReplicationNotFound", msg: `Replication with id '${created.id}' was not found.`, args: [created.id], stacktrace: null });
    await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
  });

  it("lists replications with filters, sorting and paging", async () => {
    for (const name of ["acme-web-01", "acme-web-02", "globex-app-01"]) await root.succeeded("POST", "/vm-replications", cloudSpec(name, { isMigration: name === "acme-web-02" }));
    const list = async (query: string) => (await root.call("GET", `/vm-replications?${query}`)).body;
    const all = await list("sort=vmName");
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((r: any) => r.vmName), ["acme-web-01", "acme-web-02", "globex-app-01"]);
    assert.deepEqual((await list("vmName=WEB&sort=vmName-")).items.map((r: any) => r.vmName), ["acme-web-02", "acme-web-01"]);
    assert.equal((await list(`vmId=${vmNamed("globex-app-01").id}`)).items[0].vmName, "globex-app-01");
    assert.equal((await list("sourceOrg=org-globex")).total, 1);
    assert.equal((await list(`destinationVdcId=${vdcOf("org-acme", "cloud-west").id}`)).total, 2);
    assert.equal((await list("isMigration=true")).items[0].vmName, "acme-web-02");
    assert.equal((await list(`ids=${all.items[0].id},${all.items[2].id}`)).total, 2);
    const page = await list("sort=vmName&offset=1&limit=1");
    assert.deepEqual({ total: page.total, offset: page.offset, limit: page.limit, names: page.items.map((r: any) => r.vmName) },
      { total: 3, offset: 1, limit: 1, names: ["acme-web-02"] });
    assert.equal((await list("limit=1000")).limit, 100);
    assert.equal((await root.call("GET", "/vm-replications?sort=color")).status, 400);
  });

  it("shows and lets tenants manage only their own organization's replications", async () => {
    const mine = await acme.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    assert.equal(mine.owner, "admin@org-acme");
    const theirs = await globex.succeeded("POST", "/vm-replications", cloudSpec("globex-app-01"));
    assert.deepEqual((await acme.call("GET", "/vm-replications")).body.items.map((r: any) => r.id), [mine.id]);
    assert.equal((await acme.call("GET", `/vm-replications/${theirs.id}`)).status, 404);
    assert.equal((await acme.call("DELETE", `/vm-replications/${theirs.id}`)).status, 404);
    assert.equal((await acme.call("PATCH", `/vm-replications/${theirs.id}`, { rpo: 60 })).status, 404);
    const foreignVm = await acme.call("POST", "/vm-replications", cloudSpec("globex-web-01"));
    assert.equal(foreignVm.status, 400);
    assert.equal((await root.call("GET", "/vm-replications")).body.total, 2);
  });

  it("fails over, reverses and migrates replications through day-2 operations", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const failedOver = await root.succeeded("POST", `/vm-replications/${created.id}/failover`, { type: "vcloud", powerOn: true });
    assert.equal(failedOver.destinationState.recoveryInfo.recoveryState, "COMPLETE");
    assert.ok(failedOver.destinationState.recoveryInfo.vcdVmId);
    const twice = await root.call("POST", `/vm-replications/${created.id}/failover`, { type: "vcloud" });
    assert.equal(twice.status, 400);
    assert.match(twice.body.msg, /already been failed over/);
    const reversed = await root.succeeded("POST", `/vm-replications/${created.id}/reverse`);
    assert.equal(reversed.isReversed, true);
    assert.equal(reversed.source.site, "cloud-west");
    assert.equal(reversed.destination.site, "cloud-east");
    assert.equal(reversed.vmId, failedOver.destinationState.recoveryInfo.vcdVmId);
    assert.equal(reversed.destinationState.recoveryInfo.recoveryState, "NOT_STARTED");

    const other = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-02", { isMigration: true }));
    const migrated = await root.succeeded("POST", `/vm-replications/${other.id}/migrate`, { type: "vcloud" });
    assert.equal(migrated.destinationState.recoveryInfo.recoveryState, "COMPLETE");
    const tested = await root.succeeded("POST", `/vm-replications/${reversed.id}/failover-test`, { type: "vcloud" });
    assert.equal(tested.destinationState.recoveryInfo.recoveryState, "TEST");
    assert.equal((await root.succeeded("DELETE", `/vm-replications/${reversed.id}/failover-test`)).destinationState.recoveryInfo.recoveryState, "NOT_STARTED");
    assert.equal((await root.succeeded("POST", `/vm-replications/${reversed.id}/pause`)).isPaused, true);
    assert.equal((await root.succeeded("POST", `/vm-replications/${reversed.id}/resume`)).isPaused, false);
  });
});

describe("VCDA simulator: tasks", () => {
  const { sim } = withSimulator({ taskPolls: 3 });
  let root: Client;
  let acme: Client;

  before(async () => {
    root = new Client(sim().url);
    await root.login(ROOT);
    acme = new Client(sim().url);
    await acme.login(ACME);
    const policy = (await root.call("POST", "/policies", PERMISSIVE)).body;
    await root.call("PATCH", `/policies/${policy.id}/orgs/org-acme`);
  });

  it("answers QUEUED first, then stays RUNNING for taskPolls reads, reporting progress, then finishes", async () => {
    const started = (await acme.call("POST", "/vm-replications", cloudSpec("acme-web-01"))).body;
    assert.equal(started.state, "QUEUED");
    assert.equal((await acme.call("GET", `/tasks/${started.id}`)).body.state, "QUEUED");
    const first = (await acme.call("GET", `/tasks/${started.id}?site=cloud-east`)).body;
    assert.equal(first.state, "RUNNING");
    assert.ok(first.progress > 0 && first.progress < 100);
    assert.equal((await acme.call("GET", `/tasks/${started.id}`)).body.state, "RUNNING");
    const done = (await acme.call("GET", `/tasks/${started.id}`)).body;
    assert.equal(done.state, "SUCCEEDED");
    assert.equal(done.progress, 100);
    assert.equal(done.user, "admin@org-acme");
  });

  it("polls several tasks in the columnar form, returning only the caller's tasks", async () => {
    const mine = (await acme.call("POST", "/vm-replications", cloudSpec("acme-web-02"))).body;
    const rootTask = (await root.call("POST", "/policies/sync")).body;
    const polled = (await acme.call("POST", "/tasks/poll", [mine.id, rootTask.id, "unknown"])).body;
    assert.deepEqual(polled.propertyNames, ["id", "user", "workflowInfo.type", "workflowInfo.resourceType", "workflowInfo.resourceId",
      "workflowInfo.resourceName", "progress", "state", "lastUpdated", "startTime", "endTime", "resultType", "result", "error", "warnings", "site"]);
    assert.equal(polled.values.length, 1);
    const row = Object.fromEntries(polled.propertyNames.map((name: string, i: number) => [name, polled.values[0][i]]));
    assert.equal(row.id, mine.id);
    assert.equal(row["workflowInfo.type"], "start");
    assert.equal(row.site, "cloud-east");
    assert.equal((await acme.call("GET", `/tasks/${rootTask.id}`)).status, 404);
    assert.equal((await root.call("POST", "/tasks/poll", [mine.id, rootTask.id])).body.values.length, 2);
  });

  it("lists tasks newest first in a paged envelope with filters", async () => {
    const page = (await root.call("GET", "/tasks?type=start&limit=1")).body;
    assert.deepEqual(Object.keys(page).sort(), ["items", "limit", "offset", "total"]);
    assert.equal(page.items.length, 1);
    assert.ok(page.total >= 2);
    assert.ok((await root.call("GET", "/tasks?sort=startTime")).body.items.every((t: any, i: number, all: any[]) => i === 0 || all[i - 1].startTime <= t.startTime));
    assert.ok((await acme.call("GET", "/tasks")).body.items.every((t: any) => t.user === "admin@org-acme"));
    assert.equal((await acme.call("GET", "/tasks?user=root")).status, 403);
    assert.ok((await root.call("GET", "/tasks?resourceType=policies")).body.items.every((t: any) => t.workflowInfo.resourceType === "policies"));
  });
});

describe("VCDA simulator: admin API", () => {
  const { sim } = withSimulator();
  let root: Client;
  let policyId: string;

  before(async () => {
    root = new Client(sim().url);
    await root.login(ROOT);
  });
  beforeEach(async () => {
    await admin(sim().url, "POST", "/reset");
    await admin(sim().url, "DELETE", "/task-faults");
    policyId = (await root.call("POST", "/policies", PERMISSIVE)).body.id;
    await root.call("PATCH", `/policies/${policyId}/orgs/org-acme`);
  });

  it("edits a replication's settings out of band, as drift the client must see", async () => {
    const created = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const edited = await admin(sim().url, "PATCH", `/replications/${created.id}`, { rpo: 240, description: "changed in the UI", excludedDiskKeys: [2001] });
    assert.equal(edited.status, 200);
    const read = (await root.call("GET", `/vm-replications/${created.id}`)).body;
    assert.equal(read.settings.rpo, 240);
    assert.equal(read.settings.description, "changed in the UI");
    assert.deepEqual(read.settings.excludedDiskKeys, [2001]);
    assert.equal((await admin(sim().url, "PATCH", "/replications/C4-nope", { rpo: 1 })).status, 404);
  });

  it("deletes, fails over and migrates replications out of band", async () => {
    const a = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const b = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-02"));
    const c = await root.succeeded("POST", "/vm-replications", cloudSpec("acme-db-01"));
    assert.equal((await admin(sim().url, "POST", `/replications/${a.id}/failover`)).body.destinationState.recoveryInfo.recoveryState, "COMPLETE");
    assert.equal((await admin(sim().url, "POST", `/replications/${b.id}/migrate`)).body.destinationState.recoveryInfo.recoveryState, "COMPLETE");
    assert.equal((await root.call("GET", `/vm-replications/${a.id}`)).body.destinationState.recoveryInfo.recoveryState, "COMPLETE");
    assert.equal((await admin(sim().url, "DELETE", `/replications/${c.id}`)).status, 204);
    assert.equal((await root.call("GET", `/vm-replications/${c.id}`)).status, 404);
  });

  it("edits, reassigns and deletes policies out of band", async () => {
    const edited = await admin(sim().url, "PUT", `/policies/${policyId}`, { minRpo: 60 });
    assert.equal(edited.body.minRpo, 60);
    assert.equal(edited.body.displayName, "Gold");
    assert.equal((await root.call("GET", `/policies/${policyId}`)).body.minRpo, 60);
    await admin(sim().url, "PUT", "/orgs/org-globex/policy", { policyId });
    assert.equal((await root.call("GET", `/policies/${policyId}`)).body.orgs, 2);
    assert.equal((await admin(sim().url, "PUT", "/orgs/org-globex/policy", { policyId: "nope" })).status, 404);
    assert.equal((await admin(sim().url, "DELETE", `/policies/${policyId}`)).status, 204);
    const state = (await admin(sim().url, "GET", "/state")).body;
    assert.deepEqual(state.orgPolicies, { "org-acme": "default", "org-globex": "default", "org-initech": "default" });
  });

  it("fails the next tasks on demand with the requested error", async () => {
    await admin(sim().url, "POST", "/task-faults", { mode: "fail", code: "ConnectionRefused", msg: "Replicator unreachable", times: 1 });
    const failed = await root.task("POST", "/vm-replications", cloudSpec("acme-web-01"));
    assert.equal(failed.state, "FAILED");
    assert.deepEqual(failed.error, { code: "ConnectionRefused", msg: "Replicator unreachable", args: [], stacktrace: null });
    assert.equal((await root.call("GET", "/vm-replications")).body.total, 0);
    await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
  });

  it("keeps the next tasks RUNNING forever on demand", async () => {
    await admin(sim().url, "POST", "/task-faults", { mode: "stuck" });
    const started = (await root.call("POST", "/policies/sync")).body;
    assert.equal((await root.call("GET", `/tasks/${started.id}`)).body.state, "QUEUED");
    for (let i = 0; i < 5; i++) assert.equal((await root.call("GET", `/tasks/${started.id}`)).body.state, "RUNNING");
    await admin(sim().url, "DELETE", "/task-faults");
    assert.equal((await root.task("POST", "/policies/sync")).state, "SUCCEEDED");
  });

  it("dumps the whole state and resets it", async () => {
    await root.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"));
    const state = (await admin(sim().url, "GET", "/state")).body;
    assert.equal(state.localSite, "cloud-east");
    assert.equal(state.remoteSite, "cloud-west");
    assert.equal(Object.keys(state.replications).length, 1);
    assert.equal(state.orgPolicies["org-acme"], policyId);
    assert.ok(state.inventory.vms.length >= 4);
    await admin(sim().url, "POST", "/reset");
    assert.deepEqual((await root.call("GET", "/policies")).body.map((p: any) => p.id), ["default"]);
    assert.equal((await root.call("GET", "/vm-replications")).body.total, 0);
  });

  it("exposes the sites and shares the common fault injector", async () => {
    assert.equal(sim().localSite, "cloud-east");
    assert.equal(sim().remoteSite, "cloud-west");
    sim().faults.add({ kind: "status", status: 503, path: "^/policies$", times: 1 });
    const injected = await root.call("GET", "/policies");
    assert.equal(injected.status, 503);
    assert.equal(injected.body.code, "ServiceUnavailable");
    assert.equal((await root.call("GET", "/policies")).status, 200);
  });
});

describe("VCDA simulator: persistence", () => {
  it("reloads policies, assignments and replications from the state file", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vcda-sim-")), "state.json");
    const first = await startVcdaSimulator({ stateFile });
    let replicationId: string;
    try {
      const client = new Client(first.url);
      await client.login(ROOT);
      const policy = (await client.call("POST", "/policies", PERMISSIVE)).body;
      await client.call("PATCH", `/policies/${policy.id}/orgs/org-acme`);
      replicationId = (await client.succeeded("POST", "/vm-replications", cloudSpec("acme-web-01"))).id;
    } finally {
      await first.close();
    }
    const second = await startVcdaSimulator({ stateFile });
    try {
      const client = new Client(second.url);
      await client.login(ROOT);
      assert.equal((await client.call("GET", "/policies")).body.find((p: any) => p.displayName === "Gold").orgs, 1);
      assert.equal((await client.call("GET", `/vm-replications/${replicationId}`)).status, 200);
    } finally {
      await second.close();
    }
  });
});

describe("VCDA simulator: TLS", () => {
  it("serves HTTPS with the given key and certificate", async () => {
    const certificates = generateTestCertificates();
    const sim = await startVcdaSimulator({ tls: { key: certificates.key, cert: certificates.cert } });
    try {
      assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolve, reject) => {
        const request = https.request(`${sim.url}/sessions`, { method: "POST", ca: certificates.ca, headers: { "Content-Type": "application/json" } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
        request.end(JSON.stringify(ROOT));
      });
      assert.equal(status, 200);
    } finally {
      await sim.close();
    }
  });
});
