#!/usr/bin/env node
/**
 * pulumi-drprotect: tools around the provider for GitOps. Each subcommand is one entry of COMMANDS
 * (name, summary, usage, run), so adding one is adding an entry.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { vmIdsIn, resourceChanges, parseEngineJson, Step } from "./changes";
import { driftReport, hasFindings, renderDriftMarkdown, SettingsRead } from "./drift";
import { readVpgSettings } from "./settingsRead";
import { vpgsUnderTest } from "./testsInProgress";
import { renderReviewMarkdown, reviewPreview } from "./review";
import { lookUpNames, recoverySiteIdsIn } from "./names";
import { lookUpPolicyFacts, PolicyFacts, policiesInSteps } from "./policyReview";
import { connectionFlags, generate, summary } from "./generate";
import { DRILL_EXIT, drillCommand } from "./drill/command";

/** Exit codes, shared by every subcommand. */
const EXIT = { ok: 0, error: 1, findings: 2 } as const;

interface Io {
  readInput(file: string | undefined): Promise<string>;
  write(text: string): void;
  warn(text: string): void;
}

interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

class UsageError extends Error {}

const COMMON_OPTIONS = {
  format: { type: "string", default: "markdown" },
  output: { type: "string", short: "o" },
  names: { type: "string", default: "auto" },
  help: { type: "boolean", short: "h" },
} as const;

const COMMON_USAGE = `  --format markdown|json   Markdown for a PR comment (default) or the same as JSON data
  -o, --output FILE        write there instead of stdout
  --names auto|off         auto: look VM, site, network and datastore names up read-only when ZERTO_URL (with ZERTO_USERNAME/
                           ZERTO_PASSWORD or ZERTO_CLIENT_ID/ZERTO_CLIENT_SECRET) is set; off: show ids`;

const COMMANDS: Record<string, Command> = {
  review: {
    summary: "a pull-request comment from `pulumi preview --json`: risks first, then old → new per resource",
    usage: `pulumi-drprotect review [PREVIEW.json | -] [options]
  Reads the output of \`pulumi preview --json\` (add --refresh to the preview to report drift too)
  from the file, or stdin when none or "-" is given.
${COMMON_USAGE}
                           review, auto: also VCDA policies (names, limits) and organizations' replications
                           when VCDA_URL (with VCDA_USERNAME/VCDA_PASSWORD …) is set; policy names come from
                           the preview's own states first
  --fail-on risk|change|never   exit ${EXIT.findings} when the review flags a risk (risk), when anything
                           changes (change); never (default) exits 0 whenever the review is written
Exit codes: ${EXIT.ok} written, ${EXIT.findings} --fail-on matched, ${EXIT.error} bad input or usage.`,
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON_OPTIONS, "fail-on": { type: "string", default: "never" } } });
      const failOn = oneOf(values["fail-on"], ["risk", "change", "never"], "--fail-on");
      const format = oneOf(values.format, ["markdown", "json"], "--format");
      const preview = parseEngineJson(await io.readInput(positionals[0]), "pulumi preview");
      const review = reviewPreview(preview, await names(preview.steps, values.names, io), await policyFacts(preview.steps ?? [], values.names, io));
      emit(io, values.output, format === "json" ? JSON.stringify(review, null, 2) + "\n" : renderReviewMarkdown(review));
      const changed = review.resources.length + review.drift.length > 0;
      return (failOn === "risk" && review.risks.length > 0) || (failOn === "change" && changed) ? EXIT.findings : EXIT.ok;
    },
  },
  drift: {
    summary: "a drift report from `pulumi preview --refresh --json` or `pulumi refresh --preview-only --json`",
    usage: `pulumi-drprotect drift [REFRESH.json | -] [options]
pulumi-drprotect drift --run [--stack NAME] [--cwd DIR] [options]
  Reads the output of \`pulumi preview --refresh --json\` or \`pulumi refresh --preview-only --json\`
  from the file (stdin when none or "-"), or runs \`pulumi preview --refresh --json\` itself with --run
  (pulumi on PATH, in --cwd, for --stack). Only what the refresh found counts: state changes
  (protectionState, replicationState, recoveryState: a failover, a pause) and settings. The pinned
  CLI's refresh JSON repeats the old state, so from it only the number of drifted resources is known.
  A default VPG refresh reads a summary without per-VM settings (NICs, re-IP, volumes, journals):
  with the ZVM connection (ZERTO_URL …) this command reads each VPG's full settings itself, through an
  edit draft it deletes (never commits), a few VPGs at a time.
${COMMON_USAGE}
  --vm-settings auto|off   auto (default): read each VPG's full settings when ZERTO_URL is set; off: only
                           what the refresh read (the report lists the VPGs not compared in full)
  Replications that VCDA's compliance status (a ReplicationPolicy's compliance output) reports out of
  compliance with their organization's policy are listed as a state, changed or not.
Exit codes: ${EXIT.ok} no drift, ${EXIT.findings} drift or non-compliant replications found, ${EXIT.error} bad input, a failed refresh or usage.`,
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
        ...COMMON_OPTIONS, run: { type: "boolean" }, stack: { type: "string" }, cwd: { type: "string" }, "vm-settings": { type: "string", default: "auto" },
      } });
      const format = oneOf(values.format, ["markdown", "json"], "--format");
      const readSettings = oneOf(values["vm-settings"], ["auto", "off"], "--vm-settings") === "auto" && !!process.env.ZERTO_URL;
      if (!values.run && (values.stack || values.cwd)) throw new UsageError("--stack and --cwd go with --run");
      const text = values.run ? await runRefresh(values.stack, values.cwd ?? process.cwd()) : await io.readInput(positionals[0]);
      const refresh = parseEngineJson(text, "pulumi preview --refresh");
      const settings = readSettings ? await readVpgSettings(refresh.steps ?? []) : undefined;
      const tests = process.env.ZERTO_URL ? await vpgsUnderTest(refresh.steps ?? []) : [];
      const report = driftReport(refresh, await names(refresh.steps, values.names, io, settings), settings, tests);
      emit(io, values.output, format === "json" ? JSON.stringify(report, null, 2) + "\n" : renderDriftMarkdown(report));
      return hasFindings(report) ? EXIT.findings : EXIT.ok;
    },
  },
  generate: {
    summary: "a ready Pulumi program declaring the VPGs (zerto) or policies, assignments and replications (vcda) that exist",
    usage: `pulumi-drprotect generate zerto|vcda [--out DIR] [--name-pattern GLOB] [--site S] [--org O] [options]
  Reads the ZVM or VCDA read-only (a VPG's definition through an edit draft that is always discarded)
  and writes DIR/index.ts, Pulumi.yaml, package.json and tsconfig.json: one resource per object, with
  the inputs the provider reads back and adoptExisting: true, so the first \`pulumi up\` changes nothing.
  --out DIR              where to write (default ./drprotect-<product>); an existing index.ts needs --force
  --name-pattern GLOB    only objects whose name matches (* and ?, case-insensitive): VPG name, policy
                         display name or its orgs, replicated VM name
  --site S               zerto: VPGs protecting from or recovering to site S (id or name); vcda: replications
                         from or to site S
  --org O                zerto: VPGs of ZORG O (id or name); vcda: assignments and replications of org O
  --profile NAME         read through the named connection of <product>:profiles and declare it on each resource
  --no-protect           leave out protect: true (by default a destroy cannot delete what was adopted)
  --include-managed      also declare objects a stack of the current Pulumi backend already manages (by
                         default they are left out and listed; the backend is read with \`pulumi stack ls --all\`)
  Connection: the provider's settings, from the environment (ZERTO_URL, ZERTO_USERNAME, ZERTO_PASSWORD …,
  VCDA_URL, VCDA_USERNAME, VCDA_PASSWORD …) or these flags for the non-secret ones:
${Object.entries(connectionFlags()).map(([flag, { product, key }]) => `  --${flag.padEnd(21)}${product.map((p) => `${p}:${key}`).join(", ")}`).join("\n")}
  Credentials come only from the environment and are never written to the files.
Exit codes: ${EXIT.ok} written, ${EXIT.error} a failed read, bad input or usage.`,
    async run(args, io) {
      const flags = connectionFlags();
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
        out: { type: "string", short: "o" }, "name-pattern": { type: "string" }, site: { type: "string" }, org: { type: "string" },
        profile: { type: "string" }, "no-protect": { type: "boolean" }, force: { type: "boolean" }, "include-managed": { type: "boolean" },
        ...Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: "string" as const }])),
      } });
      const product = oneOf(positionals[0], ["zerto", "vcda"], "the product");
      if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
      const connection: Record<string, string> = {};
      for (const [flag, { product: products, key }] of Object.entries(flags)) {
        const value = (values as Record<string, unknown>)[flag];
        if (typeof value !== "string") continue;
        if (!products.includes(product)) throw new UsageError(`--${flag} is not a ${product} setting`);
        connection[key] = value;
      }
      const out = values.out ?? `drprotect-${product}`;
      const { model } = await generate({
        product, out, namePattern: values["name-pattern"], site: values.site, org: values.org, profile: values.profile,
        protect: !values["no-protect"], force: values.force === true, includeManaged: values["include-managed"] === true, connection,
      }, args);
      io.write(summary(model, out));
      return EXIT.ok;
    },
  },
  drill: {
    summary: "failover tests of the stack's VPGs and replications, with checks, cleanup and evidence (Markdown, JSON, JUnit)",
    usage: `pulumi-drprotect drill [PATTERN ...] [--stack NAME] [--cwd DIR] [options]
pulumi-drprotect drill --cleanup [--stack NAME] [--cwd DIR]
  Tests the failover of every VPG and replication in the stack's state (or those whose resource or
  appliance name matches a PATTERN, * and ?): checks health (a target not ready, or already in a test,
  refuses the whole drill, which then starts nothing), tags a point in time, starts the test, waits for
  the test VMs, runs the checks of the drill file, and always stops the test. Never fails over.
  --cwd DIR              the Pulumi program's directory (default .): its stack, its drill file
  --stack NAME           the stack (default: the selected one)
  --drill-file FILE      the checks and targets, YAML or JSON (default DIR/drill.yaml, .yml or .json; none: no checks)
  --out DIR              where the evidence goes (default DIR/drill-evidence): drill-<stack>.md, .json, .xml
  --parallel N           targets at a time (default: the drill file's parallel, else 2)
  --dry-run              print the plan and stop
  --cleanup              stop every test the record (DIR/.drprotect/drill-<stack>.json) names that the
                         appliance still shows running: what a killed drill left behind
  --format text|json     the summary as a table (default) or the evidence as JSON
  Connection: as the provider's, from the environment (ZERTO_URL, ZERTO_USERNAME, ZERTO_PASSWORD …,
  VCDA_URL …; a resource's profile from ZERTO_PROFILES / VCDA_PROFILES).
Exit codes: ${DRILL_EXIT.passed} every target and check passed, ${DRILL_EXIT.failed} a target failed, was refused or a test
could not be stopped, ${DRILL_EXIT.error} bad input or usage, 130/143 interrupted (tests stopped).`,
    async run(args, io) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
        stack: { type: "string" }, cwd: { type: "string" }, "drill-file": { type: "string" }, out: { type: "string" }, parallel: { type: "string" },
        "dry-run": { type: "boolean" }, cleanup: { type: "boolean" }, format: { type: "string", default: "text" },
      } });
      const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
      if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1 || parallel > 32)) throw new UsageError("--parallel must be an integer in 1..32");
      if (values.cleanup && (positionals.length || values["dry-run"])) throw new UsageError("--cleanup takes no patterns and no --dry-run");
      return drillCommand({
        cwd: values.cwd ?? process.cwd(), stack: values.stack, patterns: positionals, drillFile: values["drill-file"], out: values.out ?? "drill-evidence",
        format: oneOf(values.format, ["text", "json"], "--format"), dryRun: values["dry-run"] === true, cleanup: values.cleanup === true, parallel,
      }, { write: io.write, progress: (line) => io.warn(line.replace(/\n$/, "")) });
    },
  },
};

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${option} must be one of ${allowed.join(", ")}, not '${value}'`);
  return value as T;
}

async function names(steps: Step[] | undefined, mode: string | undefined, io: Io, settings?: SettingsRead): Promise<Map<string, string>> {
  if (oneOf(mode, ["auto", "off"], "--names") === "off") return new Map();
  return lookUpNames(vmIdsIn(resourceChanges(steps ?? [], settings?.outputs)), io.warn, recoverySiteIdsIn(steps ?? []));
}

/** VCDA policies (names, limits) and the replications of organizations whose assignment changes; VCDA is asked only with --names auto. */
async function policyFacts(steps: Step[], mode: string | undefined, io: Io): Promise<PolicyFacts> {
  if (mode === "off") return { policies: policiesInSteps(steps), incomingByOrg: new Map(), lookUpNote: "--names off" };
  const orgs = resourceChanges(steps).filter((c) => c.type === "vcda:OrgPolicyAssignment" && c.applianceName).map((c) => c.applianceName as string);
  return lookUpPolicyFacts(steps, [...new Set(orgs)], io.warn);
}

function emit(io: Io, file: string | undefined, text: string): void {
  if (file) fs.writeFileSync(file, text);
  else io.write(text);
}

/** `pulumi preview --refresh --json`: the refresh's old → new, which the refresh JSON leaves out. */
function runRefresh(stack: string | undefined, cwd: string): Promise<string> {
  const args = ["preview", "--refresh", "--json", "--non-interactive", ...(stack ? ["--stack", stack] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("error", (err) => reject(new Error(`pulumi could not start: ${err.message}`)));
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args.join(" ")} exited ${code}:\n${stdout.slice(0, 4000)}`))));
  });
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `Usage: pulumi-drprotect <command> [options]   (pulumi-drprotect <command> --help for its options)\n\nCommands:\n${lines.join("\n")}\n`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.write(usage());
    return name ? EXIT.ok : EXIT.error;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.warn(`unknown command '${name}'\n${usage()}`);
    return EXIT.error;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.write(command.usage + "\n");
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const usageHint = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? `\n\n${command.usage}` : "";
    io.warn(`pulumi-drprotect ${name}: ${(err as Error).message}${usageHint}`);
    return EXIT.error;
  }
}

const processIo: Io = {
  async readInput(file) {
    if (file && file !== "-") return fs.readFileSync(file, "utf8");
    if (process.stdin.isTTY) throw new UsageError("no input: give a file or pipe the pulumi --json output in");
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text;
  },
  write: (text) => process.stdout.write(text),
  warn: (text) => process.stderr.write(`${text}\n`),
};

if (require.main === module) {
  main(process.argv.slice(2), processIo).then((code) => (process.exitCode = code));
}
