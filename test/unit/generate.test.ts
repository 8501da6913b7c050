import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..", "..");
const script = path.join(root, "scripts", "generate.js");

/** Runs the generator; returns the files it wrote (relative paths) or, with --check, throws when it fails. */
function generate(...args: string[]): string[] {
  const stdout = execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: "pipe", encoding: "utf8" });
  return stdout.replace(/^wrote /, "").trim().split(", ").filter(Boolean);
}

function checkFailure(out: string): string {
  try {
    generate("--check", "--out", out);
  } catch (err) {
    return String((err as { stderr: string }).stderr);
  }
  return assert.fail("--check passed");
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-gen-"));
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

describe("scripts/generate.js", () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("--check fails on any generated file edited by hand, missing, or left over (known by its name or folder)", () => {
    const out = newDir();
    const files = generate("--out", out);
    assert.ok(files.length >= 15, files.join(", "));
    generate("--check", "--out", out);
    const texts = files.map((file) => read(out, file));
    const named = (failure: string) => failure.split(": ")[1].trim().split(", ").sort();
    files.forEach((file, i) => fs.writeFileSync(path.join(out, file), texts[i].replace("\n", "\n// edited by hand\n")));
    assert.deepEqual(named(checkFailure(out)), [...files].sort());
    files.forEach((file) => fs.rmSync(path.join(out, file)));
    assert.deepEqual(named(checkFailure(out)), [...files].sort());
    files.forEach((file, i) => fs.writeFileSync(path.join(out, file), texts[i]));
    generate("--check", "--out", out);
    const leftOver = ["provider/delegates/removedResource.ts", "docs/resources/RemovedResource.md", "sdk/zerto/removedResource.generated.ts"];
    leftOver.forEach((file) => fs.writeFileSync(path.join(out, file), ""));
    // hand-written files beside generated ones are not generated-looking
    fs.writeFileSync(path.join(out, "sdk", "zerto", "lookups.ts"), "");
    assert.deepEqual(named(checkFailure(out)), leftOver.sort());
    generate("--out", out);
    generate("--check", "--out", out);
    assert.ok(fs.existsSync(path.join(out, "sdk", "zerto", "lookups.ts")));
  });

  it("documents every resource and look-up: inputs with their annotations, outputs, and the hand-written example", () => {
    const out = newDir();
    const files = generate("--out", out);
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
    for (const resource of Object.values<any>(schema.resources)) {
      const page = read(out, `docs/resources/${resource.type}.md`);
      assert.ok(page.includes(read(root, `docs/examples/${resource.type}.md`).trim()), `${resource.type}: example embedded`);
      for (const key of [...Object.keys(resource.inputs.properties), ...Object.keys(resource.outputs)]) {
        assert.match(page, new RegExp(`^\\| \`${key}\` \\|`, "m"), `${resource.type}: ${key}`);
      }
    }
    const vm = read(out, "docs/resources/VmReplication.md");
    assert.match(vm, /^\| `source\.vmId` \| string \| yes, in `source` \| {2}\| replaces \|/m);
    assert.match(vm, /^\| `destination\.seedVmId` \| string \(GUID\) \| {2}\| {2}\| create only \|/m);
    assert.match(vm, /^\| `targetDiskType` \| `THIN`, `PREALLOCATED`, `PREALLOCATED_ZEROS` \| {2}\| `THIN` \| replaces \|/m);
    assert.match(vm, /^\| `retentionPolicy\.rules\[\]\.distance` \| integer 1 to 525600 \|/m);
    assert.match(vm, /^- `slaProfileId`: set either slaProfileId or the custom settings/m);
    const functionsPage = read(out, "docs/functions.md");
    for (const token of Object.keys(schema.functions)) {
      const [, module, name] = token.split(":");
      assert.match(functionsPage, new RegExp(`\`dr\\.${module}\\.${name}\\(args: \\w+\\): Promise<\\w+>\``), token);
    }
    assert.ok(files.includes("sdk/zerto/lookups.generated.ts") && files.includes("sdk/vcda/lookups.generated.ts"));
  });

  it("adds a fifth resource from its schema.json entry alone: delegate, SDK class, handler table entry and shape", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
    schema.resources["drprotect:zerto:Checkpoint"] = {
      module: "zerto",
      type: "Checkpoint",
      description: "A tagged Zerto checkpoint.",
      idOutput: "checkpointId",
      inputs: {
        type: "object", title: "Checkpoint", additionalProperties: false, required: ["vpgId"],
        properties: {
          vpgId: { $ref: "#/definitions/guid", replaceOnChanges: true, description: "The VPG to tag." },
          tag: { type: "string", description: "Checkpoint tag." },
        },
      },
      outputs: {
        checkpointId: { type: "string", description: "The checkpoint identifier." },
        timestamp: { type: ["string", "null"], description: "When the checkpoint was taken." },
      },
    };
    const before = newDir();
    const after = newDir();
    const schemaFile = path.join(after, "schema.json");
    fs.writeFileSync(schemaFile, JSON.stringify(schema));
    // the examples are read beside the schema: the new resource's page needs one
    fs.cpSync(path.join(root, "docs", "examples"), path.join(after, "docs", "examples"), { recursive: true });
    fs.writeFileSync(path.join(after, "docs", "examples", "Checkpoint.md"), "```typescript\n// a checkpoint\n```\n");
    const four = generate("--out", before);
    const five = generate("--schema", schemaFile, "--out", after);

    assert.deepEqual(five.filter((f) => !four.includes(f)).sort(), ["docs/resources/Checkpoint.md", "provider/delegates/checkpoint.ts", "sdk/zerto/checkpoint.generated.ts"]);
    const changed = four.filter((f) => read(before, f) !== read(after, f)).sort();
    assert.deepEqual(changed, ["provider/handlers.generated.ts", "provider/inputValidators.generated.ts", "provider/inputs.generated.ts", "provider/resources.generated.ts",
      "sdk/args.generated.ts", "sdk/zerto/resources.generated.ts"]);

    assert.match(read(after, "provider/delegates/checkpoint.ts"), /^export = delegateFor\("drprotect:zerto:Checkpoint"\);$/m);
    assert.match(read(after, "provider/handlers.generated.ts"), /"drprotect:zerto:Checkpoint": \(\) => require\("\.\/zerto\/checkpoint"\)\.handler,/);
    assert.match(read(after, "provider/resources.generated.ts"),
      /export const CHECKPOINT: ResourceShape = \{\n {2}token: "drprotect:zerto:Checkpoint",\n {2}computedOutputs: \["checkpointId", "timestamp"\],\n {2}replaceOnChanges: \["vpgId"\],/);
    assert.match(read(after, "sdk/zerto/resources.generated.ts"), /^export \* from "\.\/checkpoint\.generated";$/m);
    assert.match(read(after, "docs/resources/Checkpoint.md"), /^\| `vpgId` \| string \(GUID\) \| yes \| {2}\| replaces \| The VPG to tag\. \|$/m);
    const sdkClass = read(after, "sdk/zerto/checkpoint.generated.ts");
    assert.match(sdkClass, /^import provider = require\("\.\.\/\.\.\/provider\/delegates\/checkpoint"\);$/m);
    assert.match(sdkClass, /export class Checkpoint extends pulumi\.dynamic\.Resource \{/);
    assert.match(sdkClass, /declare readonly checkpointId: pulumi\.Output<string>;/);
    assert.match(sdkClass, /declare readonly timestamp: pulumi\.Output<string \| null>;/);
    assert.match(sdkClass, /declare readonly vpgId: pulumi\.Output<string>;/);
    assert.match(sdkClass, /declare readonly tag: pulumi\.Output<string \| undefined>;/);
    assert.match(sdkClass, /guardConstruction\("drprotect:zerto:Checkpoint", name, resourceArgs\);/);
    // only the provider's outputs are registered up front: inputs are registered as the program sets them
    assert.match(sdkClass, /const placeholders = \{\n\s+checkpointId: undefined, timestamp: undefined,\n\s+\};/);
    assert.match(sdkClass, /super\(provider, name, \{ \.\.\.placeholders, \.\.\.resourceArgs \}, opts, "zerto", "Checkpoint"\);\n\s+this\.checkpointId = idOutput\(this\.id, this\.checkpointId\);/);
    assert.match(sdkClass, /settleUnsetInputs\(this, \[\n\s+"vpgId", "tag",\n\s+\]\);/);
  });
});
