import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { GBR_POLICY, NATO_POLICY } from '../api/mock/labels';
import type { LabelPolicyView, LabelSpec } from '../api/types';
import { setLanguage } from '../i18n/i18n.svelte';
import PickerHarness from '../testing/PickerHarness.svelte';
import { expressible, marking } from './spec';

afterEach(() => setLanguage('en'));

function mount(policy: LabelPolicyView, start: LabelSpec, nations: string[] = []) {
  const values: LabelSpec[] = [];
  const view = render(PickerHarness, { policy, start, nations, onvalue: (v: LabelSpec) => values.push(v) });
  const box = (value: string) =>
    view.container.querySelector(`input[data-value="${value}"]`) as HTMLInputElement | null;
  const shown = () => view.getByTestId('picker-marking').textContent;
  return { ...view, values, box, shown, last: () => values[values.length - 1] };
}

const start: LabelSpec = {
  policyId: 'NATO',
  classification: 'NATO SECRET',
  tags: [
    { category: 'Releasable To', value: 'FRA' },
    { category: 'Releasable To', value: 'GBR' },
  ],
};

describe('LabelPicker', () => {
  it('offers the policy’s levels, caveats, missions and REL TO in labelled groups', () => {
    const { getByRole, getByTestId, box } = mount(NATO_POLICY, start, ['DEU']);
    const group = getByRole('group', { name: 'Ceiling' });
    expect(group.tagName).toBe('FIELDSET');
    const level = getByTestId('picker-level') as HTMLSelectElement;
    expect([...level.options].map((o) => o.value)).toEqual(NATO_POLICY.levels.map((l) => l.name));
    expect(level.value).toBe('NATO SECRET');
    // Every checkbox has its name, and the groups theirs.
    expect(getByRole('group', { name: /Caveats \(Special Category\)/ })).toBeTruthy();
    expect(getByRole('group', { name: /Mission/ })).toBeTruthy();
    expect(getByRole('checkbox', { name: 'CRYPTO' })).toBeTruthy();
    expect(getByRole('checkbox', { name: 'FVEY (all its nations)' })).toBeTruthy();
    // The context's nations and the label's own are offered first, checked as chosen.
    expect(box('FRA')?.checked).toBe(true);
    expect(box('DEU')?.checked).toBe(false);
    expect(box('DEU')?.closest('details')).toBeNull();
    // Every other nation of the policy's communities waits under "more nations".
    expect(box('POL')?.closest('details')).not.toBeNull();
    expect(getByTestId('picker-marking').textContent).toBe('NATO SECRET//REL TO FRA, GBR');
  });

  it('shows the canonical marking of what is chosen, whatever the order of the clicks', async () => {
    const { box, shown, getByTestId, last } = mount(NATO_POLICY, start, ['DEU']);
    await fireEvent.click(box('DEU')!);
    await fireEvent.click(box('CRYPTO')!);
    await fireEvent.click(box('ATOMAL')!);
    await fireEvent.click(box('KFOR')!);
    await fireEvent.change(getByTestId('picker-level'), { target: { value: 'NATO CONFIDENTIAL' } });
    expect(shown()).toBe('NATO CONFIDENTIAL//ATOMAL/CRYPTO//MISSION KFOR//REL TO DEU, FRA, GBR');
    expect(last().classification).toBe('NATO CONFIDENTIAL');
    await fireEvent.click(box('FRA')!);
    await fireEvent.click(box('ATOMAL')!);
    expect(shown()).toBe('NATO CONFIDENTIAL//CRYPTO//MISSION KFOR//REL TO DEU, GBR');
    expect(marking(NATO_POLICY, last())).toBe(shown());
  });

  it('only ever produces labels the policy expresses', async () => {
    const { container, values, getByTestId } = mount(NATO_POLICY, start);
    const boxes = [...container.querySelectorAll('input[type="checkbox"]')] as HTMLInputElement[];
    // A deterministic walk over every control, twice.
    for (let round = 0; round < 2; round++)
      for (const [i, b] of boxes.entries()) {
        await fireEvent.click(b);
        if (i % 7 === 0)
          await fireEvent.change(getByTestId('picker-level'), {
            target: { value: NATO_POLICY.levels[i % NATO_POLICY.levels.length].name },
          });
      }
    expect(values.length).toBeGreaterThan(boxes.length);
    for (const v of values) expect(expressible(NATO_POLICY, v)).toBe(true);
  });

  it('says where a label without REL TO goes, and names the UK first under the UK policy', async () => {
    const uk: LabelSpec = { policyId: 'GBR', classification: 'UK OFFICIAL', tags: [] };
    const { getByText, box, shown } = mount(GBR_POLICY, uk, ['USA', 'GBR']);
    expect(getByText(/No REL TO: releasable to the policy's default community \(GBR\)/)).toBeTruthy();
    await fireEvent.click(box('USA')!);
    await fireEvent.click(box('GBR')!);
    expect(shown()).toBe('UK OFFICIAL//REL TO GBR, USA');
  });

  it('speaks French', async () => {
    await setLanguage('fr');
    const { getByRole } = mount(NATO_POLICY, start);
    expect(getByRole('group', { name: 'Communicable à' })).toBeTruthy();
    expect(getByRole('combobox', { name: 'Classification' })).toBeTruthy();
  });
});
