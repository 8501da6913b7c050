#!/usr/bin/env node
/**
 * pulumi-drprotect-sim: runs the ZVM and/or VCDA simulator on 127.0.0.1 until SIGINT/SIGTERM, so the
 * provider (or curl) can be tried without an appliance.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { generateTestCertificates } from "./common";
import { startVcdaSimulator } from "./vcda";
import { startZvmSimulator } from "./zvm";

const USAGE = `Usage:
  pulumi-drprotect-sim zvm  [--port N] [--auth session|keycloak] [--inventory FILE] [--state FILE] [TLS] [--seed N]
  pulumi-drprotect-sim vcda [--port N] [--inventory FILE] [--state FILE] [TLS] [--seed N]
  pulumi-drprotect-sim all  [--zvm-port N] [--vcda-port N] [--auth session|keycloak]
                            [--zvm-inventory FILE] [--vcda-inventory FILE] [--zvm-state FILE] [--vcda-state FILE] [TLS] [--seed N]
  TLS is --tls-cert FILE --tls-key FILE, or --tls-self-signed; plain HTTP without them.

Options:
  --port N             port on 127.0.0.1 (zvm default 9669, vcda default 8046; 0 picks a free one)
  --auth MODE          ZVM login: session (POST /v1/session/add, Windows ZVM) or keycloak (ZVM appliance)
  --zvm-shape 7.x      answer GET /v1/vpgs as a 7.x ZVM does (no StatusDescription, site names, VpgType); default 10.x
  --any-login-method   session mode: accept an account whatever AuthenticationMethod it logs in with
                       (by default a vCenter account needs {"AuthenticationMethod": "1"}, a Windows one none)
  --vcda-patch-site S  the site a VCDA replication PATCH must name: destination (the guide, default) or source
  --vcda-min-api-version V  refuse an older h4 version in Accept with 406 (e.g. 4.7); default: any
  --inventory FILE     replaces the bundled inventory (sites, VMs, networks, ...)
  --state FILE         keeps the simulator's objects in FILE across restarts
  --tls-cert F --tls-key F   serve HTTPS with this certificate and key (PEM)
  --tls-self-signed    serve HTTPS with a throw-away CA; prints the CA file to trust
  --task-polls N       task reads before a task completes (default 2)
  --seed N             seed of the fault injector's random draws
  --latency-ms N       add N ms to every API answer (a WAN); change it later with PUT /_admin/load
  --throttle-per-second N   above N requests in a rolling second, answer 429 with Retry-After (0: never)
  --ready-file FILE    once listening, write {"zvm": {"url"}, "vcda": {"url"}} to FILE (for scripts)

Built-in accounts:
  zvm   session: admin / zerto-sim-password (vCenter account),
        ZVM\\administrator / zerto-sim-windows-password (Windows account); keycloak: client drprotect / zerto-sim-client-secret
        (or the password grant through client zerto-client with the session user)
  vcda  root / vcda-sim-root-password (localUser), root@System / vcda-sim-vcd-password (provider admin),
        admin@org-acme / vcda-sim-tenant-password (tenant)`;

const DEFAULT_PORTS = { zvm: 9669, vcda: 8046 };

interface Running {
  product: "zvm" | "vcda";
  url: string;
  close(): Promise<void>;
}

type Options = Record<string, string | boolean | undefined>;

function integer(options: Options, name: string, fallback?: number): number | undefined {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== "string" || !Number.isInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number, not '${raw}'`);
  return value;
}

function existingFile(options: Options, name: string): string | undefined {
  const file = options[name];
  if (file === undefined) return undefined;
  if (typeof file !== "string" || !fs.existsSync(file)) throw new UsageError(`--${name}: no such file '${file}'`);
  return file;
}

/** Directories to remove on shutdown (the throw-away CA of --tls-self-signed). */
const scratch: string[] = [];

function tlsOptions(options: Options): { key: string; cert: string } | undefined {
  if (options["tls-self-signed"]) {
    const certificates = generateTestCertificates();
    scratch.push(certificates.dir);
    console.log(`TLS: trust the CA in ${certificates.dir}/ca.pem (zerto:caCertificate / vcda:caCertificate)`);
    return { key: certificates.key, cert: certificates.cert };
  }
  const certFile = existingFile(options, "tls-cert");
  const keyFile = existingFile(options, "tls-key");
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new UsageError("--tls-cert and --tls-key go together");
  return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8") };
}

async function startZvm(options: Options, prefix: string, tls: ReturnType<typeof tlsOptions>): Promise<Running> {
  const authMode = (options.auth ?? "session") as string;
  if (authMode !== "session" && authMode !== "keycloak") throw new UsageError(`--auth must be session or keycloak, not '${authMode}'`);
  const sim = await startZvmSimulator({
    port: integer(options, `${prefix}port`, DEFAULT_PORTS.zvm),
    authMode,
    strictLoginMethod: !options["any-login-method"],
    responseShape: zvmShape(options),
    inventoryFile: existingFile(options, `${prefix}inventory`),
    stateFile: options[`${prefix}state`] as string | undefined,
    taskPolls: integer(options, "task-polls"),
    seed: integer(options, "seed"),
    ...loadOptions(options),
    tls,
  });
  const who = authMode === "session" ? "user admin" : "client drprotect";
  console.log(`zvm listening on ${sim.url} (auth: ${authMode}, ${who}; local site ${sim.localSiteId}, peer site ${sim.peerSiteId})`);
  return { product: "zvm", url: sim.url, close: sim.close };
}

async function startVcda(options: Options, prefix: string, tls: ReturnType<typeof tlsOptions>): Promise<Running> {
  const sim = await startVcdaSimulator({
    port: integer(options, `${prefix}port`, DEFAULT_PORTS.vcda),
    inventoryFile: existingFile(options, `${prefix}inventory`),
    stateFile: options[`${prefix}state`] as string | undefined,
    taskPolls: integer(options, "task-polls"),
    seed: integer(options, "seed"),
    patchSite: patchSite(options),
    minApiVersion: minApiVersion(options),
    ...loadOptions(options),
    tls,
  });
  console.log(`vcda listening on ${sim.url} (local site ${sim.localSite}, remote site ${sim.remoteSite}; `
    + "users root [localUser], root@System [provider admin], admin@org-acme [tenant])");
  return { product: "vcda", url: sim.url, close: sim.close };
}

function loadOptions(options: Options): { latencyMs?: number; throttlePerSecond?: number } {
  return { latencyMs: integer(options, "latency-ms"), throttlePerSecond: integer(options, "throttle-per-second") };
}

function zvmShape(options: Options): "10.x" | "7.x" | undefined {
  const shape = options["zvm-shape"];
  if (shape === undefined || shape === "10.x" || shape === "7.x") return shape;
  throw new UsageError(`--zvm-shape must be 10.x or 7.x, not '${String(shape)}'`);
}

function patchSite(options: Options): "destination" | "source" | undefined {
  const site = options["vcda-patch-site"];
  if (site === undefined || site === "destination" || site === "source") return site;
  throw new UsageError(`--vcda-patch-site must be destination or source, not '${String(site)}'`);
}

function minApiVersion(options: Options): string | undefined {
  const version = options["vcda-min-api-version"];
  if (version === undefined || (typeof version === "string" && /^\d+(\.\d+)?$/.test(version))) return version;
  throw new UsageError(`--vcda-min-api-version must be a version such as 4.7, not '${String(version)}'`);
}

class UsageError extends Error {}

const FLAGS = ["port", "zvm-port", "vcda-port", "auth", "inventory", "zvm-inventory", "vcda-inventory", "state", "zvm-state", "vcda-state",
  "tls-cert", "tls-key", "task-polls", "seed", "ready-file", "zvm-shape", "vcda-patch-site", "vcda-min-api-version", "latency-ms", "throttle-per-second"];

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...Object.fromEntries(FLAGS.map((flag) => [flag, { type: "string" as const }])),
      "tls-self-signed": { type: "boolean" },
      "any-login-method": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const values: Options = parsed.values;
  const positionals = parsed.positionals;
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (positionals.length > 1 || !["zvm", "vcda", "all"].includes(command)) throw new UsageError(`unknown command '${positionals.join(" ")}'`);
  const tls = tlsOptions(values);
  const running: Running[] = [];
  const stop = async () => {
    await Promise.all(running.map((sim) => sim.close()));
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (command === "zvm" || command === "all") running.push(await startZvm(values, command === "all" ? "zvm-" : "", tls));
    if (command === "vcda" || command === "all") running.push(await startVcda(values, command === "all" ? "vcda-" : "", tls));
  } catch (err) {
    await stop();
    throw err;
  }
  if (typeof values["ready-file"] === "string") {
    const ready = Object.fromEntries(running.map((sim) => [sim.product, { url: sim.url }]));
    const file = values["ready-file"];
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(ready));
    fs.renameSync(`${file}.tmp`, file);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    void stop().then(() => {
      console.log(`stopped (${signal})`);
      process.exit(0);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main(process.argv.slice(2)).catch((err: Error) => {
  const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS");
  console.error(`pulumi-drprotect-sim: ${err.message}${usage ? " (see --help)" : ""}`);
  process.exit(usage ? 2 : 1);
});
