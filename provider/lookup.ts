/**
 * Finding one object by its name among those an API listed: the shared rule of every look-up
 * (Zerto and VCDA). A name matches exactly (case included); no match and several matches are
 * errors that list what was found, closest names first, so a typo is obvious.
 */

/** One object as a look-up sees it: its id, its name, and whatever else the caller returns. */
export interface Named {
  id: string;
  name: string;
}

/** What is being looked for, for messages: e.g. `Zerto datastore` and `at site 'Site-B DR'`. */
export interface Wanted {
  what: string;
  where?: string;
  /** What narrows several matches down, e.g. "pass siteId". */
  narrowBy?: string;
}

/** How many names an error lists at most. */
const LISTED = 10;

export class LookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LookupError";
  }
}

/** Levenshtein distance, case-insensitive: how many single-character edits turn one name into the other. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[t.length];
}

/** Names close enough to be the intended one: a few edits away (more for long names), or containing each other. */
export function closeNames(name: string, names: string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  const scored = [...new Set(names)].map((candidate) => {
    const contains = candidate.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(candidate.toLowerCase());
    return { candidate, distance: editDistance(name, candidate), contains };
  });
  return scored.filter((s) => s.distance <= limit || (s.contains && s.candidate.length > 0))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .map((s) => s.candidate);
}

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED).map((n) => `'${n}'`).join(", ");
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** The one candidate named exactly `name`; otherwise a LookupError listing what was found. */
export function pickByName<T extends Named>(name: string, candidates: T[], wanted: Wanted): T {
  const where = wanted.where ? ` ${wanted.where}` : "";
  const matches = candidates.filter((c) => c.name === name);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const ids = matches.map((m) => m.id).join(", ");
    throw new LookupError(`${wanted.what} '${name}'${where} is ambiguous: ${matches.length} objects have that name (${ids})`
      + `${wanted.narrowBy ? `; ${wanted.narrowBy}` : ""}, or use the id directly`);
  }
  const names = candidates.map((c) => c.name).sort((a, b) => a.localeCompare(b));
  if (names.length === 0) throw new LookupError(`${wanted.what} '${name}' was not found${where}: there are none`);
  const close = closeNames(name, names);
  const hint = close.length ? ` Did you mean ${listed(close)}?` : "";
  throw new LookupError(`${wanted.what} '${name}' was not found${where}.${hint} Found: ${listed([...new Set(names)])}`);
}
