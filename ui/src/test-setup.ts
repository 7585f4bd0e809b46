// Runs before every test file: a fresh mock backend is installed by each test.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
