import { BodyRefused, MAX_JSON_DEPTH, inspectJsonText, normalizeBody } from './json-body';

describe('request bodies (issue 12)', () => {
  it('refuses a body nested deeper than a form ever is, without recursion (10,000 levels)', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(() => inspectJsonText(deep)).toThrow(BodyRefused);
    expect(() => inspectJsonText('{"a":'.repeat(MAX_JSON_DEPTH) + '1' + '}'.repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => inspectJsonText('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toThrow(/deeper than 32/);
  });

  it('refuses a key given twice in one object, also when escaped differently, and only then', () => {
    expect(() => inspectJsonText('{"title":"a","title":"b"}')).toThrow(/key 'title' twice/);
    expect(() => inspectJsonText('{"title":"a","\\u0074itle":"b"}')).toThrow(/twice/);
    expect(() => inspectJsonText('{"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]}')).not.toThrow();
    expect(() => inspectJsonText('{"a":"\\"title\\",","title":"b"}')).not.toThrow();
    expect(() => inspectJsonText('{"a":[1,{"k":1}],"k":2}')).not.toThrow();
  });

  it('stores text in NFC and refuses bidirectional overrides and zero-width characters, naming the field', () => {
    const decomposed = 'Nguye\u0302\u0303n';
    expect(normalizeBody({ title: decomposed })).toEqual({ title: 'Nguyễn' });
    expect(() => normalizeBody({ title: 'Đề xuất \u202Egnal' })).toThrow(/body.title contains .* U\+202E/);
    expect(() => normalizeBody({ report: { items: ['ok', 'a\u200Bb'] } })).toThrow(/body.report.items\[1\] .* U\+200B/);
    expect(() => normalizeBody({ name: '\uFEFFTên' })).toThrow(BodyRefused);
  });

  it('keeps a key named __proto__ a plain field', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true}}');
    const body = normalizeBody(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
