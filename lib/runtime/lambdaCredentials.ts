/**
 * Bundles for Lambda replace @aws-sdk/credential-provider-node with this module (build/esbuild-plugins.cjs).
 * Lambda always hands a function its role's credentials through the environment, so the SSO, INI, process and
 * web-identity providers of the default chain (and the nested clients they pull in, ~80 KB) are dead weight.
 * The CLI and the tests run from source and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();
