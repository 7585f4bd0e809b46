// The classifications the search filter offers, and how typed text maps to
// one. The desk resolves the filter itself (a full name or a portion
// abbreviation, any case, any spacing: `LabelPolicy::level_as_typed`); the
// window mirrors that rule only to show which level a typed "ns" stands for.

import type { LabelPolicyView, LabelView } from '../api/types';

/** A classification level as the filter lists it. */
export interface LevelChoice {
  /** Full name, e.g. "NATO SECRET": what the filter sends. */
  name: string;
  /** Portion abbreviation, e.g. "NS". */
  abbreviation: string;
  /** Rank in its policy, 0 = lowest. */
  rank: number;
}

/** The level of a label: its classification and the abbreviation its portion marking starts with. */
export function levelOf(label: LabelView): LevelChoice {
  const inner = label.portion.replace(/^\(/, '').replace(/\)$/, '');
  return { name: label.classification, abbreviation: inner.split('//')[0].trim(), rank: label.rank };
}

/** The distinct levels of some labels, lowest first. */
export function levelsOf(labels: Iterable<LabelView>): LevelChoice[] {
  const byName = new Map<string, LevelChoice>();
  for (const l of labels) if (!byName.has(l.classification)) byName.set(l.classification, levelOf(l));
  return [...byName.values()].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
}

/** Every level of some label policies, lowest first. */
export function policyLevels(policies: readonly LabelPolicyView[]): LevelChoice[] {
  return mergeLevels(
    policies.flatMap((p) => p.levels.map((l, rank) => ({ name: l.name, abbreviation: l.portion, rank }))),
    [],
  );
}

/** The levels of both lists, each name once (the first list's wins), lowest first. */
export function mergeLevels(first: readonly LevelChoice[], second: readonly LevelChoice[]): LevelChoice[] {
  const byName = new Map<string, LevelChoice>();
  for (const l of [...first, ...second]) if (!byName.has(l.name)) byName.set(l.name, l);
  return [...byName.values()].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
}

/** Case and spacing do not matter: "nato  secret" is "NATO SECRET". */
function normalise(text: string): string {
  return text.trim().split(/\s+/).join(' ').toUpperCase();
}

/**
 * The level typed text names: a full name or an abbreviation, ignoring case
 * and spacing; undefined when none or more than one level fits.
 */
export function resolveLevel(typed: string, levels: readonly LevelChoice[]): LevelChoice | undefined {
  const want = normalise(typed);
  if (!want) return undefined;
  const found = levels.filter((l) => normalise(l.name) === want || normalise(l.abbreviation) === want);
  return found.length === 1 ? found[0] : undefined;
}

/** The levels the list shows for typed text: names containing it, abbreviations starting with it. */
export function levelMatches(typed: string, levels: readonly LevelChoice[]): LevelChoice[] {
  const want = normalise(typed);
  if (!want) return [...levels];
  return levels.filter((l) => normalise(l.name).includes(want) || normalise(l.abbreviation).startsWith(want));
}
