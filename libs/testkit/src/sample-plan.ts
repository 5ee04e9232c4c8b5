import type { PlanParts } from '@dotpha/kernel';

/**
 * One pilot plan for the tests of every context it passes through (one KPI, one milestone, one
 * resource), supervised by `supervisorId`; a test overrides what it is about.
 */
export function samplePlan(supervisorId: string): PlanParts {
  return {
    scope: 'Cấp phép hạ tầng viễn thông một cửa tại phường Đông Thành',
    startDate: '2026-04-01',
    endDate: '2026-09-30',
    kpis: [{ id: 'k-1', name: 'Thời gian cấp phép trung bình', unit: 'ngày làm việc', target: 10, direction: 'at-most' }],
    milestones: [{ id: 'm-1', name: 'Ban hành quy trình liên thông', dueDate: '2026-06-30' }],
    resources: [{ kind: 'funding', description: 'Kinh phí thí điểm', amount: 200_000_000 }],
    supervisorId,
  };
}
