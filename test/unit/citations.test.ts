import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/*
 * Every document a comment cites is in the repository: API facts are cited as sections of
 * docs/api-notes/*.md, and no comment points to a file a reader cannot open.
 */

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const API_NOTES = "docs/api-notes";
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", ".git"]);
const SOURCE_FILE = /\.(?:ts|js|mjs|cjs|sh)$/;

/** Files written by scripts/generate.js from schema.json: their comments are the schema's descriptions. */
const GENERATED = "DO NOT EDIT BY HAND";

/** A comment, or a run of line comments on consecutive lines, with the line it starts on. */
interface Comment { file: string; line: number; text: string }

/** Places outside the repository that comments used to cite, with what a reader is told instead. */
const OUTSIDE_LOCATIONS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /(?<![\w-])(?:notes|shared|reference|samples)\/[\w./-]*/, what: "a file of the research notes or reference copies" },
  { pattern: /\bnotes\b[^.\n]{0,20}§/, what: "a section of the research notes" },
  { pattern: /\bnotes\b[^.\n]{0,25}\b[AB]\d\b/, what: "a section of the research notes" },
  { pattern: /(?<!api-notes\/)\b(?:vcda|zerto|pulumi|pulumi-cli-build|api-coverage|public-clients|vpgsettings-overview)\.md\b/, what: "a research note" },
  { pattern: /\b[\w.-]+\.txt\b/, what: "a plain-text copy of a reference document" },
  { pattern: /\b[\w.-]*(?:openapi|swagger)[\w.-]*\.json\b/i, what: "a copy of the ZVM OpenAPI document" },
  { pattern: /\b(?:vpgsettings-v10|GetVpg|CopyVpgSettings|ProtectedVms|AuthHeaders)\.json\b/, what: "a sample response" },
  { pattern: /(?:~\s?|\blines?\s+)\d{3,}/, what: "a line of a document outside the repository" },
];

/** Outside documents a comment may name only beside the in-repository page that states what it relies on. */
const NAMED_DOCUMENT = /\bguide\b|\bOpenAPI\b|\bSwagger\b|\bZertoApiWrapper\b|\bvCAV\.Community\b/i;
const IN_REPO_DOCUMENT = /(?<![\w./-])(?:docs\/[\w./-]+\.md|(?:README|CONTRIBUTING)\.md)\b/;

/** Repository paths as comments and notes cite them, with an optional #anchor. */
const REPO_PATH = /(?<![\w./-])((?:docs|bench|test|provider|simulator|sdk|cli|scripts|examples|policy-pack|harness)\/[\w./-]*[\w-]\.(?:md|ts|js|json|sh|ya?ml)(?!\w)|(?:README|CONTRIBUTING|CHANGELOG)\.md|schema\.json|package\.json)(?:#([\w-]+))?/g;

function sourceFiles(dir = repoRoot): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : sourceFiles(full);
    return SOURCE_FILE.test(entry.name) ? [full] : [];
  });
}

function lineOf(text: string, pos: number): number {
  return text.slice(0, pos).split("\n").length;
}

/** The comments of a TypeScript or JavaScript file, as the compiler sees them (not inside strings or regexes). */
function scriptComments(file: string, text: string): Comment[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const ranges = new Map<number, ts.CommentRange>();
  const collect = (pos: number) => {
    for (const range of [...ts.getLeadingCommentRanges(text, pos) ?? [], ...ts.getTrailingCommentRanges(text, pos) ?? []]) ranges.set(range.pos, range);
  };
  const visit = (node: ts.Node) => {
    collect(node.getFullStart());
    collect(node.getEnd());
    ts.forEachChild(node, visit);
  };
  visit(source);
  collect(source.endOfFileToken.getFullStart());
  const sorted = [...ranges.values()].sort((a, b) => a.pos - b.pos);
  const comments: Comment[] = [];
  let previousEnd = -1;
  for (const range of sorted) {
    const body = text.slice(range.pos, range.end);
    const last = comments[comments.length - 1];
    const continuesRun = last && range.kind === ts.SyntaxKind.SingleLineCommentTrivia
      && /^[ \t]*\r?\n[ \t]*$/.test(text.slice(previousEnd, range.pos)) && last.text.startsWith("//");
    if (continuesRun) last.text += "\n" + body;
    else comments.push({ file, line: lineOf(text, range.pos), text: body });
    previousEnd = range.end;
  }
  return comments;
}

/** The comments of a shell script: `# …` at the start of a line or after a space, runs of lines joined. */
function shellComments(file: string, text: string): Comment[] {
  const comments: Comment[] = [];
  let previousLine = -1;
  text.split("\n").forEach((line, index) => {
    const match = /(?:^|\s)(#(?:\s.*|$))/.exec(line);
    if (!match || (index === 0 && line.startsWith("#!"))) return;
    const last = comments[comments.length - 1];
    if (last && previousLine === index - 1) last.text += "\n" + match[1];
    else comments.push({ file, line: index + 1, text: match[1] });
    previousLine = index;
  });
  return comments;
}

function allComments(): Comment[] {
  return sourceFiles().flatMap((full) => {
    const text = fs.readFileSync(full, "utf8");
    const file = path.relative(repoRoot, full);
    if (text.slice(0, 200).includes(GENERATED)) return [];
    return file.endsWith(".sh") ? shellComments(file, text) : scriptComments(file, text);
  });
}

/** GitHub's anchors of a Markdown file's headings. */
function headingAnchors(markdownFile: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of fs.readFileSync(markdownFile, "utf8").split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Why a cited file (and anchor) cannot be opened, or undefined when it can. */
function missingTarget(file: string, anchor: string | undefined): string | undefined {
  const full = path.join(repoRoot, file);
  if (!fs.existsSync(full)) return `${file} does not exist`;
  if (anchor !== undefined && file.endsWith(".md") && !headingAnchors(full).has(anchor)) return `${file} has no heading #${anchor}`;
  return undefined;
}

const where = (c: Comment) => `${c.file}:${c.line}`;

describe("citations: every document a comment cites is in the repository", () => {
  const comments = allComments();

  it("finds the comments of the hand-written sources", () => {
    assert.ok(comments.length > 500, `only ${comments.length} comments found under ${repoRoot}`);
    assert.ok(comments.some((c) => c.file === path.join("scripts", "install-pulumi.sh")), "shell comments are scanned");
  });

  it("cites no file or line outside the repository", () => {
    const problems = comments.flatMap((c) => OUTSIDE_LOCATIONS.flatMap(({ pattern, what }) => {
      const match = pattern.exec(c.text);
      return match ? [`${where(c)}: '${match[0]}' is ${what}; cite its section of ${API_NOTES}/ instead`] : [];
    }));
    assert.deepEqual(problems, []);
  });

  it("points to an in-repository page beside every mention of an outside document", () => {
    const problems = comments
      .filter((c) => NAMED_DOCUMENT.test(c.text) && !IN_REPO_DOCUMENT.test(c.text))
      .map((c) => `${where(c)}: names '${NAMED_DOCUMENT.exec(c.text)![0]}' without the ${API_NOTES}/ section that states the fact`);
    assert.deepEqual(problems, []);
  });

  it("cites only repository files that exist, and headings that exist in them", () => {
    const problems = comments.flatMap((c) => [...c.text.matchAll(REPO_PATH)].flatMap(([, file, anchor]) => {
      const missing = missingTarget(file, anchor);
      return missing ? [`${where(c)}: ${missing}`] : [];
    }));
    assert.deepEqual(problems, []);
  });

  it("links the API notes to headings that exist", () => {
    const notesDir = path.join(repoRoot, API_NOTES);
    const problems = fs.readdirSync(notesDir).filter((f) => f.endsWith(".md")).flatMap((name) => {
      const text = fs.readFileSync(path.join(notesDir, name), "utf8");
      return [...text.matchAll(/\]\(([\w.-]*\.md)?(?:#([\w-]+))?\)/g)].flatMap(([link, target, anchor]) => {
        const missing = missingTarget(path.join(API_NOTES, target ?? name), anchor);
        return missing ? [`${API_NOTES}/${name}: link ${link}: ${missing}`] : [];
      });
    });
    assert.deepEqual(problems, []);
  });
});
