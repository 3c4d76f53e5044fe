import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../web/src/i18n/en.ts';
import { zh } from '../web/src/i18n/zh.ts';

/** The web console's dictionaries (web/src/i18n): the same keys, no empty strings, the same placeholders. */
describe('web console dictionaries', () => {
  const zhKeys = Object.keys(zh).sort();
  const enKeys = Object.keys(en).sort();

  it('have exactly the same keys', () => {
    expect(enKeys.filter((k) => !(k in zh))).toEqual([]);
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
  });

  it('have no empty message and the same {placeholders} in both languages', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of zhKeys) {
      const z = zh[key as keyof typeof zh];
      const e = en[key as keyof typeof en];
      expect(z.trim(), key).not.toBe('');
      expect(e.trim(), key).not.toBe('');
      expect(holes(e), key).toEqual(holes(z));
    }
  });

  it('Chinese is Chinese: no message of the default language is left in English only', () => {
    const latinOnly = zhKeys.filter((k) => {
      const v = zh[k as keyof typeof zh];
      return !/[\u4e00-\u9fff]/.test(v) && /[A-Za-z]{3,}/.test(v.replace(/\{\w+\}/g, ''));
    });
    // the language switch shows the other language's name; the demo hint names the password
    expect(latinOnly).toEqual(['app.switchLang']);
  });

  it('every key the console asks for by name exists', () => {
    // t('some.key') in the sources: a literal key that is not in the dictionary is a type error in the
    // web build too; this catches keys built by hand elsewhere
    const root = path.resolve('web/src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (/\.tsx?$/.test(e.name) && !dir.endsWith('i18n')) files.push(path.join(dir, e.name));
      }
    };
    walk(root);
    const missing: string[] = [];
    for (const f of files) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z]+\.[\w.]+)'/g)) {
        if (!(m[1]! in zh)) missing.push(`${path.relative(root, f)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
