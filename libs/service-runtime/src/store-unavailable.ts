/**
 * Whether a failure is the store being away (unreachable, not answering in time), rather than the
 * store refusing: HTTP answers it 503 STORE_UNAVAILABLE with Retry-After (http.ts), and consumers
 * retry the event until the store is back instead of parking it (service-kernel.ts).
 */
const UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError', 'MongooseServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoPoolClearedError',
  'PoolClearedOnNetworkError', 'MongoPoolClosedError', 'MongoWaitQueueTimeoutError', 'MongoNotConnectedError', 'MongoTopologyClosedError',
  'MongoServerClosedError', 'MongoClientClosedError', 'MongoOperationTimeoutError', 'MongoStalePrimaryError',
]);
/** Server answers that mean "not now" (a primary stepping down, a server shutting down), never "no". */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * Whether an error says the store could not be reached or did not answer in time (the driver's
 * network, pool and server-selection errors, also when wrapped as a `cause`), rather than
 * refusing the request: such a request is answered 503 STORE_UNAVAILABLE with Retry-After.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code } = e as { name?: string; code?: unknown };
    if (name && UNAVAILABLE_ERRORS.has(name)) return true;
    if (name === 'MongoServerError' && typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
    const labelled = (e as { hasErrorLabel?: (label: string) => boolean }).hasErrorLabel;
    if (typeof labelled === 'function' && (labelled.call(e, 'ResetPool') || labelled.call(e, 'SystemOverloadedError'))) return true;
  }
  return false;
}
