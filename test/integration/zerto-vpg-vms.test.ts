import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configure, zertoConnection } from "../../provider/connection";
import type { VpgInputs, VpgOutputs } from "../../provider/inputs.generated";
import type { ResourceHandler } from "../../provider/types";
import { createZertoClient, ZertoClient } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { FAST_ZERTO as FAST } from "../fixtures/zertoClient";

/**
 * Per-VM values against a ZVM simulator that stores each VM's Nics, Volumes, Journal, Scratch and
 * Recovery explicitly (docs/api-notes/zerto.md#vpg-settings-per-vm-values): the provider itself must carry a
 * changed VPG default into every VM that does not override it, and notice a VM left behind.
 */

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
const vmId = (n: number) => `${PROTECTED_VC}.vm-${n}`;
const GOLD_PROFILE = "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01";
const NIC1 = "Network adapter 1";
const NIC2 = "Network adapter 2";


type Vpg = ResourceHandler<VpgInputs, VpgOutputs>;

const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
after(() => fs.rmSync(intents.dir, { recursive: true, force: true }));

/** vm-101 follows every default; vm-113 overrides its second NIC's failover network and its second volume's datastore. */
function definition(sim: ZvmSimulator, overrides: Partial<VpgInputs> = {}): VpgInputs {
  return {
    name: "per-vm",
    recoverySiteId: sim.peerSiteId,
    recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
    networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
    vms: [
      { vmId: vmId(101) },
      {
        vmId: vmId(113),
        nics: [{ nicId: NIC2, failover: { networkId: rid("network-1022") } }],
        volumes: [{ volumeId: "scsi:0:1", datastoreId: rid("datastore-1034") }],
      },
    ],
    ...overrides,
  };
}

describe("zerto VPG per-VM NICs, volumes and journals through the ZVM simulator", function () {
  this.timeout(60_000);
  let sim: ZvmSimulator;
  let handler: Vpg;
  let client: ZertoClient;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session", taskPolls: 2, listingLagMs: 0, initializingMs: 200, taskCompleteMs: 1000 });
    // per-VM values are read through an edit draft: the deep read (the default refresh shows VM membership only)
    const settings: Record<string, string> = { "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password", "zerto:refreshMode": "full" };
    configure({ get: (key) => settings[key] });
    client = createZertoClient(zertoConnection(undefined), FAST);
    handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST), intents);
  });

  afterEach(async () => {
    assert.equal(sim.liveDrafts(), 0, "no vpgSettings draft may outlive an operation");
    await admin("DELETE", "/_admin/zvm/task-faults");
    for (const vpg of await admin("GET", "/_admin/zvm/vpgs")) await admin("DELETE", `/_admin/zvm/vpgs/${vpg.VpgIdentifier}`);
  });

  after(async () => {
    configure({ get: () => undefined });
    await sim.close();
  });

  async function admin(method: string, urlPath: string, body?: unknown): Promise<any> {
    const response = await fetch(`${sim.url}${urlPath}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${urlPath} answered ${response.status}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  async function checked(news: VpgInputs): Promise<VpgInputs> {
    const { inputs, failures } = await handler.check({}, news);
    assert.deepEqual(failures, []);
    return inputs!;
  }

  /** The committed definition the simulator stores. */
  async function stored(vpgId: string): Promise<any> {
    return (await admin("GET", "/_admin/zvm/vpgs")).find((v: any) => v.VpgIdentifier === vpgId).Definition;
  }

  const vmOf = (definition: any, n: number) => definition.Vms.find((vm: any) => vm.VmIdentifier === vmId(n));
  const nicOf = (vm: any, nicId: string) => vm.Nics.find((nic: any) => nic.NicIdentifier === nicId);
  const volumeOf = (vm: any, volumeId: string) => vm.Volumes.find((v: any) => v.VolumeIdentifier === volumeId).Datastore.DatastoreIdentifier;

  /** An out-of-band edit through the ZVM's own API (as the ZVM UI would make it). */
  async function editOutOfBand(vpgId: string, edit: (settings: any) => void): Promise<void> {
    const settingsId = await client.createVpgSettings({ vpgId });
    const settings = await client.getVpgSettings(settingsId);
    edit(settings);
    await client.putVpgSettings(settingsId, settings);
    await client.waitForTask(await client.commitVpgSettings(settingsId, { kind: "update", vpgId, name: settings.Basic!.Name! }), "out-of-band edit");
  }

  async function assertNoDrift(id: string, outs: VpgOutputs, inputs: VpgInputs): Promise<VpgOutputs> {
    const read = await handler.read(id, outs);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: false });
    return read.props!;
  }

  it("moves every NIC and volume that follows a changed failover network and recovery datastore, and keeps every override", async () => {
    const inputs = await checked(definition(sim));
    const { id, outs } = await handler.create(inputs);
    let def = await stored(id);
    assert.equal(nicOf(vmOf(def, 113), NIC2).Failover.Hypervisor.NetworkIdentifier, rid("network-1022"));
    assert.equal(volumeOf(vmOf(def, 113), "scsi:0:1"), rid("datastore-1034"));
    await assertNoDrift(id, outs, inputs);

    const changed = await checked(definition(sim, {
      recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1032"), folderId: rid("group-v1003") },
      networks: { failoverNetworkId: rid("network-1023"), failoverTestNetworkId: rid("network-1022") },
    }));
    const diff = await handler.diff(id, outs, changed);
    assert.equal(diff.changes, true);
    const updated = await handler.update(id, outs, changed);
    def = await stored(id);
    for (const n of [101, 113]) {
      const vm = vmOf(def, n);
      assert.equal(nicOf(vm, NIC1).Failover.Hypervisor.NetworkIdentifier, rid("network-1023"), `vm-${n} ${NIC1} follows the new failover network`);
      assert.equal(volumeOf(vm, "scsi:0:0"), rid("datastore-1032"), `vm-${n} scsi:0:0 follows the new recovery datastore`);
      assert.equal(vm.Recovery.DatastoreIdentifier, rid("datastore-1032"));
      assert.equal(vm.Journal.DatastoreIdentifier, rid("datastore-1032"), `vm-${n} journal follows its recovery datastore`);
      assert.equal(vm.Scratch.DatastoreIdentifier, rid("datastore-1032"));
    }
    assert.equal(nicOf(vmOf(def, 113), NIC2).Failover.Hypervisor.NetworkIdentifier, rid("network-1022"), "the overridden NIC keeps its network");
    assert.equal(volumeOf(vmOf(def, 113), "scsi:0:1"), rid("datastore-1034"), "the overridden volume keeps its datastore");
    await assertNoDrift(id, updated.outs, changed);
  });

  it("reports a VM left on an old network or datastore as drift, and an update puts it back", async () => {
    const inputs = await checked(definition(sim));
    const { id, outs } = await handler.create(inputs);
    await editOutOfBand(id, (settings) => {
      const vm = settings.Vms.find((v: any) => v.VmIdentifier === vmId(101));
      vm.Nics[0].Failover.Hypervisor.NetworkIdentifier = rid("network-1023");
      vm.Volumes[0].Datastore.DatastoreIdentifier = rid("datastore-1033");
    });
    const read = await handler.read(id, outs);
    const drifted = read.props!.vms.find((vm) => vm.vmId === vmId(101))!;
    assert.deepEqual(drifted.nics, [{ nicId: NIC1, failover: { networkId: rid("network-1023") } }]);
    assert.deepEqual(drifted.volumes, [{ volumeId: "scsi:0:0", datastoreId: rid("datastore-1033") }]);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });

    const updated = await handler.update(id, read.props!, inputs);
    const vm = vmOf(await stored(id), 101);
    assert.equal(vm.Nics[0].Failover.Hypervisor.NetworkIdentifier, rid("network-1021"));
    assert.equal(vm.Volumes[0].Datastore.DatastoreIdentifier, rid("datastore-1031"));
    await assertNoDrift(id, updated.outs, inputs);
  });

  it("round-trips a static re-IP, a DHCP re-IP, MAC replacement and thin volumes with no drift", async () => {
    const inputs = await checked(definition(sim, {
      vms: [{
        vmId: vmId(113),
        nics: [
          {
            nicId: NIC1,
            failover: {
              replaceMacAddress: true,
              ipConfig: { mode: "static", ip: "10.20.1.5", subnetMask: "255.255.255.0", gateway: "10.20.1.1", primaryDns: "10.20.0.53", dnsSuffix: "dr.example.com" },
            },
            failoverTest: { networkId: rid("network-1023"), ipConfig: { mode: "dhcp" } },
          },
          { nicId: NIC2, failover: { ipConfig: { mode: "keep" } } },
        ],
        volumes: [{ volumeId: "scsi:0:0", thin: false }, { volumeId: "scsi:0:1", preseed: { datastoreId: rid("datastore-1033"), path: "preseed/vm-113-1.vmdk" } }],
        journal: { hardLimitMb: 20480, warningThresholdMb: 10240 },
      }],
    }));
    const { id, outs } = await handler.create(inputs);
    const vm = vmOf(await stored(id), 113);
    const failover = nicOf(vm, NIC1).Failover.Hypervisor;
    assert.equal(failover.ShouldReplaceIpConfiguration, true);
    assert.equal(failover.ShouldReplaceMacAddress, true);
    assert.deepEqual(failover.IpConfig, { IsDhcp: false, StaticIp: "10.20.1.5", SubnetMask: "255.255.255.0", Gateway: "10.20.1.1", PrimaryDns: "10.20.0.53", SecondaryDns: null });
    assert.equal(failover.DnsSuffix, "dr.example.com");
    assert.equal(nicOf(vm, NIC1).FailoverTest.Hypervisor.IpConfig.IsDhcp, true);
    assert.equal(vm.Volumes[0].Datastore.IsThin, false);
    assert.deepEqual(vm.Volumes[1].Preseed, { DatastoreIdentifier: rid("datastore-1033"), Path: "preseed/vm-113-1.vmdk" });
    assert.equal(vm.Journal.Limitation.HardLimitInMB, 20480);
    const props = await assertNoDrift(id, outs, inputs);
    assert.deepEqual(props.vms[0].nics!.find((n) => n.nicId === NIC1)!.failover!.ipConfig,
      { mode: "static", ip: "10.20.1.5", subnetMask: "255.255.255.0", gateway: "10.20.1.1", primaryDns: "10.20.0.53", dnsSuffix: "dr.example.com" });

    // the VPG's journal limits change; the VM's declared ones stay
    const changed = await checked({ ...inputs, journal: { hardLimitMb: 307200, warningThresholdMb: 230400 } });
    const updated = await handler.update(id, props, changed);
    assert.equal(vmOf(await stored(id), 113).Journal.Limitation.HardLimitInMB, 20480);
    await assertNoDrift(id, updated.outs, changed);
  });

  it("leaves an undeclared journal datastore to the ZVM: no drift on read, never cleared by an update", async () => {
    const inputs = await checked(definition(sim));
    const { id, outs } = await handler.create(inputs);
    // the ZVM UI (or the sample's defaults) put the journal on a datastore the program never named
    await editOutOfBand(id, (settings) => {
      settings.Journal.DatastoreIdentifier = rid("datastore-1034");
      for (const vm of settings.Vms) vm.Journal.DatastoreIdentifier = rid("datastore-1034");
    });
    const props = await assertNoDrift(id, outs, inputs);
    assert.equal(props.journal?.datastoreId, undefined);

    const seq = sim.journal.lastSeq();
    const changed = await checked({ ...inputs, rpoSeconds: 600 });
    const updated = await handler.update(id, props, changed);
    const puts = sim.journal.list(seq).filter((e) => e.method === "PUT" && /\/v1\/vpgSettings\/[^/]+$/.test(e.path));
    assert.ok(puts.length > 0);
    for (const put of puts) assert.equal((put.body as any).Journal.DatastoreIdentifier, rid("datastore-1034"), "an update must not send null");
    assert.equal((await stored(id)).Journal.DatastoreIdentifier, rid("datastore-1034"));
    await assertNoDrift(id, updated.outs, changed);
  });

  it("sends no RPO, journal history or test interval it did not declare when a service profile is set", async () => {
    const seq = sim.journal.lastSeq();
    const inputs = await checked(definition(sim, { serviceProfileId: GOLD_PROFILE }));
    assert.equal(inputs.rpoSeconds, undefined);
    const { id, outs } = await handler.create(inputs);
    const puts = sim.journal.list(seq).filter((e) => e.method === "PUT" && /\/v1\/vpgSettings\/[^/]+$/.test(e.path));
    assert.ok(puts.length > 0);
    for (const put of puts) {
      const basic = (put.body as any).Basic;
      assert.equal(basic.ServiceProfileIdentifier, GOLD_PROFILE);
      for (const key of ["RpoInSeconds", "JournalHistoryInHours", "TestIntervalInMinutes"]) assert.ok(!(key in basic), `${key} was sent`);
    }
    await assertNoDrift(id, outs, inputs);

    // without a profile the documented defaults apply
    const plain = await checked(definition(sim));
    assert.equal(plain.rpoSeconds, 300);
    assert.equal(plain.journalHistoryHours, 24);
    assert.equal(plain.testIntervalMinutes, 262080);
  });

  it("creates and reads back a VPG with no VMs", async () => {
    const inputs = await checked(definition(sim, { vms: [] }));
    const { id, outs } = await handler.create(inputs);
    assert.deepEqual((await stored(id)).Vms, []);
    await assertNoDrift(id, outs, inputs);
  });

  it("refuses a NIC the VM does not have, naming it", async () => {
    const inputs = await checked(definition(sim, { vms: [{ vmId: vmId(101), nics: [{ nicId: NIC2, failover: { networkId: rid("network-1023") } }] }] }));
    await assert.rejects(handler.create(inputs), /Network adapter 2/);
  });

  it("fails an update whose task is being cancelled at once, not at the task timeout", async () => {
    const inputs = await checked(definition(sim));
    const { id, outs } = await handler.create(inputs);
    await admin("POST", "/_admin/zvm/task-faults", { mode: "cancelling", times: 1 });
    const started = Date.now();
    await assert.rejects(handler.update(id, outs, await checked({ ...inputs, rpoSeconds: 600 })), /cancel/i);
    assert.ok(Date.now() - started < FAST.taskTimeoutMs! / 2, `took ${Date.now() - started} ms`);
  });
});
