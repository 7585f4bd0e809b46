import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { MessageView } from '../api/types';
import { label, message } from '../testing/fixtures';
import MessageRow from './MessageRow.svelte';

function show(m: MessageView, readOnly = false) {
  const onack = vi.fn();
  const r = render(MessageRow, {
    message: m,
    total: 10,
    active: false,
    readOnly,
    acking: false,
    onreply: () => {},
    onack,
    onfocusrow: () => {},
  });
  return { ...r, onack };
}

describe('MessageRow', () => {
  it('shows the portion marking, sender, nation and verification', () => {
    const { getByTestId } = show(message({ label: label(3, ['GBR', 'FRA']) }));
    const row = getByTestId('message-row');
    expect(row.querySelector('.body .portion .short')?.textContent).toBe('(NS//REL TO FRA, GBR)');
    expect(row.textContent).toContain('Lt Col James Whitfield');
    expect(row.querySelector('.nation')?.textContent).toBe('GBR');
    expect(row.dataset.verification).toBe('verified');
    expect(row.textContent).toContain('Verified');
  });

  it('marks a message whose signature does not name its channel, and only that one', () => {
    const { getByTestId, queryByTestId, unmount } = show(message({ contextSigned: false }));
    expect(getByTestId('context-unsigned').textContent).toBe('Older format');
    unmount();
    show(message());
    expect(queryByTestId('context-unsigned')).toBeNull();
  });

  it('quotes the message replied to with its own portion marking', () => {
    const { getByTestId } = show(
      message({ replyTo: { id: 'x', senderName: 'OTL Katrin Vogel', excerpt: 'Concur.', label: label(2) } }),
    );
    const quote = getByTestId('message-row').querySelector('.quote');
    expect(quote?.textContent).toContain('Reply to OTL Katrin Vogel');
    expect(quote?.querySelector('.portion .short')?.textContent).toBe('(NC)');
  });

  it('frames EXERCISE traffic', () => {
    const { getAllByTestId, getByTestId } = show(message({ exercise: true }));
    expect(getAllByTestId('exercise-frame')[0].textContent).toBe('EXERCISE EXERCISE EXERCISE');
    expect(getByTestId('message-row').classList).toContain('exercise');
  });

  it('marks a tampered message as not to be trusted', () => {
    const { getByTestId } = show(message({ verification: 'tampered' }));
    expect(getByTestId('message-row').textContent).toContain('do not trust');
  });

  it('shows the sent time in UTC on hover', () => {
    const { getByTestId } = show(message({ sentAtMs: Date.UTC(2025, 2, 14, 9, 5, 7) }));
    expect(getByTestId('message-row').querySelector('time')?.getAttribute('title')).toBe(
      '2025-03-14 09:05:07 UTC',
    );
  });
});

describe('acknowledgements', () => {
  const flash = { precedence: 'flash' as const, ackRequested: true, acknowledgedByMe: false };

  it('offers Acknowledge on a FLASH message from someone else', async () => {
    const { getByTestId, onack } = show(message(flash));
    expect(getByTestId('message-row').dataset.precedence).toBe('flash');
    await fireEvent.click(getByTestId('ack-button'));
    expect(onack).toHaveBeenCalledOnce();
  });

  it('offers Acknowledge on an IMMEDIATE message from someone else', () => {
    const { queryByTestId } = show(message({ ...flash, precedence: 'immediate' }));
    expect(queryByTestId('ack-button')).not.toBeNull();
  });

  it('offers no Acknowledge on the user’s own FLASH message, and lists who acknowledged', () => {
    const { queryByTestId, getByTestId } = show(
      message({
        ...flash,
        mine: true,
        verification: 'own',
        // The shell may leave this false on the user's own messages.
        acknowledgedByMe: false,
        acks: [
          { officerId: 'GBR-1187', displayName: 'Lt Col James Whitfield', atMs: Date.UTC(2025, 2, 14, 9, 7) },
        ],
      }),
    );
    expect(queryByTestId('ack-button')).toBeNull();
    expect(getByTestId('acks').textContent).toContain('Acknowledged by');
    expect(getByTestId('acks').textContent).toContain('Lt Col James Whitfield');
  });

  it('shows acknowledgement state as recorded, a check mark only on one that was made', () => {
    const flash = { precedence: 'flash' as const, ackRequested: true };
    const open = show(message({ ...flash, acknowledgedByMe: false }), true);
    const negative = open.getByTestId('ack-state');
    expect(negative.textContent?.trim()).toBe('Not acknowledged');
    expect(negative.textContent).not.toContain('✓');
    expect(open.queryByTestId('ack-button')).toBeNull();
    expect(open.getByTestId('message-row').classList.contains('awaiting')).toBe(false);
    open.unmount();
    const done = show(message({ ...flash, acknowledgedByMe: true }), true);
    expect(done.getByTestId('ack-state').textContent?.trim()).toBe('✓ Acknowledged');
  });

  it('offers no Acknowledge on routine traffic or once acknowledged', () => {
    expect(show(message()).queryByTestId('ack-button')).toBeNull();
    expect(show(message({ ...flash, acknowledgedByMe: true })).queryByTestId('ack-button')).toBeNull();
  });

  it('offers no Acknowledge in a read-only archive', () => {
    expect(show(message(flash), true).queryByTestId('ack-button')).toBeNull();
  });
});
