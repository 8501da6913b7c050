import * as assert from "node:assert/strict";
import { ConfigValues, Project, RunResult, TestStack } from "../../harness/engine";

/** The stack "e2e" of a copy of examples/<example>. */
export async function exampleStack(example: string): Promise<TestStack> {
  return (await Project.example(example)).stack("e2e");
}

/** After a suite: destroys what each stack left (best effort) and removes its directories, then stops the simulators. */
export async function tearDown(stacks: Array<TestStack | undefined>, simulators: Array<{ close(): Promise<void> } | undefined>): Promise<void> {
  try {
    for (const stack of stacks) {
      if (!stack) continue;
      try {
        await stack.destroy({ mayFail: true });
      } finally {
        stack.project.dispose();
      }
    }
  } finally {
    for (const simulator of simulators) await simulator?.close();
  }
}

/** A drift check (`args` plus --expect-no-changes) that must find drift: exit code 7. Returns what it printed. */
export async function assertDrift(stack: TestStack, args: string[]): Promise<RunResult> {
  const result = await stack.run([...args, "--expect-no-changes"]);
  assert.equal(result.code, 7, result.output);
  return result;
}

/** Changes config and applies it: the preview --diff must plan an in-place update (no replace). */
export async function updateInPlace(stack: TestStack, values: ConfigValues): Promise<void> {
  await stack.setConfig(values);
  const preview = await stack.preview({ diff: true });
  assert.match(preview.output, /~ .*update/);
  assert.doesNotMatch(preview.output, /replace/);
  await stack.up();
}

/** Changes config and applies it: the preview --diff must plan a replace. */
export async function replace(stack: TestStack, values: ConfigValues): Promise<void> {
  await stack.setConfig(values);
  const preview = await stack.preview({ diff: true });
  assert.match(preview.output, /replace/);
  await stack.up();
}

/** After an out-of-band delete: refresh must find the drift and drop the resource, and up must create it again. */
export async function dropAndRecreate(stack: TestStack, typeSuffix: string): Promise<void> {
  await assertDrift(stack, ["refresh", "--preview-only"]);
  await stack.refresh();
  assert.deepEqual(await stack.resources(typeSuffix), []);
  await stack.up();
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

/**
 * Polls `probe` until it returns a value (every `everyMs`), failing after `timeoutMs`: e2e tests wait
 * for a condition, never for a fixed time.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
