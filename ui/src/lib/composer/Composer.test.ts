import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { MessageView } from '../api/types';
import { setLanguage } from '../i18n/i18n.svelte';
import { installMock, watchSends } from '../testing/fixtures';
import Composer from './Composer.svelte';

// The mock's "FRA–GBR Bilateral": ceiling NATO CONFIDENTIAL//REL TO FRA, GBR,
// default NATO RESTRICTED//REL TO FRA, GBR.
const BILATERAL = 'b2d4f6a80002';

async function picker(getByTestId: (id: string) => HTMLElement): Promise<HTMLSelectElement> {
  await waitFor(() =>
    expect((getByTestId('label-picker') as HTMLSelectElement).options.length).toBeGreaterThan(1),
  );
  return getByTestId('label-picker') as HTMLSelectElement;
}

describe('Composer label picker', () => {
  it('offers only the labels the channel allows, plus the free-text option', async () => {
    installMock();
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    expect([...select.options].map((o) => o.value)).toEqual([
      'NATO UNCLASSIFIED//REL TO FRA, GBR',
      'NATO RESTRICTED//REL TO FRA, GBR',
      'NATO CONFIDENTIAL//REL TO FRA, GBR',
      '__other__',
    ]);
    expect(select.textContent).not.toContain('NATO SECRET');
  });

  it('preselects the channel default', async () => {
    installMock();
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    await waitFor(() => expect(select.value).toBe('NATO RESTRICTED//REL TO FRA, GBR'));
  });

  it('sends the chosen marking with the body on Ctrl+Enter', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    await fireEvent.change(select, { target: { value: 'NATO CONFIDENTIAL//REL TO FRA, GBR' } });
    const body = getByTestId('composer-body');
    await fireEvent.input(body, { target: { value: 'Alternate callsigns in use.' } });
    await fireEvent.keyDown(body, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(spy).toHaveBeenCalledWith('send_message', expect.anything()));
    const req = spy.mock.calls.find((c) => c[0] === 'send_message')?.[1].request as Record<string, unknown>;
    expect(req.marking).toBe('NATO CONFIDENTIAL//REL TO FRA, GBR');
    expect(req.body).toBe('Alternate callsigns in use.');
    await waitFor(() => expect((body as HTMLTextAreaElement).value).toBe(''));
  });
});

describe('Composer replies', () => {
  it('inherits the source label and locks the picker, saying why', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const page = await call('thread_page', { channelId: BILATERAL, start: 40, count: 1 });
    const source = page.messages[0];
    expect(source.label.marking).toBe('NATO CONFIDENTIAL//REL TO FRA, GBR');

    const { getByTestId } = render(Composer, { channelId: BILATERAL, replyTo: source });
    const select = getByTestId('label-picker') as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.value).toBe(source.label.marking);
    expect(getByTestId('reply-lock-note').textContent).toContain(source.label.marking);

    await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Done.' } });
    await fireEvent.click(getByTestId('send-button'));
    await waitFor(() => expect(spy).toHaveBeenCalledWith('send_message', expect.anything()));
    const req = spy.mock.calls.find((c) => c[0] === 'send_message')?.[1].request as Record<string, unknown>;
    expect(req.marking).toBe(source.label.marking);
    expect(req.replyTo).toBe(source.id);
  });
});

describe('Composer refusals', () => {
  it('sends a typed marking as is and explains the core’s refusal near the composer', async () => {
    const b = installMock();
    const before = b.state.channel(BILATERAL).extra.length;
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    await fireEvent.change(select, { target: { value: '__other__' } });
    await fireEvent.input(getByTestId('other-marking-input'), { target: { value: 'COSMIC TOP SECRET' } });
    await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Test.' } });
    await fireEvent.click(getByTestId('send-button'));
    const error = await waitFor(() => getByTestId('composer-error'));
    expect(error.dataset.kind).toBe('labelRefused');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('this marking is not allowed in this channel');
    expect(error.textContent).toContain('COSMIC TOP SECRET');
    expect(b.state.channel(BILATERAL).extra.length).toBe(before);
  });

  it('says in French what exceeds the ceiling', async () => {
    installMock();
    await setLanguage('fr');
    try {
      const { getByTestId } = render(Composer, { channelId: BILATERAL });
      const select = await picker(getByTestId);
      await fireEvent.change(select, { target: { value: '__other__' } });
      await fireEvent.input(getByTestId('other-marking-input'), { target: { value: 'COSMIC TOP SECRET' } });
      await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Essai.' } });
      await fireEvent.click(getByTestId('send-button'));
      const error = await waitFor(() => getByTestId('composer-error'));
      expect(error.textContent).toContain('dépasse le plafond du canal NATO CONFIDENTIAL//REL TO FRA, GBR');
      expect(error.textContent).toContain('COSMIC TOP SECRET est au-dessus de NATO CONFIDENTIAL');
      expect(error.textContent).not.toContain('is above');
    } finally {
      await setLanguage('en');
    }
  });

  it('asks for a body instead of sending an empty message', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    await picker(getByTestId);
    await fireEvent.click(getByTestId('send-button'));
    expect(getByTestId('composer-error').textContent).toContain('Write something');
    expect(spy).not.toHaveBeenCalledWith('send_message', expect.anything());
  });

  it('says why sending is impossible in an imported archive', async () => {
    installMock();
    const { getByTestId, queryByTestId } = render(Composer, { channelId: 'f6b8daec0006' });
    await waitFor(() => expect(getByTestId('composer-disabled').textContent).toContain('read-only'));
    expect(queryByTestId('send-button')).toBeNull();
  });
});

describe('Composer drafts', () => {
  it('keeps an unsent draft when the user leaves the channel and comes back', async () => {
    installMock();
    const first = render(Composer, { channelId: BILATERAL });
    await fireEvent.input(first.getByTestId('composer-body'), { target: { value: 'Half-written' } });
    first.unmount();
    const again = render(Composer, { channelId: BILATERAL });
    expect((again.getByTestId('composer-body') as HTMLTextAreaElement).value).toBe('Half-written');
  });

  it('starts with EXERCISE ticked when told to (exercise profiles)', async () => {
    installMock();
    const { getByTestId } = render(Composer, { channelId: BILATERAL, exerciseDefault: true });
    expect((getByTestId('exercise-toggle') as HTMLInputElement).checked).toBe(true);
  });
});

describe('Composer EXERCISE status', () => {
  async function bilateralSource(exercise: boolean): Promise<MessageView> {
    const page = await call('thread_page', { channelId: BILATERAL, start: 40, count: 1 });
    return { ...page.messages[0], exercise };
  }

  it('gives a reply its source’s EXERCISE status, whatever the profile', async () => {
    installMock();
    const source = await bilateralSource(true);
    const { getByTestId, queryByTestId } = render(Composer, { channelId: BILATERAL, replyTo: source });
    await waitFor(() => expect((getByTestId('exercise-toggle') as HTMLInputElement).checked).toBe(true));
    expect(queryByTestId('exercise-change-note')).toBeNull();
  });

  it('asks before a reply to real-world traffic leaves an exercise profile, and sends the choice', async () => {
    const sends = watchSends(installMock());
    const source = await bilateralSource(false);
    const { getByTestId } = render(Composer, {
      channelId: BILATERAL,
      replyTo: source,
      exerciseDefault: true,
    });
    await waitFor(() => expect((getByTestId('send-button') as HTMLButtonElement).disabled).toBe(false));
    await waitFor(() => expect((getByTestId('exercise-toggle') as HTMLInputElement).checked).toBe(false));
    expect(getByTestId('exercise-change-note').textContent).toContain('exercise profile');
    await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Assessment noted.' } });
    await fireEvent.click(getByTestId('send-button'));
    await waitFor(() => expect(getByTestId('exercise-ask')).toBeTruthy());
    expect(sends()).toEqual([]);
    await fireEvent.click(getByTestId('send-as-real'));
    await waitFor(() => expect(sends()).toHaveLength(1));
    expect(sends()[0]).toMatchObject({ exercise: false, replyTo: source.id });
  });

  it('warns when EXERCISE is unticked, asks at send, and does not keep the change for the next message', async () => {
    const sends = watchSends(installMock());
    const { getByTestId, queryByTestId } = render(Composer, { channelId: BILATERAL, exerciseDefault: true });
    await picker(getByTestId);
    const toggle = getByTestId('exercise-toggle') as HTMLInputElement;
    expect(queryByTestId('exercise-change-note')).toBeNull();
    await fireEvent.click(toggle);
    expect(toggle.checked).toBe(false);
    expect(getByTestId('exercise-change-note').textContent).toContain('real-world');
    await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Real traffic.' } });
    await fireEvent.click(getByTestId('send-button'));
    await waitFor(() => expect(getByTestId('exercise-ask')).toBeTruthy());
    await fireEvent.click(getByTestId('send-as-exercise'));
    await waitFor(() => expect(sends()).toHaveLength(1));
    expect(sends()[0].exercise).toBe(true);
    await fireEvent.click(toggle);
    await fireEvent.input(getByTestId('composer-body'), { target: { value: 'Real again.' } });
    await fireEvent.click(getByTestId('send-button'));
    await fireEvent.click(await waitFor(() => getByTestId('send-as-real')));
    await waitFor(() => expect(sends()).toHaveLength(2));
    expect(sends()[1].exercise).toBe(false);
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(queryByTestId('exercise-change-note')).toBeNull();
  });
});

describe('Composer releasability', () => {
  it('says which nations a marking releases to beyond the channel’s members before sending', async () => {
    const b = installMock();
    const ch = b.state.channel(BILATERAL);
    ch.members = ch.members.filter((m) => m.nationality !== 'GBR');
    const { getByTestId } = render(Composer, { channelId: BILATERAL });
    await picker(getByTestId);
    await waitFor(() => expect(getByTestId('release-notice').textContent).toContain('GBR'));
  });

  it('says so for a typed marking too', async () => {
    installMock();
    const { getByTestId, queryByTestId } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    await fireEvent.change(select, { target: { value: '__other__' } });
    const input = getByTestId('other-marking-input');
    await fireEvent.input(input, { target: { value: 'NATO RESTRICTED//REL TO FRA, GBR, ITA' } });
    await waitFor(() => expect(getByTestId('release-notice').textContent).toContain('ITA'));
    await fireEvent.input(input, { target: { value: 'NATO RESTRICTED//REL TO FRA, GBR' } });
    await waitFor(() => expect(queryByTestId('release-notice')).toBeNull());
  });

  it('shows no notice when every nation released to holds a seat', async () => {
    installMock();
    const { getByTestId, queryByTestId } = render(Composer, { channelId: BILATERAL });
    await picker(getByTestId);
    expect(queryByTestId('release-notice')).toBeNull();
  });
});
