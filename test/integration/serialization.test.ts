import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { delegateFor } from "../../provider/dynamic";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";

const TOKENS = ["drprotect:zerto:Vpg", "drprotect:vcda:ReplicationPolicy", "drprotect:vcda:OrgPolicyAssignment", "drprotect:vcda:VmReplication"];

/** Connection settings a careless delegate could capture; none may reach the serialized text. */
const CONNECTION_ENV = {
  ZERTO_USERNAME: "admin",
  ZERTO_PASSWORD: "zerto-sim-password",
  ZERTO_CLIENT_ID: "drprotect",
  ZERTO_CLIENT_SECRET: "zerto-sim-client-secret",
  ZERTO_AUTH_MODE: "session",
  VCDA_USERNAME: "root@System",
  VCDA_PASSWORD: "vcda-sim-vcd-password",
  VCDA_TOKEN: "vcda-sim-tenant-jwt",
};
const SECRETS = ["ZERTO_PASSWORD", "ZERTO_CLIENT_SECRET", "VCDA_PASSWORD", "VCDA_TOKEN"].map((k) => CONNECTION_ENV[k as keyof typeof CONNECTION_ENV]);

const repoRoot = path.resolve(__dirname, "..", "..", "..");

const DELEGATE_MODULES: Record<string, string> = {
  "drprotect:zerto:Vpg": "vpg",
  "drprotect:vcda:ReplicationPolicy": "replicationPolicy",
  "drprotect:vcda:OrgPolicyAssignment": "orgPolicyAssignment",
  "drprotect:vcda:VmReplication": "vmReplication",
};

/**
 * What pulumi.dynamic.Resource stores in `__provider` when the package is not under node_modules
 * (a linked checkout): the delegate object, serialized by value.
 */
async function serializeAsStored(token: string): Promise<pulumi.runtime.SerializedFunction> {
  const delegate = delegateFor(token);
  return pulumi.runtime.serializeFunction(() => delegate, { allowSecrets: true });
}

/** A real copy of the built package under <dir>/node_modules, as `npm install` lays it out. */
function installedCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-installed-"));
  const pkg = path.join(dir, "node_modules", "pulumi-drprotect");
  fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
  for (const file of ["package.json", "schema.json"]) fs.copyFileSync(path.join(repoRoot, file), path.join(pkg, file));
  for (const folder of ["provider", "sdk"]) fs.cpSync(path.join(repoRoot, "dist", folder), path.join(pkg, "dist", folder), { recursive: true });
  for (const dep of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (!dep.startsWith(".")) fs.symlinkSync(path.join(repoRoot, "node_modules", dep), path.join(dir, "node_modules", dep));
  }
  return dir;
}

/** What Pulumi stores for the installed package: the delegate module, as a require of its file. */
async function serializeAsInstalled(dir: string, token: string): Promise<pulumi.runtime.SerializedFunction> {
  const delegate = require(path.join(dir, "node_modules", "pulumi-drprotect", "dist", "provider", "delegates", `${DELEGATE_MODULES[token]}.js`));
  return pulumi.runtime.serializeFunction(() => delegate, { allowSecrets: true });
}

/**
 * Loads serialized provider text the way the dynamic-provider host does (a CommonJS module exporting
 * `handler`), from a file inside the repository so that `require("pulumi-drprotect/provider")`
 * resolves to this package by name, as it resolves to the installed package in a user's project.
 */
function loadSerialized(text: string, near = path.join(repoRoot, "dist")): any {
  const dir = fs.mkdtempSync(path.join(near, ".serialized-"));
  try {
    const file = path.join(dir, "provider.js");
    fs.writeFileSync(file, text);
    return require(file).handler();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function requiredModules(text: string): string[] {
  return [...text.matchAll(/\brequire\s*\(\s*([^)]*)\)/g)].map((m) => m[1].trim());
}

describe("serialized provider code (what Pulumi stores in state)", () => {
  const saved: Record<string, string | undefined> = {};
  let installed: string;

  before(() => {
    installed = installedCopy();
    for (const [key, value] of Object.entries(CONNECTION_ENV)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });

  after(() => {
    fs.rmSync(installed, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  for (const token of TOKENS) {
    describe(token, () => {
      it("serializes to less than 2 KB without secrets when installed: a require of the delegate module", async () => {
        const serialized = await serializeAsInstalled(installed, token);
        assert.ok(serialized.text.length < 2048, `${serialized.text.length} characters`);
        assert.equal(serialized.containsSecrets, false);
        assert.deepEqual(requiredModules(serialized.text), [`"pulumi-drprotect/dist/provider/delegates/${DELEGATE_MODULES[token]}.js"`]);
      });

      it("serializes by value to a few kilobytes, requiring only the package, when not installed under node_modules", async () => {
        const serialized = await serializeAsStored(token);
        assert.ok(serialized.text.length < 4096, `${serialized.text.length} characters`);
        assert.equal(serialized.containsSecrets, false);
        assert.deepEqual([...new Set(requiredModules(serialized.text))], ['"pulumi-drprotect/provider"']);
      });

      it("captures no credential from the environment", async () => {
        for (const serialized of [await serializeAsInstalled(installed, token), await serializeAsStored(token)]) {
          for (const secret of SECRETS) assert.ok(!serialized.text.includes(secret), `the serialized text contains ${secret}`);
        }
      });

      it("stores the same text whatever the environment holds, so upgrades and credential changes cause no diff", async () => {
        const before = (await serializeAsStored(token)).text;
        process.env.ZERTO_PASSWORD = "another-password";
        process.env.VCDA_PASSWORD = "another-password";
        try {
          assert.equal((await serializeAsStored(token)).text, before);
        } finally {
          process.env.ZERTO_PASSWORD = CONNECTION_ENV.ZERTO_PASSWORD;
          process.env.VCDA_PASSWORD = CONNECTION_ENV.VCDA_PASSWORD;
        }
        assert.ok(before.includes(JSON.stringify(token)), "the token is the only captured value");
      });
    });
  }

  describe("round trip through the serialized Vpg delegate", () => {
    let zvm: ZvmSimulator;

    before(async () => {
      zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 0 });
      process.env.ZERTO_URL = zvm.url;
    });

    after(async () => {
      delete process.env.ZERTO_URL;
      await zvm?.close();
    });

    for (const form of ["installed", "by value"]) {
    it(`checks, creates, reads and deletes a VPG over real HTTP (${form})`, async () => {
      const delegate = form === "installed"
        ? loadSerialized((await serializeAsInstalled(installed, "drprotect:zerto:Vpg")).text, installed)
        : loadSerialized((await serializeAsStored("drprotect:zerto:Vpg")).text);
      await delegate.configure({ config: { get: () => undefined } });
      const site = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
      const news = {
        name: "serialization-round-trip",
        recoverySiteId: zvm.peerSiteId,
        recovery: { hostClusterId: `${site}.domain-c1001`, datastoreId: `${site}.datastore-1031`, folderId: `${site}.group-v1070` },
        networks: { failoverNetworkId: `${site}.network-1021` },
        vms: [{ vmId: "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-110" }],
      };

      const checked = await delegate.check({}, news);
      assert.deepEqual(checked.failures ?? [], []);
      assert.equal(checked.inputs.rpoSeconds, 300, "schema defaults are filled in");

      const created = await delegate.create(checked.inputs);
      assert.ok(created.id);
      assert.equal(created.outs.vpgId, created.id);
      const listed = await vpgsOnSimulator(zvm.url);
      assert.deepEqual(listed.map((v) => v.VpgName), ["serialization-round-trip"]);

      const read = await delegate.read(created.id, created.outs);
      assert.equal(read.id, created.id);
      assert.equal(read.props.name, "serialization-round-trip");
      assert.equal(read.props.rpoSeconds, 300);
      assert.equal((await delegate.diff(created.id, read.props, checked.inputs)).changes, false);

      await delegate.delete(created.id, read.props);
      assert.deepEqual(await vpgsOnSimulator(zvm.url), []);
      assert.equal(zvm.liveDrafts(), 0, "no vpgSettings draft is left behind");
      const journal = zvm.journal.list().map((e) => JSON.stringify(e));
      for (const secret of SECRETS) assert.ok(!journal.some((entry) => entry.includes(secret)));
    });
    }
  });
});

async function vpgsOnSimulator(url: string): Promise<Array<{ VpgIdentifier: string; VpgName: string }>> {
  const response = await fetch(`${url}/_admin/zvm/vpgs`);
  return (await response.json()) as Array<{ VpgIdentifier: string; VpgName: string }>;
}
