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
import { inputsOf } from "../../provider/zerto/vpgDefinition";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { FAST_ZERTO as FAST } from "../fixtures/zertoClient";
import { withPreflightOff } from "../fixtures/preflight";
import {
  ACME_DMZ_NET, ACME_GOLD, ACME_PROD_NET, ACME_RETIRED, ACME_TEST_NET, ACME_VDC, GLOBEX_PROD_NET, GLOBEX_STANDARD, GLOBEX_VDC, PROTECTED_NET, vcdVpg, VCD_SITE,
} from "../fixtures/vcd";

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const vmId = (n: number) => `${PROTECTED_VC}.vm-${n}`;

type Vpg = ResourceHandler<VpgInputs, VpgOutputs>;

const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
after(() => fs.rmSync(intents.dir, { recursive: true, force: true }));

async function admin(sim: ZvmSimulator, method: string, urlPath: string): Promise<any> {
  const response = await fetch(`${sim.url}${urlPath}`, { method });
  assert.ok(response.ok, `${method} ${urlPath} answered ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

/** The definition the simulator stored for the VPG named `name`, as it renders it. */
async function storedDefinition(sim: ZvmSimulator, name: string): Promise<any> {
  const found = (await admin(sim, "GET", "/_admin/zvm/vpgs")).find((v: any) => v.VpgName === name);
  assert.ok(found, `VPG '${name}' is stored`);
  return found.Definition;
}

describe("zerto VPG recovering into Cloud Director, through the ZVM simulator", function () {
  this.timeout(60_000);
  let sim: ZvmSimulator;
  let handler: Vpg;
  let client: ZertoClient;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session", taskPolls: 2, listingLagMs: 0, initializingMs: 200, taskCompleteMs: 500 });
    configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password" } as Record<string, string>)[key] });
    client = createZertoClient(zertoConnection(), FAST);
    handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST), intents);
  });

  afterEach(async () => {
    assert.equal(sim.liveDrafts(), 0, "no vpgSettings draft may outlive an operation");
    for (const vpg of await admin(sim, "GET", "/_admin/zvm/vpgs")) await admin(sim, "DELETE", `/_admin/zvm/vpgs/${vpg.VpgIdentifier}`);
  });

  after(async () => {
    configure({ get: () => undefined });
    await sim.close();
  });

  async function checked(news: unknown): Promise<VpgInputs> {
    const { inputs, failures } = await handler.check({}, news as VpgInputs);
    assert.deepEqual(failures, []);
    return inputs!;
  }

  it("lists the Cloud Director site's org vDCs, their networks and storage policies, and reports the site as a vCD peer", async () => {
    assert.deepEqual(await client.listSiteObjects(VCD_SITE, "orgvdcs"), [
      { OrgVdcName: "acme-dr-vdc", Identifier: ACME_VDC },
      { OrgVdcName: "globex-dr-vdc", Identifier: GLOBEX_VDC },
    ]);
    const networks = await client.listSiteObjects(VCD_SITE, `orgvdcs/${encodeURIComponent(ACME_VDC)}/networks`);
    assert.deepEqual(networks?.map((n) => n.VirtualizationNetworkName), ["acme-prod", "acme-dmz", "acme-test-bubble"]);
    const policies = await client.listSiteObjects(VCD_SITE, `orgvdcs/${encodeURIComponent(ACME_VDC)}/storagepolicies`);
    assert.deepEqual(policies?.map((p) => [p.StoragePolicyName, p.IsEnabled]), [["Gold", true], ["Silver", true], ["Retired", false]]);
    assert.equal(await client.listSiteObjects(VCD_SITE, "orgvdcs/urn:vcloud:vdc:unknown/networks"), undefined, "an unknown org vDC is a 404");
    assert.deepEqual(await client.listSiteObjects(sim.peerSiteId, "orgvdcs"), [], "a vSphere site has no org vDCs");
    const peers = await client.listPeerSites();
    assert.deepEqual(peers.map((p) => [p.PeerSiteName, p.SiteType]), [["Site-B DR", "VCenter"], ["Site-D Cloud", "VCD"]]);
  });

  it("creates a vCD-target VPG: the ZVM stores the VCD values sent, and the read-back shows no diff", async () => {
    const inputs = await checked(vcdVpg([vmId(101), vmId(102)]));
    const { id, outs } = await handler.create(inputs);
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });
    const read = await handler.read(id, outs);
    assert.deepEqual(inputsOf(read.props!), inputsOf(outs));
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: false });

    const stored = await storedDefinition(sim, "web-cloud");
    assert.deepEqual(stored.Recovery.VCD, { OrgVdcIdentifier: ACME_VDC });
    assert.deepEqual(stored.Networks.Failover.VCD.Mapping, [{ ProtectedOrgVdcNetworkIdentifier: PROTECTED_NET, RecoveryOrgVdcNetworkIdentifier: ACME_PROD_NET, ReverseTestOrgVdcNetworkIdentifier: null }]);
    assert.equal(stored.Networks.Failover.VCD.IsEnableGuestCustomization, true);
    assert.equal(stored.Networks.FailoverTest.VCD.DefaultRecoveryOrgVdcNetworkIdentifier, ACME_TEST_NET);
    const vm101 = stored.Vms.find((vm: any) => vm.VmIdentifier === vmId(101));
    assert.deepEqual(vm101.Recovery.VCD, { StoragePolicyIdentifier: ACME_GOLD });
    const nic = vm101.Nics.find((n: any) => n.NicIdentifier === "Network adapter 1");
    assert.equal(nic.Failover.VCD.RecoveryOrgVdcNetworkIdentifier, ACME_DMZ_NET);
    assert.equal(nic.Failover.VCD.IpAddress, "192.168.50.11");
  });

  it("updates a network mapping in place: the ZVM holds the new mapping and the read-back has no diff", async () => {
    const first = await checked(vcdVpg([vmId(101), vmId(102)]));
    const { id, outs } = await handler.create(first);
    const remapped = vcdVpg([vmId(101), vmId(102)]);
    remapped.networks.failover.vcd.mappings = [{ protectedOrgVdcNetworkId: PROTECTED_NET, recoveryOrgVdcNetworkId: ACME_DMZ_NET }];
    const news = await checked(remapped);
    const diff = await handler.diff(id, outs, news);
    assert.deepEqual([diff.changes, diff.replaces], [true, undefined]);
    const updated = await handler.update!(id, outs, news);
    assert.deepEqual((await storedDefinition(sim, "web-cloud")).Networks.Failover.VCD.Mapping[0].RecoveryOrgVdcNetworkIdentifier, ACME_DMZ_NET);
    assert.deepEqual(await handler.diff(id, updated.outs, news), { changes: false });
    const read = await handler.read(id, updated.outs);
    assert.deepEqual(await handler.diff(id, read.props!, news), { changes: false });
  });

  it("names, at check, an org vDC the site lacks, and a network or storage policy outside the org vDC", async () => {
    const reasons = async (news: unknown) => ((await handler.check({}, news as VpgInputs)).failures ?? []).map((f) => f.reason);
    const unknownVdc = vcdVpg([vmId(103)], "check-vdc");
    unknownVdc.recovery.vcd.orgVdcId = "urn:vcloud:vdc:00000000-0000-4000-8000-000000000000";
    assert.deepEqual(await reasons(unknownVdc), ["Vpg: recovery.vcd.orgVdcId names no org vDC at recovery site 'Site-D Cloud' [rule: exists at recovery site]"]);
    const foreign = vcdVpg([vmId(103), vmId(104)], "check-refs");
    foreign.networks.failover.vcd.mappings[0].recoveryOrgVdcNetworkId = GLOBEX_PROD_NET;
    foreign.vms[0].recovery.vcd.storagePolicyId = GLOBEX_STANDARD;
    foreign.vms[1].recovery.vcd.storagePolicyId = ACME_RETIRED;
    assert.deepEqual(await reasons(foreign), [
      "Vpg: networks.failover.vcd.mappings[0].recoveryOrgVdcNetworkId names no network of org vDC 'acme-dr-vdc' [rule: exists at recovery site]",
      "Vpg: vms[0].recovery.vcd.storagePolicyId names no storage policy of org vDC 'acme-dr-vdc' [rule: exists at recovery site]",
      "Vpg: vms[1].recovery.vcd.storagePolicyId names storage policy 'Retired', which is disabled in org vDC 'acme-dr-vdc' [rule: exists at recovery site]",
    ]);
  });

  it("refuses at commit, with the ZVM's reason, an org vDC the site does not have (preflight off)", async () => {
    const news = vcdVpg([vmId(103)], "bad-vdc");
    news.recovery.vcd.orgVdcId = "urn:vcloud:vdc:00000000-0000-4000-8000-000000000000";
    await assert.rejects(handler.create(await withPreflightOff(() => checked(news))),
      /Zerto rejected VPG 'bad-vdc': .*Recovery org vDC urn:vcloud:vdc:00000000-0000-4000-8000-000000000000 was not found in site 'Site-D Cloud'/);
  });

  it("refuses at commit a storage policy or network of another org vDC and a disabled storage policy, naming each (preflight off)", async () => {
    const news = vcdVpg([vmId(103), vmId(104)], "mixed-vdc");
    news.vms[0].recovery.vcd.storagePolicyId = GLOBEX_STANDARD;
    news.vms[1].recovery.vcd.storagePolicyId = ACME_RETIRED;
    news.networks.failoverTest.vcd.defaultRecoveryOrgVdcNetworkId = GLOBEX_PROD_NET;
    await assert.rejects(handler.create(await withPreflightOff(() => checked(news))), (err: Error) => {
      assert.match(err.message, new RegExp(`Storage policy ${GLOBEX_STANDARD} of VM ${vmId(103)} was not found in org vDC 'acme-dr-vdc'`));
      assert.match(err.message, new RegExp(`Storage policy 'Retired' of VM ${vmId(104)} is disabled`));
      assert.match(err.message, new RegExp(`FailoverTest default org vDC network ${GLOBEX_PROD_NET} was not found in org vDC 'acme-dr-vdc'`));
      return true;
    });
  });

  it("refuses VCD values for a vSphere recovery site, at check and (preflight off) at commit", async () => {
    const news = vcdVpg([vmId(105)], "vcd-to-vsphere");
    news.recoverySiteId = sim.peerSiteId;
    const { failures } = await handler.check({}, news as VpgInputs);
    assert.deepEqual(failures?.map((f) => f.reason), ["Vpg: recovery.vcd.orgVdcId names no org vDC at recovery site 'Site-B DR' [rule: exists at recovery site]"]);
    await assert.rejects(handler.create(await withPreflightOff(() => checked(news))), /Recovery org vDC settings were sent, but recovery site 'Site-B DR' is not a vCD site/);
  });
});
