import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../api/types';
import { record } from '../api/mock/audit';
import { setLanguage } from '../i18n/i18n.svelte';
import { channelView, installMock, settle } from '../testing/fixtures';
import AuditLog from './AuditLog.svelte';
import { auditSentence } from './sentence';

afterEach(() => setLanguage('en'));

const cell = channelView({ id: 'a1c3e5f70001', name: 'GBR–FRA–DEU Liaison Cell' });

/** The sentences shown, newest first. */
function shown(container: HTMLElement): string[] {
  return [...container.querySelectorAll('[data-testid="audit-row"] td:nth-child(3) span')].map(
    (s) => s.textContent ?? '',
  );
}

function entry(over: Partial<AuditEntry>): AuditEntry {
  return { id: 1, atMs: 0, kind: 'member.added', category: 'membership', detail: 'English detail', ...over };
}

describe('audit sentences', () => {
  it('says who did what, with names, before and after', () => {
    const added = entry({
      facts: { by: 'GBR-1187', byName: 'Lt Col James Whitfield', member: 'DEU-2203', nationality: 'DEU' },
    });
    expect(auditSentence(added).text).toBe('Lt Col James Whitfield added DEU-2203 (DEU).');
    const ceiling = entry({
      kind: 'policy.ceiling',
      category: 'policy',
      facts: { by: 'GBR-1187', before: 'NATO CONFIDENTIAL', after: 'NATO SECRET', epoch: 7 },
    });
    expect(auditSentence(ceiling).text).toBe(
      'GBR-1187 changed the ceiling from NATO CONFIDENTIAL to NATO SECRET.',
    );
    const retention = entry({
      kind: 'policy.retention',
      category: 'policy',
      facts: { by: 'GBR-1187', after: 30, epoch: 8 },
    });
    expect(auditSentence(retention).text).toBe(
      'GBR-1187 changed how long messages are kept from no limit to 30 days.',
    );
  });

  it('says a refusal from its code, each excess over the ceiling in words', async () => {
    const refused = entry({
      kind: 'delivery.refused',
      category: 'refusals',
      facts: {
        seq: 9,
        reason: 'aboveCeiling',
        text: 'English refusal',
        label: 'NATO SECRET//REL TO GBR',
        ceiling: 'NATO SECRET//REL TO FRA, GBR',
        excess: [{ kind: 'leavesOutNations', nations: ['FRA'], text: 'its REL TO leaves out FRA' }],
      },
    });
    expect(auditSentence(refused).text).toBe(
      'A delivery was refused (relay position 9): NATO SECRET//REL TO GBR is above the channel ceiling ' +
        'NATO SECRET//REL TO FRA, GBR: its REL TO leaves out FRA, which the ceiling releases to.',
    );
    await setLanguage('fr');
    expect(auditSentence(refused).text).toBe(
      'Une livraison a été refusée (position 9 au relais) : NATO SECRET//REL TO GBR dépasse le plafond du ' +
        'canal NATO SECRET//REL TO FRA, GBR : sa mention REL TO exclut FRA, alors que le plafond leur est diffusable.',
    );
  });

  it('shows entries without facts, and kinds it does not know, as recorded', () => {
    const old = auditSentence(entry({ kind: 'commit.merged', category: 'channel', detail: 'epoch 5' }));
    expect(old).toEqual({ text: 'epoch 5', recorded: true });
    const unknown = auditSentence(
      entry({ kind: 'newer.kind', category: 'other', detail: 'from a newer version', facts: { x: 1 } }),
    );
    expect(unknown).toEqual({ text: 'from a newer version', recorded: true });
  });
});

describe('AuditLog', () => {
  it('renders the log in sentences, in English and in French', async () => {
    installMock();
    const { container, getAllByTestId } = render(AuditLog, { channels: [cell], onclose: () => {} });
    await waitFor(() => expect(getAllByTestId('audit-row').length).toBeGreaterThan(3));
    const english = shown(container);
    expect(english).toContain('Lt Col James Whitfield added OTL Katrin Vogel (DEU).');
    expect(english).toContain('Liaison locked itself after the idle delay.');
    expect(english).toContain('Liaison was unlocked after 1 wrong attempt.');
    expect(
      english.some((s) => s.startsWith('You acknowledged the FLASH message from Lt Col James Whitfield')),
    ).toBe(true);
    // The row written before facts were kept shows its English detail, marked as such.
    const recorded = container.querySelector('[data-testid="audit-recorded"]');
    expect(recorded?.textContent).toBe('epoch 4');
    expect(recorded?.getAttribute('lang')).toBe('en');

    await setLanguage('fr');
    await settle();
    const french = shown(container);
    expect(french).toContain('Lt Col James Whitfield a ajouté OTL Katrin Vogel (DEU).');
    expect(french).toContain('Liaison s’est verrouillé après le délai d’inactivité.');
    expect(french).toContain('Liaison a été déverrouillé après 1 tentative erronée.');
    expect(
      french.some((s) =>
        s.startsWith(
          'Lt Col James Whitfield a changé le plafond de NATO CONFIDENTIAL//REL TO DEU, FRA, GBR à NATO SECRET',
        ),
      ),
    ).toBe(true);
    expect(container.textContent).toContain('Session et sécurité');
  });

  it('filters by kind and channel through the desk, and by words here', async () => {
    const b = installMock();
    record(
      b.state,
      'archive.exported',
      { messages: 3, protection: 'passphrase' },
      '3 messages',
      'other-channel',
    );
    const spy = vi.spyOn(b, 'invoke');
    const other = channelView({ id: 'other-channel', name: 'Bridge' });
    const { container, getByTestId, getAllByTestId } = render(AuditLog, {
      channels: [cell, other],
      onclose: () => {},
    });
    await waitFor(() => expect(getAllByTestId('audit-row').length).toBeGreaterThan(3));

    await fireEvent.change(getByTestId('audit-category'), { target: { value: 'security' } });
    await waitFor(() =>
      expect(spy).toHaveBeenLastCalledWith('audit_log', {
        query: expect.objectContaining({ categories: ['security'] }),
      }),
    );
    await waitFor(() =>
      expect(
        getAllByTestId('audit-row').every(
          (r) => r.dataset.kind?.startsWith('session.') || r.dataset.kind === 'profile.created',
        ),
      ).toBe(true),
    );

    await fireEvent.change(getByTestId('audit-category'), { target: { value: '' } });
    await fireEvent.change(getByTestId('audit-channel'), { target: { value: 'other-channel' } });
    await waitFor(() =>
      expect(shown(container)).toEqual(['You exported 3 messages to an archive protected by a passphrase.']),
    );

    await fireEvent.change(getByTestId('audit-channel'), { target: { value: '' } });
    await waitFor(() => expect(getAllByTestId('audit-row').length).toBeGreaterThan(3));
    await fireEvent.input(getByTestId('audit-text'), { target: { value: 'vogel' } });
    await waitFor(() =>
      expect(shown(container)).toEqual(['Lt Col James Whitfield added OTL Katrin Vogel (DEU).']),
    );
    expect(getByTestId('audit-count').textContent).toContain('1 entry shown');

    await fireEvent.input(getByTestId('audit-text'), { target: { value: 'nothing like this' } });
    await waitFor(() => expect(getByTestId('audit-count').textContent).toContain('No entry matches'));
    await fireEvent.click(getByTestId('audit-clear'));
    await waitFor(() => expect(getAllByTestId('audit-row').length).toBeGreaterThan(3));
  });

  it('asks for a date range from the start of the first day to the end of the last', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const { getByTestId } = render(AuditLog, { channels: [cell], onclose: () => {} });
    await settle();
    await fireEvent.change(getByTestId('audit-from'), { target: { value: '2025-03-14' } });
    await fireEvent.change(getByTestId('audit-to'), { target: { value: '2025-03-15' } });
    await waitFor(() =>
      expect(spy).toHaveBeenLastCalledWith('audit_log', {
        query: expect.objectContaining({
          fromMs: new Date(2025, 2, 14).getTime(),
          toMs: new Date(2025, 2, 16).getTime(),
        }),
      }),
    );
    await waitFor(() => expect(getByTestId('audit-count').textContent).toContain('No entry matches'));
  });
});
