/**
 * "Did you mean …?" suggestions by edit distance, for unknown keys, names and call targets.
 */

/** Longest input for which a suggestion is computed (edit distance is quadratic). */
const MAX_LENGTH = 80;

/** Levenshtein edit distance between `a` and `b` (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo: a case-only
 * difference, or an edit distance of at most 40% of the longer string (at least 1).
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length === 0 || input.length > MAX_LENGTH) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(input.length, candidate.length) * 0.4));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

/** The message for a key that is not allowed in a map, with a suggestion or the allowed keys. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const match = closestMatch(key, allowed);
  if (match !== undefined) return `unknown key "${key}" (did you mean "${match}"?)`;
  return `unknown key "${key}"; allowed keys here: ${allowed.join(', ')}`;
}
