import * as assert from "node:assert/strict";
import { AdoptionRefusedError, claim, createdAfter, describeDifferences, ExistedBeforeError, OwnershipRefusedError, sameIdentity } from "../../provider/ownership";

describe("ownership rule", () => {
  const found = { what: "Zerto VPG 'payroll'", id: "vpg-1" };

  it("takes an object only when every piece of evidence holds", () => {
    assert.equal(claim(found, [createdAfter(1000, 2000), sameIdentity({ name: "payroll" }, { name: "payroll" })], "advice"), "vpg-1");
  });

  it("refuses an object created before the request, naming it and the reason", () => {
    assert.throws(() => claim(found, [createdAfter(2000, 1000)], "Rename it."), (err: Error) =>
      err instanceof OwnershipRefusedError && /Zerto VPG 'payroll' exists \(vpg-1\)/.test(err.message) && /before our request/.test(err.message) && /Rename it\./.test(err.message));
  });

  it("refuses when there is no evidence at all", () => {
    assert.throws(() => claim(found, [], "x"), /no evidence at all/);
  });

  it("refuses an object whose identity differs from what was sent", () => {
    assert.throws(() => claim(found, [sameIdentity({ vms: ["vm-1"] }, { vms: ["vm-2"] }, { sets: ["vms"] })], "x"), /vms −vm-2 \+vm-1/);
  });

  it("describes differences as a reviewer reads them", () => {
    assert.deepEqual(describeDifferences(
      { rpoSeconds: 600, vms: ["vm-101", "vm-109"], priority: undefined, name: "a" },
      { rpoSeconds: 900, vms: ["VM-101", "vm-105"], priority: "High", name: "a" },
      { sets: ["vms"] }), ["rpoSeconds 900 → 600", "vms −vm-105 +vm-109"]);
  });

  it("compares objects regardless of key order and undefined members", () => {
    assert.deepEqual(describeDifferences({ journal: { a: 1, b: 2 } }, { journal: { b: 2, a: 1, c: undefined } }), []);
  });

  it("explains a refused adoption with the opt-in to use", () => {
    const err = new AdoptionRefusedError(found, ["rpoSeconds 900 → 600"], "adoptExisting: \"overwrite\"");
    assert.match(err.message, /differs from this declaration: rpoSeconds 900 → 600/);
    assert.match(err.message, /adoptExisting: "overwrite"/);
  });

  it("refuses an object that existed before the request, keeping it for an explicit adoption", () => {
    const err = new ExistedBeforeError(found, { VpgIdentifier: "vpg-1" }, "choose another name");
    assert.ok(err instanceof OwnershipRefusedError);
    assert.deepEqual(err.existing, { VpgIdentifier: "vpg-1" });
    assert.match(err.message, /exists \(vpg-1\) .*it existed before our request.*adoptExisting: true .*otherwise choose another name\./);
  });
});
