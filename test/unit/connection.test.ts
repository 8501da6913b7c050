import * as assert from "node:assert/strict";
import { configure, preflightSetting, vcdaConnection, zertoConnection } from "../../provider/connection";
import { packageSchema } from "../../provider/schema";

/** schema.json `config`: every key with the environment variable it falls back to. */
const CONFIG = packageSchema().config as Record<string, { env?: string; type?: string }>;
const ENV_NAMES = Object.values(CONFIG).map((key) => key.env).filter((env): env is string => !!env);

describe("connection settings, as schema.json config describes them", () => {
  const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
  const stackConfig = (values: Record<string, string>) => configure({ get: (key) => values[key] });

  beforeEach(() => {
    for (const name of ENV_NAMES) delete process.env[name];
    configure({ get: () => undefined });
  });

  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    configure({ get: () => undefined });
  });

  it("names an environment variable for every key", () => {
    for (const [key, schema] of Object.entries(CONFIG)) assert.ok(schema.env, `${key} has no env`);
    assert.equal(CONFIG["zerto:caCertificate"].env, "ZERTO_CA_CERT");
    assert.equal(CONFIG["vcda:taskTimeoutSeconds"].env, "VCDA_TASK_TIMEOUT_SECONDS");
  });

  it("reads each Zerto key from the environment variable the schema names", () => {
    Object.assign(process.env, {
      ZERTO_URL: "https://zvm.env", ZERTO_USERNAME: "admin", ZERTO_PASSWORD: "pw-from-env", ZERTO_CLIENT_ID: "cid",
      ZERTO_CLIENT_SECRET: "cs-from-env", ZERTO_AUTH_MODE: "keycloak", ZERTO_INSECURE: "true", ZERTO_CA_CERT: "/ca.pem",
      ZERTO_TASK_TIMEOUT_SECONDS: "60", ZERTO_REFRESH_MODE: "full", ZERTO_LOGIN_METHOD: "windows", ZERTO_MAX_CONCURRENT_REQUESTS: "4",
    });
    assert.deepEqual(zertoConnection(), {
      url: "https://zvm.env", username: "admin", password: "pw-from-env", clientId: "cid", clientSecret: "cs-from-env",
      authMode: "keycloak", loginMethod: "windows", insecure: true, caCertificate: "/ca.pem", taskTimeoutSeconds: 60, refreshMode: "full",
      maxConcurrentRequests: 4, urlSetting: "zerto:url (or ZERTO_URL)",
    });
  });

  it("reads each VCDA key from the environment variable the schema names", () => {
    Object.assign(process.env, {
      VCDA_URL: "https://vcda.env", VCDA_AUTH_TYPE: "vcdAccessToken", VCDA_USERNAME: "u@org", VCDA_PASSWORD: "pw", VCDA_TOKEN: "tok",
      VCDA_INSECURE: "1", VCDA_CA_CERT: "/ca.pem", VCDA_TASK_TIMEOUT_SECONDS: "90", VCDA_MAX_CONCURRENT_REQUESTS: "16",
    });
    assert.deepEqual(vcdaConnection(), {
      url: "https://vcda.env", authType: "vcdAccessToken", username: "u@org", password: "pw", token: "tok",
      insecure: true, caCertificate: "/ca.pem", taskTimeoutSeconds: 90, maxConcurrentRequests: 16, urlSetting: "vcda:url (or VCDA_URL)",
    });
  });

  it("fills the schema's defaults: authMode auto, authType vcdCredentials, TLS verified, 30-minute tasks, 8 requests in flight", () => {
    stackConfig({ "zerto:url": "https://zvm", "vcda:url": "https://vcda" });
    const zerto = zertoConnection();
    const vcda = vcdaConnection();
    assert.deepEqual([zerto.authMode, zerto.insecure, zerto.taskTimeoutSeconds, zerto.maxConcurrentRequests], ["auto", false, 1800, 8]);
    assert.deepEqual([vcda.authType, vcda.insecure, vcda.taskTimeoutSeconds, vcda.maxConcurrentRequests], ["vcdCredentials", false, 1800, 8]);
  });

  it("takes stack config before the environment", () => {
    process.env.ZERTO_URL = "https://zvm.env";
    process.env.ZERTO_USERNAME = "env-user";
    stackConfig({ "zerto:url": "https://zvm.config" });
    assert.equal(zertoConnection().url, "https://zvm.config");
    assert.equal(zertoConnection().username, "env-user");
  });

  it("takes a named profile before stack config, as a whole connection that inherits only the task timeout", () => {
    stackConfig({
      "vcda:url": "https://vcda.main", "vcda:username": "provider@System", "vcda:insecure": "true", "vcda:taskTimeoutSeconds": "600",
      "vcda:profiles": JSON.stringify({ tenant: { url: "https://vcda.tenant", username: "admin@acme", password: "tenant-pw" } }),
    });
    assert.deepEqual(vcdaConnection("tenant"), {
      url: "https://vcda.tenant", authType: "vcdCredentials", username: "admin@acme", password: "tenant-pw", insecure: false, taskTimeoutSeconds: 600,
      maxConcurrentRequests: 8, urlSetting: "vcda:profiles.tenant.url",
    });
    assert.equal(vcdaConnection().username, "provider@System");
  });

  it("refuses a maxConcurrentRequests outside 1 to 64, naming the key and the rule", () => {
    stackConfig({ "zerto:url": "https://zvm", "zerto:maxConcurrentRequests": "0" });
    assert.throws(() => zertoConnection(), /zerto:maxConcurrentRequests \(or ZERTO_MAX_CONCURRENT_REQUESTS\) must be a whole number from 1 to 64/);
  });

  it("reads profile values set with `pulumi config set --path` (text) as the types the schema wants", () => {
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2", insecure: "true", taskTimeoutSeconds: "14400" } }) });
    const site2 = zertoConnection("site2");
    assert.equal(site2.insecure, true);
    assert.equal(site2.taskTimeoutSeconds, 14400);
  });

  it("reads a VPG refresh as the read-only summary unless zerto:refreshMode says full; a profile takes the stack's unless it sets its own", () => {
    stackConfig({ "zerto:url": "https://zvm" });
    assert.equal(zertoConnection().refreshMode, "summary");
    stackConfig({
      "zerto:url": "https://zvm", "zerto:refreshMode": "full",
      "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2" }, site3: { url: "https://zvm3", refreshMode: "summary" } }),
    });
    assert.deepEqual([zertoConnection().refreshMode, zertoConnection("site2").refreshMode, zertoConnection("site3").refreshMode], ["full", "full", "summary"]);
    stackConfig({ "zerto:url": "https://zvm", "zerto:refreshMode": "deep" });
    assert.throws(() => zertoConnection(), { message: 'zerto:refreshMode (or ZERTO_REFRESH_MODE) must be one of "summary", "full" [rule: enum]' });
  });

  it("logs in to a Windows ZVM as a vCenter account unless zerto:loginMethod (or a profile's loginMethod) says windows", () => {
    stackConfig({ "zerto:url": "https://zvm" });
    assert.equal(zertoConnection().loginMethod, "vcenter");
    stackConfig({
      "zerto:url": "https://zvm", "zerto:loginMethod": "windows",
      "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2" }, site3: { url: "https://zvm3", loginMethod: "windows" } }),
    });
    // a profile is a whole connection: it does not take the stack's login method
    assert.deepEqual([zertoConnection().loginMethod, zertoConnection("site2").loginMethod, zertoConnection("site3").loginMethod], ["windows", "vcenter", "windows"]);
    stackConfig({ "zerto:url": "https://zvm", "zerto:loginMethod": "ntlm" });
    assert.throws(() => zertoConnection(), { message: 'zerto:loginMethod (or ZERTO_LOGIN_METHOD) must be one of "vcenter", "windows" [rule: enum]' });
  });

  it("refuses a zerto:authMode outside its enum, naming the key, its variable and the rule", () => {
    stackConfig({ "zerto:url": "https://zvm", "zerto:authMode": "kerberos" });
    assert.throws(() => zertoConnection(), {
      message: 'zerto:authMode (or ZERTO_AUTH_MODE) must be one of "auto", "session", "keycloak" [rule: enum]',
    });
  });

  it("refuses an insecure setting that is neither true nor false, without echoing it", () => {
    process.env.VCDA_URL = "https://vcda";
    process.env.VCDA_INSECURE = "hunter2-not-a-flag";
    assert.throws(() => vcdaConnection(), (err: Error) => {
      assert.equal(err.message, "vcda:insecure (or VCDA_INSECURE) must be true or false [rule: type]");
      return true;
    });
  });

  it("refuses a profile with an unknown setting, naming the profile, the key and the rule", () => {
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2", pasword: "s3cret-value" } }) });
    assert.throws(() => zertoConnection("site2"), (err: Error) => {
      assert.equal(err.message, "zerto profiles are not valid: zerto:profiles.site2.pasword is not a known setting [rule: known settings]");
      return true;
    });
  });

  it("refuses a profile whose value breaks its key's rule, without echoing the value", () => {
    const secret = "tenant-password-123";
    stackConfig({ "vcda:profiles": JSON.stringify({ tenant: { url: "https://vcda2", authType: secret } }) });
    assert.throws(() => vcdaConnection("tenant"), (err: Error) => {
      assert.match(err.message, /vcda:profiles\.tenant\.authType must be one of "localUser", "ssoCredentials", "ssoToken", "vcdCredentials", "vcdAccessToken" \[rule: enum\]/);
      assert.ok(!err.message.includes(secret));
      return true;
    });
  });

  it("refuses a profile that is not an object of settings", () => {
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: "https://zvm2" }) });
    assert.throws(() => zertoConnection("site2"), /zerto:profiles\.site2 must be an object \[rule: type\]/);
  });

  it("says how to configure a connection that has no url", () => {
    assert.throws(() => vcdaConnection(), /the VCDA connection is not configured: set vcda:url \(pulumi config set vcda:url https:\/\/vcda.example.com\) or VCDA_URL/);
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { username: "admin" } }) });
    assert.throws(() => zertoConnection("site2"), /zerto profile 'site2' has no url/);
  });

  it("reads drprotect:preflight from stack config, else DRPROTECT_PREFLIGHT", () => {
    process.env.DRPROTECT_PREFLIGHT = "off";
    assert.equal(preflightSetting(), "off");
    stackConfig({ "drprotect:preflight": "on" });
    assert.equal(preflightSetting(), "on");
  });
});
