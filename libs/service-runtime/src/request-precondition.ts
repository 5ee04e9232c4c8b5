import { AsyncLocalStorage } from 'async_hooks';

/** The If-Match of the request being served (preconditions.ts), for the command it runs. */
export interface RequestPrecondition {
  ifMatch?: number;
  /** Only the request's own command takes it; what that command sets off later does not. */
  taken: boolean;
}

const preconditions = new AsyncLocalStorage<RequestPrecondition>();

/** Enters the request's own asynchronous context with its precondition. */
export function enterPrecondition(precondition: RequestPrecondition): void {
  preconditions.enterWith(precondition);
}

/** The version the current request's command must be decided on, once; undefined without If-Match. */
export function takeIfMatch(): number | undefined {
  const current = preconditions.getStore();
  if (!current || current.taken) return undefined;
  current.taken = true;
  return current.ifMatch;
}
