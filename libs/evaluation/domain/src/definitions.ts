import { evaluationDefinitions } from './events';
import { inspectionCaseEventDefinitions } from './inspection-case.events';

/** Every event the evaluation context publishes: evaluations and inspection cases. */
export const evaluationEventDefinitions = [...evaluationDefinitions, ...inspectionCaseEventDefinitions] as const;
