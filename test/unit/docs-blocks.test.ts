import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { allBlocks, COMMAND_LANGS, PROGRAM_LANGS, SHOWN_LANGS, unrunnable, where } from "../support/docBlocks";

/**
 * Every program in README.md and docs/ type-checks against the SDK as built in dist/ (no CLI), and
 * every shell block is one test/e2e/docs.test.ts runs or says why it cannot be run.
 */

const root = path.resolve(__dirname, "..", "..", "..");
const blocks = allBlocks(root);

describe("README and docs code blocks", function () {
  this.timeout(120_000);

  it("has a language on every block, one the doc tests know", () => {
    const known = [...PROGRAM_LANGS, ...COMMAND_LANGS, ...SHOWN_LANGS];
    const unknown = blocks.filter((b) => !known.includes(b.lang)).map((b) => `${where(b)} (${b.lang || "no language"})`);
    assert.deepEqual(unknown, [], `use one of ${known.join(", ")}`);
  });

  it("runs every shell block or says why not (<!-- not run: reason -->)", () => {
    const unmarked = blocks.filter((b) => COMMAND_LANGS.includes(b.lang) && !b.notRun)
      .map((b) => [where(b), unrunnable(b)]).filter(([, reason]) => reason);
    assert.deepEqual(unmarked, []);
  });

  it("type-checks every typescript block as a complete program against the SDK", () => {
    const programs = blocks.filter((b) => PROGRAM_LANGS.includes(b.lang));
    assert.ok(programs.some((b) => b.file === "README.md"), "the README shows a program");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-doc-programs-"));
    try {
      const files = programs.map((block, i) => {
        const file = path.join(dir, `program-${i}.ts`);
        fs.writeFileSync(file, block.text);
        return { file, block };
      });
      const program = ts.createProgram(files.map((f) => f.file), {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ["node"],
        typeRoots: [path.join(root, "node_modules", "@types")],
        baseUrl: root,
        // the package as a program imports it, and its SDK dependency from this repository
        paths: { "pulumi-drprotect": ["dist/sdk/index.d.ts"], "@pulumi/*": ["node_modules/@pulumi/*"] },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const owner = files.find((f) => d.file && path.resolve(d.file.fileName) === f.file);
        const at = owner && d.file && d.start !== undefined ? `${where(owner.block)} +${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : d.file?.fileName ?? "";
        return `${at}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
      assert.deepEqual(problems, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
