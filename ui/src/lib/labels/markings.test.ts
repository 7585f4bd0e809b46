// Full markings wherever a place may cut them: a title on hover, and the
// whole marking in the text screen readers read.
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Members from '../admin/Members.svelte';
import type { LabelView } from '../api/types';
import { arrange } from '../channels/arrange';
import ChannelList from '../channels/ChannelList.svelte';
import { channelView, label, message } from '../testing/fixtures';
import MessageRow from '../thread/MessageRow.svelte';
import Banner from './Banner.svelte';
import Marking from './Marking.svelte';
import Portion from './Portion.svelte';

/** A label with caveats enough to be cut in any narrow place. */
const LONG: LabelView = {
  ...label(3, ['DEU', 'FRA', 'GBR', 'ITA', 'NLD', 'USA']),
  marking: 'NATO SECRET//ATOMAL//REL TO DEU, FRA, GBR, ITA, NLD, USA',
  portion: '(NS//ATOMAL//REL TO DEU, FRA, GBR, ITA, NLD, USA)',
};

describe('full markings', () => {
  it('gives a marking chip its whole marking as title and text', () => {
    const chip = render(Marking, { label: LONG }).container.querySelector('.marking') as HTMLElement;
    expect(chip.title).toBe(LONG.marking);
    expect(chip.textContent).toBe(LONG.marking);
  });

  it('reads a portion marking out whole, and shows it whole on hover', () => {
    const p = render(Portion, { label: LONG }).container.querySelector('.portion') as HTMLElement;
    expect(p.title).toBe(LONG.marking);
    const short = p.querySelector('.short') as HTMLElement;
    expect(short.textContent).toBe(LONG.portion);
    expect(short.getAttribute('aria-hidden')).toBe('true');
    const full = p.querySelector('.full') as HTMLElement;
    expect(full.textContent).toBe(LONG.marking);
    expect(full.classList).toContain('visually-hidden');
  });

  it('titles the banner with all it says', () => {
    const { getByTestId } = render(Banner, {
      banner: { label: LONG, mixed: false },
      position: 'top',
      testid: 'b',
      systemHigh: LONG,
    });
    expect(getByTestId('b').title).toBe(`${LONG.marking} · System high ${LONG.marking}`);
  });

  it('titles the channel list’s names and ceilings', () => {
    const name = 'GBR–FRA–DEU–ITA–NLD–USA Combined Liaison and Coordination Cell';
    const { getAllByTestId } = render(ChannelList, {
      arranged: arrange([channelView({ name, ceiling: LONG })]),
      selectedId: undefined,
      onselect: () => {},
    });
    const item = getAllByTestId('channel-item')[0];
    expect((item.querySelector('.name') as HTMLElement).title).toBe(name);
    expect((item.querySelector('.marking') as HTMLElement).title).toBe(LONG.marking);
  });

  it('names a thread row by its full marking, the quoted one too, and titles the cut quote', () => {
    const excerpt =
      'Concur. German engineers can clear the bypass within 36 hours if tasked today, weather allowing.';
    const { getByRole, getByTestId } = render(MessageRow, {
      message: message({
        label: LONG,
        replyTo: { id: 'x', senderName: 'OTL Vogel', excerpt, label: label(2) },
      }),
      total: 10,
      active: false,
      readOnly: false,
      acking: false,
      onreply: () => {},
      onack: () => {},
      onfocusrow: () => {},
    });
    const row = getByRole('article', {
      name: /NATO SECRET\/\/ATOMAL\/\/REL TO DEU, FRA, GBR, ITA, NLD, USA/,
    });
    expect(row.getAttribute('aria-labelledby')).toContain('body');
    const quote = getByTestId('message-row').querySelector('.quote') as HTMLElement;
    expect((quote.querySelector('.portion') as HTMLElement).title).toBe('NATO CONFIDENTIAL');
    expect((quote.querySelector('.excerpt') as HTMLElement).title).toBe(excerpt);
  });

  it('titles a member’s clearance, cut in a narrow table', () => {
    const clearance = 'COSMIC TOP SECRET//ATOMAL//BOHEMIA';
    const { getAllByTestId } = render(Members, {
      channelId: 'c1',
      canManage: false,
      onchanged: () => {},
      members: [
        {
          officerId: 'FRA-0412',
          displayName: 'Cdt Marie Lefèvre',
          organisation: 'EMA',
          nationality: 'FRA',
          clearance,
          role: 'member',
          isSelf: false,
        },
      ],
    });
    const cell = getAllByTestId('member-row')[0].querySelector('.clearance') as HTMLElement;
    expect(cell.title).toBe(clearance);
    expect(cell.textContent).toBe(clearance);
  });
});
