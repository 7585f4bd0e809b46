import { describe, expect, it } from 'vitest';
import { call, CommandError, toAppError } from './api';
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
