// iconv-lite stand-in for the Lambda bundles (build/esbuild-plugins.cjs): mysql2 requires iconv-lite for every
// charset MySQL knows (~480 KB of tables), while warden talks utf8mb4 (and latin1 at most). Node's Buffer covers
// these; any other charset fails loudly instead of decoding wrongly.
const NODE = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  utf8mb4: 'utf8',
  cesu8: 'utf8',
  latin1: 'latin1',
  binary: 'latin1',
  'iso-8859-1': 'latin1',
  cp1252: 'latin1',
  ascii: 'ascii',
  ucs2: 'utf16le',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
};
function nodeEncoding(name) {
  const enc = NODE[String(name).toLowerCase()];
  if (!enc) throw new Error(`charset ${name} is not supported in warden's Lambda bundle (use utf8mb4)`);
  return enc;
}
module.exports = {
  encodingExists: (name) => NODE[String(name).toLowerCase()] !== undefined,
  decode: (buf, name) => Buffer.from(buf).toString(nodeEncoding(name)),
  encode: (str, name) => Buffer.from(String(str), nodeEncoding(name)),
  getDecoder(name) {
    const { StringDecoder } = require('node:string_decoder');
    const d = new StringDecoder(nodeEncoding(name));
    return { write: (b) => d.write(b), end: () => d.end() };
  },
  getEncoder(name) {
    const enc = nodeEncoding(name);
    return { write: (s) => Buffer.from(String(s), enc), end: () => undefined };
  },
};
