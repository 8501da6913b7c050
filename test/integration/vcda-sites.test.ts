import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import type { VcdaConnection } from "../../provider/connection";
import type { VmReplicationInputs } from "../../provider/inputs.generated";
import { createVcdaClient, VcdaClientOptions } from "../../provider/vcda/client";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const inventory = loadInventory();
const vmNamed = (name: string) => inventory.vms.find((v) => v.name === name)!;
const vdcOf = (org: string, site: string) => inventory.vdcs.find((v) => v.org === org && v.site === site)!;
const onPrem = inventory.sites.find((s) => s.type === "vcenter")!;
const TENANT_PASSWORD = "vcda-sim-tenant-password";
const PROVIDER_PASSWORD = "vcda-sim-vcd-password";
const SAML = "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml2:Subject><saml2:NameID>administrator@vsphere.local</saml2:NameID></saml2:Subject></saml2:Assertion>";
const FAST: VcdaClientOptions = { pollInitialDelayMs: 5, pollMaxDelayMs: 20, adoptionWindowMs: 300, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

let sim: VcdaSimulator;

async function admin(method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/_admin/vcda${route}`, {
    method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `admin ${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; token: string | null }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { "X-VCAV-Auth": token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, token: response.headers.get("x-vcav-auth") };
}

const sent = (method: string, path: RegExp) => sim.journal.list().filter((e) => e.method === method && path.test(e.path));
const logins = () => sent("POST", /^\/sessions$/).length;
const extensions = () => sent("POST", /^\/sessions\/extend$/).length;

/** A connection to this test's simulator (each test starts its own, so no session is shared across tests). */
function connection(settings: Partial<VcdaConnection>): VcdaConnection {
  return { url: sim.url, authType: "vcdCredentials", insecure: false, ...settings } as VcdaConnection;
}

const tenant = () => connection({ username: "admin@org-acme", password: TENANT_PASSWORD });

function cloudToCloud(vmName: string): VmReplicationInputs {
  return {
    source: { type: "vm", site: "cloud-east", vmId: vmNamed(vmName).id },
    destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id, storageProfile: "*" },
    rpo: 30,
  };
}

describe("VCDA remote sites: session extension and the site of each replication call", function () {
  this.timeout(60_000);

  beforeEach(async () => {
    sim = await startVcdaSimulator({ taskPolls: 1 });
    // the shipped default policy refuses protections; let every org replicate
    await admin("PUT", "/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 });
  });
  afterEach(() => sim.close());

  it("runs cloud → remote-cloud replications on the destination site, extending the session once for the whole run", async () => {
    const handler = createVmReplicationHandler(() => createVcdaClient(tenant(), FAST));
    const first = await handler.create(cloudToCloud("acme-web-01"));
    const second = await handler.create(cloudToCloud("acme-web-02"));
    await handler.delete(first.id, { ...cloudToCloud("acme-web-01"), ...first.outs } as any);
    await handler.delete(second.id, { ...cloudToCloud("acme-web-02"), ...second.outs } as any);
    assert.deepEqual(sent("POST", /^\/vm-replications$/).map((e) => e.query), ["?site=cloud-west", "?site=cloud-west"]);
    assert.deepEqual([logins(), extensions()], [1, 1], "one login and one extension to cloud-west");
  });

  it("extends a replacement session again before the request it retries (after a 401)", async () => {
    const client = createVcdaClient(tenant(), FAST);
    assert.equal(await client.getReplication("C4-00000000-0000-0000-0000-000000000000", "cloud-west"), undefined);
    await admin("POST", "/expire-sessions");
    assert.equal(await client.getReplication("C4-00000000-0000-0000-0000-000000000000", "cloud-west"), undefined);
    assert.deepEqual([logins(), extensions()], [2, 2]);
  });

  it("refuses a remote cloud site to a session not extended to it, and an on-premises site as a replication's site", async () => {
    const { token } = await call("POST", "/sessions", { type: "vcdCredentials", vcdUser: "admin@org-acme", vcdPassword: TENANT_PASSWORD });
    const remote = await call("GET", "/vm-replications?site=cloud-west", undefined, token!);
    assert.equal(remote.status, 403);
    assert.deepEqual(Object.keys(remote.body).sort(), ["args", "code", "msg", "stacktrace"]);
    assert.match(remote.body.msg, /not authenticated to site 'cloud-west'.*POST \/sessions\/extend/);
    const tasks = await call("GET", "/tasks?site=cloud-west", undefined, token!);
    assert.equal(tasks.status, 403);
    const onPremSite = await call("POST", "/vm-replications?site=onprem-dc1", {}, token!);
    assert.equal(onPremSite.status, 404);
    assert.equal(onPremSite.body.code, "SiteNotFound");
    await call("POST", "/sessions/extend", { type: "multisite", site: "cloud-west", org: "org-acme" }, token!);
    assert.equal((await call("GET", "/vm-replications?site=cloud-west", undefined, token!)).status, 200);
  });

  it("runs an on-premises → cloud replication on the destination cloud site, never the on-premises one", async () => {
    const handler = createVmReplicationHandler(() => createVcdaClient(tenant(), FAST));
    const inputs: VmReplicationInputs = {
      source: { type: "vcVm", site: onPrem.name, vcUuid: onPrem.vcUuid, vmId: "vm-41" },
      destination: { type: "vcloud", site: "cloud-east", vdc: vdcOf("org-acme", "cloud-east").id, storageProfile: "*" },
      rpo: 30,
    };
    const { id, outs } = await handler.create(inputs);
    assert.deepEqual(await handler.read(id, { ...inputs, ...outs } as any).then((r) => r.id), id);
    await handler.delete(id, { ...inputs, ...outs } as any);
    const queries = sim.journal.list().filter((e) => e.path.startsWith("/vm-replications")).map((e) => e.query);
    assert.ok(queries.length >= 3 && queries.every((q) => q.includes("site=cloud-east")), queries.join(" "));
    assert.equal(extensions(), 0, "the local site needs no extension");
  });

  it("runs a cloud → on-premises replication with no site (the local one)", async () => {
    const handler = createVmReplicationHandler(() => createVcdaClient(tenant(), FAST));
    const inputs: VmReplicationInputs = { source: { type: "vm", site: "cloud-east", vmId: vmNamed("acme-app-01").id }, destination: { type: "vc", site: onPrem.name }, rpo: 30 };
    const { id, outs } = await handler.create(inputs);
    await handler.delete(id, { ...inputs, ...outs } as any);
    const queries = sim.journal.list().filter((e) => e.path.startsWith("/vm-replications")).map((e) => e.query);
    assert.ok(queries.every((q) => !q.includes("site=")), queries.join(" "));
  });

  it("asks a session without a Cloud Director token for the remote site's credentials, then extends with them", async () => {
    const root = { authType: "localUser" as const, username: "root", password: "vcda-sim-root-password" };
    await assert.rejects(createVcdaClient(connection(root), FAST).getReplication("C4-x", "cloud-west"),
      /remote cloud site 'cloud-west'.*localUser session holds no VMware Cloud Director token.*vcda:remoteSites\.cloud-west/);
    const wrong = connection({ ...root, remoteSites: { "cloud-west": { type: "credentials", username: "root@System", password: "wrong-west-password" } } });
    await assert.rejects(createVcdaClient(wrong, FAST).getReplication("C4-x", "cloud-west"), (err: Error) => {
      assert.match(err.message, /could not extend the session to remote site 'cloud-west'.*type credentials/);
      assert.ok(!err.message.includes("wrong-west-password"));
      return true;
    });
    const right = connection({ ...root, remoteSites: { "cloud-west": { type: "credentials", username: "root@System", password: PROVIDER_PASSWORD } } });
    assert.equal(await createVcdaClient(right, FAST).getReplication("C4-x", "cloud-west"), undefined);
  });

  it("logs in with an SSO SAML token, a fresh nonce each time, signed when a key is configured", async () => {
    const client = createVcdaClient(connection({ authType: "ssoToken", token: SAML }), FAST);
    assert.ok(Array.isArray(await client.listPolicies()));
    await admin("POST", "/expire-sessions");
    assert.ok(Array.isArray(await client.listPolicies()), "a second login with a new nonce is accepted");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const signed = createVcdaClient(connection({ authType: "ssoToken", token: SAML, samlSigningKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() }), FAST);
    assert.ok(Array.isArray(await signed.listPolicies()));
    // the simulator refuses a replayed nonce: the provider's two logins above each sent a new one
    const replay = { type: "ssoToken", samlToken: SAML, timestamp: Date.now(), nonce: "fixed-nonce" };
    assert.equal((await call("POST", "/sessions", replay)).status, 200);
    assert.equal((await call("POST", "/sessions", replay)).status, 401);
  });

  it("sends the context of a VCD token issued by another site, and fails without it, naming no token", async () => {
    const west = { authType: "vcdAccessToken" as const, token: "vcda-sim-west-tenant-jwt" };
    assert.ok(Array.isArray(await createVcdaClient(connection({ ...west, tokenContext: "org-acme" }), FAST).listPolicies()));
    await assert.rejects(createVcdaClient(connection(west), FAST).listPolicies(), (err: Error) => {
      assert.match(err.message, /VCDA login as a VCD access token \(vcdAccessToken\) failed/);
      assert.ok(!err.message.includes("vcda-sim-west-tenant-jwt"));
      return true;
    });
  });
});
