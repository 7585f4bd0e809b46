import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { MessageView } from '../api/types';
import { installMock, watchSends } from '../testing/fixtures';
import { ComposerState, OTHER, type ComposerProps } from './composer.svelte';
import { drafts } from './drafts';

// The mock's "FRA–GBR Bilateral": ceiling NATO CONFIDENTIAL//REL TO FRA, GBR,
// default NATO RESTRICTED//REL TO FRA, GBR. "f6b8daec0006" is an imported archive.
const BILATERAL = 'b2d4f6a80002';
const ARCHIVE = 'f6b8daec0006';
const RESTRICTED = 'NATO RESTRICTED//REL TO FRA, GBR';
const CONFIDENTIAL = 'NATO CONFIDENTIAL//REL TO FRA, GBR';

/** Props as a rune, so the state's derived values follow `replyTo` as they do in the component. */
function props(over: Partial<ComposerProps> = {}): ComposerProps {
  const p = $state<ComposerProps>({
    channelId: BILATERAL,
    replyTo: undefined,
    exerciseDefault: false,
    onsent: vi.fn(),
    ...over,
  });
  return p;
}

async function loaded(p = props()): Promise<ComposerState> {
  const c = new ComposerState(p);
  await c.load();
  return c;
}

async function source(): Promise<MessageView> {
  const page = await call('thread_page', { channelId: BILATERAL, start: 40, count: 1 });
  return page.messages[0];
}

describe('ComposerState', () => {
  it('starts from the channel’s draft and the EXERCISE default', () => {
    installMock();
    drafts.set(BILATERAL, {
      body: 'Half-written',
      choice: RESTRICTED,
      otherMarking: '',
      precedence: 'routine',
      exercise: true,
    });
    const c = new ComposerState(props({ exerciseDefault: true }));
    expect(c.body).toBe('Half-written');
    expect(c.exercise).toBe(true);
    expect(new ComposerState(props({ channelId: 'other' })).body).toBe('');
  });

  it('starts a reply from its source’s EXERCISE status and asks before sending otherwise', async () => {
    const sends = watchSends(installMock());
    const real = { ...(await source()), exercise: false };
    const c = new ComposerState(props({ exerciseDefault: true, replyTo: real }));
    await c.load();
    expect(c.exercise).toBe(false);
    expect(c.exerciseNote).toBe('composer.exerciseOffProfile');
    c.body = 'Noted.';
    await c.send();
    expect(c.askingExercise).toBe(true);
    expect(sends()).toEqual([]);
    // Ticking EXERCISE would change the source's status: that asks too.
    c.exercise = true;
    expect(c.exerciseNote).toBe('composer.exerciseOnReply');
    await c.confirmExercise(false);
    expect(sends()).toEqual([expect.objectContaining({ exercise: false, replyTo: real.id })]);
    expect(c.askingExercise).toBe(false);
    // Sent: a new message of the exercise profile is EXERCISE again.
    expect(c.exercise).toBe(true);
  });

  it('keeps a written draft and forgets a blank one', () => {
    installMock();
    const c = new ComposerState(props());
    c.body = 'Keep me';
    c.keepDraft();
    expect(drafts.get(BILATERAL)?.body).toBe('Keep me');
    c.body = '   ';
    c.keepDraft();
    expect(drafts.has(BILATERAL)).toBe(false);
  });

  it('keeps a draft’s label, precedence and EXERCISE status, and restores them', async () => {
    const sends = watchSends(installMock());
    const c = await loaded(props({ exerciseDefault: true }));
    c.body = 'Bridge at grid 512 376 is down.';
    c.choice = CONFIDENTIAL;
    c.precedence = 'immediate';
    c.exercise = false;
    c.keepDraft();
    expect(drafts.get(BILATERAL)).toEqual({
      body: 'Bridge at grid 512 376 is down.',
      choice: CONFIDENTIAL,
      otherMarking: '',
      precedence: 'immediate',
      exercise: false,
    });

    const back = new ComposerState(props({ exerciseDefault: true }));
    expect(back.body).toBe('Bridge at grid 512 376 is down.');
    expect(back.precedence).toBe('immediate');
    // The deliberate real-world choice is kept, and still asked about at send.
    expect(back.exercise).toBe(false);
    expect(back.exerciseNote).toBe('composer.exerciseOffProfile');
    await back.load();
    expect(back.choice).toBe(CONFIDENTIAL);
    expect(back.marking).toBe(CONFIDENTIAL);
    expect(back.draftLabelGone).toBeUndefined();
    await back.send();
    expect(back.askingExercise).toBe(true);
    await back.confirmExercise(false);
    expect(sends()).toEqual([
      expect.objectContaining({ marking: CONFIDENTIAL, precedence: 'immediate', exercise: false }),
    ]);
  });

  it('keeps a typed marking with the draft', async () => {
    installMock();
    const c = await loaded();
    c.body = 'See annex.';
    c.choice = OTHER;
    c.otherMarking = 'NATO RESTRICTED//REL TO DEU, FRA, GBR';
    c.keepDraft();
    const back = await loaded();
    expect(back.choice).toBe(OTHER);
    expect(back.marking).toBe('NATO RESTRICTED//REL TO DEU, FRA, GBR');
    await vi.waitFor(() => expect(back.releasedBeyond).toEqual(['DEU']));
  });

  it('falls back to the default, and says so, when the channel no longer offers a draft’s label', async () => {
    installMock();
    drafts.set(BILATERAL, {
      body: 'Written before the policy changed.',
      choice: 'NATO SECRET//REL TO FRA, GBR',
      otherMarking: '',
      precedence: 'priority',
      exercise: false,
    });
    const c = await loaded();
    expect(c.choice).toBe(RESTRICTED);
    expect(c.draftLabelGone).toBe('NATO SECRET//REL TO FRA, GBR');
    expect(c.precedence).toBe('priority');
    c.choice = CONFIDENTIAL;
    c.labelChosen();
    expect(c.draftLabelGone).toBeUndefined();
  });

  it('preselects the channel default and sends its marking', async () => {
    installMock();
    const c = await loaded();
    expect(c.choice).toBe(RESTRICTED);
    expect(c.marking).toBe(RESTRICTED);
    expect(c.selectedLabel?.marking).toBe(RESTRICTED);
    expect(c.typingMarking).toBe(false);
    c.choice = CONFIDENTIAL;
    expect(c.marking).toBe(CONFIDENTIAL);
    expect(c.selectedLabel?.marking).toBe(CONFIDENTIAL);
  });

  it('sends a typed marking trimmed, without a label chip', async () => {
    installMock();
    const c = await loaded();
    c.choice = OTHER;
    c.otherMarking = '  COSMIC TOP SECRET ';
    expect(c.typingMarking).toBe(true);
    expect(c.marking).toBe('COSMIC TOP SECRET');
    expect(c.selectedLabel).toBeUndefined();
  });

  it('refuses an empty body or marking before asking the core', async () => {
    const sends = watchSends(installMock());
    const c = await loaded();
    c.body = '  ';
    await c.send();
    expect(c.error).toEqual({ kind: 'invalidInput', message: '', field: 'body' });
    expect(c.errorText).toBe('Write something before sending.');

    c.body = 'Text';
    c.choice = OTHER;
    c.otherMarking = ' ';
    await c.send();
    expect(c.error?.field).toBe('marking');
    expect(c.errorText).toBe('Type the marking to use, or pick one from the list.');
    expect(sends()).toEqual([]);
  });

  it('explains the core’s refusal and keeps the text', async () => {
    installMock();
    const c = await loaded();
    c.choice = OTHER;
    c.otherMarking = 'COSMIC TOP SECRET';
    c.body = 'Test.';
    await c.send();
    expect(c.error?.kind).toBe('labelRefused');
    expect(c.errorText).toBe('Not sent: this marking is not allowed in this channel.');
    expect(c.body).toBe('Test.');
    expect(c.sending).toBe(false);
  });

  it('sends, then clears the body, resets precedence and reports the message', async () => {
    const sends = watchSends(installMock());
    const p = props({ exerciseDefault: true });
    const c = await loaded(p);
    c.body = 'Convoy delayed.';
    c.precedence = 'immediate';
    expect(c.asksAcknowledgement).toBe(true);
    await c.send();
    expect(sends()).toEqual([
      {
        channelId: BILATERAL,
        body: 'Convoy delayed.',
        marking: RESTRICTED,
        precedence: 'immediate',
        exercise: true,
        replyTo: undefined,
      },
    ]);
    expect(c.body).toBe('');
    expect(c.precedence).toBe('routine');
    expect(c.asksAcknowledgement).toBe(false);
    expect(c.error).toBeUndefined();
    expect(p.onsent).toHaveBeenCalledWith(expect.objectContaining({ body: 'Convoy delayed.' }));
  });

  it('locks a reply to its source’s label and lets go of it once sent', async () => {
    const sends = watchSends(installMock());
    const reply = await source();
    expect(reply.label.marking).toBe(CONFIDENTIAL);
    const p = props({ replyTo: reply });
    const c = await loaded(p);
    c.choice = OTHER;
    expect(c.locked).toBe(true);
    expect(c.typingMarking).toBe(false);
    expect(c.marking).toBe(CONFIDENTIAL);
    expect(c.selectedLabel?.marking).toBe(CONFIDENTIAL);

    c.body = 'Done.';
    await c.send();
    expect(sends()[0]).toMatchObject({ marking: CONFIDENTIAL, replyTo: reply.id });
    expect(p.replyTo).toBeUndefined();
    expect(c.locked).toBe(false);
  });

  it('sends on Ctrl+Enter and drops the reply, not the text, on Escape', async () => {
    const sends = watchSends(installMock());
    const p = props({ replyTo: await source() });
    const c = await loaded(p);
    c.body = 'Still here';
    const escape = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    c.keydown(escape);
    expect(escape.defaultPrevented).toBe(true);
    expect(p.replyTo).toBeUndefined();
    expect(c.body).toBe('Still here');

    // Without a reply, Escape is left to others (a dialog may close on it).
    const again = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    c.keydown(again);
    expect(again.defaultPrevented).toBe(false);

    c.keydown(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sends()).toEqual([]);
    c.keydown(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
    await vi.waitFor(() => expect(sends()).toHaveLength(1));
  });

  it('does not send where the channel refuses messages', async () => {
    const sends = watchSends(installMock());
    const c = await loaded(props({ channelId: ARCHIVE }));
    expect(c.cannotSend).toBe(true);
    expect(c.options?.reason).toContain('read-only');
    c.body = 'Anything';
    await c.send();
    expect(sends()).toEqual([]);
    expect(c.error).toBeUndefined();
  });

  it('shows why the options could not be read', async () => {
    installMock();
    const c = await loaded(props({ channelId: 'nope' }));
    expect(c.options).toBeUndefined();
    expect(c.cannotSend).toBe(false);
    expect(c.error?.kind).toBe('notFound');
  });

  it('clears the previous error when a reply starts', async () => {
    installMock();
    const c = await loaded();
    await c.send();
    expect(c.error).toBeDefined();
    c.replyStarted();
    expect(c.error).toBeUndefined();
  });
});
