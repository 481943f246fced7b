// aws-xray-sdk-core requires semver only to patch AWS SDK v2 clients (captureAWS), which warden never uses.
// Bundles map `semver` here to save ~28 KB; a call means someone started capturing SDK v2 and must fail loudly.
const unsupported = () => {
  throw new Error('semver is stubbed in warden bundles: AWS SDK v2 capture is not supported');
};
module.exports = { gte: unsupported, satisfies: unsupported, lt: unsupported };
