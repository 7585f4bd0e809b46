import { fireEvent, render, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import HelpDialog from './HelpDialog.svelte';
import { matchShortcut, SHORTCUTS } from './shortcuts';

const key = (init: KeyboardEventInit) => new KeyboardEvent('keydown', init);

describe('shortcuts', () => {
  it('recognises the documented keys', () => {
    expect(matchShortcut(key({ key: 'k', ctrlKey: true }))).toBe('switcher');
    expect(matchShortcut(key({ key: 'ArrowDown', altKey: true }))).toBe('nextChannel');
    expect(matchShortcut(key({ key: 'ArrowUp', altKey: true }))).toBe('previousChannel');
    expect(matchShortcut(key({ key: 'l', ctrlKey: true }))).toBe('lock');
    expect(matchShortcut(key({ key: 'f', ctrlKey: true }))).toBe('search');
    expect(matchShortcut(key({ key: 'F1' }))).toBe('help');
    expect(matchShortcut(key({ key: 'k' }))).toBeUndefined();
  });

  it('lists every shortcut in the help dialog', () => {
    const { getByRole } = render(HelpDialog, { onclose: () => {} });
    for (const s of SHORTCUTS) expect(getByRole('dialog').textContent).toContain(s.keys);
    expect(getByRole('dialog').textContent).toContain('Ctrl+Enter');
  });
});

describe('Modal', () => {
  it('takes focus, and closes on Escape even when focus has dropped to the page', async () => {
    const onclose = vi.fn();
    const { getByRole } = render(HelpDialog, { onclose });
    expect(getByRole('dialog').contains(document.activeElement)).toBe(true);
    (document.activeElement as HTMLElement).blur();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('is named by its own title, through an id no other dialog has', () => {
    const first = render(HelpDialog, { onclose: () => {} });
    const second = render(HelpDialog, { onclose: () => {} });
    const ids = [first, second].map(({ container }) => {
      const dialog = within(container).getByRole('dialog');
      const id = dialog.getAttribute('aria-labelledby') ?? '';
      expect(dialog.querySelector('h2')?.id).toBe(id);
      expect(document.querySelectorAll(`[id="${id}"]`)).toHaveLength(1);
      return id;
    });
    expect(ids[0]).not.toBe(ids[1]);
    expect(within(first.container).getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
  });
});
