// Officers of the mock partnership. Mock data only.

import type { MemberView, ProfileView } from '../types';

export interface Officer {
  officerId: string;
  displayName: string;
  organisation: string;
  nationality: string;
  clearance: string;
}

export const DEFAULT_PROFILE: ProfileView = {
  officerId: 'FRA-0412',
  displayName: 'Cdt Claire Dubois',
  organisation: 'État-major des armées',
  nationality: 'FRA',
  clearance: 'NATO SECRET',
  protection: 'passphrase',
};

export const OFFICERS: Record<string, Officer> = {
  whitfield: {
    officerId: 'GBR-1187',
    displayName: 'Lt Col James Whitfield',
    organisation: 'UK Defence Staff',
    nationality: 'GBR',
    clearance: 'NATO SECRET',
  },
  vogel: {
    officerId: 'DEU-2203',
    displayName: 'OTL Katrin Vogel',
    organisation: 'Kommando Streitkräftebasis',
    nationality: 'DEU',
    clearance: 'NATO SECRET',
  },
  rossi: {
    officerId: 'ITA-0930',
    displayName: 'CF Marco Rossi',
    organisation: 'Stato Maggiore della Difesa',
    nationality: 'ITA',
    clearance: 'NATO CONFIDENTIAL',
  },
  cole: {
    officerId: 'USA-5521',
    displayName: 'Maj Dana Cole',
    organisation: 'US EUCOM',
    nationality: 'USA',
    clearance: 'NATO SECRET',
  },
  nowak: {
    officerId: 'POL-0077',
    displayName: 'kpt. Piotr Nowak',
    organisation: 'Sztab Generalny WP',
    nationality: 'POL',
    clearance: 'NATO RESTRICTED',
  },
  janssen: {
    officerId: 'NLD-3141',
    displayName: 'LtKol Eva Janssen',
    organisation: 'Defensiestaf',
    nationality: 'NLD',
    clearance: 'NATO SECRET',
  },
  shah: {
    officerId: 'GBR-2290',
    displayName: 'Sqn Ldr Priya Shah',
    organisation: 'UK Defence Staff',
    nationality: 'GBR',
    clearance: 'NATO SECRET',
  },
  becker: {
    officerId: 'DEU-4410',
    displayName: 'Hptm Jonas Becker',
    organisation: 'Kommando Heer',
    nationality: 'DEU',
    clearance: 'NATO CONFIDENTIAL',
  },
  brennan: {
    officerId: 'GBR-3305',
    displayName: 'Lt Col Hugh Brennan',
    organisation: 'UK Defence Staff',
    nationality: 'GBR',
    clearance: 'NATO SECRET',
  },
};

/** Officers the relay's directory holds no key package for. */
export const UNREACHABLE = new Set(['GBR-3305']);

/** A member row for an officer. */
export function member(o: Officer | ProfileView, role: 'admin' | 'member', isSelf = false): MemberView {
  return {
    officerId: o.officerId,
    displayName: o.displayName,
    organisation: o.organisation,
    nationality: o.nationality,
    clearance: o.clearance,
    role,
    isSelf,
  };
}
