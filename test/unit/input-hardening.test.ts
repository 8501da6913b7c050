import * as assert from "node:assert/strict";
import { validateInputs } from "../../provider/validate";
import { validPolicy, validReplication, validVpg } from "../fixtures/badInputs";

const VPG = "drprotect:zerto:Vpg";

describe("input hardening (check)", () => {
  it("accepts names in any script, with inner spaces, accents and emoji", () => {
    for (const name of ["web tier", "Zürich – prod", "東京-DR", "web\u00A0tier", "db 🚀"]) {
      assert.deepEqual(validateInputs(VPG, { ...validVpg, name, bootGroups: [{ name }] }).failures, [], name);
      assert.deepEqual(validateInputs("drprotect:vcda:ReplicationPolicy", { ...validPolicy, displayName: name }).failures, [], name);
    }
  });

  it("accepts a description over several lines", () => {
    assert.deepEqual(validateInputs("drprotect:vcda:VmReplication", { ...validReplication, description: "line one\n\tline two\r\n" }).failures, []);
  });

  it("refuses a __proto__ key that set the prototype while the engine's message was decoded, naming its path", () => {
    // google-protobuf's Struct.toJavaScript assigns keys one by one: a "__proto__" key replaces the prototype
    const vm = Object.assign(Object.create({ vmId: `${validVpg.vms[0].vmId}` }), {});
    const { failures } = validateInputs(VPG, { ...validVpg, vms: [vm] });
    assert.ok(failures.some((f) => f.property === "vms[0].__proto__" && /\[rule: reservedKey\]/.test(f.reason)), JSON.stringify(failures));
  });

  it("reports a reserved key once, not again as an unknown property", () => {
    const inputs = JSON.parse(JSON.stringify({ ...validVpg, vms: [{ vmId: validVpg.vms[0].vmId, constructor: "x" }] }));
    const { failures } = validateInputs(VPG, inputs);
    assert.deepEqual(failures.map((f) => f.property), ["vms[0].constructor"]);
  });

  it("judges VM ids case-insensitively only when both are known", () => {
    const upper = validVpg.vms[0].vmId.toUpperCase();
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.deepEqual(validateInputs(VPG, { ...validVpg, vms: [{ vmId: unknown }, { vmId: unknown }, { vmId: upper }] }).failures, []);
  });
});
