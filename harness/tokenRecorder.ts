import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** Response headers and body fields that carry a session credential in the ZVM and VCDA APIs. */
const TOKEN_HEADERS = ["x-zerto-session", "x-vcav-auth"];
const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token", "session_state"];

/**
 * A pass-through proxy on 127.0.0.1 in front of a simulator that writes down every session token
 * and access token the simulator hands out, so a test can look for them where they must not be.
 */
export async function startTokenRecorder(target: string): Promise<{ url: string; tokens: Set<string>; close(): Promise<void> }> {
  const tokens = new Set<string>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const forward = http.request({
      hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: upstream.host },
    }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        for (const name of TOKEN_HEADERS) {
          const value = answer.headers[name];
          if (typeof value === "string" && value) tokens.add(value);
        }
        try {
          const json = JSON.parse(body.toString("utf8"));
          for (const field of TOKEN_FIELDS) if (typeof json?.[field] === "string" && json[field].length >= 8) tokens.add(json[field]);
        } catch {
          // not JSON: nothing to record
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
      });
    });
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokens,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
