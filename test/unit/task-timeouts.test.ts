import * as assert from "node:assert/strict";
import { configure, vcdaConnection, zertoConnection } from "../../provider/connection";

describe("task timeouts from stack config and the environment", () => {
  const saved = { zerto: process.env.ZERTO_TASK_TIMEOUT_SECONDS, vcda: process.env.VCDA_TASK_TIMEOUT_SECONDS };
  const base = { "zerto:url": "https://zvm.example", "vcda:url": "https://vcda.example" };
  const stackConfig = (values: Record<string, string>) => configure({ get: (key) => ({ ...base, ...values } as Record<string, string>)[key] });

  afterEach(() => {
    for (const [product, value] of Object.entries(saved)) {
      const name = `${product.toUpperCase()}_TASK_TIMEOUT_SECONDS`;
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    configure({ get: () => undefined });
  });

  it("waits 30 minutes for a task by default", () => {
    delete process.env.ZERTO_TASK_TIMEOUT_SECONDS;
    delete process.env.VCDA_TASK_TIMEOUT_SECONDS;
    stackConfig({});
    assert.equal(zertoConnection().taskTimeoutSeconds, 1800);
    assert.equal(vcdaConnection().taskTimeoutSeconds, 1800);
  });

  it("takes zerto:taskTimeoutSeconds and vcda:taskTimeoutSeconds from stack config before the environment", () => {
    process.env.ZERTO_TASK_TIMEOUT_SECONDS = "60";
    process.env.VCDA_TASK_TIMEOUT_SECONDS = "70";
    stackConfig({ "zerto:taskTimeoutSeconds": "7200", "vcda:taskTimeoutSeconds": "5400" });
    assert.equal(zertoConnection().taskTimeoutSeconds, 7200);
    assert.equal(vcdaConnection().taskTimeoutSeconds, 5400);
  });

  it("falls back to ZERTO_TASK_TIMEOUT_SECONDS and VCDA_TASK_TIMEOUT_SECONDS", () => {
    process.env.ZERTO_TASK_TIMEOUT_SECONDS = "60";
    process.env.VCDA_TASK_TIMEOUT_SECONDS = "70";
    stackConfig({});
    assert.equal(zertoConnection().taskTimeoutSeconds, 60);
    assert.equal(vcdaConnection().taskTimeoutSeconds, 70);
  });

  it("lets a profile set its own timeout, and inherits the stack's otherwise", () => {
    stackConfig({
      "zerto:taskTimeoutSeconds": "900",
      "zerto:profiles": JSON.stringify({ slow: { url: "https://zvm2", taskTimeoutSeconds: 14400 }, quick: { url: "https://zvm3" } }),
    });
    assert.equal(zertoConnection("slow").taskTimeoutSeconds, 14400);
    assert.equal(zertoConnection("quick").taskTimeoutSeconds, 900);
  });

  for (const bad of ["0", "-5", "1.5", "ten", "99999999"]) {
    it(`refuses a task timeout of '${bad}', naming the key and the range`, () => {
      stackConfig({ "vcda:taskTimeoutSeconds": bad });
      assert.throws(() => vcdaConnection(), /vcda:taskTimeoutSeconds \(or VCDA_TASK_TIMEOUT_SECONDS\) must be a whole number of seconds from 1 to 604800/);
    });
  }

  it("finds only profiles that were configured, never a property every object has", () => {
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2" } }) });
    assert.throws(() => zertoConnection("constructor"), /zerto profile 'constructor' is not configured \(known: site2\)/);
    assert.throws(() => zertoConnection("toString"), /is not configured/);
  });
});
