import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { npmInstallFor, packageSource } from "../../cli/packageSource";

/** `generate` names this package in the program's package.json as the running copy was installed. */
describe("packageSource: where the running pulumi-drprotect came from", () => {
  let dir: string;
  beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-source-"))); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A project with the package installed and npm's hidden lockfile entry for it. */
  function installed(entry: Record<string, unknown> | undefined): string {
    const root = path.join(dir, "project", "node_modules", "pulumi-drprotect");
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "pulumi-drprotect", version: "0.3.1" }));
    if (entry) fs.writeFileSync(path.join(dir, "project", "node_modules", ".package-lock.json"), JSON.stringify({ packages: { "node_modules/pulumi-drprotect": entry } }));
    return root;
  }

  it("a clone, or a directory npm only linked: the directory itself, installed with --install-links", () => {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pulumi-drprotect", version: "0.3.1" }));
    assert.equal(packageSource(dir), `file:${dir}`);
    assert.equal(npmInstallFor(`file:${dir}`), "npm install --install-links");
  });

  it("a git URL: the URL pinned to the commit npm resolved", () => {
    const spec = "git+ssh://git@github.com/acme/pulumi-drprotect.git#5b64a8de2cee63f37d37f6ff4032b3d93c20b8c5";
    assert.equal(packageSource(installed({ version: "0.3.1", resolved: spec })), spec);
    assert.equal(npmInstallFor(spec), "npm install");
  });

  it("a directory copied with --install-links: its absolute path", () => {
    assert.equal(packageSource(installed({ version: "0.3.1", resolved: "file:../clone" })), `file:${path.join(dir, "clone")}`);
  });

  it("a tarball: its path, installed as it is", () => {
    const spec = packageSource(installed({ version: "0.3.1", resolved: "file:../pulumi-drprotect-0.3.1.tgz" }));
    assert.equal(spec, `file:${path.join(dir, "pulumi-drprotect-0.3.1.tgz")}`);
    assert.equal(npmInstallFor(spec), "npm install");
  });

  it("a registry: the version range (also when the lockfile omits the registry URL)", () => {
    assert.equal(packageSource(installed({ version: "0.3.1", resolved: "https://registry.npmjs.org/pulumi-drprotect/-/pulumi-drprotect-0.3.1.tgz" })), "^0.3.1");
    assert.equal(packageSource(installed({ version: "0.3.1" })), "^0.3.1");
    assert.equal(packageSource(installed(undefined)), "^0.3.1");
  });
});
