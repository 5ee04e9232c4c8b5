/**
 * What a request body may be beyond valid JSON (issue 12): not nested deeper than a form ever is,
 * no key twice in one object (JSON.parse would keep the last silently), and no text that reads
 * differently from what it stores (bidirectional overrides and invisible characters). Accepted
 * text is stored in Unicode NFC, so "Nguyễn" typed on two keyboards is one name.
 */
export const MAX_JSON_DEPTH = 32;

/** A refused body: 400 with this message, never the parser's own words. */
export class BodyRefused extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'dotpha.body.refused';
}

/**
 * Scans the raw text once for nesting depth and repeated keys. Malformed JSON is left to the
 * parser that runs next, which refuses it.
 */
export function inspectJsonText(text: string): void {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return;
        }
        if (top.has(key)) throw new BodyRefused(`the request body names the key '${key.slice(0, 64)}' twice in one object`);
        top.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) throw new BodyRefused(`the request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
}

// Bidirectional embeddings, overrides and isolates, the directional marks, and the zero-width
// characters: none belongs in a Vietnamese form, and each can make stored text read otherwise.
const HIDDEN = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;

/** Refuses hidden characters anywhere in a parsed body and returns it with every text in NFC. */
export function normalizeBody(value: unknown, path = 'body'): unknown {
  if (typeof value === 'string') {
    const hidden = HIDDEN.exec(value);
    if (hidden) {
      const code = hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new BodyRefused(`${path} contains the invisible or direction-changing character U+${code}`);
    }
    return value.normalize('NFC');
  }
  if (Array.isArray(value)) return value.map((item, i) => normalizeBody(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const name = normalizeBody(key, `${path} key`) as string;
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new BodyRefused(`${path} names the key '${name.slice(0, 64)}' twice`);
      // defineProperty: a key '__proto__' stays a plain field instead of replacing the prototype.
      Object.defineProperty(out, name, { value: normalizeBody(item, `${path}.${name}`), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
