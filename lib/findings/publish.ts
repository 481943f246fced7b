import type { Finding } from './finding.js';

/** Sends findings to the pipeline (the `findings` queue in Lambda; stdout in the CLI and demo). */
export type Publish = (findings: readonly Finding[]) => Promise<void>;
