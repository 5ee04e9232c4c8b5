import type { PeriodicReportEvent } from './events';

export interface PeriodicReportState {
  readonly unitId: string | null;
  readonly label: string | null;
  readonly sendings: number;
}

export const initialPeriodicReportState = (): PeriodicReportState => ({ unitId: null, label: null, sendings: 0 });

export function evolvePeriodicReport(state: PeriodicReportState, event: PeriodicReportEvent): PeriodicReportState {
  return { unitId: event.data.unitId, label: event.data.period.label, sendings: state.sendings + 1 };
}
