// Locks the profile after a stretch without input. Any key, pointer or wheel
// event restarts the clock.

const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Calls `onIdle` after `minutes` without input; 0 disables. Returns the stop function. */
export function watchIdle(minutes: number, onIdle: () => void, target: EventTarget = window): () => void {
  if (!(minutes > 0)) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, minutes * 60_000);
  };
  for (const e of EVENTS) target.addEventListener(e, restart, { passive: true });
  restart();
  return () => {
    clearTimeout(timer);
    for (const e of EVENTS) target.removeEventListener(e, restart);
  };
}
