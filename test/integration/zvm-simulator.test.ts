import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { VCD_SITE } from "../fixtures/vcd";
import { startZvmSimulator, ZvmSimulator, ZvmSimulatorOptions } from "../../simulator/zvm";

// Ids from the bundled inventory.json.
const VC_A = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const VC_B = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const vm = (n: number) => `${VC_A}.vm-${n}`;
const DR = {
  host: `${VC_B}.host-1011`,
  hostCluster: `${VC_B}.domain-c1001`,
  datastore: `${VC_B}.datastore-1031`,
  journalDatastore: `${VC_B}.datastore-1034`,
  datastoreCluster: `${VC_B}.group-p1050`,
  folder: `${VC_B}.group-v1003`,
  recoveredFolder: `${VC_B}.group-v1070`,
  network: `${VC_B}.network-1021`,
  testNetwork: `${VC_B}.network-1022`,
};
const ZERO_GUID = "00000000-0000-0000-0000-000000000000";
const USER = { username: "admin", password: "zerto-sim-password" };
const WINDOWS_USER = { username: "ZVM\\administrator", password: "zerto-sim-windows-password" };

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** A thin HTTP client: JSON in and out, with whatever auth headers the test logged in with. */
class Client {
  constructor(private readonly sim: ZvmSimulator, public auth: Record<string, string> = {}) {}

  async call(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { ...this.auth, ...headers } };
    if (typeof body === "string") init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    }
    const res = await fetch(this.sim.url + urlPath, init);
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : "";
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async ok(method: string, urlPath: string, body?: unknown): Promise<any> {
    const reply = await this.call(method, urlPath, body);
    assert.ok(reply.status >= 200 && reply.status < 300, `${method} ${urlPath} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async waitForTask(taskId: string): Promise<any> {
    for (let i = 0; i < 20; i++) {
      const task = await this.ok("GET", `/v1/tasks/${taskId}`);
      if (task.Status.State !== 1) return task;
    }
    assert.fail(`task ${taskId} never finished`);
  }

  advanceClock(seconds: number): Promise<any> {
    return this.ok("POST", "/_admin/clock", { advanceSeconds: seconds });
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

async function sessionLogin(sim: ZvmSimulator): Promise<Client> {
  const client = new Client(sim);
  const reply = await client.call("POST", "/v1/session/add", { AuthenticationMethod: 1 }, { Authorization: basic(USER.username, USER.password) });
  assert.equal(reply.status, 200);
  client.auth = { "x-zerto-session": reply.headers.get("x-zerto-session")! };
  return client;
}

async function tokenRequest(sim: ZvmSimulator, form: Record<string, string>): Promise<Reply> {
  return new Client(sim).call("POST", "/auth/realms/zerto/protocol/openid-connect/token", new URLSearchParams(form).toString(), {
    "Content-Type": "application/x-www-form-urlencoded",
  });
}

/** A complete, valid create body for POST /v1/vpgSettings (zvml style: sections in the create call). */
function vpgBody(sim: ZvmSimulator, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Basic: { Name: name, RecoverySiteIdentifier: sim.peerSiteId },
    Recovery: { DefaultHostClusterIdentifier: DR.hostCluster, DefaultDatastoreIdentifier: DR.datastore, DefaultFolderIdentifier: DR.folder },
    Networks: {
      Failover: { Hypervisor: { DefaultNetworkIdentifier: DR.network } },
      FailoverTest: { Hypervisor: { DefaultNetworkIdentifier: DR.testNetwork } },
    },
    ...extra,
  };
}

/** Creates a VPG through the documented flow and returns its id once listed. */
async function createVpg(client: Client, sim: ZvmSimulator, name: string, vms: number[]): Promise<string> {
  const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim, name));
  for (const n of vms) await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(n) });
  const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
  assert.equal(task.Status.State, 6, task.CompleteReason);
  await client.advanceClock(1);
  return task.RelatedEntities.Vpgs[0].identifier;
}

function useSimulator(options: ZvmSimulatorOptions = {}): () => ZvmSimulator {
  let sim: ZvmSimulator | undefined;
  before(async () => {
    sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 200, initializingMs: 500, ...options });
  });
  after(async () => {
    await sim?.close();
  });
  return () => sim!;
}

describe("ZVM simulator", function () {
  this.timeout(10000);

  describe("session authentication (Windows ZVM)", () => {
    const sim = useSimulator({ sessionIdleSeconds: 60 });

    it("logs in with Basic credentials and returns the session in x-zerto-session with an empty body", async () => {
      const reply = await new Client(sim()).call("POST", "/v1/session/add", { AuthenticationMethod: "1" }, { Authorization: basic(USER.username, USER.password) });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "");
      assert.match(reply.headers.get("x-zerto-session") ?? "", /^[0-9a-f-]{36}$/);
    });

    it("checks a vCenter account only with AuthenticationMethod 1 and a Windows account only without it, as a ZVM does", async () => {
      const login = (user: string, password: string, body?: unknown) =>
        new Client(sim()).call("POST", "/v1/session/add", body, { Authorization: basic(user, password) }).then((r) => r.status);
      assert.equal(await login(USER.username, USER.password), 401, "a vCenter account without the body is checked as a Windows account");
      assert.equal(await login(USER.username, USER.password, { AuthenticationMethod: 0 }), 401);
      assert.equal(await login(USER.username, USER.password, { AuthenticationMethod: 1 }), 200, "the number is accepted as the string is");
      assert.equal(await login(WINDOWS_USER.username, WINDOWS_USER.password), 200);
      assert.equal(await login(WINDOWS_USER.username, WINDOWS_USER.password, { AuthenticationMethod: "1" }), 401);
      assert.equal(await login(USER.username, USER.password, { AuthenticationMethod: "vcenter" }), 400);
    });

    it("rejects bad credentials with 401 and a Message body", async () => {
      const reply = await new Client(sim()).call("POST", "/v1/session/add", undefined, { Authorization: basic("admin", "wrong") });
      assert.equal(reply.status, 401);
      assert.equal(typeof reply.body.Message, "string");
    });

    it("answers 401 to API calls without a session or with an unknown one", async () => {
      assert.equal((await new Client(sim()).call("GET", "/v1/vpgs")).status, 401);
      assert.equal((await new Client(sim(), { "x-zerto-session": "nope" }).call("GET", "/v1/vpgs")).status, 401);
    });

    it("answers 404 for unknown routes, even without auth", async () => {
      const reply = await new Client(sim()).call("GET", "/v1/nothing-here");
      assert.equal(reply.status, 404);
      assert.ok(reply.body.Message);
    });

    it("routes literal segments case-insensitively", async () => {
      const client = await sessionLogin(sim());
      assert.equal((await client.call("GET", "/V1/LocalSite")).status, 200);
    });

    it("expires a session idle for longer than sessionIdleSeconds on the simulated clock", async () => {
      const client = await sessionLogin(sim());
      assert.equal((await client.call("GET", "/v1/localsite")).status, 200);
      await client.advanceClock(61);
      assert.equal((await client.call("GET", "/v1/localsite")).status, 401);
    });

    it("logs out with DELETE /v1/session", async () => {
      const client = await sessionLogin(sim());
      assert.equal((await client.call("DELETE", "/v1/session")).status, 200);
      assert.equal((await client.call("GET", "/v1/localsite")).status, 401);
    });

    it("has no Keycloak token endpoint", async () => {
      assert.equal((await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", ...USER })).status, 404);
    });

    it("never journals login bodies", async () => {
      await new Client(sim()).call("POST", "/v1/session/add", { AuthenticationMethod: 1 }, { Authorization: basic(USER.username, USER.password) });
      const logins = sim().journal.list().filter((e) => e.path === "/v1/session/add");
      assert.ok(logins.length > 0);
      for (const entry of logins) {
        assert.equal(entry.body, undefined);
        assert.equal(entry.mutating, false);
      }
    });
  });

  describe("session authentication without the login-method check (strictLoginMethod false)", () => {
    const sim = useSimulator({ strictLoginMethod: false });

    it("accepts an account whichever AuthenticationMethod it logs in with", async () => {
      for (const body of [undefined, { AuthenticationMethod: "1" }]) {
        const reply = await new Client(sim()).call("POST", "/v1/session/add", body, { Authorization: basic(USER.username, USER.password) });
        assert.equal(reply.status, 200);
      }
    });
  });

  describe("Keycloak authentication (ZVM appliance)", () => {
    const sim = useSimulator({ authMode: "keycloak", tokenTtlSeconds: 60 });

    it("answers 404 to /v1/session/add", async () => {
      const reply = await new Client(sim()).call("POST", "/v1/session/add", undefined, { Authorization: basic(USER.username, USER.password) });
      assert.equal(reply.status, 404);
    });

    it("issues a bearer token for client_credentials without a refresh token", async () => {
      const reply = await tokenRequest(sim(), { grant_type: "client_credentials", client_id: "drprotect", client_secret: "zerto-sim-client-secret" });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.token_type, "Bearer");
      assert.equal(reply.body.expires_in, 60);
      assert.equal(reply.body["not-before-policy"], 0);
      assert.equal(reply.body.refresh_token, undefined);
      const client = new Client(sim(), { Authorization: `Bearer ${reply.body.access_token}` });
      assert.equal((await client.call("GET", "/v1/localsite")).status, 200);
      assert.ok(Array.isArray(await client.ok("GET", "/v1/tasks")));
    });

    it("accepts the password grant with the public zerto-client and refreshes the token", async () => {
      const first = await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", ...USER });
      assert.equal(first.status, 200);
      assert.ok(first.body.refresh_token);
      const refreshed = await tokenRequest(sim(), { grant_type: "refresh_token", client_id: "zerto-client", refresh_token: first.body.refresh_token });
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.access_token, first.body.access_token);
      assert.equal(refreshed.body.session_state, first.body.session_state);
    });

    it("answers Keycloak error bodies for a wrong secret, wrong user password and unknown grant", async () => {
      const badSecret = await tokenRequest(sim(), { grant_type: "client_credentials", client_id: "drprotect", client_secret: "nope" });
      assert.equal(badSecret.status, 401);
      assert.equal(badSecret.body.error, "invalid_client");
      const badUser = await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", username: "admin", password: "nope" });
      assert.equal(badUser.status, 401);
      assert.equal(badUser.body.error, "invalid_grant");
      const badGrant = await tokenRequest(sim(), { grant_type: "implicit", client_id: "zerto-client" });
      assert.equal(badGrant.status, 400);
      assert.equal(badGrant.body.error, "unsupported_grant_type");
    });

    it("answers 401 once the access token has expired on the simulated clock", async () => {
      const { body } = await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", ...USER });
      const client = new Client(sim(), { Authorization: `Bearer ${body.access_token}` });
      assert.equal((await client.call("GET", "/v1/vpgs")).status, 200);
      await client.advanceClock(61);
      assert.equal((await client.call("GET", "/v1/vpgs")).status, 401);
    });

    it("invalidates every token and refresh token through POST /_admin/zvm/expire-sessions", async () => {
      const { body } = await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", ...USER });
      const client = new Client(sim(), { Authorization: `Bearer ${body.access_token}` });
      assert.equal((await client.call("GET", "/v1/vpgs")).status, 200);
      await client.ok("POST", "/_admin/zvm/expire-sessions");
      assert.equal((await client.call("GET", "/v1/vpgs")).status, 401);
      const refresh = await tokenRequest(sim(), { grant_type: "refresh_token", client_id: "zerto-client", refresh_token: body.refresh_token });
      assert.equal(refresh.status, 400);
    });

    it("logs out through the Keycloak logout endpoint", async () => {
      const { body } = await tokenRequest(sim(), { grant_type: "password", client_id: "zerto-client", ...USER });
      const reply = await new Client(sim()).call("POST", "/auth/realms/zerto/protocol/openid-connect/logout",
        new URLSearchParams({ client_id: "zerto-client", refresh_token: body.refresh_token }).toString(),
        { "Content-Type": "application/x-www-form-urlencoded" });
      assert.equal(reply.status, 204);
      assert.equal((await new Client(sim(), { Authorization: `Bearer ${body.access_token}` }).call("GET", "/v1/vpgs")).status, 401);
    });

    it("never journals token request bodies", async () => {
      const entries = sim().journal.list().filter((e) => e.path.includes("openid-connect"));
      assert.ok(entries.length > 0);
      for (const entry of entries) assert.equal(entry.body, undefined);
    });
  });

  describe("vpgSettings drafts", () => {
    const sim = useSimulator({ draftIdleSeconds: 120 });
    let client: Client;
    before(async () => {
      client = await sessionLogin(sim());
    });

    it("creates a draft with the documented defaults and answers its id as a JSON string", async () => {
      const reply = await client.call("POST", "/v1/vpgSettings", {});
      assert.equal(reply.status, 200);
      assert.match(reply.body, /^[0-9a-f-]{36}$/);
      const s = await client.ok("GET", `/v1/vpgSettings/${reply.body}`);
      assert.equal(s.VpgIdentifier, null);
      assert.equal(s.VpgSettingsIdentifier, reply.body);
      assert.deepEqual(
        [s.Basic.RpoInSeconds, s.Basic.JournalHistoryInHours, s.Basic.TestIntervalInMinutes, s.Basic.Priority, s.Basic.UseWanCompression],
        [300, 24, 262080, "Medium", true]);
      assert.equal(s.Basic.ProtectedSiteIdentifier, sim().localSiteId);
      assert.deepEqual(s.Journal.Limitation, { HardLimitInMB: 153600, HardLimitInPercent: 0, WarningThresholdInMB: 115200, WarningThresholdInPercent: 0 });
      assert.equal(s.Scratch.Limitation.HardLimitInMB, 307200);
      assert.equal(s.Scratch.Limitation.WarningThresholdInMB, 230400);
      assert.equal(s.Scripting.PreRecovery.TimeoutInSeconds, 300);
      assert.deepEqual(s.BootGroups.BootGroups, [{ BootGroupIdentifier: ZERO_GUID, Name: "Default", BootDelayInSeconds: 0 }]);
      assert.deepEqual(s.Vms, []);
      assert.equal(await client.ok("GET", `/v1/vpgSettings/${reply.body}/priority`), "Medium");
    });

    it("binds request bodies case-insensitively and ignores unknown fields", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {
        basic: { name: "CaseTest", rpoinseconds: 600, priority: "high", Bogus: 1 },
        recovery: { defaultFolderIdentifier: DR.folder, DefaultResourcePoolIdentifier: "ignored" },
      });
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      assert.equal(s.Basic.Name, "CaseTest");
      assert.equal(s.Basic.RpoInSeconds, 600);
      assert.equal(s.Basic.Priority, "High");
      assert.equal(s.Basic.JournalHistoryInHours, 24);
      assert.equal(s.Recovery.DefaultFolderIdentifier, DR.folder);
      assert.equal(s.Basic.Bogus, undefined);
      assert.equal(s.Recovery.DefaultResourcePoolIdentifier, undefined);
    });

    it("rejects a Vms value that is not an array with 400", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      const reply = await client.call("PUT", `/v1/vpgSettings/${sid}`, { ...s, Vms: { VmIdentifier: vm(101) } });
      assert.equal(reply.status, 400);
      assert.ok(reply.body.Message);
    });

    it("rejects malformed JSON with 400 and a wrong-typed field with 400", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      assert.equal((await client.call("PUT", `/v1/vpgSettings/${sid}`, "{not json", { "Content-Type": "application/json" })).status, 400);
      assert.equal((await client.call("PUT", `/v1/vpgSettings/${sid}/basic`, { RpoInSeconds: "soon" })).status, 400);
    });

    it("updates the whole object with PUT and answers 200 with an empty body", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      s.Basic.Name = "PutTest";
      s.Journal.DatastoreIdentifier = DR.journalDatastore;
      const reply = await client.call("PUT", `/v1/vpgSettings/${sid}`, s);
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "");
      const after = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      assert.equal(after.Basic.Name, "PutTest");
      assert.equal(after.Journal.DatastoreIdentifier, DR.journalDatastore);
    });

    it("updates and resets a section through its sub-resource", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      await client.ok("PUT", `/v1/vpgSettings/${sid}/journal`, { Limitation: { HardLimitInMB: 50000, WarningThresholdInMB: 40000 } });
      assert.equal((await client.ok("GET", `/v1/vpgSettings/${sid}/journal`)).Limitation.HardLimitInMB, 50000);
      await client.ok("DELETE", `/v1/vpgSettings/${sid}/journal`);
      assert.equal((await client.ok("GET", `/v1/vpgSettings/${sid}/journal`)).Limitation.HardLimitInMB, 153600);
    });

    it("adds a VM and materializes its per-VM settings from the VPG defaults", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Materialize"));
      assert.equal((await client.call("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(105) })).status, 200);
      const [v] = await client.ok("GET", `/v1/vpgSettings/${sid}/vms`);
      assert.equal(v.VmIdentifier, vm(105));
      assert.equal(v.BootGroupIdentifier, ZERO_GUID);
      assert.equal(v.Recovery.HostClusterIdentifier, DR.hostCluster);
      assert.equal(v.Recovery.DatastoreIdentifier, DR.datastore);
      assert.equal(v.Recovery.FolderIdentifier, DR.folder);
      assert.equal(v.Journal.DatastoreIdentifier, DR.datastore);
      assert.equal(v.Journal.Limitation.HardLimitInMB, 153600);
      assert.deepEqual(v.Volumes.map((x: any) => x.VolumeIdentifier), ["scsi:0:0", "scsi:0:1"]);
      assert.equal(v.Volumes[0].Datastore.DatastoreIdentifier, DR.datastore);
      assert.equal(v.Volumes[0].VolumeSyncSettings, "ContinuousSync");
      assert.equal(v.Nics[0].NicIdentifier, "Network adapter 1");
      assert.equal(v.Nics[0].Failover.Hypervisor.NetworkIdentifier, DR.network);
      assert.equal(v.Nics[0].FailoverTest.Hypervisor.NetworkIdentifier, DR.testNetwork);
    });

    it("stores per-VM values explicitly: filled from the VPG defaults when the VM joins, then only what the client sends", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Overrides"));
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { vmIdentifier: vm(101), recovery: { folderIdentifier: DR.recoveredFolder } });
      const joined = await client.ok("GET", `/v1/vpgSettings/${sid}/vms/${vm(101)}`);
      assert.equal(joined.Recovery.FolderIdentifier, DR.recoveredFolder);
      assert.equal(joined.Volumes[0].Datastore.DatastoreIdentifier, DR.datastore);
      assert.equal(joined.Nics[0].Failover.Hypervisor.NetworkIdentifier, DR.network);

      // a new VPG default alone moves no VM: the VM keeps its stored copy (the sample's explicit values)
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      s.Recovery.DefaultDatastoreIdentifier = DR.journalDatastore;
      await client.ok("PUT", `/v1/vpgSettings/${sid}`, s);
      const stale = await client.ok("GET", `/v1/vpgSettings/${sid}/vms/${vm(101)}`);
      assert.equal(stale.Recovery.DatastoreIdentifier, DR.datastore);
      assert.equal(stale.Volumes[0].Datastore.DatastoreIdentifier, DR.datastore);

      // what the client PUTs for the VM is what is stored, nothing rebuilt or dropped
      const moved = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      moved.Vms[0].Volumes[0].Datastore.DatastoreIdentifier = DR.journalDatastore;
      moved.Vms[0].Nics[0].Failover.Hypervisor.NetworkIdentifier = DR.testNetwork;
      await client.ok("PUT", `/v1/vpgSettings/${sid}`, moved);
      const stored = await client.ok("GET", `/v1/vpgSettings/${sid}/vms/${vm(101)}`);
      assert.equal(stored.Volumes[0].Datastore.DatastoreIdentifier, DR.journalDatastore);
      assert.equal(stored.Nics[0].Failover.Hypervisor.NetworkIdentifier, DR.testNetwork);
      assert.equal(stored.Recovery.FolderIdentifier, DR.recoveredFolder);
    });

    it("refuses a NIC or volume the VM does not have with 400", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "UnknownNic"));
      const res = await client.call("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(101), Nics: [{ NicIdentifier: "Network adapter 9" }] });
      assert.equal(res.status, 400);
      assert.match(res.body.Message, /Network adapter 9/);
    });

    it("updates one NIC of a VM and resets it with DELETE", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Nics"));
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(113) });
      const nicPath = `/v1/vpgSettings/${sid}/vms/${vm(113)}/nics/${encodeURIComponent("Network adapter 2")}`;
      const nic = await client.ok("GET", nicPath);
      nic.Failover.Hypervisor.ShouldReplaceIpConfiguration = true;
      nic.Failover.Hypervisor.IpConfig = { IsDhcp: false, StaticIp: "10.20.1.5", SubnetMask: "255.255.255.0", Gateway: "10.20.1.1", PrimaryDns: null, SecondaryDns: null };
      await client.ok("PUT", nicPath, nic);
      assert.equal((await client.ok("GET", nicPath)).Failover.Hypervisor.IpConfig.StaticIp, "10.20.1.5");
      await client.ok("DELETE", nicPath);
      assert.equal((await client.ok("GET", nicPath)).Failover.Hypervisor.IpConfig, null);
    });

    it("rejects a VM outside the protected inventory or already in the draft with 400", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      const unknown = await client.call("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: `${VC_A}.vm-999` });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.Message, /vm-999/);
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(102) });
      assert.equal((await client.call("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(102) })).status, 400);
    });

    it("removes a VM from the draft", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(103) });
      assert.equal((await client.call("DELETE", `/v1/vpgSettings/${sid}/vms/${vm(103)}`)).status, 200);
      assert.deepEqual(await client.ok("GET", `/v1/vpgSettings/${sid}/vms`), []);
      assert.equal((await client.call("GET", `/v1/vpgSettings/${sid}/vms/${vm(103)}`)).status, 404);
    });

    it("answers 404 with a Message for an unknown draft and for a VPG to edit that does not exist", async () => {
      const unknown = await client.call("GET", `/v1/vpgSettings/${ZERO_GUID}`);
      assert.equal(unknown.status, 404);
      assert.ok(unknown.body.Message);
      assert.equal((await client.call("POST", "/v1/vpgSettings", { VpgIdentifier: ZERO_GUID })).status, 404);
    });

    it("deletes a draft, and lists only live drafts", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      const listed = await client.ok("GET", "/v1/vpgSettings");
      assert.ok(listed.some((s: any) => s.VpgSettingsIdentifier === sid));
      await client.ok("DELETE", `/v1/vpgSettings/${sid}`);
      assert.equal((await client.call("GET", `/v1/vpgSettings/${sid}`)).status, 404);
      const admin = await client.ok("GET", "/_admin/zvm/drafts");
      assert.equal(admin.count, sim().liveDrafts());
      assert.ok(!admin.ids.includes(sid));
    });

    it("expires a draft unused for draftIdleSeconds", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      assert.ok(sim().liveDrafts() > 0);
      await client.advanceClock(121);
      assert.equal(sim().liveDrafts(), 0);
      const reply = await client.call("GET", `/v1/vpgSettings/${sid}`);
      assert.equal(reply.status, 404);
      assert.ok(reply.body.Message);
    });
  });

  describe("commit, tasks and VPGs", () => {
    const sim = useSimulator();
    let client: Client;
    before(async () => {
      client = await sessionLogin(sim());
    });
    afterEach(async () => {
      await client.ok("POST", "/_admin/zvm/reset");
    });

    it("commits a new VPG: the task completes after taskPolls GETs, names the VPG, and the VPG is listed after the lag", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Web-Tier"));
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(101) });
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(102) });
      const taskId = await client.ok("POST", `/v1/vpgSettings/${sid}/commit`);
      assert.match(taskId, new RegExp(`^[0-9a-f-]{36}\\.${sim().localSiteId}$`));
      assert.equal((await client.call("GET", `/v1/vpgSettings/${sid}`)).status, 404, "commit consumes the draft");

      const first = await client.ok("GET", `/v1/tasks/${taskId}`);
      assert.equal(first.Status.State, 1);
      assert.equal(first.Completed, null);
      const done = await client.ok("GET", `/v1/tasks/${taskId}`);
      assert.equal(done.TaskIdentifier, taskId);
      assert.equal(done.Type, "CreateProtectionGroup");
      assert.equal(done.InitiatedBy, "admin");
      assert.deepEqual(done.Status, { State: 6, Progress: 100 });
      assert.match(done.Started, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(done.Completed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const [link] = done.RelatedEntities.Vpgs;
      assert.equal(link.type, "VpgApi");
      assert.equal(link.href, `${sim().url}/v1/vpgs/${link.identifier}`);

      assert.deepEqual(await client.ok("GET", "/v1/vpgs?name=web-tier"), [], "not listed before the lag");
      assert.equal((await client.call("GET", `/v1/vpgs/${link.identifier}`)).status, 404);
      await client.advanceClock(0.3);
      const [vpg] = await client.ok("GET", "/v1/vpgs?name=web-tier");
      assert.equal(vpg.VpgIdentifier, link.identifier);
      assert.equal(vpg.VpgName, "Web-Tier");
      assert.deepEqual([vpg.Status, vpg.SubStatus], [0, 2]);
      assert.equal(vpg.VmsCount, 2);
      assert.equal(vpg.Priority, 1);
      assert.equal(vpg.ConfiguredRpoSeconds, 300);
      assert.equal(vpg.RecoverySite.identifier, sim().peerSiteId);
      assert.equal(vpg.ProtectedSite.identifier, sim().localSiteId);
      assert.equal(vpg.Zorg.identifier, ZERO_GUID);
      await client.advanceClock(1);
      const synced = await client.ok("GET", `/v1/vpgs/${link.identifier}`);
      assert.deepEqual([synced.Status, synced.SubStatus], [1, 0]);
      assert.equal(synced.HistoryStatusApi.ConfiguredHistoryInMinutes, 1440);

      const protectedVms = await client.ok("GET", "/v1/vms?vpgName=WEB-TIER");
      assert.deepEqual(protectedVms.map((v: any) => v.VmIdentifier).sort(), [vm(101), vm(102)]);
      const unprotected = await client.ok("GET", `/v1/virtualizationsites/${sim().localSiteId}/vms`);
      assert.ok(!unprotected.some((v: any) => v.VmIdentifier === vm(101)));
    });

    it("shows an empty VPG as Initializing / EmptyProtectionGroup", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Empty"));
      const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      await client.advanceClock(0.3);
      const vpg = await client.ok("GET", `/v1/vpgs/${task.RelatedEntities.Vpgs[0].identifier}`);
      assert.deepEqual([vpg.Status, vpg.SubStatus, vpg.VmsCount], [0, 9, 0]);
    });

    it("reports a failed task when journal history is outside 1..720", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "BadHistory", { Basic: { Name: "BadHistory", RecoverySiteIdentifier: sim().peerSiteId, JournalHistoryInHours: 999 } }));
      const commit = await client.call("POST", `/v1/vpgSettings/${sid}/commit`);
      assert.equal(commit.status, 200, "business validation is asynchronous");
      const task = await client.waitForTask(commit.body);
      assert.equal(task.Status.State, 4);
      assert.match(task.CompleteReason, /Journal history must be between 1 and 720/);
      assert.deepEqual(task.RelatedEntities.Vpgs, []);
      assert.equal((await client.call("GET", `/v1/vpgSettings/${sid}`)).status, 404, "a failed commit still consumes the draft");
    });

    it("reports a failed task when mandatory settings are missing or ids are unknown", async () => {
      const sid = await client.ok("POST", "/v1/vpgSettings", {
        Recovery: { DefaultHostIdentifier: `${VC_B}.host-404`, DefaultDatastoreIdentifier: DR.datastore },
        Journal: { Limitation: { HardLimitInMB: 1000, WarningThresholdInMB: 1000 } },
      });
      const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      assert.equal(task.Status.State, 4);
      for (const expected of [/name is missing/, /Recovery site is missing/, /folder is missing/, /Failover network is missing/, /warning threshold/]) {
        assert.match(task.CompleteReason, expected);
      }
      const sid2 = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "UnknownHost", { Recovery: { DefaultHostIdentifier: `${VC_B}.host-404`, DefaultDatastoreIdentifier: DR.datastore, DefaultFolderIdentifier: DR.folder } }));
      const task2 = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid2}/commit`));
      assert.match(task2.CompleteReason, /host-404 was not found in site 'Site-B DR'/);
    });

    it("reports a failed task for a duplicate VPG name, compared case-insensitively", async () => {
      await createVpg(client, sim(), "Dup", []);
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "DUP"));
      const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      assert.equal(task.Status.State, 4);
      assert.match(task.CompleteReason, /already exists/);
    });

    it("reports a failed task for a VM already replicating to the same recovery site", async () => {
      await createVpg(client, sim(), "First", [107]);
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Second"));
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(107) });
      const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      assert.equal(task.Status.State, 4);
      assert.match(task.CompleteReason, /already replicating/);
    });

    it("edits a VPG through a draft cloned from its committed definition", async () => {
      const vpgId = await createVpg(client, sim(), "Editable", [108]);
      const sid = await client.ok("POST", "/v1/vpgSettings", { vpgIdentifier: vpgId });
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}`);
      assert.equal(s.VpgIdentifier, vpgId);
      assert.equal(s.Basic.Name, "Editable");
      assert.deepEqual(s.Vms.map((v: any) => v.VmIdentifier), [vm(108)]);
      s.Basic.RpoInSeconds = 900;
      s.Basic.Priority = "High";
      await client.ok("PUT", `/v1/vpgSettings/${sid}`, s);
      await client.ok("POST", `/v1/vpgSettings/${sid}/vms`, { VmIdentifier: vm(109) });
      const task = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      assert.equal(task.Type, "UpdateProtectionGroup");
      assert.equal(task.Status.State, 6);
      assert.equal(task.RelatedEntities.Vpgs[0].identifier, vpgId);
      const vpg = await client.ok("GET", `/v1/vpgs/${vpgId}`);
      assert.deepEqual([vpg.ConfiguredRpoSeconds, vpg.Priority, vpg.VmsCount], [900, 2, 2]);
    });

    it("filters tasks by type and status", async () => {
      await createVpg(client, sim(), "Tasks", []);
      const sid = await client.ok("POST", "/v1/vpgSettings", {});
      await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      const creates = await client.ok("GET", "/v1/tasks?type=createprotectiongroup");
      assert.equal(creates.length, 2);
      const failed = await client.ok("GET", "/v1/tasks?status=Failed");
      assert.equal(failed.length, 1);
      assert.equal((await client.ok("GET", "/v1/tasks?status=6")).length, 1);
      assert.equal((await client.ok("GET", "/v1/tasks?startedAfterDate=2999-01-01")).length, 0);
      assert.equal((await client.call("GET", `/v1/tasks/${ZERO_GUID}.${sim().localSiteId}`)).status, 404);
    });

    it("deletes a VPG: Status 7 Deleting, then gone when the task completes", async () => {
      const vpgId = await createVpg(client, sim(), "Doomed", [110]);
      const taskId = await client.ok("DELETE", `/v1/vpgs/${vpgId}`, { Force: false, KeepRecoveryVolumes: true });
      assert.match(taskId, /\./);
      const deleting = await client.ok("GET", `/v1/vpgs/${vpgId}`);
      assert.deepEqual([deleting.Status, deleting.SubStatus], [7, 21]);
      const task = await client.waitForTask(taskId);
      assert.equal(task.Type, "RemoveProtectionGroup");
      assert.equal(task.Status.State, 6);
      assert.equal((await client.call("GET", `/v1/vpgs/${vpgId}`)).status, 404);
      assert.deepEqual(await client.ok("GET", "/v1/vpgs?name=Doomed"), []);
    });

    it("filters VPGs by status and site, case-insensitively, and answers the enum lists", async () => {
      await createVpg(client, sim(), "Filtered", [111]);
      await client.advanceClock(1);
      assert.equal((await client.ok("GET", "/v1/vpgs?status=MeetingSLA")).length, 1);
      assert.equal((await client.ok("GET", "/v1/vpgs?status=0")).length, 0);
      assert.equal((await client.ok("GET", `/v1/vpgs?recoverySiteIdentifier=${sim().peerSiteId.toUpperCase()}`)).length, 1);
      assert.equal((await client.call("GET", "/v1/vpgs?status=Sleeping")).status, 400);
      assert.deepEqual(await client.ok("GET", "/v1/vpgs/priorities"), ["Low", "Medium", "High"]);
      assert.equal((await client.ok("GET", "/v1/vpgs/statuses"))[7], "Deleting");
      assert.ok((await client.ok("GET", "/v1/vpgs/substatuses")).includes("EmptyProtectionGroup"));
    });
  });

  describe("admin API", () => {
    const sim = useSimulator();
    let client: Client;
    before(async () => {
      client = await sessionLogin(sim());
    });
    afterEach(async () => {
      await client.ok("DELETE", "/_admin/zvm/task-faults");
      await client.ok("POST", "/_admin/zvm/reset");
    });

    it("PATCH /_admin/zvm/vpgs/{id} changes a VPG out of band, in the VpgApi and in the next edit draft", async () => {
      const vpgId = await createVpg(client, sim(), "Drifting", [112]);
      const patched = await client.ok("PATCH", `/_admin/zvm/vpgs/${vpgId}`, { RpoInSeconds: 120, priority: "Low", JournalHistoryInHours: 48 });
      assert.equal(patched.ConfiguredRpoSeconds, 120);
      const vpg = await client.ok("GET", `/v1/vpgs/${vpgId}`);
      assert.deepEqual([vpg.ConfiguredRpoSeconds, vpg.Priority, vpg.HistoryStatusApi.ConfiguredHistoryInMinutes], [120, 0, 2880]);
      const sid = await client.ok("POST", "/v1/vpgSettings", { VpgIdentifier: vpgId });
      const s = await client.ok("GET", `/v1/vpgSettings/${sid}/basic`);
      assert.deepEqual([s.RpoInSeconds, s.Priority, s.JournalHistoryInHours], [120, "Low", 48]);
    });

    it("removes a VM and deletes a VPG out of band", async () => {
      const vpgId = await createVpg(client, sim(), "OutOfBand", [113, 114]);
      assert.equal((await client.call("DELETE", `/_admin/zvm/vpgs/${vpgId}/vms/${vm(113)}`)).status, 204);
      assert.equal((await client.ok("GET", `/v1/vpgs/${vpgId}`)).VmsCount, 1);
      assert.equal((await client.call("DELETE", `/_admin/zvm/vpgs/${vpgId}`)).status, 204);
      assert.equal((await client.call("GET", `/v1/vpgs/${vpgId}`)).status, 404);
    });

    it("GET /_admin/zvm/vpgs returns the full committed definitions", async () => {
      const vpgId = await createVpg(client, sim(), "Inspect", [101]);
      const [entry] = await client.ok("GET", "/_admin/zvm/vpgs");
      assert.equal(entry.VpgIdentifier, vpgId);
      assert.equal(entry.Listed, true);
      assert.equal(entry.Definition.Basic.Name, "Inspect");
      assert.equal(entry.Definition.Vms[0].Volumes[0].VolumeIdentifier, "scsi:0:0");
    });

    it("task-faults fail the next commits with the given reason, then stop", async () => {
      await client.ok("POST", "/_admin/zvm/task-faults", { mode: "fail", reason: "VRA is unreachable", times: 1 });
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Unlucky"));
      const failed = await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      assert.equal(failed.Status.State, 4);
      assert.equal(failed.CompleteReason, "VRA is unreachable");
      const sid2 = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Unlucky"));
      assert.equal((await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid2}/commit`))).Status.State, 6);
    });

    it("task-faults stuck keep a task InProgress however often it is polled", async () => {
      await client.ok("POST", "/_admin/zvm/task-faults", { mode: "stuck" });
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Stuck"));
      const taskId = await client.ok("POST", `/v1/vpgSettings/${sid}/commit`);
      for (let i = 0; i < 5; i++) assert.equal((await client.ok("GET", `/v1/tasks/${taskId}`)).Status.State, 1);
      await client.advanceClock(600);
      assert.equal((await client.ok("GET", `/v1/tasks/${taskId}`)).Status.State, 1, "not even the time-based completion ends it");
    });

    it("task-faults slow end a task only after its duration, however often it is polled", async () => {
      await client.ok("POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 60_000 });
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Slow"));
      const taskId = await client.ok("POST", `/v1/vpgSettings/${sid}/commit`);
      for (let i = 0; i < 5; i++) assert.equal((await client.ok("GET", `/v1/tasks/${taskId}`)).Status.State, 1);
      await client.advanceClock(61);
      assert.equal((await client.ok("GET", `/v1/tasks/${taskId}`)).Status.State, 6);
    });

    it("lets two drafts of one name be committed: the first task creates the VPG, the second fails naming the clash", async () => {
      const first = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Twin"));
      const second = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Twin"));
      const [t1, t2] = [await client.ok("POST", `/v1/vpgSettings/${first}/commit`), await client.ok("POST", `/v1/vpgSettings/${second}/commit`)];
      assert.equal((await client.waitForTask(t1)).Status.State, 6);
      const lost = await client.waitForTask(t2);
      assert.equal(lost.Status.State, 4);
      assert.match(lost.CompleteReason, /A VPG named 'Twin' already exists/);
    });

    it("answers a repeated DELETE of a VPG being deleted with the configured status", async () => {
      const vpgId = await createVpg(client, sim(), "Leaving", [110]);
      await client.ok("POST", "/_admin/zvm/already-deleting-status", { status: 500 });
      await client.ok("DELETE", `/v1/vpgs/${vpgId}`, { Force: false, KeepRecoveryVolumes: false });
      const again = await client.call("DELETE", `/v1/vpgs/${vpgId}`, { Force: false, KeepRecoveryVolumes: false });
      assert.equal(again.status, 500);
      assert.match(again.body.Message, /already being deleted/);
      assert.equal((await client.ok("GET", `/v1/vpgs/${vpgId}`)).Status, 7);
    });

    it("rejects unbounded or unknown fault knobs with 400", async () => {
      assert.equal((await client.call("POST", "/_admin/zvm/task-faults", { mode: "explode" })).status, 400);
      assert.equal((await client.call("POST", "/_admin/zvm/task-faults", { mode: "fail", times: 1e6 })).status, 400);
      assert.equal((await client.call("POST", "/_admin/zvm/listing-lag", { ms: -1 })).status, 400);
      assert.equal((await client.call("POST", "/_admin/zvm/task-faults", { mode: "slow" })).status, 400);
      assert.equal((await client.call("POST", "/_admin/zvm/already-deleting-status", { status: 200 })).status, 400);
    });

    it("listing-lag delays a new VPG in /v1/vpgs", async () => {
      await client.ok("POST", "/_admin/zvm/listing-lag", { ms: 5000 });
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Slow"));
      await client.waitForTask(await client.ok("POST", `/v1/vpgSettings/${sid}/commit`));
      await client.advanceClock(4);
      assert.deepEqual(await client.ok("GET", "/v1/vpgs?name=Slow"), []);
      await client.advanceClock(2);
      assert.equal((await client.ok("GET", "/v1/vpgs?name=Slow")).length, 1);
    });

    it("completes a task nobody polls on its own, so a dropped commit response does not strand the VPG", async () => {
      await client.ok("POST", "/_admin/faults", { kind: "drop", method: "POST", path: "/commit$", times: 1 });
      const sid = await client.ok("POST", "/v1/vpgSettings", vpgBody(sim(), "Dropped"));
      await assert.rejects(client.call("POST", `/v1/vpgSettings/${sid}/commit`));
      await client.advanceClock(11);
      assert.equal((await client.ok("GET", "/v1/vpgs?name=Dropped")).length, 1);
    });

    it("reset returns to the seed state", async () => {
      await createVpg(client, sim(), "Temporary", []);
      await client.ok("POST", "/v1/vpgSettings", {});
      assert.equal((await client.call("POST", "/_admin/zvm/reset")).status, 204);
      assert.deepEqual(await client.ok("GET", "/v1/vpgs"), []);
      assert.deepEqual(await client.ok("GET", "/v1/tasks"), []);
      assert.deepEqual(await client.ok("GET", "/_admin/zvm/drafts"), { count: 0, ids: [] });
    });
  });

  describe("look-ups", () => {
    const sim = useSimulator();
    let client: Client;
    before(async () => {
      client = await sessionLogin(sim());
    });

    it("describes the local site, its paired peer and every virtualization site (the bundled inventory's Cloud Director site too)", async () => {
      const local = await client.ok("GET", "/v1/localsite");
      assert.equal(local.SiteIdentifier, sim().localSiteId);
      assert.equal(local.SiteName, "Site-A Prod");
      assert.equal(local.Link.identifier, sim().localSiteId);
      const [peer] = await client.ok("GET", "/v1/peersites");
      assert.deepEqual([peer.SiteIdentifier, peer.PeerSiteName, peer.PairingStatus], [sim().peerSiteId, "Site-B DR", 0]);
      const sites = await client.ok("GET", "/v1/virtualizationsites");
      assert.deepEqual(sites.map((s: any) => s.SiteIdentifier), [sim().localSiteId, sim().peerSiteId, VCD_SITE]);
      assert.ok((await client.ok("GET", `/v1/virtualizationsites/${sim().localSiteId}/vms`)).length >= 12);
    });

    it("lists the recovery site's vCenter objects with the real key names", async () => {
      const base = `/v1/virtualizationsites/${sim().peerSiteId}`;
      const clusters = await client.ok("GET", `${base}/hostclusters`);
      assert.equal(clusters[0].ClusterIdentifier, DR.hostCluster);
      assert.ok(clusters[0].AssociatedHosts.length > 0);
      assert.ok((await client.ok("GET", `${base}/hosts`)).some((h: any) => h.HostIdentifier === DR.host));
      assert.equal((await client.ok("GET", `${base}/resourcepools`))[0].ResourcepoolName, "Resources");
      assert.equal((await client.ok("GET", `${base}/folders`)).find((f: any) => f.FolderIdentifier === DR.folder).FolderName, "/");
      const datastores = await client.ok("GET", `${base}/datastores`);
      const clustered = datastores.find((d: any) => d.OwningDatastoreCluster);
      assert.equal(clustered.OwningDatastoreCluster.DatastoreClusterIdentifier, DR.datastoreCluster);
      assert.equal((await client.ok("GET", `${base}/datastoreclusters`))[0].DatastoreClusterIdentifier, DR.datastoreCluster);
      assert.ok((await client.ok("GET", `${base}/networks`)).some((n: any) => n.NetworkIdentifier === DR.network));
      assert.equal((await client.call("GET", `/v1/virtualizationsites/${ZERO_GUID}/hosts`)).status, 404);
    });

    it("lists service profiles and ZORGs", async () => {
      const profiles = await client.ok("GET", `/v1/serviceprofiles?siteIdentifier=${sim().peerSiteId}`);
      assert.equal(profiles.length, 2);
      const one = await client.ok("GET", `/v1/serviceprofiles/${profiles[0].ServiceProfileIdentifier}`);
      assert.equal(one.ServiceProfileName, profiles[0].ServiceProfileName);
      const [zorg] = await client.ok("GET", "/v1/zorgs");
      assert.ok(zorg.ZorgIdentifier && zorg.ZorgName);
    });
  });

  describe("stateFile persistence", () => {
    it("restores VPGs, tasks and drafts after a restart", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zvm-sim-"));
      const stateFile = path.join(dir, "state.json");
      try {
        let sim = await startZvmSimulator({ taskPolls: 0, listingLagMs: 0, initializingMs: 0, stateFile });
        let client = await sessionLogin(sim);
        const vpgId = await createVpg(client, sim, "Persistent", [101]);
        const sid = await client.ok("POST", "/v1/vpgSettings", {});
        await sim.close();

        sim = await startZvmSimulator({ stateFile });
        try {
          client = await sessionLogin(sim);
          assert.equal((await client.ok("GET", `/v1/vpgs/${vpgId}`)).VpgName, "Persistent");
          assert.equal((await client.ok("GET", "/v1/tasks")).length, 1);
          assert.equal((await client.call("GET", `/v1/vpgSettings/${sid}`)).status, 200);
        } finally {
          await sim.close();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
