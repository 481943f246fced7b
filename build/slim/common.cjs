// Helpers shared by the build/slim/* modules (esbuild plugin parts for the Lambda bundles).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');

/** An esbuild resolve result pointing at a file of the project (a stub, a stand-in). */
const at = (file) => ({ path: path.join(root, file) });

/** Resolves `filter` to `file` only when the importer's path matches `importer`. */
function redirect(build, filter, importer, file) {
  build.onResolve({ filter }, (args) => (importer.test(args.importer) ? at(file) : undefined));
}

/** Replaces `text` in a package's source, failing the build when the package changed and the text is gone. */
function patch(build, filter, text, replacement, what) {
  build.onLoad({ filter }, async (args) => {
    const source = await fs.promises.readFile(args.path, 'utf8');
    if (!source.includes(text)) throw new Error(`${what} changed: ${JSON.stringify(text.trim())} not found`);
    return { contents: source.replace(text, replacement), loader: 'js' };
  });
}

/** Keeps the `exports.X = ...` lines of a constants module that `keep(line)` accepts, and every other line. */
function keepExports(build, filter, keep) {
  build.onLoad({ filter }, async (args) => {
    const source = await fs.promises.readFile(args.path, 'utf8');
    const lines = source.split('\n').filter((line) => (line.startsWith('exports') ? keep(line) : true));
    return { contents: lines.join('\n'), loader: 'js' };
  });
}

module.exports = { root, at, redirect, patch, keepExports };
