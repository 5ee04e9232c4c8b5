import { InvalidInput, RuleViolation } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { ReportFigures, SendPeriodicReport } from './commands';
import { REPORT_FIGURES, type PeriodicReportEvent } from './events';
import { periodicReportDecider } from './periodic-report.decider';

const spec = DeciderSpecification.for(periodicReportDecider);
const T0 = '2026-03-02T08:00:00.000Z';
const figures = Object.fromEntries(REPORT_FIGURES.map((f, i) => [f, i])) as unknown as ReportFigures;
const recipients = { partyCommittee: { unitId: 'tm-tinh-uy', headId: 'u-tu-bi-thu' }, organizationOfficeIds: ['u-btc-chuyen-vien', 'u-snv-thi-dua'] };
const period = { label: 'H1-2026', from: '2026-01-01', to: '2026-06-30' };
const send = (data: Partial<SendPeriodicReport['data']> = {}): SendPeriodicReport => ({
  type: 'SendPeriodicReport',
  data: { unitId: 'tm-so-noi-vu', period, field: null, recipients, figures, ...data },
  metadata: meta({ role: 'unit-head', userId: 'u-snv-giam-doc' }),
});
const sent = (sending = 1): PeriodicReportEvent<'PeriodicReportSent'> => ({
  type: 'PeriodicReportSent',
  data: { unitId: 'tm-so-noi-vu', period, field: null, recipients, figures, sending, sentBy: 'u-snv-giam-doc', sentAt: T0 },
});

describe('Periodic report (C14-2.5d)', () => {
  it('C14-2.5d: the half-year report is sent up to the superior party committee and the organisation office', () => {
    spec.given([]).when(send()).then([sent()]);
  });

  it('C14-2.5d: a report sent again is kept beside the first, numbered', () => {
    spec.given([sent()]).when(send()).then([sent(2)]);
  });

  it.each([
    ['no party committee', { ...recipients, partyCommittee: null }],
    ['no organisation office', { ...recipients, organizationOfficeIds: [] }],
  ])('C14-2.5d: a report with %s to go to is refused', (_, to) => {
    spec.given([]).when(send({ recipients: to })).thenThrows(RuleViolation, { clause: 'C14-2.5d' });
  });

  it('refuses a period that ends before it starts, and another unit or period on this stream', () => {
    spec.given([]).when(send({ period: { label: '2026-06-30..2026-01-01', from: '2026-06-30', to: '2026-01-01' } })).thenThrows(InvalidInput);
    spec.given([sent()]).when(send({ unitId: 'tm-so-khcn' })).thenThrows(InvalidInput);
    spec.given([sent()]).when(send({ period: { label: '2026', from: '2026-01-01', to: '2026-12-31' } })).thenThrows(InvalidInput);
  });
});
