import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../harness/engine";
import { eventually, simRequest } from "./support";

const CLI = path.join(repoRoot, "dist", "simulator", "cli.js");

/** Starts the CLI and waits for its ready file; resolves with the URLs it wrote. */
async function startCli(args: string[], readyFile: string): Promise<{ child: ChildProcess; ready: Record<string, { url: string }>; output: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args, "--ready-file", readyFile], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const wroteReadyFile = await eventually(async () => (fs.existsSync(readyFile) || child.exitCode !== null ? true : undefined), "the ready file", 10_000, 100)
    .then(() => fs.existsSync(readyFile), () => false);
  if (!wroteReadyFile) {
    child.kill("SIGKILL");
    throw new Error(`the simulator CLI did not get ready:\n${output}`);
  }
  return { child, ready: JSON.parse(fs.readFileSync(readyFile, "utf8")), output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("simulator CLI (pulumi-drprotect-sim)", function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-sim-cli-"));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs both simulators, says where they listen, and stops cleanly on SIGTERM", async () => {
    const { child, ready, output } = await startCli(["all", "--zvm-port", "0", "--vcda-port", "0"], path.join(dir, "ready.json"));
    try {
      assert.match(output(), /zvm listening on http:\/\/127\.0\.0\.1:\d+ \(auth: session, user admin/);
      assert.match(output(), /vcda listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.equal((await simRequest(ready.zvm.url, "GET", "/_admin/health")).body.name, "zvm");
      assert.equal((await simRequest(ready.vcda.url, "GET", "/_admin/health")).body.name, "vcda");
      // a real login against the ZVM it started: the default session account (vCenter)
      const login = await simRequest(ready.zvm.url, "POST", "/v1/session/add", { AuthenticationMethod: "1" },
        { Authorization: `Basic ${Buffer.from("admin:zerto-sim-password").toString("base64")}` });
      assert.equal(login.status, 200);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exitOf(child), 0);
    assert.match(output(), /stopped \(SIGTERM\)/);
  });

  it("starts both simulators with --latency-ms and --throttle-per-second, readable and changeable at /_admin/load", async () => {
    const { child, ready } = await startCli(["all", "--zvm-port", "0", "--vcda-port", "0", "--latency-ms", "5", "--throttle-per-second", "2"], path.join(dir, "ready.json"));
    try {
      for (const url of [ready.zvm.url, ready.vcda.url]) {
        assert.deepEqual((await simRequest(url, "GET", "/_admin/load")).body, { latencyMs: 5, throttlePerSecond: 2 });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await simRequest(url, "GET", "/sites")).status);
        assert.equal(statuses[2], 429, `the third request in a second is throttled (${statuses.join(", ")})`);
        assert.equal((await simRequest(url, "GET", "/_admin/counters")).body.throttled, 1);
        assert.equal((await simRequest(url, "PUT", "/_admin/load", { throttlePerSecond: 0 })).body.throttlePerSecond, 0);
      }
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exitOf(child), 0);
  });

  it("serves the ZVM with Keycloak login and keeps its objects in the state file across restarts", async () => {
    const stateFile = path.join(dir, "zvm-state.json");
    const first = await startCli(["zvm", "--port", "0", "--auth", "keycloak", "--state", stateFile], path.join(dir, "ready1.json"));
    try {
      assert.match(first.output(), /auth: keycloak, client drprotect/);
      const token = await fetch(`${first.ready.zvm.url}/auth/realms/zerto/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: "drprotect", client_secret: "zerto-sim-client-secret" }),
      });
      assert.equal(token.status, 200);
      const draft = await simRequest(first.ready.zvm.url, "POST", "/v1/vpgSettings", {},
        { Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` });
      assert.equal(draft.status, 200);
    } finally {
      first.child.kill("SIGINT");
    }
    assert.equal(await exitOf(first.child), 0);
    const second = await startCli(["zvm", "--port", "0", "--state", stateFile], path.join(dir, "ready2.json"));
    try {
      assert.equal((await simRequest(second.ready.zvm.url, "GET", "/_admin/zvm/drafts")).body.count, 1);
    } finally {
      second.child.kill("SIGTERM");
    }
    assert.equal(await exitOf(second.child), 0);
  });

  it("rejects a bad option with exit code 2 and a pointer to --help", () => {
    const result = spawnSync(process.execPath, [CLI, "zvm", "--auth", "ldap", "--port", "0"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--auth must be session or keycloak, not 'ldap' \(see --help\)/);
    const unknown = spawnSync(process.execPath, [CLI, "vcda", "--colour", "red"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
  });
});
