import PDFDocument from 'pdfkit';
import { COLUMNS, type PeriodicReport } from './periodic-report';

/** DejaVu Sans has every Vietnamese letter with its tone marks (the PDF's built-in Helvetica has not). */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const FIELD_NAMES: Readonly<Record<string, string>> = {
  'party-building': 'Xây dựng Đảng',
  'socio-economic': 'Kinh tế - xã hội',
  'security-defence': 'Quốc phòng - an ninh',
  'administrative-reform': 'Cải cách hành chính',
  other: 'Khác',
  unknown: 'Chưa rõ',
};

const MARGIN = 40;
const BAR = '#2f5d8a';
const RULE = '#9aa5b1';
const dmy = (date: string) => date.split('-').reverse().join('/');
const number = (n: number) => n.toLocaleString('vi-VN');

/**
 * C14-2.5d: the periodic report as an A4 PDF, in Vietnamese: its title, unit, field and period, a bar
 * chart of the proposals submitted per unit (drawn with vector rectangles), then the figures table,
 * the totals and each field, with the same figure names as the CSV.
 */
export function toPdf(report: PeriodicReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Báo cáo định kỳ ${report.period.label}`, Author: 'Đột Phá' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', FONT).registerFont('bold', BOLD);
  const width = doc.page.width - 2 * MARGIN;
  /** Starts a new page when the next block of `height` points would not fit. */
  const room = (height: number) => {
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  };

  const unit = report.unitId === null ? 'Tất cả đơn vị' : `${report.byUnit.find((u) => u.unitId === report.unitId)?.unitName ?? report.unitId} (và các đơn vị trực thuộc)`;
  doc.font('bold').fontSize(18).text('Báo cáo định kỳ', { align: 'center' });
  doc.moveDown(0.5).font('body').fontSize(10);
  doc.text(`Đơn vị: ${unit}`);
  doc.text(`Lĩnh vực: ${report.field === null ? 'Tất cả lĩnh vực' : FIELD_NAMES[report.field] ?? report.field}`);
  doc.text(`Kỳ báo cáo: ${report.period.label}, từ ngày ${dmy(report.period.from)} đến ngày ${dmy(report.period.to)}`);
  doc.text(`Lập lúc: ${dmy(report.generatedAt.slice(0, 10))} ${report.generatedAt.slice(11, 16)} (UTC)`);

  // The chart: one horizontal bar per unit, its length proportional to the proposals submitted.
  doc.moveDown().font('bold').fontSize(12).text('Đề xuất đã nộp theo đơn vị');
  doc.moveDown(0.3).font('body').fontSize(8);
  const bars = report.byUnit.map((u) => ({ label: u.unitName ?? u.unitId, value: u.submitted }));
  if (!bars.length) doc.text('Không có số liệu trong kỳ.');
  const labelWidth = 170;
  const track = width - labelWidth - 40;
  const max = Math.max(1, ...bars.map((b) => b.value));
  for (const bar of bars) {
    const height = Math.max(14, doc.heightOfString(bar.label, { width: labelWidth - 6 }) + 4);
    room(height);
    const top = doc.y;
    doc.fillColor('black').text(bar.label, MARGIN, top + 2, { width: labelWidth - 6 });
    const length = (bar.value / max) * track;
    if (length > 0) doc.rect(MARGIN + labelWidth, top + 2, length, height - 4).fill(BAR);
    doc.fillColor('black').text(number(bar.value), MARGIN + labelWidth + length + 4, top + 3, { lineBreak: false });
    doc.moveTo(MARGIN + labelWidth, top).lineTo(MARGIN + labelWidth, top + height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  }

  // The figures: a row per figure, the totals then each field in columns.
  doc.x = MARGIN;
  doc.moveDown().font('bold').fontSize(12).text('Số liệu theo lĩnh vực', MARGIN);
  doc.moveDown(0.3).fontSize(8);
  const columns = [{ name: 'Tổng', counts: report.totals }, ...report.byField.map((f) => ({ name: FIELD_NAMES[f.field] ?? f.field, counts: f }))];
  const nameWidth = 170;
  const cellWidth = (width - nameWidth) / columns.length;
  const row = (cells: readonly string[], font: 'body' | 'bold') => {
    doc.font(font);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: (i === 0 ? nameWidth : cellWidth) - 6 }))) + 6;
    room(height);
    const top = doc.y;
    cells.forEach((c, i) =>
      doc.text(c, i === 0 ? MARGIN + 3 : MARGIN + nameWidth + (i - 1) * cellWidth + 3, top + 3, { width: (i === 0 ? nameWidth : cellWidth) - 6, align: i === 0 ? 'left' : 'right' }));
    doc.moveTo(MARGIN, top + height).lineTo(MARGIN + width, top + height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };
  row(['Chỉ tiêu', ...columns.map((c) => c.name)], 'bold');
  for (const [key, name] of COLUMNS) row([name, ...columns.map((c) => number(c.counts[key]))], 'body');
  doc.end();
  return done;
}
