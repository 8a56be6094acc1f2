import { describe, expect, it } from 'vitest';
import { isAligned } from '../../src/auth/alignment.ts';
import { parseAuthenticationResults } from '../../src/auth/authentication-results.ts';
import { readHeaderFields } from '../../src/auth/header-fields.ts';

describe('readHeaderFields', () => {
  it('unfolds fields, keeps their order, and stops at the body', () => {
    const raw = Buffer.from(
      'Authentication-Results: a.example;\r\n dkim=pass\r\nFrom: x@y.example\r\n\r\nFrom: body@z.example\r\n',
    );
    expect(readHeaderFields(raw)).toEqual([
      { name: 'authentication-results', value: 'a.example; dkim=pass' },
      { name: 'from', value: 'x@y.example' },
    ]);
  });
});

describe('parseAuthenticationResults', () => {
  it('reads the authserv-id, methods and properties, skipping comments, version and reason', () => {
    const parsed = parseAuthenticationResults(
      'mx.example.net 1 (the (nested) comment); dkim=pass reason="header.d=evil.example seen" header.d=northwind.example (x) header.s=sel; spf=fail smtp.mailfrom="a;b"@x.example',
    );
    expect(parsed).toEqual({
      authservId: 'mx.example.net',
      results: [
        { method: 'dkim', result: 'pass', props: { 'header.d': 'northwind.example', 'header.s': 'sel' } },
        { method: 'spf', result: 'fail', props: { 'smtp.mailfrom': '"a;b"@x.example' } },
      ],
    });
  });

  it('reads "none" as no results', () => {
    expect(parseAuthenticationResults('mx.example.net; none')).toEqual({
      authservId: 'mx.example.net',
      results: [],
    });
  });
});

describe('isAligned', () => {
  it.each([
    ['northwind.example', 'northwind.example', true],
    ['Northwind.Example.', 'northwind.example', true],
    ['northwind.example', 'mail.northwind.example', true],
    ['eu.northwind.example', 'northwind.example', true],
    ['northwind.example', 'evil.example', false],
    ['northwind.example', 'evilnorthwind.example', false],
    ['eu.northwind.example', 'us.northwind.example', false],
    ['northwind.example', 'example', false],
  ])('From %s with a signature of %s: %s', (from, signer, expected) => {
    expect(isAligned(from, signer)).toBe(expected);
  });
});
