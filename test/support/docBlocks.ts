/**
 * The code blocks of README.md and docs/ (docs/api-notes/ holds notes, no programs), for the tests
 * that prove every documented program compiles and previews and every documented command runs.
 *
 * A ```typescript block is a complete Pulumi program. A ```bash or ```sh block is commands, run by
 * test/e2e/docs.test.ts against the simulators, unless an HTML comment right before it says why it
 * cannot be: `<!-- not run: needs a real appliance -->`. Other languages (text, json, yaml) are
 * output or data and are not run.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface DocBlock {
  /** Repository-relative file and the line of the opening fence, for messages. */
  file: string;
  line: number;
  lang: string;
  text: string;
  /** The reason given in `<!-- not run: … -->` before the block, if any. */
  notRun?: string;
}

export const PROGRAM_LANGS = ["typescript"];
export const COMMAND_LANGS = ["bash", "sh"];
/** Languages that are shown, never run: command output and data. */
export const SHOWN_LANGS = ["text", "json", "yaml", "markdown"];

/**
 * README.md and every docs/**\/*.md except docs/api-notes/ and docs/examples/ (the examples appear word
 * for word in the generated docs/resources/ pages, which are read instead).
 */
export function docFiles(root: string): string[] {
  const docs = path.join(root, "docs");
  const found = fs.existsSync(docs)
    ? fs.readdirSync(docs, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md")).map((f) => path.join("docs", f))
    : [];
  const skipped = ["api-notes", "examples"].map((dir) => path.join("docs", dir) + path.sep);
  return ["README.md", ...found.filter((f) => !skipped.some((dir) => f.startsWith(dir))).sort()];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const NOT_RUN = /<!--\s*not run:\s*(.*?)\s*-->\s*$/;

export function blocksOf(root: string, file: string): DocBlock[] {
  const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) end++;
    let previous = i - 1;
    while (previous >= 0 && !lines[previous].trim()) previous--;
    const notRun = previous >= 0 ? NOT_RUN.exec(lines[previous])?.[1] : undefined;
    const text = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join("\n");
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), text, ...(notRun ? { notRun } : {}) });
    i = end;
  }
  return blocks;
}

export function allBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((file) => blocksOf(root, file));
}

/** The command lines of a shell block: comments dropped, `\` continuations joined. */
export function commandLines(text: string): string[] {
  return text.replace(/\\\n/g, " ").split("\n").map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter(Boolean);
}

/**
 * What test/e2e/docs.test.ts can run in a scratch stack next to the simulators: the pulumi CLI,
 * this package's commands (npx pulumi-drprotect …), curl to the simulators, and environment
 * variables for those. Anything else needs a `not run` reason.
 */
const RUNNABLE = /^((export\s+)?[A-Z_]+=\S*\s*)*(pulumi|npx pulumi-drprotect|curl|export)(\s|$)/;

/** Why a shell block cannot be run as it stands, or undefined when every line can. */
export function unrunnable(block: DocBlock): string | undefined {
  const bad = commandLines(block.text).filter((line) => !RUNNABLE.test(line));
  return bad.length ? `cannot run ${bad.map((l) => `'${l}'`).join(", ")}` : undefined;
}

export const where = (block: DocBlock) => `${block.file}:${block.line}`;
