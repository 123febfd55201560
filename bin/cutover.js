#!/usr/bin/env node
// Runs the TypeScript CLI straight from a clone: tsx's ESM loader is registered, then cli/main.ts
// is imported and run. No build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
