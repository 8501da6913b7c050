import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startZvmSimulator, ZvmSimulator } from "../../../simulator/zvm";
import { policyArgs, replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../../harness/fixtures";
import { recordFigures } from "../../../harness/figures";
import { Project, ResourceSpec, TestStack } from "../../../harness/engine";
import { allowReplication, CREDENTIALS, Sims, stackConnection, startSims } from "../../../harness/sims";
import { startTokenRecorder } from "../../../harness/tokenRecorder";

const WRONG_PASSWORD = "not-the-zvm-password-4711";

/**
 * At -v=9 the engine logs the stack config it hands the pulumi-nodejs provider (CheckConfig,
 * Configure, and the planner's view of the default provider) with secrets decrypted, although the
 * logging docs say levels up to 10 avoid known credentials. Neither our program nor our provider
 * can stop that; credentials from environment variables never reach these lines.
 */
const ENGINE_CONFIG_LINE = /"msg":"(Marshaling property for RPC\[Provider\[0x[0-9a-f]+\]\.(CheckConfig|Configure|DiffConfig)\(|Planner decided [^']*'urn:pulumi:[^']*::pulumi:providers:pulumi-nodejs::default')/;

/**
 * The whole engine cycle (up, refresh, preview, destroy) with credentials as config secrets in one
 * stack and as environment variables in another, then a search for every credential and every token
 * the simulators issued in: stack exports (with and without --show-secrets), the files of the
 * file:// backend, verbose engine logs, all command output and error messages, and the serialized
 * provider stored with each resource.
 */
describe("reliability: no credential or token in state, logs or errors", function () {
  this.timeout(10 * 60_000);
  let sims: Sims;
  let keycloakZvm: ZvmSimulator;
  let project: Project;
  const recorders: Array<Awaited<ReturnType<typeof startTokenRecorder>>> = [];
  const logs: string[] = [];
  const exports: string[] = [];
  const providerTexts: string[] = [];

  const resources = (suffix: string, vmIndex: number): ResourceSpec[] => [
    { type: "zerto:Vpg", name: "vpg", args: vpgArgs(`secret-vpg-${suffix}`, [zvmVmId(vmIndex)]) },
    { type: "vcda:VmReplication", name: "replication", args: replicationArgs(vcdaVmId(vmIndex)) },
    { type: "vcda:ReplicationPolicy", name: "policy", args: policyArgs(`secret-policy-${suffix}`) },
  ];

  /** up, refresh and preview at -v=9 --logtostderr --logflow, the exports, then destroy. */
  async function cycle(stack: TestStack): Promise<void> {
    const logFile = path.join(project.root, `${stack.name}.verbose.log`);
    for (const command of [() => stack.up({ verbose: true }), () => stack.refresh({ verbose: true }), () => stack.preview({ expectNoChanges: true, verbose: true })]) {
      fs.appendFileSync(logFile, (await command()).output);
    }
    const plain = (await stack.runOk(["stack", "export"])).stdout;
    const shown = (await stack.runOk(["stack", "export", "--show-secrets"])).stdout;
    exports.push(plain, shown);
    for (const resource of JSON.parse(shown).deployment.resources ?? []) {
      for (const props of [resource.inputs, resource.outputs]) if (props?.__provider !== undefined) providerTexts.push(JSON.stringify(props.__provider));
    }
    fs.appendFileSync(logFile, (await stack.destroy({ verbose: true })).output);
    logs.push(fs.readFileSync(logFile, "utf8"));
  }

  before(async () => {
    sims = await startSims();
    await allowReplication(sims);
    keycloakZvm = await startZvmSimulator({ authMode: "keycloak", taskPolls: 1, listingLagMs: 50, initializingMs: 50 });
    const [zvmSession, zvmKeycloak, vcda] = await Promise.all([sims.zvm.url, keycloakZvm.url, sims.vcda.url].map(startTokenRecorder));
    recorders.push(zvmSession, zvmKeycloak, vcda);
    project = await Project.program();

    // stack 1: every credential a config secret; ZVM session login, VCDA admin and tenant logins
    const { config, secrets } = stackConnection(zvmSession.url, vcda.url);
    const configSecrets = await project.stack("config-secrets", config, secrets);
    await configSecrets.writeResources(resources("config", 0));
    await cycle(configSecrets);

    // stack 2: credentials from the environment only; ZVM Keycloak client_credentials
    const envCredentials = await project.stack("env-credentials");
    await envCredentials.writeResources(resources("env", 1));
    project.extraEnv = {
      ZERTO_URL: zvmKeycloak.url, ZERTO_AUTH_MODE: "keycloak", ZERTO_CLIENT_ID: CREDENTIALS.zvmClientId, ZERTO_CLIENT_SECRET: CREDENTIALS.zvmClientSecret,
      VCDA_URL: vcda.url, VCDA_AUTH_TYPE: "vcdCredentials", VCDA_USERNAME: CREDENTIALS.vcdaAdmin, VCDA_PASSWORD: CREDENTIALS.vcdaAdminPassword,
      VCDA_PROFILES: JSON.stringify({ tenant: { url: vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword } }),
    };
    await cycle(envCredentials);
    project.extraEnv = {};
  });

  after(async () => {
    project?.dispose();
    await Promise.all(recorders.map((r) => r.close()));
    await keycloakZvm?.close();
    await sims?.close();
  });

  /** Every credential and issued token, and the forms they travel in (Basic header). */
  function secrets(): Map<string, string> {
    const found = new Map<string, string>([
      ["ZVM password", CREDENTIALS.zvmPassword],
      ["ZVM Basic credentials", Buffer.from(`${CREDENTIALS.zvmUser}:${CREDENTIALS.zvmPassword}`).toString("base64")],
      ["Keycloak client secret", CREDENTIALS.zvmClientSecret],
      ["VCDA admin password", CREDENTIALS.vcdaAdminPassword],
      ["VCDA tenant password", CREDENTIALS.vcdaTenantPassword],
      ["wrong password", WRONG_PASSWORD],
      ["wrong Basic credentials", Buffer.from(`${CREDENTIALS.zvmUser}:${WRONG_PASSWORD}`).toString("base64")],
    ]);
    let n = 0;
    for (const recorder of recorders) for (const token of recorder.tokens) found.set(`issued token #${++n}`, token);
    return found;
  }

  const findings: string[] = [];
  const scanned: Record<string, number> = {};
  /** Lines in which the engine itself printed a decrypted config secret (see ENGINE_CONFIG_LINE). */
  let engineConfigLines = 0;

  /**
   * Looks for every secret in `texts`. With `engineLinesExempt`, a credential in a verbose-log line
   * where the engine marshals the stack config to the provider is counted, not reported: that is the
   * engine's own logging (tokens, which the engine never sees, are looked for everywhere).
   */
  function scan(where: string, texts: string[], engineLinesExempt = false): void {
    scanned[where] = (scanned[where] ?? 0) + texts.reduce((n, t) => n + t.length, 0);
    const all = [...secrets()];
    for (const text of texts) {
      for (const line of text.split("\n")) {
        const engineLine = engineLinesExempt && ENGINE_CONFIG_LINE.test(line);
        const found = all.filter(([name, value]) => line.includes(value) && !(engineLine && !name.startsWith("issued token")));
        if (where === "verbose logs" && engineLine && all.some(([, value]) => line.includes(value))) engineConfigLines++;
        findings.push(...found.map(([name]) => `${name} in ${where}: ${line.slice(0, 200)}`));
      }
    }
  }

  it("ran both cycles and saw the sessions and tokens the simulators issued", () => {
    assert.strictEqual(logs.length, 2);
    const issued = recorders.reduce((n, r) => n + r.tokens.size, 0);
    // ZVM session + Keycloak access token + VCDA sessions (admin and tenant, in both stacks)
    assert.ok(issued >= 4, `only ${issued} tokens recorded`);
  });

  it("keeps every secret out of stack exports; with --show-secrets only the engine's copy of the stack config shows them", () => {
    scan("stack export", exports.filter((_, i) => i % 2 === 0));
    // --show-secrets decrypts, by request, the stack config the engine keeps as the default provider's
    // inputs; our resources, their outputs and __provider must hold none, and no token is anywhere
    for (const shown of exports.filter((_, i) => i % 2 === 1)) {
      const resources = JSON.parse(shown).deployment.resources ?? [];
      scan("stack export --show-secrets", resources.filter((r: any) => !String(r.type).startsWith("pulumi:providers:")).map((r: any) => JSON.stringify(r)));
      const tokensOnly = [...secrets()].filter(([name]) => name.startsWith("issued token"));
      for (const r of resources) for (const [name, value] of tokensOnly) if (JSON.stringify(r).includes(value)) findings.push(`${name} in stack export --show-secrets`);
    }
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in stack export")), []);
  });

  it("keeps every secret out of the file backend's files (checkpoints, history, backups)", () => {
    const files = (fs.readdirSync(project.stateDir, { recursive: true, encoding: "utf8" }) as string[])
      .map((f) => path.join(project.stateDir, f)).filter((f) => fs.statSync(f).isFile());
    assert.ok(files.length > 0);
    scan("backend files", files.map((f) => fs.readFileSync(f, "utf8")));
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in backend files")), []);
  });

  it("keeps every secret out of verbose engine logs (-v=9 --logtostderr --logflow)", () => {
    scan("verbose logs", logs, true);
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in verbose logs")), []);
  });

  it("stores a small serialized provider that holds no secret and is not itself a secret", () => {
    assert.ok(providerTexts.length >= 6, "each resource stores __provider");
    scan("__provider", providerTexts);
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in __provider")), []);
    for (const text of providerTexts) {
      assert.ok(!text.includes("4dabf18193072939515e22adb298388d"), "__provider was stored as a secret: the closure captured one");
      assert.ok(text.length < 2048, `__provider is ${text.length} bytes`);
    }
  });

  it("shows no secret in a failed login or in a check failure about a misplaced secret", async () => {
    const stack = await project.stack("errors", { "zerto:url": recorders[0].url, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser },
      { "zerto:password": WRONG_PASSWORD });
    await stack.writeResources([{ type: "zerto:Vpg", name: "vpg", args: vpgArgs("secret-vpg-errors", [zvmVmId(2)]) }]);
    const login = await stack.up({ mayFail: true });
    assert.notStrictEqual(login.code, 0, "a wrong password must fail");
    assert.match(login.output, /zerto|login|401|denied/i);
    await stack.writeResources([{ type: "zerto:Vpg", name: "vpg", args: { ...vpgArgs("secret-vpg-errors", [zvmVmId(2)]), password: CREDENTIALS.zvmPassword } }]);
    const misplaced = await stack.preview({ mayFail: true });

    assert.notStrictEqual(misplaced.code, 0);
    assert.match(misplaced.output, /password/);
    scan("error output", [login.output, misplaced.output]);
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in error output")), []);
  });

  it("shows no secret in any command output of the run", () => {
    // `stack export --show-secrets` asks for decryption; its text is judged by the stack export test
    scan("command output", project.transcript.filter((t) => !t.startsWith("$ pulumi stack export --show-secrets")), true);
    assert.deepStrictEqual(findings.filter((f) => f.includes(" in command output")), []);
    recordFigures("secrets", {
      stacks: 3,
      secretsAndTokensSearched: secrets().size,
      tokensIssued: recorders.reduce((n, r) => n + r.tokens.size, 0),
      bytesScanned: Object.values(scanned).reduce((a, b) => a + b, 0),
      secretsFound: findings.length,
      engineVerboseLinesWithConfigSecrets: engineConfigLines,
      scanned,
    });
  });
});
