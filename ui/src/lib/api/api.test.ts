import { describe, expect, it } from 'vitest';
import { call, CommandError, onLockedError, toAppError } from './api';
import { installMock } from '../testing/fixtures';

describe('toAppError', () => {
  it('keeps a known kind, its message and field', () => {
    expect(toAppError({ kind: 'invalidInput', message: 'Too short.', field: 'passphrase' })).toEqual({
      kind: 'invalidInput',
      message: 'Too short.',
      field: 'passphrase',
    });
  });

  it('turns an unknown kind or a bare string into internal', () => {
    expect(toAppError({ kind: 'weird', message: 'x' }).kind).toBe('internal');
    expect(toAppError('boom')).toEqual({ kind: 'internal', message: 'boom' });
  });
});

describe('call', () => {
  it('rejects with a CommandError whose kind the UI can switch on', async () => {
    installMock({ phase: 'locked' });
    const err = await call('list_channels').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).kind).toBe('locked');
  });
});

describe('onLockedError', () => {
  it('hears about every command refused because the profile is locked', async () => {
    installMock({ phase: 'locked' });
    let heard = 0;
    const stop = onLockedError(() => heard++);
    await call('list_channels').catch(() => {});
    await call('connection_state');
    stop();
    await call('list_channels').catch(() => {});
    expect(heard).toBe(1);
  });
});
