import * as assert from "node:assert/strict";
import { ConfigValues, Project, TestStack } from "../support/engine";

/** The stack "e2e" of a copy of examples/<example>. */
export async function exampleStack(example: string): Promise<TestStack> {
  return (await Project.example(example)).stack("e2e");
}

/** Destroys whatever is left (best effort) and removes the project's directories. */
export async function disposeStack(stack: TestStack | undefined): Promise<void> {
  if (!stack) return;
  try {
    await stack.destroy({ mayFail: true });
  } finally {
    stack.project.dispose();
  }
}

/** A small JSON client for a simulator's public and admin API (real HTTP). */
export async function simRequest(baseUrl: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Mutating requests the simulator received since the journal was cleared. */
export async function mutatingRequests(baseUrl: string): Promise<Array<{ method: string; path: string }>> {
  const { body } = await simRequest(baseUrl, "GET", "/_admin/journal");
  return (body as Array<{ method: string; path: string; mutating: boolean }>).filter((e) => e.mutating);
}

export async function clearJournal(baseUrl: string): Promise<void> {
  await simRequest(baseUrl, "DELETE", "/_admin/journal");
}

/**
 * Sets invalid config, expects `preview` to fail with output matching every pattern and the
 * simulator to have received no mutating request, then restores valid config.
 */
export async function assertRejectedAtPreview(stack: TestStack, simulatorUrl: string, invalid: ConfigValues, patterns: RegExp[], valid: ConfigValues): Promise<void> {
  await clearJournal(simulatorUrl);
  await stack.setConfig(invalid);
  const preview = await stack.preview({ mayFail: true });
  assert.notEqual(preview.code, 0, "preview accepted invalid input");
  for (const pattern of patterns) assert.match(preview.output, pattern);
  assert.deepEqual(await mutatingRequests(simulatorUrl), []);
  await stack.setConfig(valid);
}

/**
 * Each e2e suite is one story (create, drift, edit, destroy): once a step fails, the later steps of
 * that suite are skipped, since they build on it; other suites still run (mocha's bail would stop them too).
 */
export function skipRestAfterFailure(): void {
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") failed = true;
  });
}
