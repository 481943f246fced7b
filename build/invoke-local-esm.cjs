// osls `invoke local` loads a handler with require() and only falls back to `<file>.js` for ESM, while our
// bundles are `.mjs` (what Lambda needs to run them as ES modules). Before a local invoke, after
// serverless-esbuild has built, this writes a `<file>.cjs` beside each bundle that forwards to the `.mjs`.
const fs = require('node:fs');
const path = require('node:path');

class InvokeLocalEsm {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:invoke:local:invoke': () => this.writeShims() };
  }

  writeShims() {
    // serverless-esbuild's own hook (registered first) has already pointed serviceDir at its build folder.
    const dir = this.serverless.serviceDir;
    const walk = (d) =>
      fs.existsSync(d)
        ? fs
            .readdirSync(d, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]))
        : [];
    for (const file of walk(dir).filter((f) => f.endsWith('.mjs') && !f.includes('node_modules'))) {
      const base = path.basename(file);
      // Every warden handler is exported as `handler` (functions/*.ts).
      const shim = `exports.handler = async (event, context) => (await import('./${base}')).handler(event, context);\n`;
      fs.writeFileSync(file.replace(/\.mjs$/, '.cjs'), shim);
    }
  }
}

module.exports = InvokeLocalEsm;
