import * as assert from "node:assert";
import { ApiError, HttpClient } from "../../provider/http";
import { FaultInjector, generateTestCertificates, RequestJournal, Router, SimClock, SimServer } from "../../simulator/common";

/** A bare SimServer with a counter resource: POST creates, GET reads. */
async function startCounterServer(tls?: { key: string; cert: string }) {
  let created = 0;
  const api = new Router()
    .on("GET", "/items", () => ({ status: 200, body: { created } }))
    .on("POST", "/items", () => ({ status: 201, body: { id: ++created } }))
    .on("GET", "/secure", (req) => req.headers.authorization === "Bearer good"
      ? { status: 200, body: { ok: true } }
      : { status: 401, body: { Message: "Authorization has been denied for this request." } });
  const journal = new RequestJournal();
  const faults = new FaultInjector(7);
  const server = new SimServer({ name: "test", api, errorBody: (_s, e) => ({ Message: e.message }), clock: new SimClock(), faults, journal, tls });
  const url = await server.listen();
  return { server, url, journal, faults, created: () => created };
}

const fastRetry = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe("the shared HTTP layer", () => {
  it("retries a read through a burst of 503s, honouring Retry-After", async () => {
    const sim = await startCounterServer();
    try {
      sim.faults.add({ kind: "status", status: 503, retryAfterSeconds: 0, path: "^/items$", method: "GET", times: 3 });
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, retry: fastRetry });
      const response = await client.request({ method: "GET", path: "/items" });
      assert.strictEqual(response.status, 200);
      assert.strictEqual(sim.journal.list().length, 4);
    } finally {
      await sim.server.close();
    }
  });

  it("gives up after the configured attempts with the status and the server's message", async () => {
    const sim = await startCounterServer();
    try {
      sim.faults.add({ kind: "status", status: 502, path: "^/items$" });
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, retry: fastRetry, describeError: (_s, b: any) => b?.Message });
      await assert.rejects(client.request({ method: "GET", path: "/items" }), (err: ApiError) =>
        err.status === 502 && /Test GET \/items failed with HTTP 502: Injected fault/.test(err.message));
      assert.strictEqual(sim.journal.list().length, 4);
    } finally {
      await sim.server.close();
    }
  });

  it("never re-sends a POST whose connection dropped after the server acted, and says the outcome is unknown", async () => {
    const sim = await startCounterServer();
    try {
      sim.faults.add({ kind: "drop", method: "POST", path: "^/items$", times: 1 });
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, retry: fastRetry });
      await assert.rejects(client.request({ method: "POST", path: "/items", json: {} }), (err: ApiError) => err.outcomeUnknown && err.kind === "network");
      assert.strictEqual(sim.created(), 1, "the POST was applied exactly once");
      assert.strictEqual(sim.journal.list().filter((e) => e.method === "POST").length, 1);
    } finally {
      await sim.server.close();
    }
  });

  it("re-sends a POST refused with 503, because the server did not act on it", async () => {
    const sim = await startCounterServer();
    try {
      sim.faults.add({ kind: "status", status: 503, method: "POST", path: "^/items$", times: 2 });
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, retry: fastRetry });
      const response = await client.request({ method: "POST", path: "/items", json: {} });
      assert.deepStrictEqual(response.body, { id: 1 });
      assert.strictEqual(sim.created(), 1);
    } finally {
      await sim.server.close();
    }
  });

  it("re-authenticates once on 401 and then succeeds", async () => {
    const sim = await startCounterServer();
    try {
      let token = "stale";
      let logins = 0;
      const client = new HttpClient({
        product: "Test", baseUrl: sim.url, retry: fastRetry,
        auth: { headers: async () => ({ Authorization: `Bearer ${token}` }), invalidate: async () => { logins++; token = "good"; } },
      });
      const response = await client.request({ method: "GET", path: "/secure" });
      assert.strictEqual(response.status, 200);
      assert.strictEqual(logins, 1);
    } finally {
      await sim.server.close();
    }
  });

  it("times out a request that gets no answer and reports it as a timeout", async () => {
    const sim = await startCounterServer();
    try {
      sim.faults.add({ kind: "latency", delayMs: 300, path: "^/items$" });
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, timeoutMs: 50, retry: { attempts: 2, baseDelayMs: 1 } });
      await assert.rejects(client.request({ method: "GET", path: "/items" }), (err: ApiError) => err.kind === "timeout");
    } finally {
      await sim.server.close();
    }
  });

  it("keeps secrets out of error messages", async () => {
    const sim = await startCounterServer();
    try {
      const client = new HttpClient({ product: "Test", baseUrl: sim.url, secrets: ["s3cr3t-token"], retry: fastRetry });
      await assert.rejects(client.request({ method: "GET", path: "/missing/s3cr3t-token" }), (err: ApiError) =>
        err.status === 404 && !err.message.includes("s3cr3t-token") && err.message.includes("[secret]"));
    } finally {
      await sim.server.close();
    }
  });

  describe("over TLS", () => {
    const certs = generateTestCertificates();

    it("refuses an untrusted certificate by default with a clear message", async () => {
      const sim = await startCounterServer({ key: certs.key, cert: certs.cert });
      try {
        const client = new HttpClient({ product: "Test", baseUrl: sim.url, retry: fastRetry });
        await assert.rejects(client.request({ method: "GET", path: "/items" }), (err: ApiError) =>
          err.kind === "tls" && /not trusted .*caCertificate/.test(err.message));
        assert.strictEqual(sim.journal.list().length, 0, "nothing reached the server");
      } finally {
        await sim.server.close();
      }
    });

    it("trusts the server when given the CA certificate", async () => {
      const sim = await startCounterServer({ key: certs.key, cert: certs.cert });
      try {
        const client = new HttpClient({ product: "Test", baseUrl: sim.url, caCertificate: certs.ca });
        assert.strictEqual((await client.request({ method: "GET", path: "/items" })).status, 200);
      } finally {
        await sim.server.close();
      }
    });

    it("skips verification only with the explicit insecure switch", async () => {
      const sim = await startCounterServer({ key: certs.key, cert: certs.cert });
      try {
        const client = new HttpClient({ product: "Test", baseUrl: sim.url, insecure: true });
        assert.strictEqual((await client.request({ method: "GET", path: "/items" })).status, 200);
      } finally {
        await sim.server.close();
      }
    });
  });
});
