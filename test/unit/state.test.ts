import assert from "node:assert/strict";
import {
  changedPaths, containsUnknown, differingKeys, diffByPaths, diffOf, omit, pick, prune, sameValue, stripUndefined, UNKNOWN, userInputs, valueAt,
} from "../../provider/state";

describe("state: values at paths", () => {
  it("reads a dotted path", () => {
    assert.equal(valueAt({ source: { vmId: "vm-1" } }, "source.vmId"), "vm-1");
  });

  it("reads array items by index", () => {
    assert.equal(valueAt({ vms: [{ vmId: "a" }, { vmId: "b" }] }, "vms[1].vmId"), "b");
  });

  it("answers undefined for a path through an absent, null or scalar value", () => {
    assert.equal(valueAt({}, "source.vmId"), undefined);
    assert.equal(valueAt({ source: null }, "source.vmId"), undefined);
    assert.equal(valueAt({ source: "vm-1" }, "source.vmId"), undefined);
  });

  it("answers unknown for a path whose enclosing value is still unknown", () => {
    assert.equal(valueAt({ source: UNKNOWN }, "source.vmId"), UNKNOWN);
  });

  it("finds an unknown value at any depth", () => {
    assert.ok(containsUnknown({ vms: [{ vmId: UNKNOWN }] }));
    assert.ok(!containsUnknown({ vms: [{ vmId: "vm-1" }] }));
  });
});

describe("state: one notion of the same value", () => {
  it("treats an absent optional and undefined as the same value", () => {
    assert.ok(sameValue({ a: 1, b: undefined }, { a: 1 }));
    assert.ok(sameValue(undefined, undefined));
  });

  it("treats null as a value of its own, not as absence", () => {
    assert.ok(!sameValue(null, undefined));
    assert.ok(!sameValue({ a: null }, {}));
  });

  it("ignores key order but not array order", () => {
    assert.ok(sameValue({ rules: [{ a: 1, b: 2 }] }, { rules: [{ b: 2, a: 1 }] }));
    assert.ok(!sameValue([1, 2], [2, 1]));
  });

  it("does not take a string for the number it spells", () => {
    assert.ok(!sameValue("1", 1));
  });

  it("lists the top-level keys whose values differ, a key set on one side only included", () => {
    assert.deepEqual(differingKeys({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 }), ["b", "c", "d"]);
    assert.deepEqual(differingKeys({ a: 1, b: 2 }, { a: 1, b: 5 }, ["b"]), []);
  });
});

describe("state: pruning", () => {
  it("drops undefined keys at every depth, and nothing else", () => {
    assert.deepEqual(stripUndefined({ a: undefined, b: { c: undefined, d: null }, e: {} }), { b: { d: null }, e: {} });
  });

  it("drops undefined values and empty sections when definitions are compared", () => {
    assert.deepEqual(prune({ a: undefined, b: {}, c: [], d: { e: undefined }, f: [undefined, 1], g: null }), { f: [1], g: null });
  });

  it("keeps only what the user set: no __provider, no undefined", () => {
    assert.deepEqual(userInputs({ __provider: "code", a: 1, b: undefined }), { a: 1 });
  });

  it("picks and omits keys, leaving undefined values out", () => {
    assert.deepEqual(pick({ a: 1, b: undefined, c: 3 }, ["a", "b"]), { a: 1 });
    assert.deepEqual(omit({ a: 1, b: undefined, c: 3 }, ["a"]), { c: 3 });
  });
});

describe("state: changed paths", () => {
  it("compares only what the user set, unless the path is strict", () => {
    const olds = { description: "x", profile: "west" };
    assert.deepEqual(changedPaths(olds, {}, ["description", "profile"], { strictPaths: ["profile"] }), ["profile"]);
  });

  it("counts a value still unknown as changed", () => {
    assert.deepEqual(changedPaths({ rpo: 15 }, { rpo: UNKNOWN }, ["rpo"], {}), ["rpo"]);
  });

  it("lets an implied default stand in for an absent value on either side", () => {
    const implied = (path: string) => (path === "quiesced" ? true : undefined);
    assert.deepEqual(changedPaths({}, { quiesced: true }, ["quiesced"], { implied }), []);
    assert.deepEqual(changedPaths({ quiesced: false }, {}, ["quiesced"], { implied }), ["quiesced"]);
  });

  it("compares values in their canonical form", () => {
    const canonical = (_path: string, value: unknown) => (Array.isArray(value) ? [...value].sort() : value);
    assert.deepEqual(changedPaths({ disks: [1, 2] }, { disks: [2, 1] }, ["disks"], { canonical }), []);
  });
});

describe("state: the engine's diff", () => {
  const spec = { replacePaths: ["source.vmId", "profile"], updatePaths: ["rpo"], strictPaths: ["profile"] };

  it("reports no change when nothing the user set differs", () => {
    assert.deepEqual(diffByPaths({ rpo: 15, source: { vmId: "a" } }, { rpo: 15 }, spec), { changes: false });
  });

  it("updates in place when only update paths change", () => {
    assert.deepEqual(diffByPaths({ rpo: 15 }, { rpo: 30 }, spec), { changes: true });
  });

  it("replaces when a replace path changes, listing the replace paths in declared order", () => {
    assert.deepEqual(diffByPaths({ rpo: 15, source: { vmId: "a" }, profile: "x" }, { rpo: 30, source: { vmId: "b" } }, spec),
      { changes: true, replaces: ["source.vmId", "profile"] });
  });

  it("asks for delete-before-replace only when a replace is planned and the resource needs it", () => {
    const dbr = { ...spec, deleteBeforeReplace: true };
    assert.deepEqual(diffByPaths({ source: { vmId: "a" } }, { source: { vmId: "b" } }, dbr), { changes: true, replaces: ["source.vmId"], deleteBeforeReplace: true });
    assert.deepEqual(diffByPaths({ rpo: 15 }, { rpo: 30 }, dbr), { changes: true });
  });

  it("replaces when a change touches a replace path from around it or inside it", () => {
    assert.deepEqual(diffOf(["source"], ["source.vmId"]), { changes: true, replaces: ["source.vmId"] });
    assert.deepEqual(diffOf(["source.vmId.ref"], ["source.vmId"]), { changes: true, replaces: ["source.vmId"] });
    assert.deepEqual(diffOf(["sourceName"], ["source"]), { changes: true });
  });
});
