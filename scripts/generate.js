#!/usr/bin/env node
// Generates everything that follows from schema.json (the single source of truth). A generated file is
// known by its name or its folder, never by a list: `*.generated.ts` anywhere, everything in
// provider/delegates/ and docs/resources/, and docs/functions.md. Each starts with a DO NOT EDIT header.
//   provider/inputs.generated.ts     plain input/output types the runtime works with
//   provider/resources.generated.ts  per resource: token, computed output keys, replaceOnChanges and createOnly paths
//   provider/handlers.generated.ts   token → handler module (provider/<module>/<type>.ts exporting `handler`)
//   provider/delegates/<type>.ts     the one-line delegate Pulumi serializes into state (paths kept: state names them)
//   provider/inputValidators.generated.ts, configValidators.generated.ts  schema.json compiled by ajv
//   sdk/args.generated.ts            the input types with pulumi.Input<> for Pulumi programs
//   sdk/modules.generated.ts         one namespace per module (re-exported by the hand-written sdk/index.ts)
//   sdk/<module>/<type>.generated.ts the resource classes, every output declared with its type
//   sdk/<module>/resources.generated.ts  a module's resource classes (re-exported by its hand-written index.ts)
//   sdk/<module>/lookups.generated.ts    the look-ups' argument and result types (schema.json `functions`),
//                                    which the hand-written sdk/<module>/lookups.ts implements
//   docs/resources/<Type>.md         a resource's reference page, with its example from docs/examples/<Type>.md
//   docs/functions.md                the look-ups' reference page, with the example docs/examples/functions.md
// Usage: node scripts/generate.js [--check] [--schema <schema.json>] [--out <root>]
//   --check  exits 1 when a generated file is missing, stale or left over (run by the unit tests)
//   --schema, --out  generate from another schema into another tree (the tests use a temp dir); the
//            examples are read from docs/examples/ beside the schema
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? path.resolve(process.argv[at + 1]) : fallback;
};
const schemaFile = option("--schema", path.join(root, "schema.json"));
const outRoot = option("--out", root);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
const HEADER = "// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.\n";

// ---- schema helpers ----

function resolve(node) {
  if (!node) return {};
  if (node.$ref) return { ...resolve(schema.definitions[node.$ref.replace("#/definitions/", "")]), ...omit(node, "$ref") };
  if (node.allOf && node.allOf.length === 1 && node.allOf[0].$ref) {
    const base = resolve(node.allOf[0]);
    return { ...base, ...omit(node, "allOf"), properties: { ...base.properties, ...node.properties } };
  }
  return node;
}

/** Only a direct $ref is followed, as the runtime's annotations always were. */
function resolveRef(node) {
  return node.$ref ? { ...schema.definitions[node.$ref.replace("#/definitions/", "")], ...node } : node;
}

function omit(obj, key) {
  const { [key]: _drop, ...rest } = obj;
  return rest;
}

/** Input properties carrying an annotation (`replaceOnChanges`, `createOnly`), as dotted paths. */
function annotatedPaths(inputs, annotation) {
  const found = [];
  const walk = (node, prefix, depth) => {
    if (depth >= 4) return;
    for (const [key, entry] of Object.entries(node.properties ?? {})) {
      const child = resolveRef(entry);
      const p = prefix ? `${prefix}.${key}` : key;
      if (child[annotation]) found.push(p);
      walk(child, p, depth + 1);
    }
  };
  walk(inputs, "", 0);
  return found;
}

function docComment(text, indent) {
  if (!text) return "";
  return `${indent}/** ${text.replace(/\*\//g, "*\\/")} */\n`;
}

const camel = (type) => type[0].toLowerCase() + type.slice(1);
const constantName = (type) => type.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** Everything the generator needs about one resource. */
function describe(token, resource) {
  const inputKeys = Object.keys(resource.inputs.properties);
  const outputKeys = Object.keys(resource.outputs);
  return {
    token,
    resource,
    module: resource.module,
    type: resource.type,
    file: camel(resource.type),
    inputKeys,
    outputKeys,
    computedOutputs: outputKeys.filter((k) => !inputKeys.includes(k)),
    replaceOnChanges: annotatedPaths(resource.inputs, "replaceOnChanges"),
    createOnly: annotatedPaths(resource.inputs, "createOnly"),
  };
}

const resources = Object.entries(schema.resources).map(([token, resource]) => describe(token, resource));
const modules = [...new Set(resources.map((r) => r.module))];

// ---- types ----

/** Emits named interfaces for nested objects (by their `title`) and returns the type expression. */
function typeOf(node, nameHint, ctx) {
  const n = resolve(node);
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (n.const !== undefined) return JSON.stringify(n.const);
  if (Array.isArray(n.type)) return n.type.map((type) => typeOf({ ...n, type }, nameHint, ctx)).join(" | ");
  switch (n.type) {
    case "string": return "string";
    case "integer":
    case "number": return "number";
    case "boolean": return "boolean";
    case "null": return "null";
    case "array": return `${ctx.wrapArray(typeOf(n.items, nameHint.replace(/s$/, ""), ctx))}`;
    case "object": {
      if (!n.properties) return "Record<string, unknown>";
      const name = n.title || nameHint;
      emitInterface(name, n, ctx);
      return name;
    }
    default: return "unknown";
  }
}

function emitInterface(name, node, ctx, suffix = "") {
  const full = name + suffix;
  if (ctx.emitted.has(full)) return;
  ctx.emitted.add(full);
  const required = new Set(node.required || []);
  let body = docComment(node.description, "");
  body += `export interface ${full} {\n`;
  for (const [key, child] of Object.entries(node.properties)) {
    const c = resolve(child);
    const type = typeOf(child, name + key[0].toUpperCase() + key.slice(1), ctx);
    const optional = required.has(key) ? "" : "?";
    const notes = [c.description, c.default !== undefined ? `Default: ${JSON.stringify(c.default)}.` : "",
      c.createDefault !== undefined ? `Default for a new resource: ${JSON.stringify(c.createDefault)}.` : "",
      c.replaceOnChanges && !ctx.plainData ? "Changing it replaces the resource." : ""].filter(Boolean).join(" ");
    body += docComment(notes, "  ");
    body += `  ${key}${optional}: ${ctx.wrap(ctx.rename(type))};\n`;
  }
  body += "}\n";
  ctx.out.push(body);
}

function generateTypes(flavour) {
  const out = [];
  const plain = flavour === "plain";
  const ctx = {
    out,
    emitted: new Set(),
    wrap: (t) => (plain ? t : `pulumi.Input<${t}>`),
    wrapArray: (t) => (plain ? `${t}[]` : `pulumi.Input<${ctx.rename(t)}>[]`),
    rename: (t) => t.split(" | ").map((p) => (plain || !/^[A-Z]/.test(p) ? p : `${p}Args`)).join(" | "),
  };
  for (const r of resources) {
    const name = r.resource.inputs.title;
    // nested types first, so the file reads top-down by resource
    emitInterface(name, { ...r.resource.inputs, description: r.resource.description }, ctx, plain ? "Inputs" : "Args");
    if (plain) {
      // outputs that are also inputs (observed state) keep the input's type
      const body = r.computedOutputs.map((k) => {
        const v = r.resource.outputs[k];
        return `${docComment(v.description, "  ")}  ${k}?: ${typeOf(v, name + k, ctx)};\n`;
      }).join("");
      out.push(`/** Outputs of ${name} beyond its inputs. */\nexport interface ${name}Outputs extends ${name}Inputs {\n${body}}\n`);
    }
  }
  if (!plain) {
    // nested interfaces were emitted under their plain titles: rename them to ...Args
    const titles = [...ctx.emitted].filter((t) => !t.endsWith("Args"));
    return out.map((block) => {
      let b = block;
      for (const t of titles) b = b.replace(new RegExp(`export interface ${t} \\{`), `export interface ${t}Args {`);
      return b;
    }).join("\n");
  }
  return out.join("\n");
}

// ---- provider ----

function resourcesModule() {
  const list = (items) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
  const shapes = resources.map((r) => `/** ${r.token}: ${r.resource.description.split(". ")[0].replace(/\.$/, "")}. */\n`
    + `export const ${constantName(r.type)}: ResourceShape = {\n`
    + `  token: ${JSON.stringify(r.token)},\n`
    + `  computedOutputs: ${list(r.computedOutputs)},\n`
    + `  replaceOnChanges: ${list(r.replaceOnChanges)},\n`
    + `  createOnly: ${list(r.createOnly)},\n`
    + "};\n");
  return `${HEADER}
/** What schema.json says about a resource that its handler needs, without reading the schema at run time. */
export interface ResourceShape {
  readonly token: string;
  /** Output keys the handler computes: outputs that are not inputs. */
  readonly computedOutputs: readonly string[];
  /** Input paths annotated \`replaceOnChanges\`: a change of them replaces the resource. */
  readonly replaceOnChanges: string[];
  /** Input paths annotated \`createOnly\`: used at creation, never compared afterwards. */
  readonly createOnly: string[];
}

${shapes.join("\n")}`;
}

function handlersModule() {
  const entries = resources.map((r) => `  ${JSON.stringify(r.token)}: () => require("./${r.module}/${r.file}").handler,\n`).join("");
  return `${HEADER}import type { ResourceHandler } from "./types";

/** Resource handlers by schema token, loaded on first use: provider/<module>/<type>.ts exports \`handler\`. */
export const HANDLER_LOADERS: Record<string, () => ResourceHandler> = {
${entries}};
`;
}

function delegateModule(r) {
  return `${HEADER}import { delegateFor } from "../dynamic";

// The module object itself is the delegate: installed under node_modules, Pulumi stores it as a
// one-line require of this file instead of serializing its code.
export = delegateFor(${JSON.stringify(r.token)});
`;
}

// ---- sdk ----

/** The type of an output as a program sees it: plain values, nested objects by their provider type name. */
function outputType(node, nameHint) {
  const ctx = {
    out: [],
    emitted: new Set(),
    wrap: (t) => t,
    wrapArray: (t) => `${t}[]`,
    rename: (t) => t,
  };
  const type = typeOf(node, nameHint, ctx);
  return type.split(" | ").map((p) => (/^[A-Z]/.test(p) && !p.startsWith("Record<") ? `outputs.${p}` : p)).join(" | ");
}

/** Items joined by ", " into lines of at most 130 characters. */
function wrapList(items, indent) {
  const lines = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + item.length + 2 <= 130) lines[last] += ` ${item},`;
    else lines.push(`${indent}${item},`);
  }
  return lines.join("\n");
}

function sdkClass(r) {
  const { resource, type, token } = r;
  const idOutput = resource.idOutput;
  const required = new Set(resource.inputs.required || []);
  const inputProps = resolve(resource.inputs).properties;
  const members = [];
  for (const key of r.outputKeys) {
    const out = resource.outputs[key];
    const input = inputProps[key];
    const t = input && !out.type ? outputType(input, type + key[0].toUpperCase() + key.slice(1)) : outputType(out, type + key);
    const doc = [out.description ?? resolve(input).description, key === idOutput ? "The resource id: known during the preview of an update." : ""]
      .filter(Boolean).join(" ");
    members.push(`${docComment(doc, "  ")}  declare readonly ${key}: pulumi.Output<${t}>;\n`);
  }
  for (const [key, input] of Object.entries(inputProps)) {
    if (r.outputKeys.includes(key)) continue;
    const t = outputType(input, type + key[0].toUpperCase() + key.slice(1));
    // an optional input the program does not set is not registered: its member resolves to undefined
    members.push(`${docComment(resolve(input).description, "  ")}  declare readonly ${key}: pulumi.Output<${required.has(key) ? t : `${t} | undefined`}>;\n`);
  }
  const body = members.join("");
  const placeholders = wrapList(r.outputKeys.map((k) => `${k}: undefined`), "      ");
  const echoedInputs = wrapList(Object.keys(inputProps).filter((k) => !r.outputKeys.includes(k)).map((k) => JSON.stringify(k)), "      ");
  const usesOutputTypes = body.includes("outputs.");
  return `${HEADER}import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/${r.file}");
${usesOutputTypes ? 'import type * as outputs from "../../provider/inputs.generated";\n' : ""}import type * as args from "../args.generated";
import { guardConstruction } from "../guards";
${idOutput ? 'import { idOutput } from "../idOutput";\n' : ""}import { settleUnsetInputs } from "../unsetInputs";

${docComment(resource.description, "")}export class ${type} extends pulumi.dynamic.Resource {
${body}
  constructor(name: string, resourceArgs: args.${resource.inputs.title}Args, opts?: pulumi.CustomResourceOptions) {
    guardConstruction(${JSON.stringify(token)}, name, resourceArgs);
    // the provider's outputs are registered up front (undefined values are not sent), the inputs as set
    const placeholders = {
${placeholders}
    };
    super(provider, name, { ...placeholders, ...resourceArgs }, opts, ${JSON.stringify(r.module)}, ${JSON.stringify(type)});
${idOutput ? `    this.${idOutput} = idOutput(this.id, this.${idOutput});\n` : ""}    settleUnsetInputs(this, [
${echoedInputs}
    ]);
  }
}
`;
}

/** A module's resource classes; its hand-written index.ts re-exports them beside its look-ups. */
function sdkModuleResources(module) {
  return HEADER + resources.filter((r) => r.module === module).map((r) => `export * from "./${r.file}.generated";\n`).join("");
}

/** One namespace per module (`dr.zerto`, `dr.vcda`); the hand-written sdk/index.ts re-exports them. */
function sdkModules() {
  return HEADER + modules.map((m) => `export * as ${m} from "./${m}";\n`).join("");
}

// ---- look-ups (schema.json `functions`) ----

/** Everything the generator needs about one look-up: token drprotect:<module>:<name>. */
const functions = Object.entries(schema.functions ?? {}).map(([token, fn]) => {
  const [, module, name] = token.split(":");
  return { token, module, name, ...fn };
});

/**
 * A module's look-up argument and result types, named by their `title`: look-ups that share a title
 * (every getX of a vCenter object takes GetSiteObjectArgs) must declare the same shape.
 */
function lookupTypesModule(module) {
  const ctx = { out: [], emitted: new Set(), plainData: true, wrap: (t) => t, wrapArray: (t) => `${t}[]`, rename: (t) => t };
  const shapes = new Map();
  for (const fn of functions.filter((f) => f.module === module)) {
    for (const side of [fn.inputs, fn.outputs]) {
      const shape = JSON.stringify(side);
      if (shapes.has(side.title) && shapes.get(side.title) !== shape) {
        throw new Error(`schema.json functions: ${fn.token} declares ${side.title} unlike the look-ups before it`);
      }
      shapes.set(side.title, shape);
      emitInterface(side.title, side, ctx);
    }
  }
  return `${HEADER}\n${ctx.out.join("\n")}`;
}

// ---- validators ----

/**
 * schema.json compiled by ajv here, once, into plain functions (ajv's standalone code): a provider
 * process loads them instead of loading ajv and compiling every schema, which cost a no-change
 * preview more than everything else the provider does (bench/RESULTS.md).
 */
function compiledModule(options, add) {
  const { default: Ajv, _ } = require("ajv");
  const addErrors = require("ajv-errors");
  const standaloneCode = require("ajv/dist/standalone").default;
  const ajv = new Ajv({ code: { source: true }, allErrors: true, strict: true, ...options });
  addErrors(ajv);
  // annotations that carry no validation rule
  for (const keyword of ["replaceOnChanges", "createOnly", "secret"]) ajv.addKeyword({ keyword, schemaType: "boolean" });
  ajv.addKeyword({ keyword: "env", schemaType: "string" });
  // a value applied in code when a new object is created, never filled into the inputs (the built-in VCDA policy keeps its live values)
  ajv.addKeyword({ keyword: "createDefault" });
  // rules across items, run by provider/schemaKeywords.ts
  for (const keyword of ["uniqueItemProperties", "uniqueIgnoringCase"]) {
    ajv.addKeyword({
      keyword, type: "array", schemaType: "array",
      code(cxt) {
        const rule = cxt.gen.scopeValue("func", { ref: () => true, code: _`require("./schemaKeywords")[${keyword}]` });
        cxt.fail(_`!${rule}(${cxt.data}, ${cxt.schemaValue})`);
      },
    });
  }
  const exported = {};
  add(ajv, (name, id, body) => {
    ajv.addSchema(body, id);
    exported[name] = id;
  });
  return `${HEADER}/* eslint-disable */\n// @ts-nocheck\n${standaloneCode(ajv, exported)}\nexport {};\n`;
}

/** Every resource's inputs, by token; `check` fills in the defaults. */
function inputValidatorsModule() {
  return compiledModule({ useDefaults: true, $data: true, verbose: true, strictTypes: false, strictRequired: false, allowUnionTypes: true }, (ajv, add) => {
    ajv.addSchema({ $id: "drprotect", definitions: schema.definitions });
    resources.forEach((r, i) => add(r.token, `resource${i}`,
      JSON.parse(JSON.stringify(r.resource.inputs).replace(/"#\/definitions\//g, '"drprotect#/definitions/'))));
  });
}

/** `<product>:profiles` config keys, and `connection:<product>`: one connection (a profile, or the resolved settings). */
function configValidatorsModule() {
  const connectionSchema = (product) => ({
    type: "object",
    properties: Object.fromEntries(Object.entries(schema.config)
      .filter(([key]) => key.startsWith(`${product}:`) && key !== `${product}:profiles`)
      .map(([key, keySchema]) => [key.slice(product.length + 1), keySchema])),
    additionalProperties: false,
  });
  return compiledModule({}, (ajv, add) => {
    // `<product>:profiles` entries: objects of the same keys as the product's top-level config
    ajv.addKeyword({ keyword: "connectionOf", schemaType: "string", macro: connectionSchema });
    for (const key of Object.keys(schema.config).filter((k) => k.endsWith(":profiles"))) {
      const product = key.split(":")[0];
      add(key, `${product}-profiles`, schema.config[key]);
      add(`connection:${product}`, `${product}-connection`, connectionSchema(product));
    }
  });
}

// ---- reference pages ----

const DOC_HEADER = "<!-- Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`. -->\n";
const examplesDir = path.join(path.dirname(schemaFile), "docs", "examples");

/** A hand-written example (docs/examples/<name>.md): every page has one, so a missing file is an error. */
function example(name) {
  const file = path.join(examplesDir, `${name}.md`);
  if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: every reference page embeds its example`);
  return fs.readFileSync(file, "utf8").trim();
}

/** What a named definition's strings are, for the Type column (a pattern alone explains nothing). */
const FORMAT_OF_DEFINITION = {
  guid: "GUID", vsphereId: "vSphere id", ipv4: "IPv4 address", vcdaSite: "site short name",
  vcdaPolicyId: "policy id", zertoVcdId: "Cloud Director object id", printableName: "visible text", printableText: "text",
};

const formatOf = (node) => node.$ref && FORMAT_OF_DEFINITION[node.$ref.replace("#/definitions/", "")];
const cell = (text) => String(text ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const code = (value) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

/** A property's type in words: enums and unions as their values, arrays by their items, numbers with their range. */
function typeText(node) {
  const format = formatOf(node);
  const n = resolve(node);
  if (n.enum) return n.enum.map(code).join(", ");
  if (n.const !== undefined) return code(n.const);
  const types = Array.isArray(n.type) ? n.type : [n.type ?? (n.properties ? "object" : undefined)];
  return types.map((type) => {
    switch (type) {
      case "array": return `array of ${typeText(n.items ?? {})}${n.maxItems !== undefined ? ` (at most ${n.maxItems})` : ""}`;
      case "integer":
      case "number": {
        const range = n.minimum !== undefined && n.maximum !== undefined ? ` ${n.minimum} to ${n.maximum}`
          : n.minimum !== undefined ? ` ≥ ${n.minimum}` : n.maximum !== undefined && typeof n.maximum === "number" ? ` ≤ ${n.maximum}` : "";
        return `${type}${range}`;
      }
      case "string": return format ? `string (${format})` : "string";
      case "object": return n.properties ? `object (${n.title ?? "see below"})` : "object";
      case undefined: return "any";
      default: return type;
    }
  }).join(" or ");
}

/** Every property under a node, nested ones as dotted paths (`vms[].recovery.hostId`), parents first. */
function flatten(node, prefix = "") {
  const n = resolve(node);
  const required = new Set(n.required ?? []);
  const rows = [];
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    const c = resolve(child);
    const p = `${prefix}${key}`;
    rows.push({ path: p, node: child, resolved: c, required: required.has(key) });
    const inner = c.type === "array" || (Array.isArray(c.type) && c.type.includes("array")) ? resolve(c.items) : c;
    const below = inner === c ? `${p}.` : `${p}[].`;
    // `within`: the object or array whose items require the property
    if (inner.properties) rows.push(...flatten(inner, below).map((row) => ({ ...row, within: row.within ?? p })));
  }
  return rows;
}

/** Rules across properties, as their schema.json messages say them (a rule on one value is in its row). */
function crossRules(node, prefix = "") {
  const n = resolve(node);
  // a message is a string, or per property ({ properties: { key: message } }); one may start with the property it is about
  const messages = (errorMessage) => Object.entries(errorMessage ?? {})
    .filter(([keyword]) => !["pattern", "type", "enum", "minLength", "maxLength"].includes(keyword))
    .flatMap(([, message]) => (typeof message === "string" ? [message] : Object.entries(message).map(([key, text]) => `${key}: ${text}`)));
  const parts = [n, n.then, n.else, ...(n.allOf ?? [])].filter(Boolean);
  const rules = parts.flatMap((part) => messages(part.errorMessage)).map((message) => {
    const about = /^([\w.[\]]+): (.*)$/.exec(message);
    const at = `${prefix}${about ? about[1] : ""}`.replace(/\.$/, "");
    const text = about ? about[2] : message;
    return at ? `\`${at}\`: ${text}` : text;
  });
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    const c = resolve(child);
    rules.push(...crossRules(c, `${prefix}${key}.`));
    if (c.items) rules.push(...crossRules(c.items, `${prefix}${key}[].`));
  }
  return [...new Set(rules)];
}

function ruleText(row) {
  const c = row.resolved;
  const notes = [];
  if (c.minLength !== undefined || c.maxLength !== undefined) notes.push(c.maxLength === undefined ? `At least ${c.minLength} characters.` : `${c.minLength ?? 0} to ${c.maxLength} characters.`);
  if (c.errorMessage?.pattern && !formatOf(row.node)) notes.push(`Must ${c.errorMessage.pattern.replace(/^must /, "")}.`);
  if (c.secret) notes.push("Secret: never echoed.");
  return notes.join(" ");
}

function resourcePage(r) {
  const { resource } = r;
  const inputRows = flatten(resource.inputs).map((row) => {
    const c = row.resolved;
    const defaultText = c.default !== undefined ? code(c.default) : c.createDefault !== undefined ? `${code(c.createDefault)} (new resource)` : "";
    // an object's fields say for themselves, unless the whole object is annotated
    const hasFields = Boolean(c.properties || (c.items && resolve(c.items).properties));
    const onChange = c.replaceOnChanges ? "replaces" : c.createOnly ? "create only" : hasFields ? "by field" : "updates";
    const requiredText = row.required ? (row.within ? `yes, in \`${row.within}\`` : "yes") : "";
    return `| \`${row.path}\` | ${cell(typeText(row.node))} | ${requiredText} | ${cell(defaultText)} | ${onChange} | ${cell([c.description, ruleText(row)].filter(Boolean).join(" "))} |`;
  });
  const inputProps = resolve(resource.inputs).properties;
  const outputRows = r.outputKeys.flatMap((key) => {
    const out = resource.outputs[key];
    const observed = !out.type && !out.$ref && inputProps[key];
    const description = [resolve(out).description, key === resource.idOutput ? "Repeats the resource id, so it is known during the preview of an update." : ""].filter(Boolean).join(" ");
    const head = `| \`${key}\` | ${cell(observed ? typeText(inputProps[key]) : typeText(out))} | ${cell(description)} |`;
    const nested = flatten({ properties: { [key]: out } }).slice(1)
      .map((row) => `| \`${row.path}\` | ${cell(typeText(row.node))} | ${cell(row.resolved.description)} |`);
    return [head, ...nested];
  });
  const rules = crossRules(resource.inputs);
  return `${DOC_HEADER}
# ${r.type}

\`new dr.${r.module}.${r.type}(name, args, opts?)\` · token \`${r.token}\`

${resource.description}

## Example

${example(r.type)}

## Inputs

Nested inputs are written as paths: \`a.b\` is \`b\` inside the object \`a\`, \`a[].b\` is \`b\` in each item of the array \`a\`.
*On change*: \`updates\` in place, \`replaces\` the resource (deleted first, then created), \`create only\` (used when the
resource is created, never compared afterwards), or \`by field\` (an object: see its fields).

| Input | Type | Required | Default | On change | Description |
|---|---|---|---|---|---|
${inputRows.join("\n")}
${rules.length ? `\nRules across inputs, checked at preview:\n\n${rules.map((rule) => `- ${rule}`).join("\n")}\n` : ""}
## Outputs

Every input is also an output of the same name (as set, with the defaults filled in). Besides them:

| Output | Type | Description |
|---|---|---|
${outputRows.join("\n")}
`;
}

function functionsPage() {
  const byModule = modules.filter((m) => functions.some((f) => f.module === m)).map((module) => {
    const entries = functions.filter((f) => f.module === module).map((fn) => {
      const table = (side) => flatten(side).map((row) =>
        `| \`${row.path}\` | ${cell(typeText(row.node))} | ${row.required ? "yes" : ""} | ${cell(row.resolved.description)} |`);
      return `### ${fn.name}

\`dr.${module}.${fn.name}(args: ${fn.inputs.title}): Promise<${fn.outputs.title}>\`, and \`dr.${module}.${fn.name}Output(args)\`: the same with
each argument a \`pulumi.Input\`, returning \`pulumi.Output<${fn.outputs.title}>\`. Token \`${fn.token}\`.

${fn.description}

| Argument | Type | Required | Description |
|---|---|---|---|
${table(fn.inputs).join("\n")}

| Result | Type | Always set | Description |
|---|---|---|---|
${table(fn.outputs).join("\n")}
`;
    });
    return `## \`dr.${module}\`\n\n${entries.join("\n")}`;
  });
  return `${DOC_HEADER}
# Look-up functions

Find objects by name instead of copying ids. Each \`getX\` reads the ${modules.join(" or ")} API (GET requests only) over the
same connection as the resources (the stack's \`<module>:url\`… config, or the named \`profile\`) and returns the one
object of that name; no match, or several, fails listing the names it found, closest first. \`getXOutput\` takes
\`pulumi.Input\` arguments (outputs of other look-ups or resources) and returns a \`pulumi.Output\`.

${example("functions")}

${byModule.join("\n")}`;
}

// ---- files ----

const files = {
  "provider/inputs.generated.ts": HEADER + "\n" + generateTypes("plain"),
  "provider/resources.generated.ts": resourcesModule(),
  "provider/handlers.generated.ts": handlersModule(),
  "provider/inputValidators.generated.ts": inputValidatorsModule(),
  "provider/configValidators.generated.ts": configValidatorsModule(),
  "sdk/args.generated.ts": HEADER + 'import * as pulumi from "@pulumi/pulumi";\n\n' + generateTypes("args"),
  "sdk/modules.generated.ts": sdkModules(),
  "docs/functions.md": functionsPage(),
};
for (const r of resources) {
  files[`provider/delegates/${r.file}.ts`] = delegateModule(r);
  files[`sdk/${r.module}/${r.file}.generated.ts`] = sdkClass(r);
  files[`docs/resources/${r.type}.md`] = resourcePage(r);
}
for (const m of modules) {
  files[`sdk/${m}/resources.generated.ts`] = sdkModuleResources(m);
  if (functions.some((f) => f.module === m)) files[`sdk/${m}/lookups.generated.ts`] = lookupTypesModule(m);
}

/** Folders that hold generated files only; elsewhere a generated file is named `*.generated.ts`. */
const GENERATED_FOLDERS = ["provider/delegates", "docs/resources"];
/** Never searched for generated files: installed packages, build output, git's own files. */
const NOT_SEARCHED = new Set(["node_modules", "dist", ".git"]);

/** Files that look generated by the rule above: `*.generated.ts` anywhere, anything in a generated folder. */
function generatedLooking(dir = "") {
  return fs.readdirSync(path.join(outRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return NOT_SEARCHED.has(entry.name) ? [] : generatedLooking(file);
    return file.endsWith(".generated.ts") || GENERATED_FOLDERS.includes(dir) ? [file] : [];
  });
}

if (process.argv.includes("--check")) {
  const stale = Object.entries(files)
    .filter(([file, text]) => !fs.existsSync(path.join(outRoot, file)) || fs.readFileSync(path.join(outRoot, file), "utf8") !== text)
    .map(([file]) => file);
  const leftOver = generatedLooking().filter((file) => !(file in files));
  if (stale.length || leftOver.length) {
    if (stale.length) console.error(`stale generated files (run npm run gen): ${stale.join(", ")}`);
    if (leftOver.length) console.error(`generated files that schema.json no longer describes (delete them): ${leftOver.join(", ")}`);
    process.exit(1);
  }
} else {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(outRoot, file)), { recursive: true });
    fs.writeFileSync(path.join(outRoot, file), text);
  }
  const leftOver = generatedLooking().filter((file) => !(file in files));
  for (const file of leftOver) fs.rmSync(path.join(outRoot, file));
  console.log(`wrote ${Object.keys(files).join(", ")}`);
  if (leftOver.length) console.error(`removed generated files that schema.json no longer describes: ${leftOver.join(", ")}`);
}
