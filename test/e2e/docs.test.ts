import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { allBlocks, COMMAND_LANGS, DocBlock, PROGRAM_LANGS, unrunnable, where } from "../support/docBlocks";
import { allowReplication, connectionEnv, Sims, stackConnection, startSims } from "../../harness/sims";
import { Project, repoRoot, runProcess, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { tearDown } from "./support";

/**
 * What README.md and docs/ show works as shown, through the real CLI against the simulators: every
 * ```typescript program previews (preflight on: the names and ids it uses exist), and every shell
 * block not marked `<!-- not run: reason -->` runs line by line in a scratch stack of its own, with
 * the simulators' connection in stack config and the environment ($ZVM_SIM and $VCDA_SIM are their
 * URLs, for the simulator admin API).
 */

const blocks = allBlocks(repoRoot);
const programs = blocks.filter((b) => PROGRAM_LANGS.includes(b.lang));
const commands = blocks.filter((b) => COMMAND_LANGS.includes(b.lang) && !b.notRun);

const TSCONFIG = { compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true }, files: ["index.ts"] };

/** Makes the project's program `source` (TypeScript, as a user's project holds it). */
function useProgram(project: Project, source: string): void {
  fs.rmSync(path.join(project.dir, "index.js"), { force: true });
  fs.writeFileSync(path.join(project.dir, "index.ts"), source);
  fs.writeFileSync(path.join(project.dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({ name: "drtest", private: true }));
}

describe("e2e: README and docs code blocks work as shown", function () {
  this.timeout(10 * 60_000);
  let sims: Sims | undefined;
  let project: Project | undefined;
  const stacks: TestStack[] = [];
  let count = 0;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    sims = await startSims();
    await allowReplication(sims);
    project = await Project.program();
    project.extraEnv = { ...connectionEnv(sims), ZVM_SIM: sims.zvm.url, VCDA_SIM: sims.vcda.url };
  });

  after(() => tearDown(stacks, [sims]));

  /** A new stack of the project, connected to the simulators. */
  async function scratchStack(): Promise<TestStack> {
    const { config, secrets } = stackConnection(sims!.zvm.url, sims!.vcda.url);
    const stack = await project!.stack(`docs-${++count}`, config, secrets);
    stacks.push(stack);
    return stack;
  }

  for (const block of programs) {
    it(`previews the program at ${where(block)}`, async () => {
      useProgram(project!, block.text);
      const stack = await scratchStack();
      await stack.preview();
    });
  }

  for (const block of commands) {
    it(`runs the commands at ${where(block)}`, async () => runCommands(block));
  }

  async function runCommands(block: DocBlock): Promise<void> {
    assert.equal(unrunnable(block), undefined, `${where(block)}: mark it <!-- not run: reason --> or make it runnable`);
    // commands that preview or change a stack act on the README's program
    useProgram(project!, programs.find((p) => p.file === "README.md")!.text);
    const stack = await scratchStack();
    // one shell for the block, so that an `export` reaches the lines after it; stops at the first failure
    try {
      const result = await runProcess("bash", ["-euo", "pipefail", "-c", `pulumi stack select ${stack.name}\n${block.text}`], { cwd: project!.dir, env: stack.cliEnv(), timeoutMs: 5 * 60_000 });
      assert.equal(result.code, 0, `${where(block)} failed:\n${result.output.slice(-4000)}`);
    } finally {
      // the next block may create the same VPG
      await stack.destroy({ mayFail: true });
    }
  }
});
