// Local osls plugin: canary releases of warden (logic and tests: lib/rollback/canaryPlugin.ts, docs/rollback.md).
import { tsImport } from 'tsx/esm/api';

const HOOK = 'after:aws:package:finalize:mergeCustomProviderResources';

export default class WardenCanary {
  constructor(serverless, options) {
    this.hooks = {
      [HOOK]: async () => {
        const { WardenCanaryPlugin } = await tsImport('../lib/rollback/canaryPlugin.ts', import.meta.url);
        await new WardenCanaryPlugin(serverless, options).hooks[HOOK]();
      },
    };
  }
}
