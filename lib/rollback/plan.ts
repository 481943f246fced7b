import type { RollbackAction } from './decision.js';

/** What a rollback would do, and how to do it (idempotent: each attempt re-checks before mutating). */
export interface Plan {
  kind: 'plan';
  action: RollbackAction;
  from: string;
  to: string;
  message: string;
  /** Performs the plan; resolves to what `to` finally is (a new deployment id, say). */
  apply(): Promise<string>;
}

export interface NoPlan {
  kind: 'none';
  message: string;
}
