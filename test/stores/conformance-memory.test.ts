import { expect, test } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

runStoreConformance({ name: 'memory', createStore: () => new MemoryStore(), test, expect });
