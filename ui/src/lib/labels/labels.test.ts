import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { label } from '../testing/fixtures';
import Banner from './Banner.svelte';
import { contrastRatio, textOn } from './colour';
import { highestLabel } from './highest';
import Portion from './Portion.svelte';

const rgb = (hex: string) =>
  `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

describe('highestLabel', () => {
  it('picks the label of highest rank, ignoring missing ones', () => {
    const h = highestLabel([label(0), undefined, label(3, ['FRA']), label(1)]);
    expect(h?.label.marking).toBe('NATO SECRET//REL TO FRA');
    expect(h?.mixed).toBe(false);
  });

  it('is undefined when nothing is on screen', () => {
    expect(highestLabel([])).toBeUndefined();
    expect(highestLabel([undefined])).toBeUndefined();
  });

  it('flags different caveats at the highest rank as mixed', () => {
    const h = highestLabel([label(3, ['FRA', 'GBR']), label(3, ['DEU', 'FRA']), label(2)]);
    expect(h?.label.rank).toBe(3);
    expect(h?.mixed).toBe(true);
  });

  it('does not call the same marking twice mixed', () => {
    expect(highestLabel([label(3, ['FRA']), label(3, ['FRA'])])?.mixed).toBe(false);
  });
});

describe('banner colours', () => {
  it('uses white text on NATO SECRET red and black on COSMIC TOP SECRET orange', () => {
    expect(textOn(label(3).colour)).toBe('#ffffff');
    expect(textOn(label(4).colour)).toBe('#000000');
  });

  it('keeps every NATO level readable (contrast at least 4.5:1)', () => {
    for (let r = 0; r <= 4; r++) {
      const bg = label(r).colour;
      expect(contrastRatio(bg, textOn(bg))).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('Banner', () => {
  it('shows the marking on the level colour with its rank', () => {
    const { getByTestId } = render(Banner, {
      banner: { label: label(3, ['DEU', 'FRA', 'GBR']), mixed: false },
      position: 'top',
      testid: 'banner-top',
    });
    const b = getByTestId('banner-top');
    expect(b.textContent?.trim()).toBe('NATO SECRET//REL TO DEU, FRA, GBR');
    expect(b.dataset.rank).toBe('3');
    expect(b.dataset.tone).toBe('secret');
    expect(b.style.backgroundColor).toBe(rgb('#C8102E'));
    expect(b.style.color).toBe(rgb('#ffffff'));
  });

  it('says so when nothing classified is on screen', () => {
    const { getByTestId } = render(Banner, { banner: undefined, position: 'bottom', testid: 'b' });
    expect(getByTestId('b').dataset.rank).toBe('-1');
    expect(getByTestId('b').textContent).toContain('No classified content');
  });

  it('names a channel’s ceiling as its system high beside what is shown', () => {
    const ceiling = label(3, ['DEU', 'FRA', 'GBR']);
    const shown = render(Banner, {
      banner: { label: label(0, ['DEU', 'FRA', 'GBR']), mixed: false },
      systemHigh: ceiling,
      position: 'top',
      testid: 'b',
    });
    expect(shown.getByTestId('b').dataset.rank).toBe('0');
    expect(shown.getByTestId('b-system-high').textContent).toContain(`System high ${ceiling.marking}`);
    // The parts stay apart: "…GBR · System high …", never "…GBR· System…".
    expect(shown.getByTestId('b').textContent).toMatch(/GBR\s·\sSystem high/);
    shown.unmount();
    const empty = render(Banner, { banner: undefined, systemHigh: ceiling, position: 'top', testid: 'b' });
    // No message shown is not "no classified content" beside a NATO SECRET ceiling.
    expect(empty.getByTestId('b').textContent).toContain('No message on screen');
    expect(empty.getByTestId('b').textContent).not.toContain('No classified content');
    expect(empty.getByTestId('b-system-high').textContent).toContain('NATO SECRET');
  });

  it('keeps EXERCISE apart from the marking', () => {
    const { getByTestId } = render(Banner, {
      banner: { label: label(3, ['FRA']), mixed: false },
      exercise: 'exercise',
      position: 'top',
      testid: 'b',
    });
    expect(getByTestId('b').textContent).toMatch(/EXERCISE\s·\sNATO/);
  });

  it('names only the classification when caveats are mixed', () => {
    const { getByTestId } = render(Banner, {
      banner: { label: label(3, ['FRA']), mixed: true },
      position: 'top',
      testid: 'b',
    });
    expect(getByTestId('b').textContent).toContain('NATO SECRET (caveats vary');
    expect(getByTestId('b').textContent).not.toContain('REL TO FRA');
  });
});

describe('Portion', () => {
  it('shows the portion marking with the full marking on hover', () => {
    const { container } = render(Portion, { label: label(2, ['GBR', 'FRA']) });
    const p = container.querySelector('.portion') as HTMLElement;
    expect(p.querySelector('.short')?.textContent).toBe('(NC//REL TO FRA, GBR)');
    expect(p.title).toBe('NATO CONFIDENTIAL//REL TO FRA, GBR');
    expect(p.style.backgroundColor).toBe(rgb('#0033A0'));
  });
});
