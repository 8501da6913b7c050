import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UNKNOWN } from "../../provider/state";
import { validateInputs } from "../../provider/validate";
import * as sdk from "../../sdk";
import { badInputs, validAssignment, validPolicy, validReplication, validVappReplication, validVpg } from "../fixtures/badInputs";

const root = path.join(__dirname, "..", "..", "..");

describe("schema.json validation (check)", () => {
  it("accepts a valid program for every resource and fills in defaults", () => {
    const vpg = validateInputs<any>("drprotect:zerto:Vpg", validVpg);
    assert.deepStrictEqual(vpg.failures, []);
    // RPO, history and test interval have no schema default: a service profile may supply them (canonicalInputs fills them otherwise)
    assert.strictEqual(vpg.inputs.rpoSeconds, undefined);
    assert.strictEqual(vpg.inputs.priority, "Medium");
    assert.deepStrictEqual(validateInputs("drprotect:vcda:ReplicationPolicy", validPolicy).failures, []);
    assert.deepStrictEqual(validateInputs("drprotect:vcda:OrgPolicyAssignment", validAssignment).failures, []);
    assert.deepStrictEqual(validateInputs("drprotect:vcda:VmReplication", validReplication).failures, []);
    assert.deepStrictEqual(validateInputs("drprotect:vcda:VappReplication", validVappReplication).failures, []);
  });

  it("holds at least 40 invalid programs across the five resources", () => {
    assert.ok(badInputs.length >= 40, `only ${badInputs.length}`);
    assert.strictEqual(new Set(badInputs.map((b) => b.token)).size, 5);
  });

  for (const bad of badInputs) {
    it(`refuses ${bad.name}, naming ${bad.property} and the ${bad.rule} rule`, () => {
      const { failures } = validateInputs(bad.token, bad.inputs);
      const match = failures.find((f) => f.property === bad.property && f.reason.includes(bad.rule));
      assert.ok(match, `expected a failure on ${bad.property} (${bad.rule}); got ${JSON.stringify(failures)}`);
      assert.ok(match.reason.includes(bad.property), `the reason should name the property: ${match.reason}`);
    });
  }

  it("never echoes the offending value, which could be a misplaced secret", () => {
    const { failures } = validateInputs("drprotect:zerto:Vpg", { ...validVpg, password: "hunter2-very-secret" });
    assert.strictEqual(failures.length, 1);
    assert.ok(!JSON.stringify(failures).includes("hunter2-very-secret"));
  });

  it("skips values that are unknown during preview, and the rules that depend on them", () => {
    const { failures } = validateInputs("drprotect:zerto:Vpg", {
      ...validVpg,
      recoverySiteId: UNKNOWN,
      journal: { hardLimitMb: UNKNOWN, warningThresholdMb: 20480 },
      vms: UNKNOWN,
    });
    assert.deepStrictEqual(failures, []);
  });

  it("still judges the known values next to unknown ones", () => {
    const { failures } = validateInputs("drprotect:zerto:Vpg", { ...validVpg, recoverySiteId: UNKNOWN, rpoSeconds: 5 });
    assert.deepStrictEqual(failures.map((f) => f.property), ["rpoSeconds"]);
  });

  it("returns inputs without undefined values or the serialized provider", () => {
    const { inputs } = validateInputs<any>("drprotect:zerto:Vpg", { ...validVpg, zorgId: undefined, __provider: "code" });
    assert.ok(!("zorgId" in inputs));
    assert.ok(!("__provider" in inputs));
  });
});

describe("files generated from schema.json", () => {
  it("are up to date", () => {
    execFileSync(process.execPath, [path.join(root, "scripts", "generate.js"), "--check"], { cwd: root, stdio: "pipe" });
  });

  it("schema.json functions lists exactly the SDK's look-ups, each with its Output form", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
    const declared = Object.keys(schema.functions).map((token) => token.split(":").slice(1).join("."));
    const exported = Object.entries<Record<string, unknown>>(sdk).flatMap(([module, members]) =>
      Object.keys(members).filter((name) => /^get[A-Z]/.test(name) && !name.endsWith("Output")).map((name) => `${module}.${name}`));
    assert.deepEqual([...exported].sort(), [...declared].sort());
    for (const fn of declared) {
      const [module, name] = fn.split(".");
      assert.equal(typeof (sdk as Record<string, Record<string, unknown>>)[module][`${name}Output`], "function", `${fn}Output`);
    }
  });
});
