#!/usr/bin/env node
// Generates the TypeScript input types from schema.json (the single source of truth):
//   provider/inputs.generated.ts  plain types the runtime works with
//   sdk/args.generated.ts         the same shapes with pulumi.Input<> for Pulumi programs
// `node scripts/gen-types.js --check` exits 1 when the files on disk are stale (run by the tests).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
const HEADER = "// Generated from schema.json by scripts/gen-types.js. DO NOT EDIT BY HAND: run `npm run gen`.\n";

function resolve(node) {
  if (!node) return {};
  if (node.$ref) return { ...resolve(schema.definitions[node.$ref.replace("#/definitions/", "")]), ...omit(node, "$ref") };
  if (node.allOf && node.allOf.length === 1 && node.allOf[0].$ref) {
    const base = resolve(node.allOf[0]);
    return { ...base, ...omit(node, "allOf"), properties: { ...base.properties, ...node.properties } };
  }
  return node;
}

function omit(obj, key) {
  const { [key]: _drop, ...rest } = obj;
  return rest;
}

function docComment(text, indent) {
  if (!text) return "";
  return `${indent}/** ${text.replace(/\*\//g, "*\\/")} */\n`;
}

/** Emits named interfaces for nested objects (by their `title`) and returns the type expression. */
function typeOf(node, nameHint, ctx) {
  const n = resolve(node);
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (n.const !== undefined) return JSON.stringify(n.const);
  switch (n.type) {
    case "string": return "string";
    case "integer":
    case "number": return "number";
    case "boolean": return "boolean";
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
      c.replaceOnChanges ? "Changing it replaces the resource." : ""].filter(Boolean).join(" ");
    body += docComment(notes, "  ");
    body += `  ${key}${optional}: ${ctx.wrap(ctx.rename(type))};\n`;
  }
  body += "}\n";
  ctx.out.push(body);
}

function generate(flavour) {
  const out = [];
  const plain = flavour === "plain";
  const ctx = {
    out,
    emitted: new Set(),
    wrap: (t) => (plain ? t : `pulumi.Input<${t}>`),
    wrapArray: (t) => (plain ? `${t}[]` : `pulumi.Input<${ctx.rename(t)}>[]`),
    rename: (t) => t.split(" | ").map((p) => (plain || !/^[A-Z]/.test(p) ? p : `${p}Args`)).join(" | "),
  };
  for (const resource of Object.values(schema.resources)) {
    const inputs = resource.inputs;
    const name = inputs.title;
    // nested types first, so the file reads top-down by resource
    emitInterface(name, { ...inputs, description: resource.description }, ctx, plain ? "Inputs" : "Args");
    if (plain) {
      const body = Object.entries(resource.outputs)
        .map(([k, v]) => `${docComment(v.description, "  ")}  ${k}?: ${typeOf(v, name + k, ctx)};\n`).join("");
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

const files = {
  [path.join(root, "provider", "inputs.generated.ts")]: HEADER + "\n" + generate("plain"),
  [path.join(root, "sdk", "args.generated.ts")]: HEADER + 'import * as pulumi from "@pulumi/pulumi";\n\n' + generate("args"),
};

if (process.argv.includes("--check")) {
  const stale = Object.entries(files).filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text);
  if (stale.length) {
    console.error(`stale generated files (run npm run gen): ${stale.map(([f]) => path.relative(root, f)).join(", ")}`);
    process.exit(1);
  }
} else {
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(file, text);
  console.log(`wrote ${Object.keys(files).map((f) => path.relative(root, f)).join(", ")}`);
}
