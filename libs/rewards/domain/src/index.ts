import { cadreRecordEventDefinitions } from './cadre-record/events';
import { mailPreferenceEventDefinitions } from './mail-preference';
import { periodicReportEventDefinitions } from './periodic-report/events';
import { recognitionEventDefinitions } from './recognition/events';

export * from './facts';
export * from './recognition/commands';
export * from './recognition/events';
export * from './recognition/recognition.state';
export * from './recognition/recognition.decider';
export * from './cadre-record/commands';
export * from './cadre-record/events';
export * from './cadre-record/cadre-record.state';
export * from './cadre-record/cadre-record.decider';
export * from './periodic-report/commands';
export * from './periodic-report/events';
export * from './periodic-report/periodic-report.state';
export * from './periodic-report/periodic-report.decider';
export * from './mail-preference';
export * from './roles';

export const rewardsEventDefinitions = [...recognitionEventDefinitions, ...cadreRecordEventDefinitions, ...periodicReportEventDefinitions, ...mailPreferenceEventDefinitions] as const;
export * from './streams';
