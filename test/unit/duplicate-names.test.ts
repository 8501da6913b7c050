import * as assert from "node:assert/strict";
import { validateInputs } from "../../provider/validate";

const vs = (moref: string) => `3f2504e0-4f89-11d3-9a0c-0305e82c3301.${moref}`;
const vpg = (extra: Record<string, unknown>) => ({
  name: "web-tier", recoverySiteId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
  recovery: { hostClusterId: vs("domain-c1"), folderId: vs("group-v1") }, networks: { failoverNetworkId: vs("network-1") },
  vms: [{ vmId: vs("vm-101") }], ...extra,
});
const reasons = (inputs: unknown) => (validateInputs("drprotect:zerto:Vpg", inputs).failures ?? []).map((f) => f.reason);

describe("check names what is listed twice", () => {
  it("names the VM a VPG lists twice, whatever its case", () => {
    const [reason] = reasons(vpg({ vms: [{ vmId: vs("vm-101") }, { vmId: vs("vm-102") }, { vmId: vs("VM-101") }] }));
    assert.match(reason, /^Vpg: vms must not list the same vmId twice .*: vmId "3f2504e0-4f89-11d3-9a0c-0305e82c3301\.VM-101" is listed more than once \[rule: uniqueIgnoringCase\]$/);
  });

  it("names the NIC and the boot group listed twice", () => {
    const found = reasons(vpg({
      vms: [{ vmId: vs("vm-101"), nics: [{ nicId: "Network adapter 1" }, { nicId: "Network adapter 1" }] }],
      bootGroups: [{ name: "db" }, { name: "web" }, { name: "db" }],
    }));
    assert.ok(found.some((r) => r.includes('nicId "Network adapter 1" is listed more than once')), found.join("\n"));
    assert.ok(found.some((r) => r.includes('name "db" is listed more than once')), found.join("\n"));
  });
});
