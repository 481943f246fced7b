import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteLiteral } from '../../../lib/secrets/pgQuote.js';

describe('Function: quoteIdent / quoteLiteral', () => {
  it.each(['app', 'a"; DROP ROLE x; --', "o'brien", 'back\\slash', 'ünï"cödé\'\\'])(
    'quotes %j exactly as pg does',
    (s) => {
      // Assess
      expect(quoteIdent(s)).toBe(pg.escapeIdentifier(s));
      expect(quoteLiteral(s)).toBe(pg.escapeLiteral(s));
    },
  );
});
