import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TestCertificates {
  /** PEM of the CA that signed the server certificate: what a client must trust. */
  ca: string;
  key: string;
  cert: string;
  dir: string;
}

/**
 * A throw-away CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI,
 * so the simulators can serve HTTPS in tests and demos.
 */
export function generateTestCertificates(dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-tls-"))): TestCertificates {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=drprotect test CA",
    "-keyout", "ca.key", "-out", "ca.pem"]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"]);
  fs.writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", "ext.cnf", "-out", "server.pem"]);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return { ca: read("ca.pem"), key: read("server.key"), cert: read("server.pem"), dir };
}
