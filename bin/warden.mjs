#!/usr/bin/env node
// The `warden` CLI. It runs the TypeScript sources through tsx, so `npx warden` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
