import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { ApiError, HttpClient } from "../../provider/http";
import { generateTestCertificates } from "../../simulator/common";

/** A real server on 127.0.0.1 that counts the connections it accepted and the requests it could read. */
async function listen(server: http.Server, answer: (res: http.ServerResponse) => void = (res) => res.end("{}")) {
  let requests = 0;
  let connections = 0;
  server.on("request", (_req, res) => { requests++; answer(res); });
  server.on("connection", () => { connections++; });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => requests,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const retry = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe("the HTTP layer when the URL's scheme does not match the server", () => {
  it("explains an https URL at a plain-HTTP server in plain words, once, without the TLS library's text", async () => {
    const server = await listen(http.createServer());
    try {
      const client = new HttpClient({ product: "Zerto", baseUrl: `https://127.0.0.1:${server.port}`, retry });
      await assert.rejects(client.request({ method: "GET", path: "/v1/vpgs" }), (err: ApiError) => {
        assert.equal(err.kind, "tls");
        assert.match(err.message, /https:\/\/127\.0\.0\.1:\d+ is addressed with https, but the server there answers in plain HTTP, without TLS/);
        assert.match(err.message, /Check zerto:url/);
        assert.doesNotMatch(err.message, /wrong version number|EPROTO|ssl3_get_record/);
        return true;
      });
      assert.equal(server.connections(), 1, "a scheme mismatch cannot heal: no retry");
      assert.equal(server.requests(), 0);
    } finally {
      await server.close();
    }
  });

  it("explains an http URL at a TLS port instead of 'socket hang up', without retrying", async () => {
    const certs = generateTestCertificates();
    const server = await listen(https.createServer({ key: certs.key, cert: certs.cert }));
    try {
      const client = new HttpClient({ product: "VCDA", baseUrl: `http://127.0.0.1:${server.port}`, retry });
      await assert.rejects(client.request({ method: "GET", path: "/policies" }), (err: ApiError) => {
        assert.equal(err.kind, "tls");
        assert.match(err.message, /http:\/\/127\.0\.0\.1:\d+ is addressed with plain http, but the server there expects TLS/);
        assert.match(err.message, /Check vcda:url .*use https:\/\//);
        assert.doesNotMatch(err.message, /socket hang up/);
        return true;
      });
      assert.equal(server.requests(), 0);
      assert.equal(server.connections(), 2, "the request and one handshake probe, and no retry of the request");
    } finally {
      await server.close();
    }
  });

  it("explains the 400 a TLS front end such as nginx gives plain HTTP on its TLS port", async () => {
    const server = await listen(http.createServer(), (res) => {
      res.writeHead(400, { "Content-Type": "text/html" });
      res.end("<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>");
    });
    try {
      const client = new HttpClient({ product: "Zerto", baseUrl: `http://127.0.0.1:${server.port}`, retry });
      await assert.rejects(client.request({ method: "GET", path: "/v1/vpgs" }), (err: ApiError) => err.kind === "tls"
        && /is addressed with plain http, but the server there expects TLS and answered 400\. Check zerto:url/.test(err.message));
    } finally {
      await server.close();
    }
  });

  it("still reports a connection dropped by a plain-HTTP server as a network error", async () => {
    const server = http.createServer();
    server.on("request", (req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const client = new HttpClient({ product: "VCDA", baseUrl: `http://127.0.0.1:${port}`, retry: { ...retry, attempts: 1 } });
      await assert.rejects(client.request({ method: "GET", path: "/policies" }), (err: ApiError) => err.kind === "network" && /socket hang up/.test(err.message));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
