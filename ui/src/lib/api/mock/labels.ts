// Labels as the core would render them for the NATO example policy
// (crates/liaison-core/policies/nato.toml). Mock data only.

import type { LabelView, LevelTone } from '../types';

interface Level {
  name: string;
  portion: string;
  colour: string;
  tone: LevelTone;
}

export const LEVELS: readonly Level[] = [
  { name: 'NATO UNCLASSIFIED', portion: 'NU', colour: '#007A33', tone: 'unclassified' },
  { name: 'NATO RESTRICTED', portion: 'NR', colour: '#6E4A9E', tone: 'restricted' },
  { name: 'NATO CONFIDENTIAL', portion: 'NC', colour: '#0033A0', tone: 'confidential' },
  { name: 'NATO SECRET', portion: 'NS', colour: '#C8102E', tone: 'secret' },
  { name: 'COSMIC TOP SECRET', portion: 'CTS', colour: '#FF8C00', tone: 'topSecret' },
];

/** Rank of a classification name, or -1. */
export function rankOf(classification: string): number {
  return LEVELS.findIndex((l) => l.name === classification);
}

/** Builds a label view; `rel` nations are sorted as the core renders them. */
export function label(rank: number, rel?: readonly string[]): LabelView {
  const level = LEVELS[rank];
  const relText = rel && rel.length ? `//REL TO ${[...rel].sort().join(', ')}` : '';
  return {
    marking: level.name + relText,
    portion: `(${level.portion}${relText})`,
    classification: level.name,
    rank,
    colour: level.colour,
    tone: level.tone,
  };
}

/**
 * Parses a marking of the mock's grammar back to a label (for the "other
 * marking" path and policy edits); undefined when it does not parse.
 */
export function parseMarking(marking: string): LabelView | undefined {
  const [head, ...rest] = marking.trim().toUpperCase().split('//');
  const rank = rankOf(head);
  if (rank < 0 || rest.length > 1) return undefined;
  if (rest.length === 0) return label(rank);
  const m = /^REL TO ([A-Z]{3}(, ?[A-Z]{3})*)$/.exec(rest[0]);
  if (!m) return undefined;
  return label(
    rank,
    m[1].split(',').map((s) => s.trim()),
  );
}

/** Whether `a` dominates `b`: rank at least as high, release list no wider. */
export function dominates(a: LabelView, b: LabelView): boolean {
  if (a.rank < b.rank) return false;
  const relA = relOf(a);
  const relB = relOf(b);
  if (!relA) return true;
  if (!relB) return false;
  return relA.every((n) => relB.includes(n));
}

/** The REL TO nations of a label, or undefined when it has none. */
export function relOf(l: LabelView): string[] | undefined {
  const i = l.marking.indexOf('//REL TO ');
  return i < 0
    ? undefined
    : l.marking
        .slice(i + 9)
        .split(',')
        .map((s) => s.trim());
}
