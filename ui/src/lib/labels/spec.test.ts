import { describe, expect, it } from 'vitest';
import { GBR_POLICY, NATO_POLICY } from '../api/mock/labels';
import type { LabelSpec } from '../api/types';
import { canonical, expressible, marking, nationChoices, sameSpec, toggled, valuesOf } from './spec';

function spec(policyId: string, classification: string, tags: [string, string][]): LabelSpec {
  return { policyId, classification, tags: tags.map(([category, value]) => ({ category, value })) };
}

describe('marking', () => {
  // The same parts and markings as label_spec.rs's Rust test: the window
  // renders what the core renders.
  it('renders parts in the canonical order, whatever order they were chosen in', () => {
    const nato = spec('NATO', 'NATO SECRET', [
      ['Releasable To', 'GBR'],
      ['Special Category', 'CRYPTO'],
      ['Releasable To', 'FRA'],
      ['Mission', 'KFOR'],
      ['Special Category', 'ATOMAL'],
    ]);
    expect(marking(NATO_POLICY, nato)).toBe('NATO SECRET//ATOMAL/CRYPTO//MISSION KFOR//REL TO FRA, GBR');
    const uk = spec('GBR', 'UK SECRET', [
      ['Releasable To', 'USA'],
      ['Releasable To', 'FVEY'],
      ['Releasable To', 'GBR'],
      ['Releasable To', 'AUS'],
    ]);
    expect(marking(GBR_POLICY, uk)).toBe('UK SECRET//REL TO GBR, AUS, USA, FVEY');
  });

  it('is the level alone without tags, and counts a value once', () => {
    expect(marking(NATO_POLICY, spec('NATO', 'NATO RESTRICTED', []))).toBe('NATO RESTRICTED');
    const twice = spec('NATO', 'NATO RESTRICTED', [
      ['Releasable To', 'FRA'],
      ['Releasable To', 'FRA'],
    ]);
    expect(marking(NATO_POLICY, twice)).toBe('NATO RESTRICTED//REL TO FRA');
  });
});

describe('editing a spec', () => {
  it('toggles one value of one category, leaving the rest', () => {
    let s = spec('NATO', 'NATO SECRET', [['Releasable To', 'FRA']]);
    s = toggled(s, 'Special Category', 'CRYPTO', true);
    s = toggled(s, 'Releasable To', 'GBR', true);
    expect(valuesOf(s, 'Releasable To')).toEqual(['FRA', 'GBR']);
    s = toggled(s, 'Releasable To', 'FRA', false);
    expect(valuesOf(s, 'Releasable To')).toEqual(['GBR']);
    expect(valuesOf(s, 'Special Category')).toEqual(['CRYPTO']);
    expect(
      sameSpec(
        s,
        spec('NATO', 'NATO SECRET', [
          ['Releasable To', 'GBR'],
          ['Special Category', 'CRYPTO'],
        ]),
      ),
    ).toBe(true);
    expect(sameSpec(s, spec('NATO', 'NATO SECRET', [['Releasable To', 'GBR']]))).toBe(false);
  });

  it('puts a spec in one canonical form, whatever the order and repeats of its tags', () => {
    const a = spec('NATO', 'NATO SECRET', [
      ['Releasable To', 'GBR'],
      ['Special Category', 'CRYPTO'],
      ['Releasable To', 'FRA'],
      ['Releasable To', 'GBR'],
    ]);
    const b = spec('NATO', 'NATO SECRET', [
      ['Releasable To', 'FRA'],
      ['Special Category', 'CRYPTO'],
      ['Releasable To', 'GBR'],
    ]);
    expect(canonical(a)).toEqual(canonical(b));
    expect(canonical(a).tags).toHaveLength(3);
  });

  it('knows what a policy can express', () => {
    expect(expressible(NATO_POLICY, spec('NATO', 'NATO SECRET', [['Releasable To', 'FVEY']]))).toBe(true);
    expect(expressible(NATO_POLICY, spec('NATO', 'NATO TOP', []))).toBe(false);
    expect(expressible(NATO_POLICY, spec('NATO', 'NATO SECRET', [['Special Category', 'FOO']]))).toBe(false);
    expect(expressible(NATO_POLICY, spec('NATO', 'NATO SECRET', [['Releasable To', 'gbr']]))).toBe(false);
    expect(expressible(NATO_POLICY, spec('GBR', 'NATO SECRET', []))).toBe(false);
  });

  it('offers the context nations first and the communities’ other nations after', () => {
    const { first, rest } = nationChoices(NATO_POLICY, ['GBR', 'FRA', 'FRA', 'NATO']);
    expect(first).toEqual(['FRA', 'GBR']);
    expect(rest).toContain('AUS');
    expect(rest).toContain('DEU');
    expect(rest).not.toContain('FRA');
    expect([...rest].sort()).toEqual(rest);
  });
});
