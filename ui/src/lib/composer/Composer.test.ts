import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { MessageView } from '../api/types';
import { setLanguage } from '../i18n/i18n.svelte';
import { installMock, watchSends } from '../testing/fixtures';
import Composer from './Composer.svelte';
import { drafts } from './drafts';

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

  it('keeps the draft’s label, precedence and EXERCISE choice across a channel switch', async () => {
    installMock();
    const first = render(Composer, { channelId: BILATERAL, exerciseDefault: true });
    const select = await picker(first.getByTestId);
    await fireEvent.change(select, { target: { value: 'NATO CONFIDENTIAL//REL TO FRA, GBR' } });
    await fireEvent.change(first.getByTestId('precedence-picker'), { target: { value: 'flash' } });
    await fireEvent.click(first.getByTestId('exercise-toggle'));
    await fireEvent.input(first.getByTestId('composer-body'), { target: { value: 'Half-written' } });
    first.unmount();
    // Another channel's composer starts from its own defaults.
    const other = render(Composer, { channelId: 'a1c3e5f70001', exerciseDefault: true });
    await picker(other.getByTestId);
    expect((other.getByTestId('composer-body') as HTMLTextAreaElement).value).toBe('');
    expect((other.getByTestId('precedence-picker') as HTMLSelectElement).value).toBe('routine');
    other.unmount();

    const again = render(Composer, { channelId: BILATERAL, exerciseDefault: true });
    const restored = await picker(again.getByTestId);
    expect((again.getByTestId('composer-body') as HTMLTextAreaElement).value).toBe('Half-written');
    await waitFor(() => expect(restored.value).toBe('NATO CONFIDENTIAL//REL TO FRA, GBR'));
    expect((again.getByTestId('precedence-picker') as HTMLSelectElement).value).toBe('flash');
    expect((again.getByTestId('exercise-toggle') as HTMLInputElement).checked).toBe(false);
    expect(again.getByTestId('exercise-change-note')).toBeTruthy();
    expect(again.queryByTestId('draft-label-gone')).toBeNull();
  });

  it('says so when the channel no longer offers the draft’s label', async () => {
    installMock();
    drafts.set(BILATERAL, {
      body: 'Written before the policy changed.',
      choice: 'NATO SECRET//REL TO FRA, GBR',
      otherMarking: '',
      precedence: 'routine',
      exercise: false,
    });
    const { getByTestId, findByTestId } = render(Composer, { channelId: BILATERAL });
    const note = await findByTestId('draft-label-gone');
    expect(note.textContent).toContain('NATO SECRET//REL TO FRA, GBR');
    expect(note.closest('[data-testid="composer-messages"]')).not.toBeNull();
    expect((await picker(getByTestId)).value).toBe('NATO RESTRICTED//REL TO FRA, GBR');
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

describe('Composer layout', () => {
  const CONTROLS = ['label-picker', 'precedence-picker', 'exercise-toggle', 'composer-body', 'send-button'];

  /** Each control, the path of containers from it up to the form, and their order. */
  function layout(form: HTMLElement) {
    const nodes = CONTROLS.map((id) => form.querySelector(`[data-testid="${id}"]`) as HTMLElement);
    const paths = nodes.map((n) => {
      const path: string[] = [];
      for (let e = n.parentElement; e && e !== form; e = e.parentElement)
        path.push(`${e.tagName}.${e.className}`);
      return path.join(' < ');
    });
    const order = [...form.querySelectorAll('[data-testid]')]
      .map((e) => (e as HTMLElement).dataset.testid ?? '')
      .filter((id) => CONTROLS.includes(id));
    return { nodes, paths, order };
  }

  it('keeps every control in place while text is typed and warnings come and go', async () => {
    installMock();
    const { getByTestId, container } = render(Composer, { channelId: BILATERAL });
    const select = await picker(getByTestId);
    const form = container.querySelector('form') as HTMLElement;
    const region = getByTestId('composer-messages');
    // Reserved before anything is said in it, and above the controls: growing, it pushes nothing down.
    expect(region.children).toHaveLength(0);
    expect(
      region.compareDocumentPosition(getByTestId('composer-controls')) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    const before = layout(form);
    expect(before.order).toEqual(CONTROLS);

    const same = (warning?: string) => {
      const now = layout(form);
      now.nodes.forEach((n, i) => expect(n).toBe(before.nodes[i]));
      expect(now.paths).toEqual(before.paths);
      expect(now.order).toEqual(before.order);
      if (warning) expect(getByTestId(warning).closest('[data-testid="composer-messages"]')).toBe(region);
    };

    const body = getByTestId('composer-body');
    for (const text of ['R', 'Route', 'Route TAMPA closed between checkpoints 4 and 6.']) {
      await fireEvent.input(body, { target: { value: text } });
      same();
    }
    // A typed marking takes the chip's slot; what it releases to is said in the region.
    const slot = getByTestId('composer-label-slot');
    await fireEvent.change(select, { target: { value: '__other__' } });
    expect(getByTestId('other-marking-input').closest('[data-testid="composer-label-slot"]')).toBe(slot);
    same();
    for (const text of ['NATO RES', 'NATO RESTRICTED//REL TO DEU, FRA, GBR']) {
      await fireEvent.input(getByTestId('other-marking-input'), { target: { value: text } });
      same();
    }
    await waitFor(() => expect(getByTestId('release-notice').textContent).toContain('DEU'));
    same('release-notice');
    await fireEvent.change(getByTestId('precedence-picker'), { target: { value: 'flash' } });
    same('ack-note');
    await fireEvent.click(getByTestId('exercise-toggle'));
    same('exercise-change-note');
    await fireEvent.input(body, { target: { value: '' } });
    await fireEvent.click(getByTestId('send-button'));
    same('composer-error');
    await fireEvent.input(body, { target: { value: 'Route TAMPA closed.' } });
    await fireEvent.click(getByTestId('send-button'));
    same('exercise-ask');
    expect(document.activeElement).toBe(getByTestId('exercise-ask'));
  });
});
