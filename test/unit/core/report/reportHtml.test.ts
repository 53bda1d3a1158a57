import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainReport } from '../../../../src/core/report/report';
import { escapeHtml, inlineFonts, inlineScript, jsonForScript, renderReportHtml, REPORT_ELEMENT_ID } from '../../../../src/core/report/reportHtml';

const report = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/reports/binary.json'), 'utf8')) as TrainReport;

describe('renderReportHtml', () => {
  const hostile = '</script><script>window.__xss=1</script><!--';
  const r = structuredClone(report);
  r.model.featureNames[0] = hostile;
  r.data.fileName = hostile;
  const html = renderReportHtml(
    {
      title: `Report <b>${hostile}</b>`,
      script: 'console.log("</script>"); var s = "<!-- x";',
      css: '.a{} @font-face{src:url(./fonts/KaTeX_Main-Regular.woff2) format("woff2"),url(./fonts/KaTeX_Main-Regular.woff) format("woff")} </style>',
      report: r,
      fontDataUrls: { 'KaTeX_Main-Regular.woff2': 'data:font/woff2;base64,AAAA' },
    },
    'NONCE123',
  );

  it('has its own CSP: scripts and styles by nonce, fonts and images from data: only', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-NONCE123'; style-src 'nonce-NONCE123'; font-src data:; img-src data:">`);
    expect(html).toContain('<script nonce="NONCE123">console.log("<\\/script>"); var s = "<\\!-- x";</script>');
    expect(html).toContain('<style nonce="NONCE123">');
  });

  it('embeds the report as JSON that cannot close its element and parses back to the same value', () => {
    const m = new RegExp(`<script type="application/json" id="${REPORT_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(html);
    expect(m).not.toBeNull();
    expect(m![1]).not.toContain('<');
    expect(JSON.parse(m![1])).toEqual(JSON.parse(JSON.stringify(r)));
    // Exactly the two scripts we wrote: the hostile name did not open a third.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('escapes the title and inlines fonts', () => {
    expect(html).toContain('<title>Report &lt;b&gt;&lt;/script&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;!--&lt;/b&gt;</title>');
    expect(html).toContain('url("data:font/woff2;base64,AAAA") format("woff2")');
    expect(html).toContain('url("data:,") format("woff")');
    expect(html).not.toContain('./fonts/');
    expect(html).toContain('<\\/style>');
  });

  it('carries the language and its l10n bundle on <body data-l10n> (escaped), as the panel does; none in English', () => {
    const bundle = { Runs: 'Läufe', 'Class balance of “{0}”': '</script> „{0}“ & "x"' };
    const localized = renderReportHtml({ title: 'T', script: '', css: '', report, l10n: bundle, lang: 'de' }, 'N');
    expect(localized).toContain('<html lang="de">');
    const attr = /<body data-l10n="([^"]*)">/.exec(localized)![1];
    expect(attr).not.toMatch(/[<>"]/);
    expect(JSON.parse(attr.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))).toEqual(bundle);
    expect(html).toContain('<body>\n');
    expect(html).toContain('<html lang="en">');
  });

  it('uses a fresh random nonce by default', () => {
    const a = renderReportHtml({ title: 't', script: '', css: '', report });
    const b = renderReportHtml({ title: 't', script: '', css: '', report });
    const nonce = (h: string) => /'nonce-([^']+)'/.exec(h)![1];
    expect(nonce(a)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonce(a)).not.toBe(nonce(b));
  });
});

describe('helpers', () => {
  it('escapeHtml', () => expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));
  it('jsonForScript keeps the value', () => {
    const v = { s: '</script>&\u2028<!--', n: [1.5, NaN] };
    const j = jsonForScript(v);
    expect(j).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(j)).toEqual({ s: '</script>&\u2028<!--', n: [1.5, null] });
  });
  it('inlineScript neutralizes closing tags in any case', () => expect(inlineScript('"</SCRIPT>"')).toBe('"<\\/SCRIPT>"'));
  it('inlineFonts leaves other urls alone', () => expect(inlineFonts('a{background:url(x.png)} b{src:url("data:x")}', {})).toBe('a{background:url(x.png)} b{src:url("data:x")}'));
});
