// Labels in parts, as the structured label picker builds them (a `LabelSpec`:
// policy, classification, tags) from what a label policy offers (a
// `LabelPolicyView`). The picker can only choose the policy's own levels and
// values, so every spec it makes is a label the policy expresses; the desk
// builds the label from the same parts and refuses any it does not know.
//
// `marking` renders a spec as the core does (crates/liaison-rules, marking.rs):
// categories in policy order, caveats and missions in the policy's order,
// REL TO with the policy's lead nations first, then the other nations
// alphabetically, then communities alphabetically. spec.test.ts checks it
// against markings the Rust tests check too (label_spec.rs).

import type { CategoryView, LabelPolicyView, LabelSpec } from '../api/types';

/** The REL TO category of a policy (every policy has exactly one). */
export function releasability(policy: LabelPolicyView): CategoryView | undefined {
  return policy.categories.find((c) => c.kind === 'releasability');
}

/** The values a spec holds in one category, as chosen. */
export function valuesOf(spec: LabelSpec, category: string): string[] {
  return spec.tags.filter((t) => t.category === category).map((t) => t.value);
}

/** Whether `spec` holds `value` in `category`. */
export function holds(spec: LabelSpec, category: string, value: string): boolean {
  return spec.tags.some((t) => t.category === category && t.value === value);
}

/** A copy of `spec` with `value` of `category` added or taken away. */
export function toggled(spec: LabelSpec, category: string, value: string, on: boolean): LabelSpec {
  const rest = spec.tags.filter((t) => !(t.category === category && t.value === value));
  return { ...spec, tags: on ? [...rest, { category, value }] : rest };
}

/** A copy of `spec` at another classification of its policy. */
export function withClassification(spec: LabelSpec, classification: string): LabelSpec {
  return { ...spec, classification };
}

const isNation = (value: string) => /^[A-Z]{3}$/.test(value);

/** A category's chosen values in marking order. */
function ordered(category: CategoryView, values: string[]): string[] {
  const unique = [...new Set(values)];
  if (category.kind !== 'releasability') {
    const at = (v: string) => {
      const i = category.values.indexOf(v);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return unique.sort((a, b) => at(a) - at(b));
  }
  const key = (v: string): [number, number, string] => {
    if (!isNation(v)) return [2, 0, v];
    const lead = category.lead.indexOf(v);
    return lead >= 0 ? [0, lead, v] : [1, 0, v];
  };
  return unique.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || (ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0);
  });
}

/** The banner marking of `spec` under `policy`, as the core renders it. */
export function marking(policy: LabelPolicyView, spec: LabelSpec): string {
  let text = spec.classification;
  for (const category of policy.categories) {
    const values = ordered(category, valuesOf(spec, category.name));
    if (!values.length) continue;
    text += policy.separator + category.prefix + values.join(category.valueSeparator);
  }
  return text;
}

/** The spec with its tags sorted and each once: equal for equal labels. */
export function canonical(spec: LabelSpec): LabelSpec {
  const seen = new Set<string>();
  const tags = spec.tags
    .filter((t) => {
      const k = `${t.category}\u0000${t.value}`;
      return !seen.has(k) && (seen.add(k), true);
    })
    .sort((a, b) => (a.category + '\u0000' + a.value < b.category + '\u0000' + b.value ? -1 : 1));
  return { policyId: spec.policyId, classification: spec.classification, tags };
}

/** Whether two specs name the same label (tags in any order). */
export function sameSpec(a: LabelSpec, b: LabelSpec): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Whether a spec uses only parts `policy` offers (what the picker guarantees). */
export function expressible(policy: LabelPolicyView, spec: LabelSpec): boolean {
  if (spec.policyId !== policy.id || !policy.levels.some((l) => l.name === spec.classification)) return false;
  return spec.tags.every((t) => {
    const category = policy.categories.find((c) => c.name === t.category);
    if (!category) return false;
    if (category.kind !== 'releasability') return category.values.includes(t.value);
    return isNation(t.value) || policy.communities.some((c) => c.name === t.value);
  });
}

/**
 * The nations the picker shows first: those of `context` (members, the
 * label's own, the user's) that are nation codes, alphabetically; `rest` is
 * every other nation of the policy's communities, for "more nations".
 */
export function nationChoices(
  policy: LabelPolicyView,
  context: readonly string[],
): { first: string[]; rest: string[] } {
  const first = [...new Set(context.filter(isNation))].sort();
  const all = new Set(policy.communities.flatMap((c) => c.nations));
  const rest = [...all].filter((n) => !first.includes(n)).sort();
  return { first, rest };
}

/** A first label for a policy: its lowest level, no tags. */
export function lowest(policy: LabelPolicyView): LabelSpec {
  return { policyId: policy.id, classification: policy.levels[0]?.name ?? '', tags: [] };
}
