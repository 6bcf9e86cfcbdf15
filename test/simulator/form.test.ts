import { describe, expect, test } from 'vitest';
import { parseForm, toPlain } from '../../src/testing/simulator/form.js';
import {
  bool,
  int,
  list,
  metadata,
  obj,
  oneOf,
  parseParams,
  str,
} from '../../src/testing/simulator/params.js';

describe('form decoding and parameter checks', () => {
  test('decodes Stripe’s bracket notation, lists and pushes', () => {
    const form = parseForm(
      'type=document&expand[0]=a&expand[1]=b&options[document][allowed_types][]=passport&metadata[k%20y]=v+w&empty=',
    );
    expect(toPlain(form)).toEqual({
      empty: '',
      expand: ['a', 'b'],
      metadata: { 'k y': 'v w' },
      options: { document: { allowed_types: ['passport'] } },
      type: 'document',
    });
  });

  test('keys such as __proto__ stay plain data', () => {
    const form = parseForm('metadata[__proto__]=x&metadata[constructor]=y');
    const spec = obj({ metadata: metadata() });
    const parsed = parseParams(spec, form);
    expect([...(parsed.metadata?.set ?? new Map()).entries()]).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('numeric metadata keys stay keys', () => {
    const spec = obj({ metadata: metadata() });
    const parsed = parseParams(spec, parseForm('metadata[0]=x&metadata[1]=y'));
    expect([...(parsed.metadata?.set ?? new Map()).entries()]).toEqual([
      ['0', 'x'],
      ['1', 'y'],
    ]);
  });

  test('conflicting shapes and bad encodings are 400s, not crashes', () => {
    expect(() => parseForm('a=1&a[b]=2')).toThrow(/Invalid parameter structure/);
    expect(() => parseForm('a=%E0%A4%A')).toThrow(/Invalid URL encoding/);
  });

  test('combinators name the parameter that failed', () => {
    const spec = obj({ n: int({ min: 1 }), b: bool(), e: oneOf(['x', 'y']), l: list(str(3)) });
    const failure = (text: string) => {
      try {
        parseParams(spec, parseForm(text));
      } catch (error) {
        return (error as { details: { param?: string; code?: string } }).details;
      }
      return null;
    };
    expect(failure('n=0')).toMatchObject({ param: 'n', code: 'parameter_invalid_integer' });
    expect(failure('b=maybe')).toMatchObject({ param: 'b' });
    expect(failure('e=z')).toMatchObject({ param: 'e' });
    expect(failure('l[0]=abcd')).toMatchObject({ param: 'l[0]' });
    expect(failure('zzz=1')).toMatchObject({ param: 'zzz', code: 'parameter_unknown' });
    expect(failure('n=2&b=true&e=x&l[0]=abc')).toBeNull();
  });
});
