import { fireEvent, render, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { installMock } from '../testing/fixtures';

describe('New channel, from the channel list', () => {
  it('opens the form, creates the channel, lists and opens it, and says so', async () => {
    const backend = installMock();
    const { findByTestId, getByTestId, findByRole } = render(App);
    const open = await findByTestId('new-channel-button');
    // A plain button beside the channel list: in the tab order.
    expect(open.tagName).toBe('BUTTON');
    expect(open.tabIndex).toBe(0);
    await fireEvent.click(open);
    expect(open.getAttribute('aria-pressed')).toBe('true');
    const name = await findByTestId('new-name');
    await waitFor(() => expect(document.activeElement).toBe(name));
    await fireEvent.input(name, { target: { value: 'Planning cell' } });
    await fireEvent.click(getByTestId('new-submit'));

    const status = await findByTestId('channel-created');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toContain('Channel “Planning cell” created.');
    const created = backend.state.channels.find((c) => c.name === 'Planning cell');
    expect(created).toBeDefined();
    const nav = await findByRole('navigation', { name: /channels/i });
    const item = await within(nav).findByText('Planning cell');
    await waitFor(() => expect(item.closest('button')?.getAttribute('aria-current')).toBe('page'));
    expect(document.querySelector('[data-testid="new-channel"]')).toBeNull();
    expect(backend.state.audit.some((e) => e.kind === 'channel.created' && e.channelId === created?.id)).toBe(
      true,
    );
  });

  it('goes back to the conversation, and to the button, when cancelled', async () => {
    installMock();
    const { findByTestId } = render(App);
    const open = await findByTestId('new-channel-button');
    await fireEvent.click(open);
    await fireEvent.click(await findByTestId('new-cancel'));
    await waitFor(() => expect(document.querySelector('[data-testid="new-channel"]')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(open));
  });
});
