// The window's one alert strip. Alerts come from several places (the shell:
// connection, invitations, urgent traffic in other channels; the open
// channel: acknowledgements, forks, withheld changes, new authorities), but
// the officer sees them in one strip under the header, most urgent first,
// each with its own actions. A component publishes its alerts while it
// lives; `AlertStrip.svelte` shows them all. docs/desktop.md gives the order.

import { untrack, type Snippet } from 'svelte';

/** What an alert is about, most urgent first (the strip's order). */
export const URGENCY = [
  /** FLASH traffic in the open channel awaits the officer's acknowledgement. */
  'flashHere',
  /** FLASH traffic arrived in another channel. */
  'flashElsewhere',
  /** The channel forked: the officer no longer reads the admins' messages. */
  'forked',
  /** The relay withholds a change of the channel: newer messages cannot be read. */
  'commitWithheld',
  /** IMMEDIATE traffic in the open channel awaits acknowledgement. */
  'immediateHere',
  /** IMMEDIATE traffic arrived in another channel. */
  'immediateElsewhere',
  /** Something the officer asked for in the channel failed. */
  'actionFailed',
  /** The relay is unreachable: what is sent waits. */
  'offline',
  /** A policy change added partner authorities to the channel. */
  'anchorAdded',
  /** Invitations wait for review. */
  'invitations',
  /** A fork left a gap in the channel's history (a record). */
  'historyGap',
] as const;

export type Urgency = (typeof URGENCY)[number];

/** How an alert looks: precedence colours, a danger, a warning or information. */
export type Tone = 'flash' | 'immediate' | 'danger' | 'warning' | 'info';

const TONES: Record<Urgency, Tone> = {
  flashHere: 'flash',
  flashElsewhere: 'flash',
  forked: 'danger',
  commitWithheld: 'danger',
  immediateHere: 'immediate',
  immediateElsewhere: 'immediate',
  actionFailed: 'danger',
  offline: 'info',
  anchorAdded: 'warning',
  invitations: 'info',
  historyGap: 'info',
};

/** The tone of an urgency. */
export function toneOf(urgency: Urgency): Tone {
  return TONES[urgency];
}

/** One alert of a component. */
export interface StripAlert {
  /** Unique among its component's alerts; handed to `content`. */
  key: string;
  urgency: Urgency;
  /** `alert` interrupts a screen reader; `status` waits its turn. */
  role: 'alert' | 'status';
  testid: string;
  /** What it says and its actions, rendered inside the strip. */
  content: Snippet<[key: string]>;
}

/** An alert in the strip: `id` is unique across components. */
export interface ShownAlert extends StripAlert {
  id: string;
}

class AlertStrip {
  // Raw: snippets are functions, not state to make deep.
  #sources = $state.raw<Record<string, StripAlert[]>>({});

  /** Every alert published, most urgent first; publication order within an urgency. */
  readonly alerts: ShownAlert[] = $derived(
    Object.entries(this.#sources)
      .flatMap(([source, list]) => list.map((a) => ({ ...a, id: `${source}/${a.key}` })))
      .sort((a, b) => URGENCY.indexOf(a.urgency) - URGENCY.indexOf(b.urgency)),
  );

  /** Replaces a source's alerts. */
  publish(source: string, alerts: StripAlert[]): void {
    // Not a dependency of the caller's effect: it writes what it would read.
    const sources = untrack(() => this.#sources);
    this.#sources = { ...sources, [source]: alerts };
  }

  /** Removes a source's alerts. */
  withdraw(source: string): void {
    const sources = untrack(() => this.#sources);
    if (!(source in sources)) return;
    const rest = { ...sources };
    delete rest[source];
    this.#sources = rest;
  }
}

export const alertStrip = new AlertStrip();

let sources = 0;

/**
 * Shows `alerts()` in the strip while the calling component lives, following
 * its changes. Call it while the component initialises.
 */
export function publishAlerts(alerts: () => StripAlert[]): void {
  const source = `s${++sources}`;
  $effect(() => {
    alertStrip.publish(source, alerts());
  });
  $effect(() => () => alertStrip.withdraw(source));
}
