/**
 * Warnings from the provider process. The dynamic-provider host hands a provider no logger, but the
 * engine shows what the process writes to stderr as it arrives, during a preview too, and
 * `pulumi preview --json` carries each line as a diagnostic (docs/configuration.md). A process serves
 * one `pulumi` run, and the engine may call `check` and `diff` more than once: each text is said once.
 */
const said = new Set<string>();

export function warnOnce(text: string, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  if (said.has(text)) return;
  said.add(text);
  write(`warning: ${text}\n`);
}

/** Forgets what was said (tests that play several runs in one process). */
export function forgetWarnings(): void {
  said.clear();
}
