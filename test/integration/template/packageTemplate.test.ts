import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_INPUTS, inputsHash } from './packageTemplate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A project in miniature: one file per build input, plus files the build never reads. */
const PROJECT: Record<string, string> = {
  'serverless.yml': 'service: warden\n',
  'package.json': '{"name":"warden"}\n',
  'package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/pg":{"version":"8.23.1"}}}\n',
  'tsconfig.json': '{"compilerOptions":{"strict":true}}\n',
  'resources/kms.yml': 'Resources: {}\n',
  'functions/dispatch.ts': 'export const handler = async () => ({});\n',
  'build/esbuild-plugins.cjs': 'module.exports = [];\n',
  'lib/aws/rds.ts': 'export const PAGE = 100;\n',
  'node_modules/.package-lock.json':
    '{"lockfileVersion":3,"packages":{"node_modules/pg":{"version":"8.23.1"}}}\n',
  'docs/backup.md': '# Backup\n',
  'test/unit/config.test.ts': '// a test\n',
};

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const key = () => inputsHash(root, 'dev', {});

describe('Function: inputsHash (the packaged-bundle cache key)', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'warden-cache-key-'));
    for (const [path, content] of Object.entries(PROJECT)) write(path, content);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    'lib/aws/rds.ts',
    'package-lock.json',
    'node_modules/.package-lock.json',
    'tsconfig.json',
    'functions/dispatch.ts',
    'build/esbuild-plugins.cjs',
    'resources/kms.yml',
    'serverless.yml',
    'package.json',
  ])('changes when %s changes', (path) => {
    // Prepare
    const before = key();
    // Act
    write(path, `${PROJECT[path]}// changed\n`);
    // Assess
    expect(key()).not.toBe(before);
  });

  it('changes when a file is added under lib/', () => {
    // Prepare
    const before = key();
    // Act
    write('lib/secrets/expiry.ts', 'export {};\n');
    // Assess
    expect(key()).not.toBe(before);
  });

  it('stays the same when only files the build never reads change', () => {
    // Prepare
    const before = key();
    // Act
    write('docs/backup.md', '# Backup, rewritten\n');
    write('test/unit/config.test.ts', '// another test\n');
    // Assess
    expect(key()).toBe(before);
  });

  it('differs by stage and params', () => {
    // Act
    const keys = [key(), inputsHash(root, 'prod', {}), inputsHash(root, 'dev', { alarmEmail: 'a@b.c' })];
    // Assess
    expect(new Set(keys).size).toBe(3);
  });

  it('keys every file serverless.yml makes the build read', () => {
    // Prepare
    const yml = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
    const referenced = [
      ...[...yml.matchAll(/\$\{file\(([^)]+)\)/g)].map((m) => m[1] ?? ''),
      ...[...yml.matchAll(/^\s+- \.\/(\S+)/gm)].map((m) => m[1] ?? ''),
      ...[...yml.matchAll(/^\s+plugins: (\S+)/gm)].map((m) => m[1] ?? ''),
    ];
    // Act
    const unkeyed = referenced.filter(
      (path) => !BUILD_INPUTS.some((input) => path === input || path.startsWith(`${input}/`)),
    );
    // Assess
    expect(referenced.length).toBeGreaterThan(10);
    expect(unkeyed).toEqual([]);
  });
});
