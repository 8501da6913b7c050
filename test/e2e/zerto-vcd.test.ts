import * as assert from "node:assert/strict";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";
import { SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { ACME_DMZ_NET, ACME_GOLD, ACME_PROD_NET, ACME_VDC } from "../fixtures/vcd";
import { exampleStack, simRequest, skipRestAfterFailure, tearDown, updateInPlace } from "./support";

const PASSWORD = "zerto-sim-password";

interface SimVpg {
  VpgIdentifier: string;
  VpgName: string;
  Definition: {
    Recovery: { VCD: { OrgVdcIdentifier: string } | null };
    Networks: { Failover: { VCD: { Mapping: Array<{ RecoveryOrgVdcNetworkIdentifier: string }> } | null } };
    Vms: Array<{ VmIdentifier: string; Recovery: { VCD: { StoragePolicyIdentifier: string } | null } }>;
  };
}

describe("e2e: Zerto VPG recovering into Cloud Director through the Pulumi CLI (examples/zerto-vcd)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let project: TestStack;

  const simVpgs = async (): Promise<SimVpg[]> => (await simRequest(zvm.url, "GET", "/_admin/zvm/vpgs")).body;
  const onlyVpg = async (): Promise<SimVpg> => {
    const vpgs = await simVpgs();
    assert.equal(vpgs.length, 1, `expected one VPG on the ZVM, found ${vpgs.map((v) => v.VpgName).join(", ") || "none"}`);
    return vpgs[0];
  };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await exampleStack("zerto-vcd");
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 200, initializingMs: 30_000 });
    await project.setConfig({ "zerto:url": zvm.url, "zerto:username": "admin", "zerto:authMode": "session" }, { "zerto:password": PASSWORD });
  });

  after(() => tearDown([project], [zvm]));

  it("creates the VPG in the org vDC, with each VM's storage policy and the network mapping", async () => {
    await project.up();
    const vpg = await onlyVpg();
    assert.equal(vpg.VpgName, "web-cloud");
    assert.deepEqual(vpg.Definition.Recovery.VCD, { OrgVdcIdentifier: ACME_VDC });
    assert.deepEqual(vpg.Definition.Vms.map((vm) => vm.Recovery.VCD?.StoragePolicyIdentifier), [ACME_GOLD, ACME_GOLD]);
    assert.equal(vpg.Definition.Networks.Failover.VCD?.Mapping[0].RecoveryOrgVdcNetworkIdentifier, ACME_PROD_NET);
    const outputs = await project.outputs();
    assert.equal(outputs.vpgId, vpg.VpgIdentifier);
    assert.equal(outputs.orgVdcId, ACME_VDC);
    assert.equal(zvm.liveDrafts(), 0);
  });

  it("finds nothing to change in a second preview or a refresh", () => project.assertNoChanges());

  it("refreshes with no change to the recorded definition", async () => {
    const before = (await project.resources("zerto:Vpg"))[0].outputs;
    await project.refresh();
    const after = (await project.resources("zerto:Vpg"))[0].outputs;
    assert.deepEqual(after.networks, before.networks);
    assert.deepEqual(after.vms, before.vms);
    assert.deepEqual(after.recovery, before.recovery);
  });

  it("updates the network mapping in place, and the ZVM holds the new mapping with no drift left", async () => {
    await updateInPlace(project, { mappedOrgVdcNetworkId: ACME_DMZ_NET });
    const vpg = await onlyVpg();
    assert.equal(vpg.Definition.Networks.Failover.VCD?.Mapping[0].RecoveryOrgVdcNetworkIdentifier, ACME_DMZ_NET);
    await project.assertNoChanges();
  });

  it("destroys the VPG and leaves no vpgSettings draft", async () => {
    await project.destroy();
    assert.deepEqual(await simVpgs(), []);
    assert.equal(zvm.liveDrafts(), 0);
  });
});
