// The console in a real browser: a cadre drafts (and is told by the server what the report lacks),
// submits; the unit head consults the party committee, the collective votes, the head tallies and
// approves a pilot; the cadre sees the outcome and the notices. One browser context per person,
// axe-core on every page, screenshots at 1366×768 and 390×844 in tmp/console-screenshots/.
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { REPO, type Host, startHost } from './host';

const SHOTS = join(REPO, 'tmp', 'console-screenshots');
const log = (m: string) => process.stderr.write(`${m}\n`);
const TITLE = 'Liên thông hồ sơ tuyển dụng công chức';
const DAY = /\d{2}\/\d{2}\/\d{4}/;

let host: Host;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Installs Debian's Chromium when missing (apt-get); a failed install throws here and fails the suite.
  const chromiumPath = execFileSync(process.execPath, [join(__dirname, 'ensure-chromium.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  host = await startHost(log);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--lang=vi-VN'] });
  mkdirSync(SHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

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

/** No serious or critical axe-core violation, then a screenshot at each size. */
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
  await page.screenshot({ path: join(SHOTS, `${name}-390x844.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });
}

it('the generated API types match the document the host serves (npm run console:api)', async () => {
  const document = join(REPO, 'tmp', 'console-served-openapi.json');
  const generated = join(REPO, 'tmp', 'console-served-schema.d.ts');
  writeFileSync(document, await (await fetch(`${host.url}/api/docs-json`)).text());
  execFileSync(join(REPO, 'node_modules', '.bin', 'openapi-typescript'), [document, '-o', generated], { stdio: 'ignore' });
  expect(readFileSync(generated, 'utf8')).toEqual(readFileSync(join(REPO, 'apps/console/src/api/schema.d.ts'), 'utf8'));
});

it('a proposal from draft to an approved pilot, by clicking, one browser per person', async () => {
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

  const fill = async (id: string, value: string) => cadre.locator(`[id="f-${id}"]`).fill(value);
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
  await cadre.getByRole('button', { name: 'Gửi đề xuất' }).click();
  await cadre.getByRole('heading', { name: TITLE }).waitFor();
  await expect(cadre.locator('table.history').textContent()).resolves.toContain('Đã gửi đề xuất');
  expect(await cadre.locator('table.history').textContent()).toMatch(DAY);
  await expect(cadre.locator('dl.report').textContent()).resolves.toContain('31/03/2027');
  const proposalId = cadre.url().split('/').pop()!;
  await check(cadre, '04-proposal-submitted');

  // The unit head, in the role of unit head, finds it in the inbox with its due date.
  const head = await signedIn('u-ccvc-truong-phong', 'unit-head');
  await head.getByRole('link', { name: 'Hộp thẩm định' }).click();
  const row = head.getByRole('row', { name: new RegExp(TITLE) });
  for (let i = 0; i < 20 && !(await row.isVisible()); i++) {
    await head.getByRole('button', { name: 'Tải lại' }).click();
    await head.waitForTimeout(300);
  }
  expect(await row.textContent()).toMatch(DAY);
  expect(await row.textContent()).toContain('Hà Thị Giao');
  await check(head, '05-review-inbox');
  await row.getByRole('link', { name: TITLE }).click();
  await head.getByLabel('Ý kiến của cấp ủy').fill('Chi bộ đồng ý chủ trương.');
  await head.getByRole('button', { name: 'Ghi nhận ý kiến' }).click();
  await head.getByText('Cấp ủy đã cho ý kiến').waitFor();
  await head.getByRole('button', { name: 'Tán thành', exact: true }).click();
  await head.getByRole('button', { name: 'Tán thành', exact: true, pressed: true }).waitFor();

  // The deputy votes as a member of the collective.
  const deputy = await signedIn('u-ccvc-pho-phong', 'collective');
  await deputy.goto(`${host.url}/#/reviews/${proposalId}`);
  await deputy.getByRole('button', { name: 'Tán thành', exact: true }).click();
  await deputy.getByRole('button', { name: 'Tán thành', exact: true, pressed: true }).waitFor();

  // The head tallies and approves a pilot with its plan.
  await head.reload();
  await head.getByRole('button', { name: 'Kiểm phiếu' }).click();
  await head.getByText('Kết quả: 2 tán thành / 2 thành viên: thông qua').waitFor();
  await head.getByLabel('Lý do').fill('Cần thiết, khả thi.');
  await head.getByLabel('Không trái Hiến pháp').check();
  await head.getByLabel('Không trái Điều lệ Đảng và quy định của Đảng').check();
  await head.getByLabel('Không trái pháp luật').check();
  await head.getByLabel('Phạm vi').fill('Phòng Công chức, viên chức');
  await head.getByLabel('Ngày kết thúc').fill('31/05/2027');
  await head.getByLabel('Tên chỉ số').fill('Số ngày xử lý');
  await head.getByLabel('Chỉ tiêu').fill('10');
  await head.getByLabel('Đơn vị', { exact: true }).fill('ngày');
  await head.getByLabel('Chiều').selectOption('at-most');
  await head.getByLabel('Nguồn lực hỗ trợ').fill('Kinh phí thí điểm');
  await head.getByLabel('Số tiền (đồng)').fill('200000000');
  await head.getByLabel('Người giám sát').selectOption('u-skhcn-thanh-tra');
  await check(head, '06-review-decision');
  await head.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  await head.getByText('Đã quyết định: Phê duyệt thí điểm').or(head.locator('.banner.error[role=alert]')).first().waitFor();
  expect(await head.locator('.banner.error[role=alert]').allTextContents()).toEqual([]);
  await check(head, '07-review-approved');

  // The cadre sees the approval, and the notices with an unread count.
  for (let i = 0; i < 20; i++) {
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
});
