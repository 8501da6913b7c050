import * as assert from "node:assert/strict";
import { vpgOfAnyVersion } from "../../provider/zerto/vpgAnswer";
import { toOutputs } from "../../provider/zerto/summary";
import { protectionStateOf } from "../../provider/zerto/vpgStatus";
import type { VpgInputs } from "../../provider/inputs.generated";

const ID = "57f502ff-3c41-4aff-b20a-6638205b73cd";

/** Trimmed from a 7.x ZVM's answer captured in ZertoApiWrapper's tests (docs/api-notes/first-contact.md#vpgapi-shapes-get-v1vpgs-get-v1vpgsid). */
const V7 = {
  ActiveProcessesApi: { RunningFailOverTestApi: null }, ActualRPO: 7, Link: { href: `https://zvm:9669/v1/vpgs/${ID}`, identifier: ID, rel: null, type: "VpgApi" },
  Priority: 1, ProgressPercentage: 0, ProtectedSite: { identifier: "9e09efa0-0d00-46ed-929b-f86273b28205" },
  RecoverySite: { identifier: "057cab27-f02a-443a-989d-7f14341fa9c3" }, SourceSite: "WCHL - NC", Status: 1, SubStatus: 0, TargetSite: "WCHL - CA",
  VpgIdentifier: ID, VpgName: "ExportStuff",
};

describe("VPG reads accept every ZVM generation's VpgApi shape", () => {
  it("reads a 7.x answer: site names from SourceSite/TargetSite, status from the numbers", () => {
    const vpg = vpgOfAnyVersion(V7);
    const outs = toOutputs({ name: "ExportStuff" } as VpgInputs, vpg, {});
    assert.deepEqual([outs.protectedSiteName, outs.recoverySiteName, outs.status, outs.vpgId], ["WCHL - NC", "WCHL - CA", "MeetingSLA", ID]);
    assert.equal(protectionStateOf(vpg), "protected");
  });

  it("reads a 10.x answer that names the VPG only by its Link", () => {
    const { VpgIdentifier: _omitted, ...linkOnly } = { ...V7, ProtectedSiteName: "Prod", RecoverySiteName: "DR" };
    const vpg = vpgOfAnyVersion(linkOnly);
    assert.deepEqual([vpg.VpgIdentifier, (vpg as unknown as Record<string, unknown>).ProtectedSiteName], [ID, "Prod"]);
  });
});
