/**
 * Where the running copy of pulumi-drprotect came from, as a dependency spec a generated program's
 * package.json can name: the package is not on the npm registry, so "^0.1.0" would find nothing
 * unless that is how it was installed.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const readJson = (file: string): any => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
};

/**
 * The dependency spec (`^1.2.3`, a git URL pinned to a commit, a tarball, or `file:/absolute/dir`).
 * `root` is the package's real directory. Under a node_modules directory the installing project's
 * lockfile (npm ≥ 7: node_modules/.package-lock.json, else package-lock.json) says what npm resolved
 * it from; npm < 7 wrote `_resolved` into the installed package.json. Outside any node_modules
 * (a clone, or a directory npm only linked) the package is its own directory.
 */
export function packageSource(root: string): string {
  const manifest = readJson(path.join(root, "package.json")) ?? {};
  const registry = `^${manifest.version}`;
  const parts = root.split(path.sep);
  const first = parts.indexOf("node_modules");
  if (first < 0) return `file:${root}`;
  const project = parts.slice(0, first).join(path.sep) || path.sep;
  const key = parts.slice(first).join("/");
  const entry = [path.join(project, "node_modules", ".package-lock.json"), path.join(project, "package-lock.json")]
    .map((file) => readJson(file)?.packages?.[key]).find(Boolean);
  const resolved: unknown = entry?.resolved ?? manifest._resolved;
  if (typeof resolved !== "string") return registry;
  if (resolved.startsWith("file:")) return `file:${path.resolve(project, resolved.slice("file:".length))}`;
  // a registry's tarball (…/<name>/-/<name>-<version>.tgz) is named by its version; any other URL as it is
  return resolved.includes(`/${manifest.name}/-/`) ? registry : resolved;
}

/**
 * The install command for a program depending on `spec`: npm only links a directory, so the
 * package would run with that directory's node_modules and a second @pulumi/pulumi; a copy needs
 * --install-links.
 */
export function npmInstallFor(spec: string): string {
  return spec.startsWith("file:") && !/\.(tgz|tar\.gz|tar)$/.test(spec) ? "npm install --install-links" : "npm install";
}
