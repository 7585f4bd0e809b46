// The app's phase (no profile, locked, unlocked) and the profile once unlocked.

import { call } from '../api/api';
import type { AppStatus, ProfileView } from '../api/types';
import { asLanguage, setLanguage } from '../i18n/i18n.svelte';

class Session {
  status = $state<AppStatus | undefined>();

  get phase(): AppStatus['phase'] | undefined {
    return this.status?.phase;
  }

  get profile(): ProfileView | undefined {
    return this.status?.profile;
  }

  /** Asks the shell where we are. */
  async load(): Promise<void> {
    const s = await call('app_status');
    await setLanguage(asLanguage(s.language));
    this.status = s;
  }

  /** A profile was created, imported or unlocked. */
  unlocked(profile: ProfileView): void {
    if (this.status)
      this.status = { ...this.status, phase: 'unlocked', profile, protection: undefined, newPin: false };
  }

  /** The shell locked the profile (on request, idle, or its own reasons). */
  locked(): void {
    if (!this.status || this.status.phase !== 'unlocked') return;
    const protection = this.status.profile?.protection ?? this.status.protection;
    this.status = { ...this.status, phase: 'locked', profile: undefined, protection };
  }

  /** Locks now. */
  async lock(): Promise<void> {
    try {
      await call('lock');
    } finally {
      // Even if the shell failed to answer, hide everything.
      this.locked();
    }
  }
}

export const session = new Session();
