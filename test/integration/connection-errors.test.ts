import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { vcdaConnection, zertoConnection } from "../../provider/connection";
import { createVcdaClient } from "../../provider/vcda/client";
import { createZertoClient } from "../../provider/zerto/client";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";

const ENV = ["ZERTO_URL", "ZERTO_USERNAME", "ZERTO_PASSWORD", "ZERTO_AUTH_MODE", "VCDA_URL", "VCDA_USERNAME", "VCDA_PASSWORD"];

/** A port nothing listens on: one the system gave out and took back. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The first failure of a login, as the provider reports it. */
async function loginFailure(login: () => Promise<unknown>): Promise<Error> {
  try {
    await login();
  } catch (err) {
    return err as Error;
  }
  throw new Error("the login succeeded");
}

const assertNoStackTrace = (err: Error) => assert.ok(!/\n\s+at /.test(err.stack ?? ""), `a stack trace: ${err.stack}`);

describe("connection errors a person can act on (real HTTP)", () => {
  let zvm: ZvmSimulator;
  let vcda: VcdaSimulator;
  let saved: Record<string, string | undefined>;
  const zerto = (url: string) => {
    Object.assign(process.env, { ZERTO_URL: url, ZERTO_USERNAME: "admin", ZERTO_PASSWORD: "zerto-sim-password", ZERTO_AUTH_MODE: "session" });
    return createZertoClient(zertoConnection(), { retry: { attempts: 1 } });
  };
  const cloud = (url: string) => {
    Object.assign(process.env, { VCDA_URL: url, VCDA_USERNAME: "root@System", VCDA_PASSWORD: "vcda-sim-vcd-password" });
    return createVcdaClient(vcdaConnection(), { retry: { attempts: 1 } });
  };

  before(async () => {
    saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
    [zvm, vcda] = await Promise.all([startZvmSimulator(), startVcdaSimulator()]);
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await Promise.all([zvm.close(), vcda.close()]);
  });

  it("a ZVM or VCDA nobody answers at: names the URL and the setting it came from, without a stack trace", async () => {
    const url = await closedPortUrl();
    const zvmError = await loginFailure(() => zerto(url).listVpgs());
    assert.match(zvmError.message, new RegExp(`^the ZVM at ${url} could not be reached \\(.*ECONNREFUSED.*\\); check zerto:url \\(or ZERTO_URL\\)$`));
    assertNoStackTrace(zvmError);
    const vcdaError = await loginFailure(() => cloud(url).listPolicies());
    assert.match(vcdaError.message, new RegExp(`^the VCDA at ${url} could not be reached \\(.*ECONNREFUSED.*\\); check vcda:url \\(or VCDA_URL\\)$`));
    assertNoStackTrace(vcdaError);
  });

  it("a URL that answers 404 at the login path: says it is not a ZVM (VCDA) API", async () => {
    // each simulator is the other product's wrong URL: a live HTTP server with no such login route
    const zvmError = await loginFailure(() => zerto(vcda.url).listVpgs());
    assert.equal(zvmError.message,
      `${vcda.url} is not a ZVM API: it answered HTTP 404 to the ZVM login (POST /v1/session/add); check zerto:url (or ZERTO_URL), the ZVM API's base URL`);
    assertNoStackTrace(zvmError);
    const vcdaError = await loginFailure(() => cloud(zvm.url).listPolicies());
    assert.equal(vcdaError.message,
      `${zvm.url} is not a VCDA API: it answered HTTP 404 to the VCDA login (POST /sessions); check vcda:url (or VCDA_URL), the VCDA API's base URL`);
    assertNoStackTrace(vcdaError);
  });

  it("leaves a refused login as it was: the credentials, not the URL, are wrong", async () => {
    process.env.ZERTO_PASSWORD = "wrong-password-1234";
    const client = createZertoClient({ ...zertoConnection(), url: zvm.url }, { retry: { attempts: 1 } });
    assert.match((await loginFailure(() => client.listVpgs())).message, /^Zerto login to .* was refused/);
  });
});
