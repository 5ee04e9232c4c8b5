// The console in a real browser: a cadre drafts (and is told by the server what the report lacks),
// submits; the unit head consults the party committee, the collective votes, the head tallies and
// approves a pilot; the cadre sees the outcome and the notices. One browser context per person,
// axe-core on every page, screenshots at 1366×768 and 390×844 in tmp/console-screenshots/.
// Run in both modes: console.e2e.spec.ts on the one-process host (every walk), and
// console.distributed.e2e.spec.ts on the distributed mode's gateway (the walk from draft to recognition).
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { REPO, type Host } from './host';

let SHOTS = join(REPO, 'tmp', 'console-screenshots');
/** How many times longer the distributed mode may take to show what another service did (FerretDB answers slowly under load). */
let patience = 1;
const log = (m: string) => process.stderr.write(`${m}\n`);
const TITLE = 'Liên thông hồ sơ tuyển dụng công chức';
let proposalId = '';
const DAY = /\d{2}\/\d{2}\/\d{4}/;

let host: Host;
let browser: Browser;
const contexts: BrowserContext[] = [];


type Mode = 'one-process' | 'distributed';
let MODE: Mode = 'one-process';
const walks: { modes: readonly Mode[]; name: string; run: () => Promise<void> }[] = [];
/** A walk through the console, run in the modes named. */
function walk(modes: readonly Mode[], name: string, run: () => Promise<void>): void {
  walks.push({ modes, name, run });
}

/** The console's walks in one mode, on the host `start` brings up (its URL is the only one the browser opens). */
export function describeConsole(mode: Mode, start: (log: (m: string) => void) => Promise<Host>): void {
  MODE = mode;
  if (mode === 'distributed') {
    SHOTS = join(SHOTS, 'distributed');
    patience = 4;
  }
  beforeAll(async () => {
    // Installs Debian's Chromium when missing (apt-get); a failed install throws here and fails the suite.
    const chromiumPath = execFileSync(process.execPath, [join(__dirname, 'ensure-chromium.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    host = await start(log);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--lang=vi-VN'] });
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });


  // The distributed mode's cross-service steps wait on FerretDB and Kafka: more time, same polling.
  for (const { name, run } of walks.filter((w) => w.modes.includes(mode))) it(name, run, mode === 'distributed' ? 900_000 : 300_000);
}

async function signedIn(userId: string, role?: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByLabel('Người dùng').selectOption(userId);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  if (role) await page.getByLabel('Vai trò').selectOption(role);
  return page;
}

/**
 * Reloads until `text` shows (the read models follow the commands within moments; a record opened by an event of another service a little later;
 * in the distributed mode a command's own read model follows it through Kafka, so the page may first show the state before it).
 */
async function reloadUntil(page: Page, text: string | RegExp, tries = 30 * patience): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await page.getByText(text).first().isVisible()) return;
    await page.waitForTimeout(400);
    await page.reload();
    await page.waitForLoadState('networkidle');
  }
  if (!(await page.getByText(text).first().isVisible())) await page.screenshot({ path: join(SHOTS, `failed-${String(text).replace(/[^\p{L}\d]+/gu, '-').slice(0, 40)}.png`), fullPage: true });
  await page.getByText(text).first().waitFor({ timeout: 2_000 });
}

/** Fills a form by its labels (text, choices and checks) and sends it with its button. */
async function submitForm(page: Page, name: string, fields: Record<string, string | boolean>, button = name): Promise<void> {
  const form = page.getByRole('form', { name, exact: true });
  for (const [label, value] of Object.entries(fields)) {
    const input = form.getByLabel(label, { exact: true });
    if (value === true) await input.check();
    else if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(String(value));
    else await input.fill(String(value));
  }
  await form.getByRole('button', { name: button, exact: true }).click();
}

const today = () => new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

/** Every report section of DOMAIN.md §4.2, typed into the proposal form. */
async function fillReport(page: Page): Promise<void> {
  const fill = async (id: string, value: string) => page.locator(`[id="f-${id}"]`).fill(value);
  await fill('necessity', 'Thủ tục tuyển dụng kéo dài 45 ngày, qua bốn cơ quan.');
  await fill('basis', 'Kết luận 14-KL/TW; Nghị định 73/2023/NĐ-CP.');
  await fill('impactForecast.positive', 'Rút ngắn thời gian tuyển dụng.');
  await fill('impactForecast.negative', 'Tăng khối lượng hậu kiểm.');
  await fill('impactForecast.expectedEffectiveness', 'Giảm 70% thời gian xử lý.');
  await fill('feasibility', 'Dữ liệu đã có trên hệ thống một cửa.');
  await fill('currentSituation', 'Hồ sơ đi qua bốn cơ quan.');
  await fill('content', 'Liên thông hồ sơ tuyển dụng qua một cửa điện tử.');
  await fill('objectives.0.description', 'Rút ngắn thời gian tuyển dụng');
  await fill('objectives.0.targets.0.indicator', 'Số ngày xử lý');
  await fill('objectives.0.targets.0.target', '10');
  await fill('objectives.0.targets.0.unit', 'ngày');
  await fill('implementationPlan.milestones.0.name', 'Ban hành quy trình');
  await fill('implementationPlan.milestones.0.dueDate', '31/03/2027');
  await fill('resources.people', '3 công chức');
  await fill('organization', 'Phòng Công chức, viên chức chủ trì.');
  await fill('recommendations', 'Cho phép thí điểm trong 6 tháng.');
}

/** A member's vote on the review or evaluation page, pressed once the server took it. */
async function vote(page: Page, url: string, name: 'Tán thành' | 'Không tán thành' | 'Không biểu quyết'): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name, exact: true, pressed: true }).waitFor();
}

/** The head tallies (closing the meeting when asked) and reads the result. */
async function tally(page: Page, result: string, closeMeeting = false): Promise<void> {
  await page.reload();
  if (closeMeeting) await page.getByLabel('Kết thúc cuộc họp khi đủ số thành viên tham dự').check();
  await page.getByRole('button', { name: 'Kiểm phiếu' }).click();
  await reloadUntil(page, result);
}

/** No serious or critical axe-core violation, then a screenshot at each size (at 390 px wide, nothing wider than the screen). */
async function check(page: Page, name: string): Promise<void> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: name, blocking }).toEqual({ page: name, blocking: [] });
  await page.screenshot({ path: join(SHOTS, `${name}-1366x768.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone nothing runs past the screen: not the page, not a table inside its scrolling region.
  const wide = await page.locator('html, .table-wrap').evaluateAll((elements) => elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.className || e.tagName));
  expect({ page: name, wide }).toEqual({ page: name, wide: [] });
  await page.screenshot({ path: join(SHOTS, `${name}-390x844.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });
}

walk(['one-process'], 'the console type-checks against the API types generated from the document the host serves', async () => {
  // The client's types are generated, not committed (apps/console/src/api/schema.d.ts is gitignored):
  // generated here from what the running host serves, every call the console makes must compile.
  const document = join(REPO, 'tmp', 'console-served-openapi.json');
  writeFileSync(document, await (await fetch(`${host.url}/api/docs-json`)).text());
  execFileSync(join(REPO, 'node_modules', '.bin', 'openapi-typescript'), [document, '-o', join(REPO, 'apps/console/src/api/schema.d.ts')], { stdio: 'ignore' });
  let errors = '';
  try {
    execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'apps/console/tsconfig.json'), '--noEmit'], { cwd: REPO, encoding: 'utf8' });
  } catch (error) {
    errors = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(errors).toBe('');
});

walk(['one-process', 'distributed'], 'a proposal from draft to recognition, by clicking, one browser per person', async () => {
  // The cadre drafts with the title only: the server says, beside each field, what submission needs.
  const cadre = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1366, height: 768 } }).then((c) => (contexts.push(c), c.newPage()));
  await cadre.goto(host.url);
  await cadre.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  await check(cadre, '01-sign-in');
  await cadre.getByLabel('Người dùng').selectOption('u-ccvc-chuyen-vien');
  await cadre.getByRole('button', { name: 'Đăng nhập' }).click();
  await cadre.getByRole('heading', { name: 'Đề xuất của tôi' }).waitFor();
  await check(cadre, '02-proposals-empty');
  await cadre.getByRole('link', { name: 'Soạn đề xuất mới' }).click();
  await cadre.getByLabel('Tên đề xuất').fill(TITLE);
  await cadre.getByRole('button', { name: 'Gửi đề xuất' }).click();
  const necessity = cadre.locator('.field', { has: cadre.locator('#f-necessity') });
  await expect(necessity.locator('.field-error').textContent()).resolves.toContain('Cần có khi gửi đề xuất (HN67-report)');
  await expect(cadre.locator('.banner.error').textContent()).resolves.toContain('HN67-report');
  await check(cadre, '03-proposal-form-refused');

  await fillReport(cadre);
  await cadre.getByRole('button', { name: 'Gửi đề xuất' }).click();
  await cadre.getByRole('heading', { name: TITLE }).waitFor();
  await expect(cadre.locator('table.history').textContent()).resolves.toContain('Đã gửi đề xuất');
  expect(await cadre.locator('table.history').textContent()).toMatch(DAY);
  await expect(cadre.locator('dl.report').textContent()).resolves.toContain('31/03/2027');
  proposalId = cadre.url().split('/').pop()!;
  await check(cadre, '04-proposal-submitted');

  // The unit head, in the role of unit head, finds it in the inbox with its due date.
  const head = await signedIn('u-ccvc-truong-phong', 'unit-head');
  await head.getByRole('link', { name: 'Hộp thẩm định' }).click();
  const row = head.getByRole('row', { name: new RegExp(TITLE) });
  for (let i = 0; i < 20 * patience && !(await row.isVisible()); i++) {
    await head.getByRole('button', { name: 'Tải lại' }).click();
    await head.waitForTimeout(300);
  }
  expect(await row.textContent()).toMatch(DAY);
  expect(await row.textContent()).toContain('Hà Thị Giao');
  await check(head, '05-review-inbox');
  await row.getByRole('link', { name: TITLE }).click();
  await head.getByLabel('Ý kiến của cấp ủy').fill('Chi bộ đồng ý chủ trương.');
  await head.getByRole('button', { name: 'Ghi nhận ý kiến' }).click();
  await reloadUntil(head, 'Cấp ủy đã cho ý kiến');
  const review = `${host.url}/#/reviews/${proposalId}`;
  await vote(head, review, 'Tán thành');

  // The deputy votes as a member of the collective.
  await vote(await signedIn('u-ccvc-pho-phong', 'collective'), review, 'Tán thành');

  // The head tallies and approves a pilot with its plan.
  await tally(head, 'Kết quả: 2 tán thành / 2 thành viên: thông qua');
  await head.locator('#a-reasons').fill('Cần thiết, khả thi.');
  await head.getByLabel('Không trái Hiến pháp').check();
  await head.getByLabel('Không trái Điều lệ Đảng và quy định của Đảng').check();
  await head.getByLabel('Không trái pháp luật').check();
  await head.getByLabel('Phạm vi').fill('Phòng Công chức, viên chức');
  await head.getByLabel('Ngày kết thúc').fill('31/05/2027');
  await head.getByLabel('Tên chỉ số').fill('Số ngày xử lý');
  await head.getByLabel('Chỉ tiêu').fill('10');
  await head.getByLabel('Đơn vị', { exact: true }).fill('ngày');
  await head.getByLabel('Chiều').selectOption('at-most');
  await head.getByLabel('Mốc', { exact: true }).fill('Ban hành quy trình');
  await head.getByLabel('Thời hạn', { exact: true }).fill('31/03/2027');
  await head.getByLabel('Nguồn lực hỗ trợ').fill('Kinh phí thí điểm');
  await head.getByLabel('Số tiền (đồng)').fill('200000000');
  await head.getByLabel('Người giám sát').selectOption('u-skhcn-thanh-tra');
  await check(head, '06-review-decision');
  await head.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  await head.getByText('Đã quyết định: Phê duyệt thí điểm').or(head.locator('.banner.error[role=alert]')).first().waitFor();
  expect(await head.locator('.banner.error[role=alert]').allTextContents()).toEqual([]);
  await check(head, '07-review-approved');

  // The cadre sees the approval, and the notices with an unread count.
  for (let i = 0; i < 20 * patience; i++) {
    await cadre.reload();
    await cadre.getByRole('heading', { name: TITLE }).waitFor();
    if ((await cadre.locator('.page-head .badge').textContent()) === 'Được phê duyệt thí điểm') break;
    await cadre.waitForTimeout(300);
  }
  await expect(cadre.locator('.page-head .badge').textContent()).resolves.toBe('Được phê duyệt thí điểm');
  await check(cadre, '08-proposal-approved');
  const unread = cadre.locator('nav .count');
  await unread.waitFor();
  expect(Number(await unread.textContent())).toBeGreaterThan(0);
  await cadre.getByRole('link', { name: /Thông báo/ }).click();
  await cadre.getByRole('heading', { name: 'Thông báo' }).waitFor();
  await expect(cadre.locator('ul.notices li').count()).resolves.toBeGreaterThan(0);
  await check(cadre, '09-notices');

  // English, switched by the user.
  await cadre.getByLabel('Ngôn ngữ').selectOption('en');
  await cadre.getByRole('heading', { name: 'Notices' }).waitFor();
  await cadre.getByRole('link', { name: 'Proposals', exact: true }).click();
  await cadre.getByRole('heading', { name: 'My proposals' }).waitFor();
  expect(await cadre.locator('tbody').textContent()).toContain('Approved to pilot');
  await check(cadre, '10-proposals-english');
  await cadre.getByLabel('Language').selectOption('vi');

  // The pilot: the cadre starts it and reports progress; the supervisor completes it.
  await cadre.goto(`${host.url}/#/proposals/${proposalId}`);
  await cadre.getByRole('heading', { name: TITLE }).waitFor();
  await cadre.locator('main').getByRole('link', { name: 'Thí điểm', exact: true }).click();
  await reloadUntil(cadre, 'Đã lập kế hoạch');
  await cadre.getByRole('button', { name: 'Bắt đầu thí điểm' }).click();
  await reloadUntil(cadre, 'Đang thí điểm');
  await submitForm(cadre, 'Báo cáo tiến độ', { 'Số ngày xử lý (ngày)': '12', 'Tình hình thực hiện': 'Tuần đầu.' });
  await cadre.locator('.chart circle').first().waitFor();
  await submitForm(cadre, 'Báo cáo tiến độ', { 'Số ngày xử lý (ngày)': '8', 'Ngày hoàn thành mốc “Ban hành quy trình”': today(), 'Tình hình thực hiện': 'Đạt chỉ tiêu.' });
  await cadre.getByText('Đạt chỉ tiêu', { exact: true }).waitFor();
  await cadre.locator('.chart circle').nth(1).waitFor();
  expect(await cadre.locator('.chart circle').count()).toBe(2);
  await check(cadre, '11-pilot-running');
  const supervisor = await signedIn('u-skhcn-thanh-tra', 'supervisor');
  await supervisor.goto(`${host.url}/#/pilots/${proposalId}`);
  await submitForm(supervisor, 'Tạm dừng', { 'Lý do': 'Chờ ý kiến Sở Tài chính.' });
  await supervisor.locator('.page-head .badge', { hasText: 'Tạm dừng' }).waitFor();
  await submitForm(supervisor, 'Tiếp tục', { 'Lý do': 'Đã có ý kiến.' });
  await supervisor.locator('.page-head .badge', { hasText: 'Đang thí điểm' }).waitFor();
  if (MODE === 'one-process') await adjustPlan(supervisor);
  await supervisor.getByRole('button', { name: 'Xác nhận hoàn thành' }).click();
  await supervisor.getByText('Đã hoàn thành', { exact: true }).first().waitFor();
  await check(supervisor, '12-pilot-completed');

  // The evaluation: results in writing, the committee's opinion, the draft assessment, the collective's vote, the cadre's answer, liability.
  await cadre.goto(`${host.url}/#/evaluations/${proposalId}`);
  await reloadUntil(cadre, 'Chờ báo cáo kết quả');
  await submitForm(cadre, 'Gửi báo cáo kết quả', { 'Báo cáo kết quả': 'Đạt toàn bộ chỉ tiêu.' });
  await reloadUntil(cadre, 'Đã báo cáo kết quả');
  const evaluator = await signedIn('u-ubnd-danh-gia', 'evaluator');
  await evaluator.goto(`${host.url}/#/evaluations/${proposalId}`);
  await submitForm(evaluator, 'Ghi nhận ý kiến cấp ủy', { 'Cấp ủy': 'tm-tinh-uy', 'Ý kiến': 'supports', 'Tóm tắt ý kiến': 'Đồng ý.' });
  await reloadUntil(evaluator, 'Ý kiến của Tỉnh ủy Tỉnh Mẫu');
  await submitForm(evaluator, 'Dự thảo đánh giá', {
    'Kết quả': 'achieved', 'Thực hiện đúng phương án được phê duyệt': true, 'Động cơ trong sáng': true, 'Vì lợi ích chung': true, 'Không vụ lợi': true, 'Nội dung đánh giá': 'Hoàn thành.',
  });
  await evaluator.getByRole('heading', { name: 'Biểu quyết của tập thể về dự thảo đánh giá' }).waitFor();
  await check(evaluator, '13-evaluation-vote');
  const chair = await signedIn('u-ubnd-chu-tich', 'unit-head');
  const evaluation = `${host.url}/#/evaluations/${proposalId}`;
  await vote(chair, evaluation, 'Tán thành');
  for (const member of ['u-ubnd-pct-1', 'u-ubnd-pct-2', 'u-ubnd-pct-3', 'u-ubnd-pct-4']) await vote(await signedIn(member, 'collective'), evaluation, 'Tán thành');
  await tally(chair, 'Kết quả: 5 tán thành / 5 thành viên: thông qua');
  await cadre.reload();
  await submitForm(cadre, 'Gửi ý kiến phản hồi', { 'Ý kiến phản hồi': 'Tôi nhất trí với kết quả đánh giá.' });
  await reloadUntil(cadre, 'Tôi nhất trí với kết quả đánh giá.');
  await evaluator.reload();
  await submitForm(evaluator, 'Quyết định về trách nhiệm', { 'Trách nhiệm': 'none', 'Lý do': 'Hoàn thành.' });
  await reloadUntil(evaluator, 'Không có trách nhiệm: Hoàn thành.');
  await check(evaluator, '14-evaluation-decided');

  // Recognition: recommended from the outcome, granted by the organisation office, on the cadre's record.
  const office = await signedIn('u-snv-thi-dua', 'organization-office');
  await office.getByRole('link', { name: 'Khen thưởng' }).click();
  await reloadUntil(office, 'Đề nghị khen thưởng');
  await check(office, '15-recognitions');
  await office.getByRole('link', { name: TITLE }).click();
  await submitForm(office, 'Quyết định khen thưởng', {
    'Hình thức': 'reward', 'Danh hiệu, hình thức khen thưởng': 'Bằng khen', 'Điểm thưởng': '5', 'Quy mô': 'province', 'Hiệu quả': 'high', 'Phạm vi ảnh hưởng': 'province', 'Căn cứ tương xứng': 'Áp dụng được toàn tỉnh.',
  });
  await reloadUntil(office, /Đã khen thưởng ngày/);
  await check(office, '16-recognition-granted');
  await office.getByRole('link', { name: 'Hồ sơ cán bộ' }).click();
  await reloadUntil(office, 'Tổng điểm thưởng: 5');
  await check(office, '17-cadre-record');
  if (MODE === 'one-process') await spreadModel(office);
});

/** The supervisor adjusts the pilot's plan: refused without reasons (the server's message beside the field), then the end date moved. */
async function adjustPlan(supervisor: Page): Promise<void> {
  const form = supervisor.getByRole('form', { name: 'Điều chỉnh kế hoạch', exact: true });
  await submitForm(supervisor, 'Điều chỉnh kế hoạch', { 'Ngày kết thúc mới': '30/06/2027' });
  await expect(form.locator('.field', { has: supervisor.getByLabel('Lý do', { exact: true }) }).locator('.field-error').first().textContent()).resolves.toContain('reasons');
  await submitForm(supervisor, 'Điều chỉnh kế hoạch', { 'Lý do': 'Chờ số liệu quý II.' });
  await supervisor.getByText(/– 30\/06\/2027/).first().waitFor();
  await check(supervisor, '28-pilot-adjusted');
}

/** The granted model spreads: the organisation office recommends replication (a bad review period refused beside its field), the provincial committee proposes a regulation. */
async function spreadModel(office: Page): Promise<void> {
  const recognition = `${host.url}/#/recognitions/${proposalId}`;
  await office.goto(recognition);
  const form = office.getByRole('form', { name: 'Đề nghị nhân rộng', exact: true });
  await submitForm(office, 'Đề nghị nhân rộng', { 'Đơn vị áp dụng (để trống: toàn tỉnh)': 'tm-snv-ccvc', 'Kỳ sơ kết, tổng kết (vd. 2026-H1, 2026)': 'giữa năm', 'Lý do': 'Sơ kết thấy hiệu quả.' });
  await expect(form.locator('.field.invalid .field-error').first().textContent()).resolves.toContain('reviewPeriod');
  await submitForm(office, 'Đề nghị nhân rộng', { 'Kỳ sơ kết, tổng kết (vd. 2026-H1, 2026)': String(new Date().getFullYear()) });
  await office.getByText(/Đề nghị nhân rộng ngày/).first().waitFor();
  await check(office, '29-recognition-replicated');
  const committee = await signedIn('u-ubnd-chu-tich', 'city-committee');
  await committee.goto(recognition);
  await submitForm(committee, 'Đề nghị thể chế hóa', {
    'Cấp ban hành': 'local', 'Cơ quan được đề nghị ban hành': 'Hội đồng nhân dân tỉnh', 'Văn bản cần ban hành hoặc sửa đổi': 'Quy định liên thông hồ sơ tuyển dụng công chức.', 'Lý do': 'Đã nhân rộng hiệu quả.',
  });
  await committee.getByText(/Đề nghị thể chế hóa ngày/).first().waitFor();
  await check(committee, '30-recognition-institutionalized');
}

/** A proposal drafted with every report section and submitted, by clicking; its id. */
async function submitted(page: Page, title: string): Promise<string> {
  await page.goto(`${host.url}/#/proposals/new`);
  await page.getByLabel('Tên đề xuất').fill(title);
  await fillReport(page);
  await page.getByRole('button', { name: 'Gửi đề xuất' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  return page.url().split('/').pop()!;
}

walk(['one-process'], "the collective's vote with an abstention, the head's override in writing, then the cadre's withdrawal", async () => {
  const cadre = await signedIn('u-ccvc-chuyen-vien');
  const id = await submitted(cadre, 'Số hóa hồ sơ nâng lương');
  const head = await signedIn('u-ccvc-truong-phong', 'unit-head');
  const review = `${host.url}/#/reviews/${id}`;
  await head.goto(review);
  await reloadUntil(head, 'Ý kiến của cấp ủy');
  await head.getByLabel('Ý kiến của cấp ủy').fill('Chi bộ đồng ý.');
  await head.getByRole('button', { name: 'Ghi nhận ý kiến' }).click();
  await head.getByText('Cấp ủy đã cho ý kiến').waitFor();
  await vote(head, review, 'Không biểu quyết');
  await vote(await signedIn('u-ccvc-pho-phong', 'collective'), review, 'Tán thành');
  await tally(head, 'Kết quả: 1 tán thành / 2 thành viên: không thông qua');
  await check(head, '18-review-not-passed');
  await submitForm(head, 'Tập thể không thông qua: người đứng đầu quyết định bằng văn bản và chịu trách nhiệm cá nhân (Nghị định 73, Điều 8)',
    { 'Nội dung quyết định bằng văn bản': 'Tôi quyết định cho thí điểm và chịu trách nhiệm cá nhân.' }, 'Quyết định theo thẩm quyền');
  await head.getByText('Người đứng đầu đã quyết định bằng văn bản.').waitFor();
  await head.getByRole('button', { name: 'Phê duyệt', exact: true }).waitFor();
  await check(head, '19-review-override');

  // The cadre withdraws it before the decision: the review closes (SAGA-withdraw).
  await cadre.goto(`${host.url}/#/proposals/${id}`);
  await cadre.getByRole('button', { name: 'Rút đề xuất' }).click();
  await cadre.locator('.page-head .badge', { hasText: 'Đã rút' }).waitFor();
  await check(cadre, '20-proposal-withdrawn');
  await reloadUntil(head, 'Đã đóng');
});

walk(['one-process'], 'an inspection case: a cadre reports a prohibited act, the inspection body records its finding', async () => {
  const cadre = await signedIn('u-ccvc-chuyen-vien');
  await cadre.getByRole('link', { name: 'Kiểm tra', exact: true }).click();
  await submitForm(cadre, 'Phản ánh hành vi bị cấm', { 'Người bị phản ánh': 'u-ccvc-pho-phong', 'Đơn vị': 'tm-snv-ccvc', 'Hành vi': 'obstructing-innovator', 'Nội dung': 'Không chuyển hồ sơ đề xuất lên lãnh đạo.' });
  await shown(cadre, 'Không chuyển hồ sơ đề xuất lên lãnh đạo.');
  await check(cadre, '21-inspection-reported');
  const inspector = await signedIn('u-tu-kiem-tra', 'inspector');
  await inspector.getByRole('link', { name: 'Kiểm tra', exact: true }).click();
  await reloadUntil(inspector, 'Không chuyển hồ sơ đề xuất lên lãnh đạo.');
  await submitForm(inspector, 'Ghi nhận kết luận', { 'Kết luận': 'substantiated', 'Lý do': 'Hồ sơ bị giữ 20 ngày không lý do.' });
  await shown(inspector, 'Hồ sơ bị giữ 20 ngày không lý do.');
  await check(inspector, '22-inspection-found');
});

walk(['one-process'], "registrations, an assignment, the periodic report with its chart and CSV sent upward, a stream's audit and the operator's status", async () => {
  const head = await signedIn('u-ccvc-truong-phong', 'unit-head');
  await head.getByRole('link', { name: 'Đăng ký sáng kiến', exact: true }).click();
  await submitForm(head, 'Đăng ký sáng kiến', { 'Tên sáng kiến': 'Một cửa số cho công chức', 'Lĩnh vực': 'administrative-reform', 'Tóm tắt': 'Liên thông hồ sơ công chức.' });
  await head.getByRole('heading', { name: /Một cửa số cho công chức/ }).waitFor();
  await check(head, '23-registrations');
  // A task assigned to a cadre of the unit, listed with its answers (none yet).
  await head.getByRole('link', { name: 'Giao nhiệm vụ', exact: true }).click();
  await submitForm(head, 'Giao nhiệm vụ', { 'Tên nhiệm vụ': 'Số hóa hồ sơ công chức', 'Nội dung': 'Đề xuất cách số hóa hồ sơ.', 'Đơn vị được giao': 'tm-snv-ccvc', 'Cán bộ được giao': 'u-ccvc-chuyen-vien', 'Thời hạn': '30/09/2027' });
  await shown(head, 'Số hóa hồ sơ công chức');
  await check(head, '31-assignments');
  const committee = await signedIn('u-ubnd-chu-tich', 'city-committee');
  await committee.getByRole('link', { name: 'Đăng ký sáng kiến', exact: true }).click();
  await reloadUntil(committee, 'Một cửa số cho công chức');
  await submitForm(committee, 'Chấp thuận', { 'Lý do': 'Phù hợp định hướng.' });
  await committee.getByText('Đã chấp thuận').waitFor();
  await check(committee, '24-registrations-decided');

  const office = await signedIn('u-snv-thi-dua', 'organization-office');
  await office.getByRole('link', { name: 'Báo cáo định kỳ', exact: true }).click();
  await office.locator('svg.chart').waitFor();
  await check(office, '25-reports');
  const [download] = await Promise.all([office.waitForEvent('download'), office.getByRole('button', { name: 'Tải CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  expect(readFileSync((await download.path())!, 'utf8').trim().split('\n').length).toBeGreaterThan(1);
  await submitForm(office, 'Gửi báo cáo lên cấp ủy cấp trên và bộ phận tổ chức cán bộ', { 'Đơn vị': 'tm-snv-ccvc' }, 'Gửi báo cáo');
  await office.getByText(/Đã gửi báo cáo .+ của Phòng Công chức/).waitFor();

  const cadre = await signedIn('u-ccvc-chuyen-vien');
  await cadre.goto(`${host.url}/#/audit/proposal-${proposalId}`);
  await cadre.getByText(/Chuỗi băm toàn vẹn: đã kiểm \d+ sự kiện/).waitFor();
  await check(cadre, '26-audit');

  const admin = await signedIn('u-vp-quan-tri', 'admin');
  await admin.getByRole('link', { name: 'Vận hành', exact: true }).click();
  await admin.getByRole('heading', { name: 'Tình trạng vận hành' }).waitFor();
  expect(await admin.locator('tbody tr').count()).toBeGreaterThan(0);
  await check(admin, '27-operator');
});

/** The text shown on the page outside the form's own fields (a box not yet cleared holds the same words). */
async function shown(page: Page, text: string): Promise<void> {
  await page.getByText(text).and(page.locator(':not(textarea):not(input)')).first().waitFor();
}
