import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The TLS files of the test servers, in one directory their OS users can read. */
export interface TestCertificates {
  /** The CA that signed the server certificate: the workers trust it through NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The servers' certificate and key, for 127.0.0.1 and localhost. */
  certFile: string;
  keyFile: string;
  /** A self-signed certificate and key for 127.0.0.1 that no one trusts (a server impersonating the database). */
  rogueCertFile: string;
  rogueKeyFile: string;
}

// --- just enough DER (X.690) for an X.509 v3 certificate: Node has no API that makes one, and no openssl needed ---
const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  const len =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...c: Buffer[]) => der(0x30, ...c);
const oid = (dotted: string): Buffer => {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const v of rest) {
    const groups = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) groups.unshift((x & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};
const name = (cn: string) => seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from(cn)))));
const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));
const extension = (id: string, value: Buffer, critical = false) =>
  seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

interface Issued {
  cert: Buffer;
  key: KeyObject;
  keyId: Buffer;
}

/** An EC P-256 certificate for `cn`, signed by `issuer` (self-signed when absent). */
function certificate(cn: string, opts: { ca: boolean; issuer?: Issued & { cn: string } }): Issued {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const serial = randomBytes(8);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const now = Date.now();
  const extensions = [
    extension('2.5.29.19', opts.ca ? seq(der(0x01, Buffer.from([0xff]))) : seq(), true),
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for a server.
    extension('2.5.29.15', der(0x03, Buffer.from(opts.ca ? [0x01, 0x06] : [0x07, 0x80])), true),
    extension('2.5.29.14', der(0x04, keyId)),
    ...(opts.ca
      ? []
      : [
          extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'))),
          extension(
            '2.5.29.17',
            seq(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from('localhost'))),
          ),
        ]),
    ...(opts.issuer ? [extension('2.5.29.35', seq(der(0x80, opts.issuer.keyId)))] : []),
  ];
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ECDSA_SHA256,
    name(opts.issuer?.cn ?? cn),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 7 * 86_400_000))),
    name(cn),
    spki,
    der(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, opts.issuer?.key ?? privateKey);
  return { cert: seq(tbs, ECDSA_SHA256, der(0x03, Buffer.from([0]), signature)), key: privateKey, keyId };
}

const pem = (cert: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;

/** A CA, a server certificate it signs for 127.0.0.1 and localhost, and an untrusted self-signed one, in `dir`. */
export function makeCertificates(dir: string): TestCertificates {
  const ca = { ...certificate('warden test CA', { ca: true }), cn: 'warden test CA' };
  const server = certificate('localhost', { ca: false, issuer: ca });
  const rogue = certificate('127.0.0.1', { ca: false });
  const files: TestCertificates = {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    rogueCertFile: join(dir, 'rogue.pem'),
    rogueKeyFile: join(dir, 'rogue.key'),
  };
  const key = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(files.caFile, pem(ca.cert));
  writeFileSync(files.certFile, pem(server.cert));
  writeFileSync(files.keyFile, key(server.key), { mode: 0o600 });
  writeFileSync(files.rogueCertFile, pem(rogue.cert));
  writeFileSync(files.rogueKeyFile, key(rogue.key), { mode: 0o600 });
  return files;
}

/** A TCP port nothing listens on at the moment. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
