// The invitations waiting for the user: channels that trust partner
// authorities this profile has not pinned, held until the user decides.

import { call } from '../api/api';
import type { InvitationView } from '../api/types';

class Invitations {
  list = $state<InvitationView[]>([]);

  async refresh(): Promise<void> {
    this.list = await call('list_invitations');
  }

  reset(): void {
    this.list = [];
  }
}

export const invitations = new Invitations();
