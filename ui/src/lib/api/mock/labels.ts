// Labels as the core would render them for the NATO example policy
// (crates/liaison-core/policies/nato.toml). Mock data only.

import { marking } from '../../labels/spec';
import type { AdmissionReason, ExcessView, LabelPolicyView, LabelSpec, LabelView, LevelTone } from '../types';

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

const NATO_NATIONS = [
  'ALB',
  'BEL',
  'BGR',
  'CAN',
  'CZE',
  'DEU',
  'DNK',
  'ESP',
  'EST',
  'FIN',
  'FRA',
  'GBR',
  'GRC',
  'HRV',
  'HUN',
  'ISL',
  'ITA',
  'LTU',
  'LUX',
  'LVA',
  'MKD',
  'MNE',
  'NLD',
  'NOR',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'SWE',
  'TUR',
  'USA',
];
const FVEY = ['AUS', 'CAN', 'GBR', 'NZL', 'USA'];

/** The NATO example policy as the desk's `label_policies` gives it. */
export const NATO_POLICY: LabelPolicyView = {
  id: 'NATO',
  name: 'NATO security policy (Liaison example)',
  levels: LEVELS.map(({ name, portion, colour, tone }) => ({ name, portion, colour, tone })),
  categories: [
    {
      name: 'Special Category',
      kind: 'restrictive',
      prefix: '',
      valueSeparator: '/',
      values: ['ATOMAL', 'BOHEMIA', 'CRYPTO'],
      lead: [],
    },
    {
      name: 'Mission',
      kind: 'permissive',
      prefix: 'MISSION ',
      valueSeparator: ', ',
      values: ['EFP', 'KFOR', 'NRF'],
      lead: [],
    },
    {
      name: 'Releasable To',
      kind: 'releasability',
      prefix: 'REL TO ',
      valueSeparator: ', ',
      values: [],
      lead: [],
    },
  ],
  communities: [
    { name: 'FVEY', nations: FVEY },
    { name: 'NATO', nations: NATO_NATIONS },
  ],
  defaultCommunity: NATO_NATIONS,
  separator: '//',
};

/** The UK example policy (names the UK first in REL TO). */
export const GBR_POLICY: LabelPolicyView = {
  id: 'GBR',
  name: 'UK Government Security Classifications (Liaison example)',
  levels: [
    { name: 'UK OFFICIAL', portion: 'O', colour: '#2B71C7', tone: 'unclassified' },
    { name: 'UK OFFICIAL-SENSITIVE', portion: 'OS', colour: '#1D4F91', tone: 'restricted' },
    { name: 'UK SECRET', portion: 'S', colour: '#C8102E', tone: 'secret' },
    { name: 'UK TOP SECRET', portion: 'TS', colour: '#FF8C00', tone: 'topSecret' },
  ],
  categories: [
    {
      name: 'Special Handling',
      kind: 'restrictive',
      prefix: '',
      valueSeparator: '/',
      values: ['ATOMIC', 'CRYPTO'],
      lead: [],
    },
    {
      name: 'Releasable To',
      kind: 'releasability',
      prefix: 'REL TO ',
      valueSeparator: ', ',
      values: [],
      lead: ['GBR'],
    },
  ],
  communities: [
    { name: 'FVEY', nations: FVEY },
    { name: 'NATO', nations: NATO_NATIONS },
  ],
  defaultCommunity: ['GBR'],
  separator: '//',
};

const REL = 'Releasable To';

/** The parts of a mock label (the mock's channels carry only REL TO). */
export function specOf(l: LabelView): LabelSpec {
  return {
    policyId: 'NATO',
    classification: l.classification,
    tags: (relOf(l) ?? []).map((value) => ({ category: REL, value })),
  };
}

/** The effective REL TO of a NATO spec: communities expanded, NATO when none. */
function effectiveRel(spec: LabelSpec): Set<string> {
  const values = spec.tags.filter((t) => t.category === REL).map((t) => t.value);
  if (!values.length) return new Set(NATO_POLICY.defaultCommunity);
  return new Set(values.flatMap((v) => NATO_POLICY.communities.find((c) => c.name === v)?.nations ?? [v]));
}

/** Why the NATO spec `limit` does not dominate `spec`, as the core's `Excess` (mock). */
export function exceeds(spec: LabelSpec, limit: LabelSpec): ExcessView[] {
  const out: ExcessView[] = [];
  if (rankOf(spec.classification) > rankOf(limit.classification))
    out.push({ code: 'level', level: spec.classification, limit: limit.classification });
  for (const t of spec.tags.filter((x) => x.category === 'Special Category'))
    if (!limit.tags.some((x) => x.category === t.category && x.value === t.value))
      out.push({ code: 'caveat', category: t.category, value: t.value });
  const missions = (s: LabelSpec) => s.tags.filter((x) => x.category === 'Mission').map((x) => x.value);
  const [own, lim] = [missions(spec), missions(limit)];
  if (own.length && !lim.length) out.push({ code: 'restricts', category: 'Mission', values: own });
  else if (own.length && lim.some((v) => !own.includes(v)))
    out.push({ code: 'leavesOut', category: 'Mission', values: lim.filter((v) => !own.includes(v)) });
  const [relSpec, relLimit] = [effectiveRel(spec), effectiveRel(limit)];
  const missing = [...relLimit].filter((n) => !relSpec.has(n)).sort();
  if (missing.length) out.push({ code: 'leavesOutNations', nations: missing });
  return out;
}

/** Whether an officer of `nationality` cleared to `clearance` may read `spec` (mock: no caveats held). */
export function admits(clearance: string, nationality: string, spec: LabelSpec): AdmissionReason | undefined {
  if (rankOf(clearance) < rankOf(spec.classification))
    return { code: 'levelTooLow', held: clearance, required: spec.classification };
  const caveat = spec.tags.find((t) => t.category === 'Special Category');
  if (caveat) return { code: 'missingCaveat', category: caveat.category, value: caveat.value };
  if (!effectiveRel(spec).has(nationality)) return { code: 'notReleasable', nationality };
  if (spec.tags.some((t) => t.category === 'Mission'))
    return { code: 'missingPermissive', category: 'Mission' };
  return undefined;
}

/** The label view of a NATO spec, rendered as the core would (mock). */
export function viewOf(spec: LabelSpec): LabelView {
  const rank = Math.max(0, rankOf(spec.classification));
  const level = LEVELS[rank];
  const text = marking(NATO_POLICY, spec);
  return {
    marking: text,
    portion: `(${level.portion}${text.slice(level.name.length)})`,
    classification: level.name,
    rank,
    colour: level.colour,
    tone: level.tone,
  };
}
