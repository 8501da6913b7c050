import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import * as tls from "node:tls";

export interface TlsOptions {
  /** PEM text of a CA certificate to trust, or the path of a PEM file. */
  caCertificate?: string;
  /** Skip certificate verification entirely. Never the default. */
  insecure?: boolean;
}

const agents = new Map<string, http.Agent>();

/** One keep-alive agent per endpoint and TLS setting, shared by every client in the process. */
export function agentFor(url: string, tls: TlsOptions): http.Agent {
  const ca = tls.caCertificate ? loadPem(tls.caCertificate) : undefined;
  const key = `${new URL(url).origin}|${tls.insecure ? "insecure" : ""}|${ca ?? ""}`;
  let agent = agents.get(key);
  if (!agent) {
    // no maxSockets cap: node-fetch 2 reports a false "Premature close" when a queued request
    // reuses a keep-alive socket (node-fetch#1767); the engine's parallelism bounds concurrency
    agent = url.startsWith("https:")
      ? new https.Agent({ keepAlive: true, ca, rejectUnauthorized: !tls.insecure })
      : new http.Agent({ keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

function loadPem(value: string): string {
  if (value.includes("-----BEGIN")) return value;
  return fs.readFileSync(value, "utf8");
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_UNTRUSTED",
]);

export function isTlsError(code: string | undefined): boolean {
  return code !== undefined && TLS_CODES.has(code);
}

/**
 * An https URL at a server that answers in plain HTTP: OpenSSL reads the HTTP reply as a TLS
 * record and reports "wrong version number" (EPROTO), or "packet length too long" on some builds.
 */
export function isPlainHttpAnswer(err: NodeJS.ErrnoException): boolean {
  return err.code === "ERR_SSL_WRONG_VERSION_NUMBER" || err.code === "ERR_SSL_PACKET_LENGTH_TOO_LONG"
    || (err.code === "EPROTO" && /wrong version number|packet length too long|http request/i.test(err.message));
}

/**
 * Whether the server behind a URL completes a TLS handshake. Asked only after an http URL had its
 * connection dropped, which is what a TLS port does with plain HTTP; nothing is sent but the
 * handshake, and the certificate is not judged (the question is the protocol, not trust).
 */
export function speaksTls(url: string, timeoutMs = 3000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tls.connect({ host: hostname, port: Number(port || 80), servername: isIP(hostname) ? undefined : hostname, rejectUnauthorized: false });
    const done = (answer: boolean) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("secureConnect", () => done(true));
    socket.once("error", () => done(false));
  });
}
