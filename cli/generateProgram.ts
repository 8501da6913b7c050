/**
 * The pure half of `pulumi-drprotect generate`: what was read from a ZVM or VCDA, as a Pulumi
 * TypeScript program (index.ts, Pulumi.yaml, package.json, tsconfig.json). No network, no secrets:
 * the model holds declarations, names for ids, and the config keys the user must set.
 */

export type GeneratedProduct = "zerto" | "vcda";

/** One resource of the program. */
export interface Declaration {
  /** SDK class under the product's module, e.g. "Vpg". */
  type: "Vpg" | "ReplicationPolicy" | "OrgPolicyAssignment" | "VmReplication" | "VappReplication";
  /** The object's own name (VPG name, policy display name, org, VM name): the source of the resource and variable names. */
  objectName: string;
  /** The resource's inputs, exactly as the provider reads the object back. */
  args: Record<string, unknown>;
  /** Comment lines above the declaration (what the object is, what was left out and why). */
  notes: string[];
  /** Inputs whose value is another declaration's output: input key → that declaration's objectName and type, and the output read. */
  references?: Record<string, { type: Declaration["type"]; objectName: string; output: string }>;
}

/** A config key the program needs, and whether it is a credential (set with --secret, never written). */
export interface ConfigHint {
  key: string;
  env?: string;
  secret: boolean;
  /** The value to show in the `pulumi config set` line (never for secrets). */
  value?: string;
}

export interface ProgramModel {
  product: GeneratedProduct;
  /** The endpoint read (shown in the header; URLs carry no credential here). */
  source: string;
  /** The command line that produced it, without credentials. */
  command: string;
  declarations: Declaration[];
  /** Ids (VM, site, datastore, vDC …) → names, shown as comments beside the ids. */
  names: Map<string, string>;
  config: ConfigHint[];
  /** Objects seen but not declared, and why (header comment). */
  skipped: string[];
  /** protect: true on every resource (default): a stray destroy cannot delete production DR. */
  protect: boolean;
  /** This package as package.json names it: where the running copy came from (see packageSource.ts). */
  packageSpec: string;
  pulumiVersion: string;
  projectName: string;
}

const TYPE_PREFIX: Record<Declaration["type"], string> = {
  Vpg: "vpg", ReplicationPolicy: "policy", OrgPolicyAssignment: "assignment", VmReplication: "replication", VappReplication: "vappReplication",
};

/** A readable Pulumi resource name: the object's name in lower-case words joined by "-". */
export function resourceSlug(name: string): string {
  const slug = name.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug || "unnamed";
}

/** A TypeScript identifier for the declaration: the type's prefix and the name in camelCase (never a reserved word). */
export function variableName(type: Declaration["type"], name: string): string {
  const words = resourceSlug(name).split("-").filter(Boolean);
  return TYPE_PREFIX[type] + words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

/** Text safe inside a comment: one line, printable. */
export function commentText(text: string): string {
  // one line, and never the end of the block comment the header is
  return [...text].map((c) => (c.charCodeAt(0) < 0x20 || c === "\u007f" || c === "\u2028" || c === "\u2029" ? " " : c)).join("").replace(/ {2,}/g, " ").replace(/\*\//g, "* /").trim();
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Unique names per kind: a second "web-01" becomes "web-01-2". */
function uniqueNames(declarations: Declaration[]): Array<{ resource: string; variable: string }> {
  const taken = new Set<string>();
  const variables = new Set<string>();
  return declarations.map((d) => {
    const base = resourceSlug(d.objectName);
    let resource = base;
    for (let i = 2; taken.has(`${d.type}/${resource}`); i++) resource = `${base}-${i}`;
    taken.add(`${d.type}/${resource}`);
    const baseVar = variableName(d.type, resource);
    let variable = baseVar;
    for (let i = 2; variables.has(variable); i++) variable = `${baseVar}_${i}`;
    variables.add(variable);
    return { resource, variable };
  });
}

/** A value as TypeScript source, with `// name` beside each id the model knows a name for. */
function renderValue(value: unknown, names: Map<string, string>, indent = "", expressions: Record<string, string> = {}): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => typeof v !== "object" || v === null) && !value.some((v) => typeof v === "string" && names.has(v))) {
      return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    }
    return `[\n${value.map((v) => `${inner}${renderValue(v, names, inner)},${nameComment(v, names)}`).join("\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([key, v]) => {
      const property = IDENTIFIER.test(key) ? key : JSON.stringify(key);
      const rendered = expressions[key] ?? renderValue(v, names, inner);
      return `${inner}${property}: ${rendered},${expressions[key] ? "" : nameComment(v, names)}`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function nameComment(value: unknown, names: Map<string, string>): string {
  return typeof value === "string" && names.has(value) ? ` // ${commentText(names.get(value)!)}` : "";
}

function setLine(hint: ConfigHint): string {
  if (hint.secret) return `pulumi config set --secret ${hint.key}   # prompts; never written in plain text${hint.env ? ` (or ${hint.env})` : ""}`;
  return `pulumi config set ${hint.key} ${hint.value ?? `<${hint.key.split(":")[1]}>`}${hint.env ? `   # or ${hint.env}` : ""}`;
}

function header(model: ProgramModel): string[] {
  const product = model.product === "zerto" ? "Zerto" : "VCDA";
  const lines = [
    `Generated by \`${commentText(model.command)}\` from ${commentText(model.source)}.`,
    `It declares the ${product} objects found there exactly as the provider reads them back, so the first`,
    "`pulumi up` adopts them (adoptExisting: true takes an object only when it still matches its declaration;",
    "otherwise the update stops, lists each difference and changes nothing) and the preview after it is empty.",
    "",
    "Connection (the same settings the provider reads; credentials are never written to these files):",
    ...model.config.map((hint) => `  ${setLine(hint)}`),
    "",
    model.protect
      ? "Every resource has protect: true: `pulumi destroy`, or deleting a declaration, fails instead of deleting"
      : "protect is off (--no-protect): `pulumi destroy`, or deleting a declaration, DELETES the object on the server:",
    model.protect
      ? "production DR. To really delete one: `pulumi state unprotect <URN>`, then destroy. To stop managing one"
      : "a VPG or replication goes with its replica history. To stop managing one without deleting it, run",
    model.protect
      ? "without deleting it: `pulumi state delete <URN>` (it stays on the server)."
      : "`pulumi state delete <URN>` (it stays on the server).",
  ];
  if (model.skipped.length) lines.push("", "Not declared:", ...model.skipped.map((s) => `  - ${commentText(s)}`));
  return ["/**", ...lines.map((l) => (l ? ` * ${l}` : " *")), " */"];
}

/** index.ts of the program. */
export function renderIndex(model: ProgramModel): string {
  const ids = uniqueNames(model.declarations);
  const variableOf = new Map(model.declarations.map((d, i) => [`${d.type}/${d.objectName}`, ids[i].variable]));
  const out = [...header(model), 'import * as pulumi from "@pulumi/pulumi";', 'import * as dr from "pulumi-drprotect";', ""];
  out.push(model.protect
    ? "// protect: a destroy or a removed declaration fails instead of deleting production DR (see the header)"
    : "// protect is off: a destroy or a removed declaration deletes the object on the server");
  out.push(`const options: pulumi.CustomResourceOptions = { protect: ${model.protect} };`, "");
  if (model.declarations.length === 0) out.push("// nothing matched: no objects to declare", "");
  model.declarations.forEach((d, i) => {
    const expressions: Record<string, string> = {};
    for (const [key, ref] of Object.entries(d.references ?? {})) {
      const variable = variableOf.get(`${ref.type}/${ref.objectName}`);
      if (variable) expressions[key] = `${variable}.${ref.output}`;
    }
    for (const note of d.notes) out.push(`// ${commentText(note)}`);
    out.push(`export const ${ids[i].variable} = new dr.${model.product}.${d.type}(${JSON.stringify(ids[i].resource)}, ${renderValue(d.args, model.names, "", expressions)}, options);`, "");
  });
  return out.join("\n");
}

export function renderFiles(model: ProgramModel): Record<string, string> {
  const product = model.product === "zerto" ? "Zerto VPGs" : "VCDA replication policies, assignments and replications";
  return {
    "index.ts": renderIndex(model),
    "Pulumi.yaml": `name: ${model.projectName}\nruntime: nodejs\ndescription: ${JSON.stringify(`Existing ${product} under Pulumi (generated by pulumi-drprotect generate)`)}\n`,
    "package.json": JSON.stringify({
      name: model.projectName,
      private: true,
      main: "index.ts",
      dependencies: { "@pulumi/pulumi": `^${model.pulumiVersion}`, "pulumi-drprotect": model.packageSpec },
    }, null, 2) + "\n",
    "tsconfig.json": JSON.stringify({
      compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true },
      files: ["index.ts"],
    }, null, 2) + "\n",
  };
}

/** A glob (`*` any text, `?` one character) as an anchored, case-insensitive test. */
export function globMatcher(glob: string | undefined): (name: string) => boolean {
  if (!glob) return () => true;
  const source = glob.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  const pattern = new RegExp(`^${source}$`, "i");
  return (name) => pattern.test(name);
}
