import * as assert from "node:assert/strict";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";
import { Project, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { clearJournal, eventually, simRequest, skipRestAfterFailure, tearDown } from "./support";

/**
 * Per-VM NICs, volumes and journals through the Pulumi CLI, against a ZVM simulator that stores
 * each VM's values explicitly (as the real 10.x ZVM does): the VPG's defaults must reach every VM
 * that does not override them, and a VM's override must survive a change of the default.
 */

const PASSWORD = "zerto-sim-password";
const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const vm = (n: number) => `${PROTECTED_VC}.vm-${n}`;
const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
const GOLD_PROFILE = "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01";

const STATIC_IP = { mode: "static", ip: "10.20.1.5", subnetMask: "255.255.255.0", gateway: "10.20.1.1", primaryDns: "10.20.0.53", dnsSuffix: "dr.example.com" };

/** vm-101 follows the defaults; vm-113 overrides NIC 2's failover network (with a static re-IP) and volume scsi:0:1's datastore. */
function vpgArgs(zvm: ZvmSimulator, defaults: { datastore: string; network: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "per-vm-e2e",
    recoverySiteId: zvm.peerSiteId,
    recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid(defaults.datastore), folderId: rid("group-v1003") },
    networks: { failoverNetworkId: rid(defaults.network), failoverTestNetworkId: rid("network-1022") },
    vms: [
      { vmId: vm(101) },
      {
        vmId: vm(113),
        nics: [{ nicId: "Network adapter 2", failover: { networkId: rid("network-1022"), replaceMacAddress: true, ipConfig: STATIC_IP } }],
        volumes: [{ volumeId: "scsi:0:1", datastoreId: rid("datastore-1034") }],
      },
    ],
    ...extra,
  };
}

describe("e2e: Zerto VPG per-VM NICs, volumes and journals through the Pulumi CLI", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let stack: TestStack;

  const storedVpgs = async (): Promise<any[]> => (await simRequest(zvm.url, "GET", "/_admin/zvm/vpgs")).body;
  const storedVpg = async (name: string): Promise<any> => {
    const vpg = (await storedVpgs()).find((v) => v.VpgName === name);
    assert.ok(vpg, `no VPG '${name}' on the ZVM`);
    return vpg.Definition;
  };
  const vmOf = (def: any, n: number) => def.Vms.find((v: any) => v.VmIdentifier === vm(n));
  const nicOf = (v: any, nicId: string) => v.Nics.find((n: any) => n.NicIdentifier === nicId).Failover.Hypervisor;
  const volumeOf = (v: any, volumeId: string) => v.Volumes.find((x: any) => x.VolumeIdentifier === volumeId).Datastore.DatastoreIdentifier;
  const declare = (specs: Array<{ name: string; args: Record<string, unknown> }>) =>
    stack.writeResources(specs.map((s) => ({ type: "zerto:Vpg" as const, ...s })));

  /** The ZVM's own API with a session of its own (as the ZVM UI or a script would edit a VPG). */
  async function zvmApi(method: string, urlPath: string, body?: unknown): Promise<any> {
    const login = await fetch(`${zvm.url}/v1/session/add`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ AuthenticationMethod: "1" }),
    });
    const response = await simRequest(zvm.url, method, urlPath, body, { "x-zerto-session": login.headers.get("x-zerto-session") ?? "" });
    assert.ok(response.status < 300, `${method} ${urlPath} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Puts the VPG's journal (and every VM's) on a datastore the program never names, out of band. */
  async function setJournalOutOfBand(vpgName: string, datastoreId: string): Promise<void> {
    const vpgId = (await storedVpgs()).find((v) => v.VpgName === vpgName).VpgIdentifier;
    const settingsId = await zvmApi("POST", "/v1/vpgSettings", { VpgIdentifier: vpgId });
    const settings = await zvmApi("GET", `/v1/vpgSettings/${settingsId}`);
    settings.Journal.DatastoreIdentifier = datastoreId;
    for (const v of settings.Vms) v.Journal.DatastoreIdentifier = datastoreId;
    await zvmApi("PUT", `/v1/vpgSettings/${settingsId}`, settings);
    const taskId = await zvmApi("POST", `/v1/vpgSettings/${settingsId}/commit`);
    await eventually(async () => ((await zvmApi("GET", `/v1/tasks/${taskId}`)).Status.State === 6 ? true : undefined), "the commit's task to complete", 5_000, 100);
    assert.equal((await storedVpg(vpgName)).Journal.DatastoreIdentifier, datastoreId);
  }

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 50, initializingMs: 50 });
    const project = await Project.program();
    // per-VM values (NICs, volumes, journals) are read through an edit draft: refresh in full, the deep drift check
    stack = await project.stack("vms", { "zerto:url": zvm.url, "zerto:authMode": "session", "zerto:username": "admin", "zerto:refreshMode": "full" },
      { "zerto:password": PASSWORD });
  });

  after(() => tearDown([stack], [zvm]));

  it("creates a VPG whose VMs carry the declared NIC, re-IP and volume overrides, with no drift after up", async () => {
    await declare([{ name: "per-vm-e2e", args: vpgArgs(zvm, { datastore: "datastore-1031", network: "network-1021" }) }]);
    await stack.up();
    const def = await storedVpg("per-vm-e2e");
    const nic2 = nicOf(vmOf(def, 113), "Network adapter 2");
    assert.equal(nic2.NetworkIdentifier, rid("network-1022"));
    assert.equal(nic2.ShouldReplaceIpConfiguration, true);
    assert.equal(nic2.ShouldReplaceMacAddress, true);
    assert.equal(nic2.IpConfig.StaticIp, "10.20.1.5");
    assert.equal(nic2.DnsSuffix, "dr.example.com");
    assert.equal(volumeOf(vmOf(def, 113), "scsi:0:1"), rid("datastore-1034"));
    await stack.assertNoChanges();
  });

  it("moves every non-overridden NIC and volume with a new failover network and recovery datastore, and keeps every override", async () => {
    await declare([{ name: "per-vm-e2e", args: vpgArgs(zvm, { datastore: "datastore-1032", network: "network-1023" }) }]);
    const preview = await stack.preview({ diff: true });
    assert.doesNotMatch(preview.output, /\breplace\b/);
    await stack.up();
    const def = await storedVpg("per-vm-e2e");
    for (const n of [101, 113]) {
      assert.equal(nicOf(vmOf(def, n), "Network adapter 1").NetworkIdentifier, rid("network-1023"), `vm-${n} NIC 1 moved`);
      assert.equal(volumeOf(vmOf(def, n), "scsi:0:0"), rid("datastore-1032"), `vm-${n} scsi:0:0 moved`);
    }
    const nic2 = nicOf(vmOf(def, 113), "Network adapter 2");
    assert.equal(nic2.NetworkIdentifier, rid("network-1022"), "the overridden NIC kept its network");
    assert.equal(nic2.IpConfig.StaticIp, "10.20.1.5", "and its static re-IP");
    assert.equal(volumeOf(vmOf(def, 113), "scsi:0:1"), rid("datastore-1034"), "the overridden volume kept its datastore");
    await stack.assertNoChanges();
  });

  it("has a clean refresh with no journal datastore declared, and a service profile VPG sends no RPO, history or test interval", async () => {
    // the program declares no journal datastore; the ZVM has one (as in the 10.x sample)
    await setJournalOutOfBand("per-vm-e2e", rid("datastore-1034"));
    await stack.assertNoChanges();
    await clearJournal(zvm.url);
    await declare([
      { name: "per-vm-e2e", args: vpgArgs(zvm, { datastore: "datastore-1032", network: "network-1023" }) },
      {
        name: "gold-e2e",
        args: {
          name: "gold-e2e",
          recoverySiteId: zvm.peerSiteId,
          serviceProfileId: GOLD_PROFILE,
          recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
          networks: { failoverNetworkId: rid("network-1021") },
          vms: [{ vmId: vm(102) }],
        },
      },
    ]);
    await stack.up();
    const journal: any[] = (await simRequest(zvm.url, "GET", "/_admin/journal")).body;
    const puts = journal.filter((e) => e.method === "PUT" && /\/v1\/vpgSettings\/[^/]+$/.test(e.path) && e.body?.Basic?.Name === "gold-e2e");
    assert.ok(puts.length > 0, "the gold VPG's definition was PUT");
    for (const put of puts) {
      assert.equal(put.body.Basic.ServiceProfileIdentifier, GOLD_PROFILE);
      for (const key of ["RpoInSeconds", "JournalHistoryInHours", "TestIntervalInMinutes"]) assert.ok(!(key in put.body.Basic), `${key} was sent`);
    }
    await stack.assertNoChanges();
    await stack.refresh();
    await stack.assertNoChanges();
    assert.equal((await storedVpg("per-vm-e2e")).Journal.DatastoreIdentifier, rid("datastore-1034"), "no update cleared the journal datastore");
  });

  it("destroys both VPGs", async () => {
    await stack.destroy();
    assert.deepEqual(await storedVpgs(), []);
  });
});
