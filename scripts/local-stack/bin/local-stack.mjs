#!/usr/bin/env node
// The package is TypeScript run as it is: tsx compiles it on the fly, as it does the handlers the stack runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
