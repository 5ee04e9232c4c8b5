/**
 * Every refusal the kernel or a decider makes is a typed DomainError with a stable `code`,
 * so the HTTP layer maps it to a 4xx without parsing messages.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, readonly details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

/** A policy rule refused the command; `clause` points to CLAUSES.md. */
export class RuleViolation extends DomainError {
  readonly code = 'RULE_VIOLATION';
  constructor(readonly clause: string, message: string, details: Record<string, unknown> = {}) {
    super(`${clause}: ${message}`, { clause, ...details });
  }
}

export class IllegalTransition extends DomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(what: string, from: string, command: string) {
    super(`${what} in state '${from}' cannot accept '${command}'`, { from, command });
  }
}

export class NotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id: string) {
    super(`${what} '${id}' was not found`, { id });
  }
}

export class Forbidden extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class InvalidInput extends DomainError {
  readonly code = 'INVALID_INPUT';
}

export class WrongExpectedVersion extends DomainError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(readonly streamId: string, readonly expected: number, readonly actual: number | 'unknown') {
    super(`stream '${streamId}' is at version ${actual}, expected ${expected}`, { streamId, expected, actual });
  }
}

/**
 * The client decided on a version of the stream it no longer has (RFC 9110 If-Match): nothing is
 * written, and the server does not decide again on a state the client did not see.
 */
export class PreconditionFailed extends DomainError {
  readonly code = 'PRECONDITION_FAILED';
  constructor(readonly streamId: string, readonly expected: number, readonly actual: number) {
    super(`the object changed since version ${expected} (it is at ${actual}): read it again and decide anew`, { expected, actual });
  }
}

export class UnknownEventType extends DomainError {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(type: string) {
    super(`event type '${type}' is not registered`, { type });
  }
}

export class InvalidEventPayload extends DomainError {
  readonly code = 'INVALID_EVENT_PAYLOAD';
  constructor(type: string, readonly problems: readonly string[]) {
    super(`payload of '${type}' does not match its schema: ${problems.join('; ')}`, { type, problems });
  }
}

export class EventTooLarge extends DomainError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(what: string, size: number, limit: number) {
    super(`${what} is ${size} bytes, the limit is ${limit}`, { size, limit });
  }
}

export class UnknownEventVersion extends DomainError {
  readonly code = 'UNKNOWN_EVENT_VERSION';
  constructor(type: string, version: number, current: number) {
    super(`no upcaster takes '${type}' from version ${version} towards ${current}`, { type, version, current });
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
