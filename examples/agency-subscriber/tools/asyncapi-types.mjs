#!/usr/bin/env node
// Event types from an AsyncAPI document alone (issue 15): every message's payload becomes a
// TypeScript type through openapi-typescript (an AsyncAPI 3.0 payload is a JSON Schema, as an
// OpenAPI 3.1 component schema is). Another agency runs it on the document a province publishes:
//   node tools/asyncapi-types.mjs <asyncapi.json> <out.ts>          write the types
//   node tools/asyncapi-types.mjs <asyncapi.json> <out.ts> --check  exit 1 when <out.ts> differs
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'fs';
import { dirname } from 'path';
import openapiTS, { astToString } from 'openapi-typescript';

export async function asyncApiTypes(document) {
  const messages = document.components?.messages ?? {};
  const schemas = Object.fromEntries(Object.entries(messages).map(([name, message]) => [name, message.payload]));
  const ast = await openapiTS({ openapi: '3.1.0', info: { title: document.info.title, version: document.info.version }, paths: {}, components: { schemas } });
  const body = astToString(ast).replace(/^export type (paths|webhooks) = .*\n/gm, '');
  const channels = Object.fromEntries(Object.entries(document.channels ?? {}).map(([name, channel]) => [name, channel.address]));
  return [
    `// Generated from the AsyncAPI document "${document.info.title}" version ${document.info.version} by tools/asyncapi-types.mjs: do not edit.`,
    body.trimEnd(),
    '',
    '/** Every published message, as it arrives (the envelope with its payload in `data`). */',
    "export type PublishedEvent = components['schemas'][keyof components['schemas']];",
    '/** The published message of one event type. */',
    "export type EventOf<T extends PublishedEvent['type']> = Extract<PublishedEvent, { type: T }>;",
    '/** Each channel\'s topic address; `{instance}` is the province or city code. */',
    `export const channels = ${JSON.stringify(channels, null, 2)} as const;`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [input, output, flag] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: asyncapi-types.mjs <asyncapi.json> <out.ts> [--check]');
    process.exit(2);
  }
  const text = await asyncApiTypes(JSON.parse(readFileSync(input, 'utf8')));
  if (flag === '--check') {
    if (!existsSync(output) || readFileSync(output, 'utf8') !== text) {
      console.error(`${output} is not the types of ${input}: run node ${process.argv[1]} ${input} ${output}`);
      process.exit(1);
    }
  } else {
    // A fresh clone has no folder for a generated file that is not committed.
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text);
  }
}
