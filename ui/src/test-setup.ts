// Runs before every test file.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';

// jsdom has no layout, so no ResizeObserver; Svelte's bind:clientHeight needs
// one. Nothing is ever resized here: a stub that never calls back is honest.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

afterEach(() => cleanup());
