import assert from "node:assert/strict";
import { declaredForGeneration } from "../../cli/generate";
import { renderIndex } from "../../cli/generateProgram";
import { managedIn, readManagedObjects } from "../../cli/managedObjects";
import type { VpgSettings } from "../../provider/zerto/models";

const DB = "vc-a.vm-105";
const WEB = "vc-a.vm-101";

/** An edit draft as the ZVM answers it: web-01 follows the VPG, db-01 re-IPs one NIC at failover and replaces the MAC of another in tests. */
const settings: VpgSettings = {
  Recovery: { DefaultDatastoreIdentifier: "vc-b.datastore-1031" },
  Journal: { DatastoreIdentifier: "vc-b.datastore-1032" },
  Vms: [
    { VmIdentifier: WEB, Nics: [{ NicIdentifier: "Network adapter 1", Failover: { Hypervisor: { ShouldReplaceIpConfiguration: false } } }] },
    {
      VmIdentifier: DB,
      Nics: [
        { NicIdentifier: "Network adapter 1", Failover: { Hypervisor: { ShouldReplaceIpConfiguration: true, IpConfig: { IsDhcp: false, StaticIp: "10.20.1.15" } } } },
        { NicIdentifier: "Network adapter 2", FailoverTest: { Hypervisor: { ShouldReplaceMacAddress: true } } },
      ],
    },
  ],
};

describe("generate: per-VM settings failover depends on", () => {
  it("asks the provider's read for each NIC's re-IP and MAC replacement the ZVM has on, and a journal datastore of the VPG's own", () => {
    const declared = declaredForGeneration(settings);
    assert.equal(declared.journal?.datastoreId, "vc-b.datastore-1032");
    assert.deepEqual(declared.vms, [
      { vmId: WEB, nics: [] },
      { vmId: DB, nics: [
        { nicId: "Network adapter 1", failover: { ipConfig: { mode: "static" } }, failoverTest: undefined },
        { nicId: "Network adapter 2", failover: undefined, failoverTest: { replaceMacAddress: true } },
      ] },
    ]);
  });

  it("leaves a journal on the recovery datastore (the ZVM's default) undeclared", () => {
    const onRecovery = declaredForGeneration({ ...settings, Journal: { DatastoreIdentifier: "vc-b.datastore-1031" } });
    assert.equal(onRecovery.journal?.datastoreId, undefined);
  });

  it("writes the NICs, volumes and journal of a VM into the program, with names beside the ids", () => {
    const index = renderIndex({
      product: "zerto", source: "https://zvm", command: "pulumi-drprotect generate zerto", names: new Map([[DB, "db-01"], ["vc-b.datastore-1034", "DR-Journal"]]),
      config: [], skipped: [], protect: true, packageSpec: "^0.1.0", pulumiVersion: "3.248.0", projectName: "p",
      declarations: [{ type: "Vpg", objectName: "db-tier", notes: [], args: { name: "db-tier", vms: [{
        vmId: DB,
        nics: [{ nicId: "Network adapter 1", failover: { ipConfig: { mode: "static", ip: "10.20.1.15", subnetMask: "255.255.255.0", gateway: "10.20.1.1" } } }],
        volumes: [{ volumeId: "scsi:0:0", datastoreId: "vc-b.datastore-1033" }],
        journal: { datastoreId: "vc-b.datastore-1034" },
      }] } }],
    });
    assert.ok(index.includes(`
      vmId: "${DB}", // db-01
      nics: [
        {
          nicId: "Network adapter 1",
          failover: {
            ipConfig: {
              mode: "static",
              ip: "10.20.1.15",
              subnetMask: "255.255.255.0",
              gateway: "10.20.1.1",
            },
          },
        },
      ],
      volumes: [
        {
          volumeId: "scsi:0:0",
          datastoreId: "vc-b.datastore-1033",
        },
      ],
      journal: {
        datastoreId: "vc-b.datastore-1034", // DR-Journal
      },`), index);
  });
});

describe("generate: objects other stacks of the backend manage", () => {
  const exported = (resources: Array<{ urn: string; type: string; outputs: Record<string, unknown> }>) => ({ deployment: { resources } });

  it("finds VPGs, replications, policies and assignments by the ids their outputs record", () => {
    const managed = managedIn("organization/dr/prod", exported([
      { urn: "urn:pulumi:prod::dr::pulumi:providers:pulumi-nodejs::default", type: "pulumi:providers:pulumi-nodejs", outputs: {} },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/zerto:Vpg::payroll", type: "pulumi-nodejs:dynamic/zerto:Vpg", outputs: { vpgId: "AB-12" } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/vcda:VmReplication::web", type: "pulumi-nodejs:dynamic/vcda:VmReplication", outputs: { replicationId: "C4-1" } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/vcda:ReplicationPolicy::gold", type: "pulumi-nodejs:dynamic/vcda:ReplicationPolicy", outputs: { policyId: "p-1" } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/vcda:OrgPolicyAssignment::acme", type: "pulumi-nodejs:dynamic/vcda:OrgPolicyAssignment", outputs: { org: "Org-Acme" } },
    ]));
    assert.deepEqual([...managed], [
      ["ab-12", "stack 'organization/dr/prod' (zerto:Vpg 'payroll')"],
      ["c4-1", "stack 'organization/dr/prod' (vcda:VmReplication 'web')"],
      ["p-1", "stack 'organization/dr/prod' (vcda:ReplicationPolicy 'gold')"],
      ["org:org-acme", "stack 'organization/dr/prod' (vcda:OrgPolicyAssignment 'acme')"],
    ]);
  });

  it("reads every stack of the backend through the Pulumi CLI", async () => {
    const calls: string[] = [];
    const managed = await readManagedObjects(async (args) => {
      calls.push(args.join(" "));
      if (args[1] === "ls") return JSON.stringify([{ name: "organization/a/one" }, { name: "organization/b/two" }]);
      return JSON.stringify(exported(args[3] === "organization/b/two"
        ? [{ urn: "urn:pulumi:two::b::pulumi-nodejs:dynamic/zerto:Vpg::x", type: "pulumi-nodejs:dynamic/zerto:Vpg", outputs: { vpgId: "v-2" } }] : []));
    });
    assert.deepEqual(calls, ["stack ls --all --json", "stack export --stack organization/a/one", "stack export --stack organization/b/two"]);
    assert.deepEqual([...managed.keys()], ["v-2"]);
  });

  it("fails, saying how to proceed, when the backend cannot be listed: adopting into a second stack must be a choice", async () => {
    await assert.rejects(readManagedObjects(async () => { throw new Error("`pulumi stack ls --all --json` failed: not logged in"); }),
      /cannot list the stacks of the current Pulumi backend.*not logged in.*--include-managed/);
  });
});
